/**
 * Authorization grants: what a user (or a client, for client_credentials) allowed a client, and
 * every token issued from it, so a replayed code or a reused refresh token can revoke them all.
 */
import {epochSeconds, type Sandbox} from './context';
import {randomToken, revokeAccessToken, sha256} from './tokens';

/** Lifetime of a grant and its refresh tokens: one day. */
export const GRANT_TTL = 24 * 60 * 60;

export interface GrantRecord {
  id: string;
  clientId: string;
  sub: string;
  /** Scopes granted; refresh may narrow the access token's scope but never widen it (RFC 6749 §6). */
  scopes: string[];
  aud: string;
  authTime?: number;
  revoked: boolean;
  accessTokens: {jti: string; exp: number}[];
  /** How long it is kept, in seconds: GRANT_TTL, or less for a grant that can never have a refresh token. Absent in grants a previous version stored. */
  ttl?: number;
}

export interface RefreshTokenRecord {
  grantId: string;
  clientId: string;
  /** Set once the token has been exchanged; a second use is reuse (RFC 9700 §4.14.2). */
  rotated: boolean;
  iat: number;
  exp: number;
  /** RFC 9449 §5: the thumbprint of the DPoP key a public client's refresh token is bound to. */
  jkt?: string;
}

const grantKey = (id: string) => `grant:${id}`;
const refreshKey = (hash: string) => `refresh:${hash}`;

/**
 * Creates a grant, kept for `ttl` seconds: a day by default, for its refresh tokens; a grant that never
 * has any (client_credentials) need only outlive its access token.
 */
export async function createGrant(
  sandbox: Sandbox,
  data: Omit<GrantRecord, 'id' | 'revoked' | 'accessTokens' | 'ttl'>,
  ttl = GRANT_TTL,
): Promise<GrantRecord> {
  const grant: GrantRecord = {...data, id: randomToken(16), revoked: false, accessTokens: [], ttl};
  await sandbox.store.set(grantKey(grant.id), grant, ttl);
  return grant;
}

export async function getGrant(sandbox: Sandbox, id: string): Promise<GrantRecord | undefined> {
  return sandbox.store.get<GrantRecord>(grantKey(id));
}

/**
 * Records an access token on its grant, in one atomic update, so a revocation of the grant is either
 * before it (the token is revoked here, and the caller refuses to hand it out) or after it (and sees
 * it). Returns false when the grant is gone or revoked.
 */
export async function recordAccessToken(
  sandbox: Sandbox,
  grant: Pick<GrantRecord, 'id' | 'ttl'>,
  token: {jti: string; exp: number},
): Promise<boolean> {
  const now = epochSeconds(sandbox);
  const before = await sandbox.store.update<GrantRecord>(
    grantKey(grant.id),
    (current) =>
      current && !current.revoked
        ? {...current, accessTokens: [...current.accessTokens.filter((issued) => issued.exp > now), token]}
        : undefined,
    grant.ttl ?? GRANT_TTL,
  );
  if (before && !before.revoked) return true;
  await revokeAccessToken(sandbox, token.jti, token.exp);
  return false;
}

/**
 * Revokes a grant: its refresh tokens stop working and every access token issued from it is revoked.
 * Marking it revoked and taking its token list is one atomic update (see recordAccessToken).
 */
export async function revokeGrant(sandbox: Sandbox, grantId: string): Promise<void> {
  // A grant's TTL never changes, so reading it apart from the update is safe; revoking keeps it.
  const ttl = (await getGrant(sandbox, grantId))?.ttl ?? GRANT_TTL;
  const before = await sandbox.store.update<GrantRecord>(
    grantKey(grantId),
    (grant) => (grant ? {...grant, revoked: true, accessTokens: []} : undefined),
    ttl,
  );
  if (!before) return;
  await Promise.all(before.accessTokens.map((issued) => revokeAccessToken(sandbox, issued.jti, issued.exp)));
}

/** Issues a refresh token for a grant; only its SHA-256 is stored. */
export async function issueRefreshToken(sandbox: Sandbox, grant: GrantRecord, jkt?: string): Promise<string> {
  const token = randomToken(32);
  const iat = epochSeconds(sandbox);
  const record: RefreshTokenRecord = {
    grantId: grant.id,
    clientId: grant.clientId,
    rotated: false,
    iat,
    exp: iat + GRANT_TTL,
    ...(jkt !== undefined ? {jkt} : {}),
  };
  await sandbox.store.set(refreshKey(await sha256(token)), record, GRANT_TTL);
  return token;
}

export async function findRefreshToken(sandbox: Sandbox, token: string): Promise<RefreshTokenRecord | undefined> {
  return sandbox.store.get<RefreshTokenRecord>(refreshKey(await sha256(token)));
}

/**
 * Marks a refresh token used and returns its record as it was, in one atomic update: of two
 * concurrent exchanges of the same token, one sees it unrotated and the other sees it rotated,
 * which is reuse (RFC 9700 §4.14.2).
 */
export async function rotateRefreshToken(sandbox: Sandbox, token: string): Promise<RefreshTokenRecord | undefined> {
  return sandbox.store.update<RefreshTokenRecord>(
    refreshKey(await sha256(token)),
    (record) => (record ? {...record, rotated: true} : undefined),
    GRANT_TTL,
  );
}
