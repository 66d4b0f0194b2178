import * as pkce from '@site/src/flows/authorization-code-pkce';
import * as flow from '@site/src/flows/refresh-tokens';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import type {WalkthroughEnv} from '../engine/types';
import {
  authorizationRequest,
  authorizeAgain,
  createSecrets,
  discover,
  exchangeCode,
  signIn,
} from '../steps/authorization';
import {introspectTokens, revokeToken} from '../steps/revocation';
import {refreshRefused, refreshWithReuse} from '../steps/tokens';

/** The calendar API's own credential for the introspection endpoint (RFC 7662 §2.1), from the catalog. */
function calendarApiCredential(env: WalkthroughEnv): flow.ResourceServerConfig {
  const client = env.catalog.clients.find((candidate) => candidate.client_id === 'calendar-api');
  if (!client?.client_secret) {
    throw new Error(
      'The sandbox catalog has no "calendar-api" client with a secret: the calendar API has no credential to call the introspection endpoint with.',
    );
  }
  const authMethod =
    client.token_endpoint_auth_method === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic';
  return {clientId: client.client_id, clientSecret: client.client_secret, authMethod};
}

/** A single-page app's refresh token: rotated, reused and revoked with its family, then revoked on sign-out and introspected. */
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
  .step(createSecrets(pkce.createAuthorizationSecrets))
  .step(discover(flow.discover))
  .step(authorizationRequest(pkce.buildAuthorizationUrl))
  .step(signIn(pkce.validateCallback))
  .step(exchangeCode(pkce))
  .step(refreshWithReuse(flow.refresh))
  .step(
    refreshRefused(flow.refresh, {
      title: 'Try the newest refresh token',
      why: 'The reuse revoked the whole family, not just the old token: the newest refresh token, which the app had every right to hold, is dead too. Whoever replayed the old one, app or thief, is locked out.',
      action: 'Refresh with the newest token',
    }),
  )
  .step(
    authorizeAgain(pkce.beginAuthorization, {
      title: 'Start a new authorization',
      why: 'With its refresh token gone, the app gets new tokens the way it got the first ones: a new authorization request, with fresh PKCE values, state and nonce.',
    }),
  )
  .step(signIn(pkce.validateCallback, {singleSignOn: true}))
  .step(exchangeCode(pkce))
  .step(revokeToken(flow.revoke, 'refresh_token'))
  .step(
    introspectTokens(flow.introspect, {
      resourceServer: calendarApiCredential,
      kinds: ['refresh_token', 'access_token'],
    }),
  )
  .step(
    refreshRefused(flow.refresh, {
      title: 'Refresh with the revoked token, and decide what to do',
      why: 'An app finds out its refresh token is dead when refreshing fails. The flow module reads the error: invalid_grant means no retry can help, so the app drops its tokens and sends the user through a new authorization.',
      action: 'Refresh and read the error',
      advise: flow.whatToDoWhenRefreshFails,
    }),
  )
  .build();
