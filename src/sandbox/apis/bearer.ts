import type {MiddlewareHandler} from 'hono';
import {isFormEncoded, readBodyText} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {BearerTokenMissing, InsufficientScope, InvalidRequest, OAuthError} from '../errors';
import {verifyAccessToken} from '../tokens';

/** RFC 6750 §3: the `WWW-Authenticate: Bearer` challenge, with error attributes when there is an error. */
export function bearerChallenge(realm: string, error?: OAuthError, scope?: string): string {
  const attributes = [`realm="${realm}"`];
  if (error?.code)
    attributes.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  if (scope) attributes.push(`scope="${scope}"`);
  return `Bearer ${attributes.join(', ')}`;
}

/**
 * Middleware factory for a resource server: takes the access token from the Authorization header
 * (RFC 6750 §2.1) or, when `allowFormBody`, a form-encoded body (§2.2), verifies it for `audience`
 * and sets `token`. Errors carry the Bearer challenge (§3.1).
 */
export function bearerAuth(
  sandbox: Sandbox,
  options: {audience: string; realm: string; allowFormBody?: boolean},
): MiddlewareHandler<SandboxEnv> {
  return async function bearerAuthMiddleware(c, next) {
    try {
      const token = await extractToken(c.req.raw, c.req.header('authorization'), options.allowFormBody ?? false);
      c.set('token', await verifyAccessToken(sandbox, sandbox.keys, token, {audience: options.audience}));
    } catch (error) {
      if (error instanceof OAuthError) throw error.withChallenge(bearerChallenge(options.realm, error));
      throw error;
    }
    await next();
  };
}

async function extractToken(
  request: Request,
  authorization: string | undefined,
  allowFormBody: boolean,
): Promise<string> {
  let fromBody: string | undefined;
  if (allowFormBody && request.method === 'POST' && isFormEncoded(request)) {
    const body = new URLSearchParams(await readBodyText(request));
    if (body.getAll('access_token').length > 1) throw new InvalidRequest('access_token must not be repeated');
    fromBody = body.get('access_token') ?? undefined;
  }
  if (authorization !== undefined) {
    // RFC 6750 §3.1: more than one method of passing the token is invalid_request.
    if (fromBody !== undefined) throw new InvalidRequest('send the access token in one place only');
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
    if (!match) {
      if (/^Bearer\b/i.test(authorization)) throw new InvalidRequest('malformed Bearer credentials');
      throw new BearerTokenMissing('an access token is required (Authorization: Bearer)');
    }
    return match[1]!;
  }
  if (fromBody !== undefined) return fromBody;
  // RFC 6750 §3.1: no authentication information at all: the challenge without an error code.
  throw new BearerTokenMissing('an access token is required (Authorization: Bearer)');
}

/** RFC 6750 §3.1 insufficient_scope (403), naming the scope needed. */
export function requireScope(scope: string, realm: string): MiddlewareHandler<SandboxEnv> {
  return async function requireScopeMiddleware(c, next) {
    const granted = c.get('token').scope.split(' ');
    if (!granted.includes(scope)) {
      const error = new InsufficientScope(`this request needs the ${scope} scope`);
      throw error.withChallenge(bearerChallenge(realm, error, scope));
    }
    await next();
  };
}
