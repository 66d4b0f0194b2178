import {findUserBySub, type CatalogClient} from '../catalog';
import {required, spaceList} from '../checks/params';
import {checkGrantedTarget} from '../checks/scope';
import {InvalidGrant, InvalidScope} from '../errors';
import {findRefreshToken, getGrant, revokeGrant, rotateRefreshToken, type RefreshTokenRecord} from '../grant-store';
import {skipsRefreshRotation} from '../labs';
import {issueTokens} from './issue';
import type {Sandbox} from '../context';
import {assertClientMayUse, type GrantHandler, type TokenRequest} from './types';

/**
 * The `refresh_token` grant, RFC 6749 §6, with rotation on every use. Presenting a rotated token
 * again is reuse: the whole token family (the grant) is revoked, RFC 9700 §4.14.2.
 */
export const refreshToken: GrantHandler = async (sandbox, client, params, request) => {
  assertClientMayUse(client, 'refresh_token');
  const token = required(params, 'refresh_token');
  // A refused request must not use the token up: only a successful exchange rotates it (RFC 9700
  // §4.14.2), so the client and the scope are checked before the token is marked used.
  const found = await findRefreshToken(sandbox, token);
  if (!found) throw new InvalidGrant('the refresh token is invalid or expired');
  // RFC 6749 §6: the refresh token was issued to this client.
  if (found.clientId !== client.client_id) throw new InvalidGrant('the refresh token was issued to another client');
  // RFC 9449 §5: a refresh token bound to a DPoP key is only exchanged with a proof made by that key.
  if (found.jkt !== undefined && found.jkt !== request.dpop?.jkt) {
    throw new InvalidGrant(
      request.dpop
        ? 'the refresh token is bound to another DPoP key than the one that signed this proof'
        : 'the refresh token is bound to a DPoP key: send a DPoP proof made with that key',
    );
  }
  // RFC 6749 §6: the scope may be narrowed, never widened.
  const requested = spaceList(params.values.get('scope'));
  if (!found.rotated) {
    const granted = await getGrant(sandbox, found.grantId);
    const widened = requested.find((scope) => !granted?.scopes.includes(scope));
    if (granted && !granted.revoked && widened) throw new InvalidScope(`scope ${widened} was not granted originally`);
    if (granted && !granted.revoked) checkGrantedTarget(sandbox.catalog, params, granted.aud);
  }
  if (skipsRefreshRotation(client)) return refreshWithoutRotation(sandbox, client, found, requested, request);
  const record = await rotateRefreshToken(sandbox, token);
  if (!record) throw new InvalidGrant('the refresh token is invalid or expired');
  if (record.rotated) {
    await revokeGrant(sandbox, record.grantId);
    throw new InvalidGrant('the refresh token was already used; its token family is revoked');
  }
  const grant = await getGrant(sandbox, record.grantId);
  if (!grant || grant.revoked) throw new InvalidGrant('the refresh token was revoked');
  const scopes = requested.length > 0 ? requested : grant.scopes;
  const user = findUserBySub(sandbox.catalog, grant.sub);
  return issueTokens(sandbox, {client, grant, scopes, refresh: true, ...request, ...(user ? {user} : {})});
};

/**
 * The refresh-token-theft lab's weak client only (sandbox/labs.ts): the token is never marked used and no
 * new one is issued (RFC 6749 §6 makes a new one optional), so whoever holds it, the app or a thief, can
 * refresh again and again until it expires. This is the behaviour RFC 9700 §4.14.2 rules out for public clients.
 */
async function refreshWithoutRotation(
  sandbox: Sandbox,
  client: CatalogClient,
  found: RefreshTokenRecord,
  requested: string[],
  request: TokenRequest,
) {
  const grant = await getGrant(sandbox, found.grantId);
  if (!grant || grant.revoked) throw new InvalidGrant('the refresh token was revoked');
  const scopes = requested.length > 0 ? requested : grant.scopes;
  const user = findUserBySub(sandbox.catalog, grant.sub);
  return issueTokens(sandbox, {client, grant, scopes, refresh: false, ...request, ...(user ? {user} : {})});
}
