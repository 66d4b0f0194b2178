import {findUserBySub} from '../catalog';
import {required} from '../checks/params';
import {verifyCodeVerifier} from '../checks/pkce';
import {checkGrantedTarget} from '../checks/scope';
import type {Sandbox} from '../context';
import {InvalidGrant} from '../errors';
import {getGrant, revokeGrant, GRANT_TTL} from '../grant-store';
import {randomToken, sha256} from '../tokens';
import {issueTokens} from './issue';
import {assertClientMayUse, type GrantHandler} from './types';

/** Authorization codes live 60 seconds (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_TTL = 60;

export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  grantId: string;
  codeChallenge?: string;
  nonce?: string;
  /** Set by the first redemption; any later one is a replay. */
  used?: boolean;
}

const codeKey = (hash: string) => `code:${hash}`;

const GENERATION_KEY = 'store:generation';

/**
 * An id of the store's contents, drawn anew once a reset or the reader clearing site data has emptied
 * it. Codes carry it, so a code the sandbox no longer knows can say that it outlived the store.
 */
async function storeGeneration(sandbox: Sandbox): Promise<string> {
  let drawn: string | undefined;
  const current = await sandbox.store.update<string>(GENERATION_KEY, (existing) =>
    existing === undefined ? (drawn = randomToken(8)) : undefined,
  );
  return current ?? drawn ?? '';
}

/** Issues a single-use authorization code bound to the client, redirect URI, PKCE challenge and grant. */
export async function issueAuthorizationCode(sandbox: Sandbox, record: AuthorizationCodeRecord): Promise<string> {
  // Opaque to the client (RFC 6749 §1.3.1); the prefix before the dot is the store generation.
  const code = `${await storeGeneration(sandbox)}.${randomToken(32)}`;
  await sandbox.store.set(codeKey(await sha256(code)), record, CODE_TTL);
  return code;
}

/**
 * The `authorization_code` grant, RFC 6749 §4.1.3, with PKCE (RFC 7636 §4.6). A code works once;
 * presenting it again revokes everything issued from it (§4.1.2, §10.5).
 */
export const authorizationCode: GrantHandler = async (sandbox, client, params, request) => {
  assertClientMayUse(client, 'authorization_code');
  const code = required(params, 'code');
  // One atomic update reads the code and marks it used: of concurrent redemptions exactly one finds it
  // unused, and every other one finds it used, so a replay is always detected, however they interleave.
  // A used code is kept as long as the grant can be, to recognise a replay as long as its tokens live.
  const before = await sandbox.store.update<AuthorizationCodeRecord>(
    codeKey(await sha256(code)),
    (record) => (record && !record.used ? {...record, used: true} : undefined),
    GRANT_TTL,
  );
  if (!before) {
    const issuedIn = code.includes('.') ? code.slice(0, code.indexOf('.')) : undefined;
    if (issuedIn !== undefined && issuedIn !== (await storeGeneration(sandbox))) {
      throw new InvalidGrant(
        "the sandbox's storage was reset or cleared after this authorization code was issued, so it no longer knows the code: start the flow again",
      );
    }
    throw new InvalidGrant('the authorization code is invalid or expired');
  }
  if (before.used) {
    // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server
    // MUST deny the request and SHOULD revoke (when possible) all tokens previously issued based on that authorization code."
    await revokeGrant(sandbox, before.grantId);
    throw new InvalidGrant('the authorization code was already used; tokens issued from it are revoked');
  }
  const record = before;
  // RFC 6749 §4.1.3: the code was issued to this client.
  if (record.clientId !== client.client_id)
    throw new InvalidGrant('the authorization code was issued to another client');
  // RFC 6749 §4.1.3: redirect_uri must be identical to the one in the authorization request.
  if (params.values.get('redirect_uri') !== record.redirectUri) {
    throw new InvalidGrant('redirect_uri does not match the authorization request');
  }
  await verifyCodeVerifier(params.values.get('code_verifier'), record.codeChallenge);
  const grant = await getGrant(sandbox, record.grantId);
  if (!grant || grant.revoked) throw new InvalidGrant('the authorization grant was revoked');
  checkGrantedTarget(sandbox.catalog, params, grant.aud);
  const user = findUserBySub(sandbox.catalog, grant.sub);
  return issueTokens(sandbox, {
    client,
    grant,
    scopes: grant.scopes,
    refresh: true,
    ...request,
    ...(user ? {user} : {}),
    ...(record.nonce !== undefined ? {nonce: record.nonce} : {}),
  });
};
