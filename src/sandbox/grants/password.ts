import {required} from '../checks/params';
import {resolveScopeAndAudience} from '../checks/scope';
import {epochSeconds} from '../context';
import {InvalidGrant} from '../errors';
import {createGrant} from '../grant_store';
import {defaultAudience} from '../tokens';
import {issueTokens} from './issue';
import {assertClientMayUse, type GrantHandler} from './types';

/**
 * The resource owner `password` grant, RFC 6749 §4.3, only for clients registered for it. Wrong
 * credentials are invalid_grant (§5.2). RFC 9700 §2.4 says not to use it; the guide explains why.
 */
export const password: GrantHandler = async (sandbox, client, params) => {
  assertClientMayUse(client, 'password');
  const username = required(params, 'username');
  const secret = required(params, 'password');
  const {scopes, api} = resolveScopeAndAudience(sandbox.catalog, params);
  const user = sandbox.catalog.users.find((candidate) => candidate.username === username);
  if (!user || user.password !== secret) throw new InvalidGrant('wrong username or password');
  const grant = await createGrant(sandbox, {
    clientId: client.client_id,
    sub: user.sub,
    scopes,
    aud: api?.identifier ?? defaultAudience(sandbox),
    authTime: epochSeconds(sandbox),
  });
  return issueTokens(sandbox, {client, grant, scopes, user, refresh: true});
};
