import type {Handler} from 'hono';
import {assertSingleValued, required} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {checkDpopProof, dpopHeader, nonceToSend, type DpopProof} from '../dpop';
import {InvalidRequest, UnsupportedGrantType} from '../errors';
import {GRANTS, type GrantType} from '../grants/registry';
import type {GrantHandler} from '../grants/types';

/**
 * The token endpoint, RFC 6749 §3.2 (runs after `clientAuth`): dispatches on `grant_type` and answers
 * with `Cache-Control: no-store` and `Pragma: no-cache` (§5.1).
 */
export function tokenEndpoint(sandbox: Sandbox): Handler<SandboxEnv> {
  return async function token(c) {
    const params = c.get('params');
    assertSingleValued(params); // RFC 6749 §3.1
    const grantType = required(params, 'grant_type');
    const grant: GrantHandler | undefined = Object.hasOwn(GRANTS, grantType)
      ? GRANTS[grantType as GrantType]
      : undefined;
    if (!grant) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
    const client = c.get('client');
    // RFC 9449 §5: a proof is checked before the grant, so a refused proof (or a nonce to fetch, §8) leaves
    // the code, device code or refresh token unused for the retry.
    const proof = dpopHeader(c.req.raw.headers);
    let dpop: DpopProof | undefined;
    if (proof !== undefined) {
      dpop = await checkDpopProof(sandbox, proof, {
        method: 'POST',
        url: c.req.url,
        nonceRequired: client.dpop_nonce_required === true,
      });
    } else if (client.dpop_bound_access_tokens) {
      // RFC 9449 §5.2: this client registered that it always uses DPoP, so a token request without a proof
      // is a mistake (or someone else with its code), not a request for a Bearer token.
      throw new InvalidRequest(
        `client ${client.client_id} is registered with dpop_bound_access_tokens: send a DPoP proof (RFC 9449 section 5.2)`,
      );
    }
    const body = await grant(sandbox, client, params, dpop ? {dpop} : {});
    const headers: Record<string, string> = {'Cache-Control': 'no-store', Pragma: 'no-cache'};
    // RFC 9449 §8.2: the proof's nonce was the previous one: tell the client the current one.
    if (dpop?.nonce !== undefined) {
      const next = await nonceToSend(sandbox);
      if (next !== dpop.nonce) headers['DPoP-Nonce'] = next;
    }
    return c.json(body, 200, headers);
  };
}
