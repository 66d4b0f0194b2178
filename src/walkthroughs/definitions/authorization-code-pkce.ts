import * as flow from '@site/src/flows/authorization-code-pkce';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {meta} from '../registry';
import {callApi} from '../steps/api';
import {authorizationRequest, createSecrets, discover, exchangeCode, signIn} from '../steps/authorization';
import {inspectTokens, refreshWithReuse} from '../steps/tokens';

/** A single-page app signs a user in and calls the calendar API, then refreshes with rotation. */
export default defineWalkthrough(meta('authorization-code-pkce'), (env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: ['openid profile offline_access', ...env.api.scopes.filter((scope) => scope.value.endsWith(':read')).map((scope) => scope.value)].join(' '),
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.SpaConfig,
}))
  .step(createSecrets(flow.createAuthorizationSecrets))
  .step(discover(flow.discover))
  .step(authorizationRequest(flow.buildAuthorizationUrl))
  .step(signIn(flow.validateCallback))
  .step(exchangeCode(flow))
  .step(inspectTokens())
  .step(callApi(flow.callApi, {path: '/events'}))
  .step(refreshWithReuse(flow.refresh))
  .build();
