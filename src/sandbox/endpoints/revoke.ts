import type {Handler} from 'hono';
import {assertSingleValued, required} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidToken, UnsupportedTokenType} from '../errors';
import {findRefreshToken, revokeGrant} from '../grant_store';
import {revokeAccessToken, verifyAccessToken} from '../tokens';

const TOKEN_TYPE_HINTS = ['access_token', 'refresh_token'];

/**
 * Token revocation, RFC 7009 §2 (runs after `clientAuth`). Revoking a refresh token revokes its whole
 * grant, including the access tokens issued from it (§2.1). Unknown tokens still get 200 (§2.2).
 */
export function revokeEndpoint(sandbox: Sandbox): Handler<SandboxEnv> {
  return async function revoke(c) {
    const params = c.get('params');
    assertSingleValued(params);
    const token = required(params, 'token');
    const hint = params.values.get('token_type_hint');
    // RFC 7009 §2.2.1: unsupported_token_type.
    if (hint !== undefined && !TOKEN_TYPE_HINTS.includes(hint)) throw new UnsupportedTokenType(`token_type_hint ${hint} is not supported`);
    const client = c.get('client');
    const refresh = await findRefreshToken(sandbox, token);
    // RFC 7009 §2.1: only the client the token was issued to may revoke it. Another client's token is
    // treated like an unknown one, which reveals nothing about it.
    if (refresh && refresh.clientId === client.client_id) {
      await revokeGrant(sandbox, refresh.grantId);
    } else if (!refresh) {
      try {
        const claims = await verifyAccessToken(sandbox, sandbox.keys, token);
        if (claims.client_id === client.client_id) await revokeAccessToken(sandbox, claims.jti, claims.exp);
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
      }
    }
    return c.body(null, 200, {'Cache-Control': 'no-store'});
  };
}
