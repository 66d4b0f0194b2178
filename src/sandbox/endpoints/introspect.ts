import type {Handler} from 'hono';
import {findUserBySub} from '../catalog';
import {assertSingleValued, required} from '../checks/params';
import {epochSeconds, type Sandbox, type SandboxEnv} from '../context';
import {InvalidToken} from '../errors';
import {findRefreshToken, getGrant} from '../grant_store';
import {verifyAccessToken} from '../tokens';

/**
 * Token introspection, RFC 7662 §2 (runs after `clientAuth` for confidential clients). Anything
 * unknown, expired or revoked is just `{"active": false}` (§2.2).
 */
export function introspectEndpoint(sandbox: Sandbox): Handler<SandboxEnv> {
  return async function introspect(c) {
    const params = c.get('params');
    assertSingleValued(params);
    const token = required(params, 'token');
    // RFC 7662 §2.1: the hint only speeds up the lookup; both kinds are tried regardless.
    const response = (await introspectRefreshToken(sandbox, token)) ?? (await introspectAccessToken(sandbox, token)) ?? {active: false};
    return c.json(response, 200, {'Cache-Control': 'no-store'});
  };
}

async function introspectAccessToken(sandbox: Sandbox, token: string): Promise<Record<string, unknown> | undefined> {
  try {
    const claims = await verifyAccessToken(sandbox, sandbox.keys, token);
    const user = findUserBySub(sandbox.catalog, claims.sub);
    return {
      active: true,
      // RFC 7662 §2.2: scope is a space-separated list; leave it out rather than send an empty one.
      ...(claims.scope ? {scope: claims.scope} : {}),
      client_id: claims.client_id,
      ...(user ? {username: user.username} : {}),
      sub: claims.sub,
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
    };
  } catch (error) {
    if (error instanceof InvalidToken) return undefined;
    throw error;
  }
}

async function introspectRefreshToken(sandbox: Sandbox, token: string): Promise<Record<string, unknown> | undefined> {
  const record = await findRefreshToken(sandbox, token);
  if (!record) return undefined;
  const grant = await getGrant(sandbox, record.grantId);
  if (record.rotated || !grant || grant.revoked || record.exp <= epochSeconds(sandbox)) return {active: false};
  const user = findUserBySub(sandbox.catalog, grant.sub);
  return {
    active: true,
    ...(grant.scopes.length > 0 ? {scope: grant.scopes.join(' ')} : {}),
    client_id: record.clientId,
    ...(user ? {username: user.username} : {}),
    sub: grant.sub,
    // No token_type: RFC 7662 §2.2 means an access token type (RFC 6749 §5.1), which a refresh token has not.
    exp: record.exp,
    iat: record.iat,
    aud: grant.aud,
    iss: sandbox.issuer,
  };
}
