import type {Handler} from 'hono';
import {assertSingleValued, required} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {UnsupportedGrantType} from '../errors';
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
    const body = await grant(sandbox, c.get('client'), params);
    return c.json(body, 200, {'Cache-Control': 'no-store', Pragma: 'no-cache'});
  };
}
