import type {Handler} from 'hono';
import {findUserBySub, type CatalogClient} from '../catalog';
import {assertSingleValued, required} from '../checks/params';
import {epochSeconds, type Sandbox, type SandboxEnv} from '../context';
import {InvalidToken} from '../errors';
import {findRefreshToken, getGrant} from '../grant-store';
import {verifyAccessToken} from '../tokens';

/**
 * Token introspection, RFC 7662 §2 (runs after `clientAuth` for confidential clients). Anything
 * unknown, expired or revoked is just `{"active": false}` (§2.2), and so is a token the caller may not
 * ask about (§4): only the client the token was issued to, and the resource server of an API the
 * token is for, learn what it is.
 */
export function introspectEndpoint(sandbox: Sandbox): Handler<SandboxEnv> {
  return async function introspect(c) {
    const params = c.get('params');
    assertSingleValued(params);
    const token = required(params, 'token');
    const caller = c.get('client');
    // RFC 7662 §2.1: the hint only speeds up the lookup; both kinds are tried regardless.
    const response = (await introspectRefreshToken(sandbox, token, caller)) ??
      (await introspectAccessToken(sandbox, token, caller)) ?? {active: false};
    return c.json(response, 200, {'Cache-Control': 'no-store'});
  };
}

/**
 * RFC 7662 §4: the server decides which tokens a caller may introspect, so that any client with a
 * credential cannot scan tokens and learn whose they are and what they allow. The client the token was
 * issued to may; so may an API's resource server (its `introspection_client_id` in the catalog) for a
 * token whose audience names that API. To anyone else the token is just inactive (§2.2).
 */
function mayIntrospect(
  sandbox: Sandbox,
  caller: CatalogClient,
  issuedTo: string,
  audience: string | string[],
): boolean {
  if (caller.client_id === issuedTo) return true;
  const audiences = Array.isArray(audience) ? audience : [audience];
  return sandbox.catalog.apis.some(
    (api) => api.introspection_client_id === caller.client_id && audiences.includes(api.identifier),
  );
}

async function introspectAccessToken(
  sandbox: Sandbox,
  token: string,
  caller: CatalogClient,
): Promise<Record<string, unknown> | undefined> {
  try {
    const claims = await verifyAccessToken(sandbox, sandbox.keys, token);
    if (!mayIntrospect(sandbox, caller, claims.client_id, claims.aud)) return {active: false};
    const user = findUserBySub(sandbox.catalog, claims.sub);
    return {
      active: true,
      // RFC 7662 §2.2: scope is a space-separated list; leave it out rather than send an empty one.
      ...(claims.scope ? {scope: claims.scope} : {}),
      client_id: claims.client_id,
      ...(user ? {username: user.username} : {}),
      sub: claims.sub,
      // RFC 9449 §6.2: a DPoP-bound token says so, with the thumbprint of its key.
      token_type: claims.cnf ? 'DPoP' : 'Bearer',
      ...(claims.cnf ? {cnf: {jkt: claims.cnf.jkt}} : {}),
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

async function introspectRefreshToken(
  sandbox: Sandbox,
  token: string,
  caller: CatalogClient,
): Promise<Record<string, unknown> | undefined> {
  const record = await findRefreshToken(sandbox, token);
  if (!record) return undefined;
  const grant = await getGrant(sandbox, record.grantId);
  if (record.rotated || !grant || grant.revoked || record.exp <= epochSeconds(sandbox)) return {active: false};
  if (!mayIntrospect(sandbox, caller, record.clientId, grant.aud)) return {active: false};
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
