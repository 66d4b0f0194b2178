import * as flow from '@site/src/flows/labs/tokens-in-url';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {discover} from '../steps/authorization';
import {
  appCompletesSignIn,
  appRequest,
  appSecrets,
  chooseResponseType,
  scriptReadsTheAddress,
  signInAndReturn,
} from '../steps/labs-tokens-in-url';

/**
 * Tokens in the URL (RFC 9700 §4.3.2, §2.1.2). The switch picks `lab-spa-implicit`, the one client the
 * sandbox answers `response_type=token` for, or `lab-spa-code`, the code flow with PKCE.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: 'calendar:read',
    audience: env.api.identifier,
    responseType: 'token',
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.LabConfig,
}))
  .step(chooseResponseType)
  .step(appSecrets)
  .step(discover(flow.discover))
  .step(appRequest)
  .step(signInAndReturn)
  .step(appCompletesSignIn)
  .step(scriptReadsTheAddress)
  .build();
