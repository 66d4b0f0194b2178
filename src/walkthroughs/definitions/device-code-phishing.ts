import type * as flow from '@site/src/flows/labs/device-code-phishing';
import {defineWalkthrough} from '../engine/define';
import {
  attackerStartsFlow,
  attackerUsesTokens,
  attackerWritesMessage,
  chooseConfirmation,
  victimFollowsLink,
} from '../steps/labs-device-code-phishing';

/**
 * Device-code phishing (RFC 8628 §5.4). This page is the attacker's device: it starts the device flow
 * as the TV app, writes the victim a message with the link, and polls; the phone panel is the victim's
 * browser. The switch picks `lab-tv-unconfirmed`, for which the server skips the §5.4 confirmation, or
 * `lab-tv-confirmed`, which asks it.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    scope: 'calendar:read',
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.LabConfig,
}))
  .step(chooseConfirmation)
  .step(attackerStartsFlow)
  .step(attackerWritesMessage)
  .step(victimFollowsLink)
  .step(attackerUsesTokens)
  .build();
