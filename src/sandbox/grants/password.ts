import {required} from '../checks/params';
import {checkPassword, retryIn} from '../checks/password-attempts';
import {resolveScopeAndAudience} from '../checks/scope';
import {epochSeconds} from '../context';
import {InvalidGrant} from '../errors';
import {createGrant} from '../grant-store';
import {defaultAudience} from '../tokens';
import {issueTokens} from './issue';
import {assertClientMayUse, type GrantHandler} from './types';

/**
 * The resource owner `password` grant, RFC 6749 §4.3, only for clients registered for it. Wrong
 * credentials are invalid_grant (§5.2), and so is any attempt past the limit on wrong passwords. RFC 9700 §2.4 says not to use it; the guide explains why.
 */
export const password: GrantHandler = async (sandbox, client, params, request) => {
  assertClientMayUse(client, 'password');
  const username = required(params, 'username');
  const secret = required(params, 'password');
  const {scopes, api} = resolveScopeAndAudience(sandbox.catalog, params);
  // RFC 6749 §4.3.2: the server MUST protect this endpoint against brute force attacks (checks/password-attempts.ts).
  const check = await checkPassword(sandbox, client.client_id, username, secret);
  if (check.outcome === 'locked')
    throw new InvalidGrant(`too many wrong passwords for this user or client; try again ${retryIn(check.retryAfter)}`);
  if (check.outcome === 'wrong') throw new InvalidGrant('wrong username or password');
  const {user} = check;
  const grant = await createGrant(sandbox, {
    clientId: client.client_id,
    sub: user.sub,
    scopes,
    aud: api?.identifier ?? defaultAudience(sandbox),
    authTime: epochSeconds(sandbox),
  });
  return issueTokens(sandbox, {client, grant, scopes, user, refresh: true, ...request});
};
