import * as flow from '@site/src/flows/labs/mix-up';
import {defineWalkthrough} from '../engine/define';
import {assertPageIsRedirectUri} from '../engine/environment';
import type {WalkthroughEnv} from '../engine/types';
import {chooseDefence} from '../steps/labs';
import {
  attackerRedeemsAtSandbox,
  pickAttackerServer,
  redeemAtChosenServer,
  signInThroughAttacker,
  startSignInAtChosenServer,
} from '../steps/labs-mix-up';

/** The attacker's server and the app's registration there, from the catalog's `lab_issuers`. */
function attackerServer(env: WalkthroughEnv): flow.ServerRegistration {
  const attacker = env.catalog.lab_issuers?.find((issuer) => issuer.lab === 'mix-up');
  const registration = attacker?.clients[0];
  if (!attacker || !registration) throw new Error('The sandbox catalog has no attacker server for the mix-up lab.');
  return {name: 'Attacker AS', issuer: attacker.issuer, clientId: registration.client_id};
}

/**
 * Mix-up (RFC 9700 §4.4, RFC 9207). This page is Trip Planner, an app registered at the sandbox and at the
 * attacker's server. The switch turns the app's `iss` check off or on; both servers behave the same both times.
 */
export default defineWalkthrough((env) => {
  const honest: flow.ServerRegistration = {name: 'Sandbox', issuer: env.issuer, clientId: env.client.client_id};
  const attacker = attackerServer(env);
  return {
    config: {
      servers: [honest, attacker],
      redirectUri: assertPageIsRedirectUri(env),
      scope: 'calendar:read',
      audience: env.api.identifier,
      allowInsecureRequests: env.allowInsecureRequests,
    } satisfies flow.LabConfig,
    servers: {honest, attacker},
  };
})
  .step(
    chooseDefence({
      defence: 'the iss check',
      off: 'the app never reads iss, like a client written before RFC 9207',
      on: 'the app compares iss with the server it sent the user to',
      why: "Run the lab once with the check off and once with it on. The servers, the user and the attacker's moves stay the same; only the app's handling of the response changes.",
    }),
  )
  .step(pickAttackerServer)
  .step(startSignInAtChosenServer)
  .step(signInThroughAttacker)
  .step(redeemAtChosenServer)
  .step(attackerRedeemsAtSandbox)
  .build();
