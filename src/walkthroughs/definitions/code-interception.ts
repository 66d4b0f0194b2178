import * as flow from '@site/src/flows/labs/code-interception';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {discover} from '../steps/authorization';
import {chooseDefence} from '../steps/labs';
import {interceptCode, redeemInterceptedCode, victimRequest, victimSecrets} from '../steps/labs-code-interception';

/**
 * Code interception (RFC 7636 §1, RFC 9700 §4.5). This page is the device: it runs the victim app's
 * request and, when the redirect comes back, the malicious app that answers the same URI scheme.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: 'calendar:read',
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.LabConfig,
}))
  .step(
    chooseDefence({
      defence: 'PKCE',
      off: 'the victim app sends no code_challenge (this lab client is allowed to)',
      on: 'the victim app sends a code_challenge and keeps the verifier',
      why: 'Run the lab once with PKCE off and once with it on. Everything else stays the same: the same apps, the same user, the same stolen code.',
    }),
  )
  .step(victimSecrets)
  .step(discover(flow.discover))
  .step(victimRequest)
  .step(interceptCode)
  .step(redeemInterceptedCode)
  .build();
