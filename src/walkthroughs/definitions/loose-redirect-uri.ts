import * as flow from '@site/src/flows/labs/loose-redirect-uri';
import {defineWalkthrough} from '../engine/define';
import {discover} from '../steps/authorization';
import {
  attackerRedeems,
  attackerSecrets,
  chooseMatching,
  craftLink,
  victimOpensLink,
} from '../steps/labs-loose-redirect-uri';

/**
 * Loose redirect URI matching (RFC 9700 §4.1). Acme Notes registered one callback; this page plays the
 * attacker's page on the same site. The switch picks `lab-notes-web-prefix`, whose redirect URI the
 * server matches by prefix, or `lab-notes-web-exact`, matched exactly like every demo client's.
 */
export default defineWalkthrough((env) => {
  const registeredRedirectUri = env.client.redirect_uris[0];
  if (!registeredRedirectUri) throw new Error(`${env.client.client_id} has no registered redirect URI.`);
  return {
    config: {
      issuer: env.issuer,
      clientId: env.client.client_id,
      registeredRedirectUri,
      attackerPage: env.pageUrl,
      scope: 'calendar:read',
      audience: env.api.identifier,
      allowInsecureRequests: env.allowInsecureRequests,
    } satisfies flow.LabConfig,
  };
})
  .step(chooseMatching)
  .step(attackerSecrets)
  .step(discover(flow.discover))
  .step(craftLink)
  .step(victimOpensLink)
  .step(attackerRedeems)
  .build();
