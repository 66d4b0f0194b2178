import type {MiddlewareHandler} from 'hono';
import {findClient} from '../catalog';
import {isFormEncoded, readBodyText} from '../checks/params';
import type {AccessTokenClaims, Sandbox, SandboxEnv} from '../context';
import {checkDpopProof, DPOP_SIGNING_ALGS, dpopHeader, nonceToSend} from '../dpop';
import {
  BearerTokenMissing,
  InsufficientScope,
  InvalidDpopProof,
  InvalidRequest,
  InvalidToken,
  OAuthError,
} from '../errors';
import {verifyAccessToken} from '../tokens';

/** How the access token came: RFC 6750 §2.1 or §2.2, or RFC 9449 §7.1. */
type Scheme = 'Bearer' | 'DPoP';

/**
 * The `WWW-Authenticate` challenge, with error attributes when there is an error: RFC 6750 §3 for Bearer,
 * RFC 9449 §7.1 for DPoP, which also names the proof algorithms the resource accepts (`algs`).
 */
export function authChallenge(scheme: Scheme, realm: string, error?: OAuthError, scope?: string): string {
  const attributes = [`realm="${realm}"`];
  if (error?.code)
    attributes.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  if (scope) attributes.push(`scope="${scope}"`);
  if (scheme === 'DPoP') attributes.push(`algs="${DPOP_SIGNING_ALGS.join(' ')}"`);
  return `${scheme} ${attributes.join(', ')}`;
}

/** RFC 6750 §3: the `WWW-Authenticate: Bearer` challenge, with error attributes when there is an error. */
export function bearerChallenge(realm: string, error?: OAuthError, scope?: string): string {
  return authChallenge('Bearer', realm, error, scope);
}

/** The scheme a verified token is used with: DPoP when it is bound to a key (RFC 9449 §7.1), else Bearer. */
export function schemeOf(token: AccessTokenClaims): Scheme {
  return token.cnf?.jkt !== undefined ? 'DPoP' : 'Bearer';
}

/**
 * A DPoP error at a protected resource: 401 with the DPoP challenge (RFC 9449 §7.1, §9), where the token
 * endpoint answers the same errors with 400. A `DPoP-Nonce` header goes along.
 */
class ResourceDpopError extends OAuthError {
  override readonly status = 401;
}

/**
 * Middleware factory for a resource server: takes the access token from the Authorization header, as
 * `Bearer` (RFC 6750 §2.1) or `DPoP` with a proof (RFC 9449 §7.1), or, when `allowFormBody`, from a
 * form-encoded body (RFC 6750 §2.2); verifies it for `audience` and sets `token`. A DPoP-bound token is
 * only accepted with a proof by its key; sent any other way it is refused. Errors carry the challenge of
 * the scheme in use (RFC 6750 §3.1, RFC 9449 §7.1).
 */
export function bearerAuth(
  sandbox: Sandbox,
  options: {audience: string; realm: string; allowFormBody?: boolean},
): MiddlewareHandler<SandboxEnv> {
  return async function bearerAuthMiddleware(c, next) {
    let scheme: Scheme = /^DPoP\b/i.test(c.req.header('authorization') ?? '') ? 'DPoP' : 'Bearer';
    let nextNonce: string | undefined;
    try {
      const presented = await extractToken(c.req.raw, c.req.header('authorization'), options.allowFormBody ?? false);
      scheme = presented.scheme;
      const token = await verifyAccessToken(sandbox, sandbox.keys, presented.token, {audience: options.audience});
      const jkt = token.cnf?.jkt;
      if (presented.scheme === 'Bearer' && jkt !== undefined) {
        // RFC 9449 §7.1: a DPoP-bound token is worthless without its key, so it is never taken as a Bearer token.
        scheme = 'DPoP';
        throw new InvalidToken(
          'this access token is bound to a DPoP key: send it as Authorization: DPoP, with a proof',
        );
      }
      if (presented.scheme === 'DPoP') {
        // RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens, each request with a proof of its own.
        if (jkt === undefined) throw new InvalidToken('this access token is not DPoP-bound: send it as Bearer');
        const proof = dpopHeader(c.req.raw.headers);
        if (proof === undefined) throw new InvalidDpopProof('a DPoP access token needs a DPoP proof header');
        const checked = await checkDpopProof(sandbox, proof, {
          method: c.req.method,
          url: c.req.url,
          accessToken: presented.token,
          jkt,
          nonceRequired: findClient(sandbox.catalog, token.client_id)?.dpop_nonce_required === true,
        });
        // RFC 9449 §9: the proof's nonce was the previous one: the answer carries the current one.
        if (checked.nonce !== undefined) {
          const current = await nonceToSend(sandbox);
          if (current !== checked.nonce) nextNonce = current;
        }
      }
      c.set('token', token);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      let refusal = error;
      if (scheme === 'DPoP' && error.status === 400 && error.code !== 'invalid_request') {
        refusal = new ResourceDpopError(error.code, error.message);
        for (const [name, value] of Object.entries(error.headers)) refusal.withHeader(name, value);
      }
      throw refusal.withChallenge(authChallenge(scheme, options.realm, refusal));
    }
    await next();
    if (nextNonce !== undefined) c.res.headers.set('DPoP-Nonce', nextNonce);
  };
}

async function extractToken(
  request: Request,
  authorization: string | undefined,
  allowFormBody: boolean,
): Promise<{token: string; scheme: Scheme}> {
  let fromBody: string | undefined;
  if (allowFormBody && request.method === 'POST' && isFormEncoded(request)) {
    const body = new URLSearchParams(await readBodyText(request));
    if (body.getAll('access_token').length > 1) throw new InvalidRequest('access_token must not be repeated');
    fromBody = body.get('access_token') ?? undefined;
  }
  if (authorization !== undefined) {
    // RFC 6750 §3.1: more than one method of passing the token is invalid_request.
    if (fromBody !== undefined) throw new InvalidRequest('send the access token in one place only');
    // RFC 6750 §2.1, RFC 9449 §7.1: the same token68 syntax under either scheme.
    const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
    if (!match) {
      if (/^(Bearer|DPoP)\b/i.test(authorization)) throw new InvalidRequest('malformed Authorization credentials');
      throw new BearerTokenMissing('an access token is required (Authorization: Bearer, or DPoP)');
    }
    return {token: match[2]!, scheme: match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer'};
  }
  if (fromBody !== undefined) return {token: fromBody, scheme: 'Bearer'};
  // RFC 6750 §3.1: no authentication information at all: the challenge without an error code.
  throw new BearerTokenMissing('an access token is required (Authorization: Bearer, or DPoP)');
}

/** RFC 6750 §3.1 insufficient_scope (403), naming the scope needed. */
export function requireScope(scope: string, realm: string): MiddlewareHandler<SandboxEnv> {
  return async function requireScopeMiddleware(c, next) {
    const granted = c.get('token').scope.split(' ');
    if (!granted.includes(scope)) {
      const error = new InsufficientScope(`this request needs the ${scope} scope`);
      throw error.withChallenge(authChallenge(schemeOf(c.get('token')), realm, error, scope));
    }
    await next();
  };
}
