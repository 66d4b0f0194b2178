import {base64url, createLocalJWKSet, jwtVerify, SignJWT, errors as joseErrors, type JWTPayload} from 'jose';
import {epochSeconds, type AccessTokenClaims, type Sandbox} from './context';
import {InvalidToken} from './errors';
import {SIGNING_ALG, type Keyring} from './keys';
import type {CatalogUser} from './catalog';

/** Access token lifetime: 10 minutes. */
export const ACCESS_TOKEN_TTL = 600;
export const ID_TOKEN_TTL = 600;

/** A random, URL-safe, unguessable string (256 bits). */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 as base64url; the Store keeps only hashes of codes and refresh tokens. */
export async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return base64url.encode(new Uint8Array(digest));
}

/** OIDC Core §3.1.3.6 / §3.2.2.10: left half of the SHA-256 of the token, base64url. */
export async function halfHash(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  return base64url.encode(digest.slice(0, digest.length / 2));
}

export interface MintedAccessToken {
  token: string;
  claims: AccessTokenClaims;
}

/** What the audience of a token without an API is: the userinfo endpoint, so it can still be used there. */
export function defaultAudience(sandbox: Sandbox): string {
  return sandbox.endpoints.userinfo;
}

/**
 * The `aud` of an access token (RFC 9068 §3: the requested resource, RFC 8707 §2). A token for an API
 * that also carries `openid` names the UserInfo endpoint too: OIDC Core §5.3 has the client call UserInfo
 * with the access token it got from an OpenID request, whatever API that token is for. The API still
 * finds its own identifier in `aud` and no other API does, so the token stays restricted to the one API
 * and the authorization server's own endpoint (RFC 9700 §2.3: a small set, chosen by the server).
 */
export function accessTokenAudience(sandbox: Sandbox, grantAudience: string, scopes: string[]): string | string[] {
  const userinfo = defaultAudience(sandbox);
  return scopes.includes('openid') && grantAudience !== userinfo ? [grantAudience, userinfo] : grantAudience;
}

/** Mints an RFC 9068 JWT access token (`typ: at+jwt`, §2.1; claims §2.2). */
export async function mintAccessToken(
  sandbox: Sandbox,
  keys: Keyring,
  input: {sub: string; clientId: string; scopes: string[]; aud: string | string[]; authTime?: number; jkt?: string},
): Promise<MintedAccessToken> {
  const key = await keys.signingKey();
  const iat = epochSeconds(sandbox);
  const claims: AccessTokenClaims = {
    iss: sandbox.issuer,
    sub: input.sub,
    aud: input.aud,
    client_id: input.clientId,
    scope: input.scopes.join(' '),
    jti: randomToken(16),
    iat,
    exp: iat + ACCESS_TOKEN_TTL,
    ...(input.authTime !== undefined ? {auth_time: input.authTime} : {}),
    // RFC 9449 §6.1: the token is bound to the thumbprint of the client's DPoP key.
    ...(input.jkt !== undefined ? {cnf: {jkt: input.jkt}} : {}),
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({alg: SIGNING_ALG, typ: 'at+jwt', kid: key.kid})
    .sign(key.privateKey);
  return {token, claims};
}

/** Mints an OpenID Connect ID token, OIDC Core §2, with profile/email claims per scope (§5.4). */
export async function mintIdToken(
  sandbox: Sandbox,
  keys: Keyring,
  input: {
    user: CatalogUser;
    clientId: string;
    scopes: string[];
    authTime: number;
    nonce?: string;
    accessToken?: string;
  },
): Promise<string> {
  const key = await keys.signingKey();
  const iat = epochSeconds(sandbox);
  const claims: JWTPayload = {
    iss: sandbox.issuer,
    sub: input.user.sub,
    aud: input.clientId,
    azp: input.clientId,
    iat,
    exp: iat + ID_TOKEN_TTL,
    auth_time: input.authTime,
    ...(input.nonce !== undefined ? {nonce: input.nonce} : {}),
    // OIDC Core §3.1.3.6 / §3.2.2.10: at_hash whenever an access token is issued alongside.
    ...(input.accessToken !== undefined ? {at_hash: await halfHash(input.accessToken)} : {}),
    ...userClaims(input.user, input.scopes),
  };
  return new SignJWT(claims).setProtectedHeader({alg: SIGNING_ALG, typ: 'JWT', kid: key.kid}).sign(key.privateKey);
}

/** Standard claims released per scope, OIDC Core §5.4. */
export function userClaims(user: CatalogUser, scopes: string[]): Record<string, unknown> {
  return {
    ...(scopes.includes('profile')
      ? {name: user.name, given_name: user.given_name, family_name: user.family_name, preferred_username: user.username}
      : {}),
    ...(scopes.includes('email') ? {email: user.email, email_verified: user.email_verified} : {}),
  };
}

const revokedJtiKey = (jti: string) => `revoked:jti:${jti}`;

/** Records an access token as revoked until it would have expired anyway. */
export async function revokeAccessToken(sandbox: Sandbox, jti: string, exp: number): Promise<void> {
  const ttl = Math.max(1, exp - epochSeconds(sandbox));
  await sandbox.store.set(revokedJtiKey(jti), true, ttl);
}

/**
 * Verifies a sandbox access token as a resource server would (RFC 9068 §4): signature against the
 * JWKS (in-process), `typ` at+jwt, `iss`, `exp`, optionally `aud`, and that its jti is not revoked.
 * Any failure is RFC 6750 §3.1 invalid_token.
 */
export async function verifyAccessToken(
  sandbox: Sandbox,
  keys: Keyring,
  token: string,
  options: {audience?: string} = {},
): Promise<AccessTokenClaims> {
  const jwks = createLocalJWKSet(await keys.jwks());
  let payload: JWTPayload;
  try {
    ({payload} = await jwtVerify(token, jwks, {
      issuer: sandbox.issuer,
      typ: 'at+jwt',
      algorithms: [SIGNING_ALG],
      currentDate: new Date(sandbox.now()),
      requiredClaims: ['sub', 'client_id', 'jti', 'iat', 'exp', 'aud'],
      ...(options.audience !== undefined ? {audience: options.audience} : {}),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new InvalidToken('the access token expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
      throw new InvalidToken('the access token is not meant for this audience');
    }
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError)
      throw new InvalidToken('the access token is invalid');
    throw error;
  }
  const claims = wellFormedClaims(payload);
  if (await sandbox.store.get(revokedJtiKey(claims.jti))) throw new InvalidToken('the access token was revoked');
  return claims;
}

/**
 * The claims of a validly signed access token, checked for their types: jose checks that they are
 * present, not what they hold, and a token whose `scope` is a number or an array must be refused like
 * any other bad token (RFC 6750 §3.1 invalid_token), not crash whoever reads it.
 * RFC 9068 §2.2: `sub`, `client_id` and `jti` are strings; §2.2.3 with RFC 8693 §4.2: `scope` is one
 * space-separated string. A token without `scope` grants none.
 */
function wellFormedClaims(payload: JWTPayload): AccessTokenClaims {
  const {sub, client_id: clientId, jti, scope = '', auth_time: authTime} = payload;
  const strings = [sub, clientId, jti, scope];
  if (strings.some((value) => typeof value !== 'string') || (authTime !== undefined && typeof authTime !== 'number')) {
    throw new InvalidToken('the access token is invalid');
  }
  return {...payload, scope} as AccessTokenClaims;
}
