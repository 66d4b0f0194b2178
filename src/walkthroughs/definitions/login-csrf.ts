import * as flow from '@site/src/flows/labs/login-csrf';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import {discover} from '../steps/authorization';
import {chooseDefence} from '../steps/labs';
import {appHandlesResponse, attackerSignsIn, plantResponse, victimOpensApp} from '../steps/labs-login-csrf';

/**
 * Login CSRF (RFC 6749 §10.12, RFC 9700 §4.7). This page is Planner, and the browser of both people in
 * turn: the victim, whose Planner starts a sign-in, and the attacker, who signs in with their own account
 * and keeps the response. The attacker's code lives a minute, so the steps that use it come right after.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    redirectUri: assertPageIsRedirectUri(env),
    scope: 'openid profile calendar:write',
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.LabConfig,
}))
  .step(
    chooseDefence({
      defence: 'state',
      off: 'Planner sends no state and accepts any response that reaches it',
      on: 'Planner stores a state in this tab, sends it, and accepts only a response that brings it back',
      why: 'Run the lab once with state off and once with it on. Everything else stays the same: the same app, the same two people, the same planted response.',
    }),
  )
  .step(discover(flow.discover))
  .step(victimOpensApp)
  .step(attackerSignsIn)
  .step(plantResponse)
  .step(appHandlesResponse)
  .build();
