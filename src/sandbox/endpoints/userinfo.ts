import type {Handler, MiddlewareHandler} from 'hono';
import {authChallenge, bearerAuth, requireScope, schemeOf} from '../apis/bearer';
import {findUserBySub} from '../catalog';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidToken} from '../errors';
import {userClaims} from '../tokens';

const REALM = 'userinfo';

/**
 * The UserInfo endpoint, OIDC Core §5.3 (GET and POST, RFC 6750 bearer, or RFC 9449 §7.1 DPoP with a
 * proof): needs an access token for the userinfo audience with the `openid` scope, and returns claims per
 * granted scope (§5.4).
 */
export function userinfoEndpoint(sandbox: Sandbox): (Handler<SandboxEnv> | MiddlewareHandler<SandboxEnv>)[] {
  return [
    bearerAuth(sandbox, {audience: sandbox.endpoints.userinfo, realm: REALM, allowFormBody: true}),
    requireScope('openid', REALM),
    (c) => {
      const token = c.get('token');
      const user = findUserBySub(sandbox.catalog, token.sub);
      if (!user) {
        const error = new InvalidToken('the access token was not issued for a user');
        throw error.withChallenge(authChallenge(schemeOf(token), REALM, error));
      }
      return c.json({sub: user.sub, ...userClaims(user, token.scope.split(' '))}, 200, {'Cache-Control': 'no-store'});
    },
  ];
}
