import {requireApi, resolveScopeAndAudience} from '../checks/scope';
import {UnauthorizedClient, InvalidScope} from '../errors';
import {createGrant} from '../grant-store';
import {ACCESS_TOKEN_TTL} from '../tokens';
import {issueTokens} from './issue';
import {assertClientMayUse, type GrantHandler} from './types';

/**
 * The `client_credentials` grant, RFC 6749 §4.4: confidential clients only (§4.4.2), for one API
 * named by `audience` or `resource`. Without `scope`, the API's scopes are the default (§3.3).
 * The access token's `sub` is the client itself (RFC 9068 §2.2).
 */
export const clientCredentials: GrantHandler = async (sandbox, client, params, request) => {
  if (client.type !== 'confidential') throw new UnauthorizedClient('client_credentials is for confidential clients');
  assertClientMayUse(client, 'client_credentials');
  const {scopes: requested, api} = resolveScopeAndAudience(sandbox.catalog, params);
  const target = requireApi(api);
  // No user is involved, so OpenID scopes make no sense here.
  const apiScopes = target.scopes.map((scope) => scope.value);
  if (requested.some((scope) => !apiScopes.includes(scope)))
    throw new InvalidScope(`only scopes of ${target.identifier} can be granted to a client`);
  const scopes = requested.length > 0 ? requested : apiScopes;
  // No refresh token, so the grant is needed only while its access token lives (to revoke it with the
  // grant): a flood of token requests leaves nothing behind for longer than that.
  const grant = await createGrant(
    sandbox,
    {clientId: client.client_id, sub: client.client_id, scopes, aud: target.identifier},
    ACCESS_TOKEN_TTL + 60,
  );
  // RFC 6749 §4.4.3: "A refresh token SHOULD NOT be included."
  return issueTokens(sandbox, {client, grant, scopes, refresh: false, ...request});
};
