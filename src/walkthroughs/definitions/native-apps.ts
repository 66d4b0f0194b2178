import * as flow from '@site/src/flows/native-apps';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {authorizationRequest, createSecrets, discover, exchangeCode, signIn} from '../steps/authorization';
import {inspectTokens, refreshWithReuse} from '../steps/tokens';

/**
 * The native app's code, run in this page. A page cannot listen on 127.0.0.1, so this page stands in
 * for the loopback listener: its own URL, also registered for `native-app`, is the redirect URI.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: 'openid profile offline_access calendar:read',
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.NativeAppConfig,
}))
  .step(createSecrets(flow.createAuthorizationSecrets))
  .step(discover(flow.discover))
  .step(
    authorizationRequest(flow.buildAuthorizationUrl, {
      why: 'The app builds the request it would open in the system browser. Its redirect_uri would be http://127.0.0.1:<port>/callback, on the port its listener got; here it is this page, which plays the listener.',
    }),
  )
  .step(
    signIn(flow.validateCallback, {
      title: 'Sign in in the browser and come back to the "listener"',
      why: 'A native app opens the system browser, never an embedded web view, so the user signs in where their session and password manager live (RFC 8252 §8.12). The server redirects to the loopback address; here, to this page.',
    }),
  )
  .step(exchangeCode(flow))
  .step(inspectTokens())
  .step(refreshWithReuse(flow.refresh))
  .build();
