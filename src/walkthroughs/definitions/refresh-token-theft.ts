import * as pkce from '@site/src/flows/authorization-code-pkce';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {authorizationRequest, createSecrets, discover, exchangeCode, signIn} from '../steps/authorization';
import {appRefreshes, chooseRotation, thiefRefreshes, thiefRefreshesAgain} from '../steps/labs-refresh-token-theft';

/**
 * Refresh token theft (RFC 9700 §4.14.2). The switch picks one of two registrations of the same app:
 * `lab-spa-no-rotation`, which the server never rotates, or `lab-spa-rotation`, held to the sandbox's rules.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: 'openid offline_access calendar:read',
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies pkce.SpaConfig,
}))
  .step(chooseRotation)
  .step(createSecrets(pkce.createAuthorizationSecrets))
  .step(discover(pkce.discover))
  .step(authorizationRequest(pkce.buildAuthorizationUrl))
  .step(signIn(pkce.validateCallback))
  .step(exchangeCode(pkce))
  .step(thiefRefreshes)
  .step(appRefreshes)
  .step(thiefRefreshesAgain)
  .build();
