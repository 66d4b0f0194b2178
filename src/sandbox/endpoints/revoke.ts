import type {Context, Handler} from 'hono';
import {assertSingleValued, required} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidRequest, InvalidToken, UnsupportedTokenType} from '../errors';
import {findRefreshToken, revokeGrant} from '../grant-store';
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
    if (hint !== undefined && !TOKEN_TYPE_HINTS.includes(hint))
      throw new UnsupportedTokenType(`token_type_hint ${hint} is not supported`);
    const client = c.get('client');
    const owner = await ownerOf(sandbox, token);
    if (owner === undefined) return revoked(c);
    if (owner.clientId !== client.client_id) {
      // RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the
      // revocation request. If this validation fails, the request is refused and the client is
      // informed of the error" (an RFC 6749 §5.2 error, §2.2.1). A public client proves no identity
      // (any page can send its client_id), so it gets the answer of an unknown token instead: an
      // error there would tell anyone which tokens are live.
      if (client.token_endpoint_auth_method === 'none') return revoked(c);
      throw new InvalidRequest('the token was not issued to this client, which may not revoke it');
    }
    await owner.revoke();
    return revoked(c);
  };
}

/** RFC 7009 §2.2: 200 with no body, whether or not there was anything to revoke. */
function revoked(c: Context<SandboxEnv>): Response {
  return c.body(null, 200, {'Cache-Control': 'no-store'});
}

/** The client a live token of this server was issued to, and how to revoke it; undefined for anything else. */
async function ownerOf(
  sandbox: Sandbox,
  token: string,
): Promise<{clientId: string; revoke: () => Promise<void>} | undefined> {
  const refresh = await findRefreshToken(sandbox, token);
  if (refresh) return {clientId: refresh.clientId, revoke: () => revokeGrant(sandbox, refresh.grantId)};
  try {
    const claims = await verifyAccessToken(sandbox, sandbox.keys, token);
    return {clientId: claims.client_id, revoke: () => revokeAccessToken(sandbox, claims.jti, claims.exp)};
  } catch (error) {
    if (error instanceof InvalidToken) return undefined;
    throw error;
  }
}
