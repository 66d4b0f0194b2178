import * as flow from '@site/src/flows/authorization-code-pkce';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {DEFAULT_PROVIDER_SCOPE} from '../engine/provider';
import {callApi} from '../steps/api';
import {authorizationRequest, createSecrets, discover, exchangeCode, signIn} from '../steps/authorization';
import {inspectTokens, refreshWithReuse} from '../steps/tokens';
import {callUserInfo} from '../steps/userinfo';

/** A single-page app signs a user in and calls the calendar API, then refreshes with rotation. */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: [
      'openid profile offline_access',
      ...env.api.scopes.filter((scope) => scope.value.endsWith(':read')).map((scope) => scope.value),
    ].join(' '),
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

/**
 * The same flow module against the reader's own provider (`?issuer=…&client_id=…` on the page): their
 * public client, this page as its redirect URI, the scopes and API they name. The provider has none of
 * the sandbox's demo APIs, so the last step asks its userinfo endpoint instead; whether it issues and
 * rotates refresh tokens is its own policy, so there is no refresh step.
 */
export const ownProvider = defineWalkthrough(
  (env) => ({
    config: {
      issuer: env.issuer,
      clientId: env.client.client_id,
      redirectUri: env.pageUrl,
      scope: env.provider?.scope ?? DEFAULT_PROVIDER_SCOPE,
      ...(env.provider?.audience ? {audience: env.provider.audience} : {}),
      allowInsecureRequests: env.allowInsecureRequests,
    } satisfies flow.SpaConfig,
  }),
  // Userinfo is a protected resource at the provider (OIDC Core §5.3), drawn in a lane of its own.
  {lanes: {browser: 'Browser', client: 'SPA (page)', as: 'Your provider', api: 'Its userinfo'}},
)
  .step(createSecrets(flow.createAuthorizationSecrets))
  .step(discover(flow.discover))
  .step(authorizationRequest(flow.buildAuthorizationUrl))
  .step(signIn(flow.validateCallback))
  .step(exchangeCode(flow))
  .step(inspectTokens({audience: (env) => env.provider?.audience}))
  .step(callUserInfo(flow.fetchUserInfo))
  .build();
