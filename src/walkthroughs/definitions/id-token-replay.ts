import {defineWalkthrough} from '../engine/define';
import {chooseDefence} from '../steps/labs';
import {attackerPostsStolenToken, attackerStartsSignIn, victimSignsIn} from '../steps/labs-id-token-replay';

/**
 * ID token replay (OIDC Core §15.5.2). The relying party is the server-side app of
 * src/flows/labs/id-token-replay.ts, mounted beside the sandbox; this page is the victim's browser, then
 * the attacker's.
 */
export default defineWalkthrough(() => ({}))
  .step(
    chooseDefence({
      defence: 'the nonce check',
      off: 'Members verifies the ID token but does not compare its nonce with the one this sign-in sent',
      on: 'Members also requires the nonce in the ID token to be the one this sign-in sent',
      why: 'Run the lab once with the nonce check off and once with it on. The server, the people, the stolen ID token and the requests stay the same; only one comparison in the app changes.',
    }),
  )
  .step(victimSignsIn)
  .step(attackerStartsSignIn)
  .step(attackerPostsStolenToken)
  .build();
