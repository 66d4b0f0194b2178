import type {CatalogClient, CatalogUser} from '../catalog';
import {epochSeconds, type Sandbox} from '../context';
import type {DpopProof} from '../dpop';
import {issueRefreshToken, recordAccessToken, type GrantRecord} from '../grant-store';
import {InvalidGrant} from '../errors';
import {ACCESS_TOKEN_TTL, accessTokenAudience, mintAccessToken, mintIdToken} from '../tokens';

/** The successful token response, RFC 6749 §5.1 (plus `id_token`, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  /** RFC 9449 §5: `DPoP` for an access token bound to the client's key. */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/**
 * What an implicit authorization response carries (OIDC Core §3.2.2.5): always an ID token, and the
 * access token members of RFC 6749 §4.2.2 only for `response_type=id_token token`.
 */
export type ImplicitTokens = Partial<Omit<TokenResponse, 'refresh_token'>> & {id_token: string};

export interface IssueInput {
  client: CatalogClient;
  grant: GrantRecord;
  /** The access token's scope: the grant's, or a subset of it on refresh (RFC 6749 §6). */
  scopes: string[];
  user?: CatalogUser;
  nonce?: string;
  /** The token request's DPoP proof: the access token is bound to its key (RFC 9449 §5, §6). */
  dpop?: DpopProof;
}

/**
 * The one place the sandbox mints tokens, for the token endpoint and the implicit authorization
 * response alike. Every access token is recorded on its grant, so revoking the grant (a replayed code,
 * a reused refresh token) revokes it too.
 */
async function mintTokens(
  sandbox: Sandbox,
  input: IssueInput & {accessToken: boolean; refreshToken: boolean; idToken: boolean},
): Promise<Partial<TokenResponse>> {
  const {client, grant, scopes, user} = input;
  const issued: Partial<TokenResponse> = {};
  let authTime = grant.authTime;
  if (input.accessToken) {
    const access = await mintAccessToken(sandbox, sandbox.keys, {
      sub: grant.sub,
      clientId: client.client_id,
      scopes,
      aud: accessTokenAudience(sandbox, grant.aud, scopes),
      ...(grant.authTime !== undefined ? {authTime: grant.authTime} : {}),
      ...(input.dpop ? {jkt: input.dpop.jkt} : {}),
    });
    // A grant revoked meanwhile (a replayed code or a reused refresh token, racing this request)
    // gets nothing: the token is revoked as it is recorded (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
    if (!(await recordAccessToken(sandbox, grant, {jti: access.claims.jti, exp: access.claims.exp}))) {
      throw new InvalidGrant('the grant was revoked while its tokens were being issued');
    }
    authTime ??= access.claims.iat;
    Object.assign(issued, {
      access_token: access.token,
      // RFC 9449 §5: the token type tells the client to present the token with DPoP proofs.
      token_type: input.dpop ? 'DPoP' : 'Bearer',
      expires_in: ACCESS_TOKEN_TTL,
      // RFC 6749 §3.3: a scope is one or more scope-tokens, so no scope at all means no `scope` member.
      ...(scopes.length > 0 ? {scope: scopes.join(' ')} : {}),
    });
  }
  if (input.refreshToken) {
    // RFC 9449 §5: a public client's refresh token is bound to its DPoP key; a confidential client's is not
    // (it is already bound to the client's credentials), so such a client may change keys.
    const jkt = client.type === 'public' ? input.dpop?.jkt : undefined;
    issued.refresh_token = await issueRefreshToken(sandbox, grant, jkt);
  }
  if (input.idToken && user) {
    issued.id_token = await mintIdToken(sandbox, sandbox.keys, {
      user,
      clientId: client.client_id,
      // OIDC Core §5.4: the scope's claims go in the ID token (the sandbox releases them there in every flow).
      scopes,
      authTime: authTime ?? epochSeconds(sandbox),
      ...(input.nonce !== undefined ? {nonce: input.nonce} : {}),
      // OIDC Core §3.1.3.6 makes at_hash optional at the token endpoint and §3.2.2.10 requires it in an
      // implicit response with an access token; it always lets the client bind the ID token to the access token.
      ...(issued.access_token !== undefined ? {accessToken: issued.access_token} : {}),
    });
  }
  return issued;
}

/**
 * Issues the tokens a grant allows at the token endpoint: an access token for `scopes` (a subset of
 * the grant's), an ID token when `openid` was granted and there is a user, and a refresh token when the
 * client may use the refresh_token grant and `offline_access` was granted (OIDC Core §11).
 */
export async function issueTokens(sandbox: Sandbox, input: IssueInput & {refresh: boolean}): Promise<TokenResponse> {
  const issued = await mintTokens(sandbox, {
    ...input,
    accessToken: true,
    refreshToken:
      input.refresh &&
      input.client.grant_types.includes('refresh_token') &&
      input.grant.scopes.includes('offline_access'),
    idToken: input.scopes.includes('openid'),
  });
  return issued as TokenResponse;
}

/**
 * Issues the tokens of an implicit authorization response (OIDC Core §3.2.2.5): an ID token, plus an
 * access token for `response_type=id_token token`. Never a refresh token (RFC 6749 §4.2.2).
 */
export async function issueImplicitTokens(
  sandbox: Sandbox,
  input: IssueInput & {user: CatalogUser; withAccessToken: boolean},
): Promise<ImplicitTokens> {
  const issued = await mintTokens(sandbox, {
    ...input,
    accessToken: input.withAccessToken,
    refreshToken: false,
    idToken: true,
  });
  if (issued.id_token === undefined) throw new Error('an implicit response without an ID token');
  return issued as ImplicitTokens;
}

/**
 * The access token of a `response_type=token` response (RFC 6749 §4.2.2): access_token, token_type,
 * expires_in and scope, never a refresh token. Only the tokens-in-url lab's client gets here.
 */
export async function issueImplicitAccessToken(
  sandbox: Sandbox,
  input: IssueInput,
): Promise<Omit<TokenResponse, 'refresh_token' | 'id_token'>> {
  const issued = await mintTokens(sandbox, {...input, accessToken: true, refreshToken: false, idToken: false});
  return issued as Omit<TokenResponse, 'refresh_token' | 'id_token'>;
}
