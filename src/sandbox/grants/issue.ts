import type {CatalogClient, CatalogUser} from '../catalog';
import type {Sandbox} from '../context';
import {issueRefreshToken, recordAccessToken, type GrantRecord} from '../grant_store';
import {ACCESS_TOKEN_TTL, mintAccessToken, mintIdToken} from '../tokens';

/** The successful token response, RFC 6749 §5.1 (plus `id_token`, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/**
 * Issues the tokens a grant allows: an access token for `scopes` (a subset of the grant's), an ID
 * token when `openid` was granted and there is a user, and a refresh token when the client may use
 * the refresh_token grant and `offline_access` was granted (OIDC Core §11).
 */
export async function issueTokens(
  sandbox: Sandbox,
  input: {client: CatalogClient; grant: GrantRecord; scopes: string[]; user?: CatalogUser; nonce?: string; refresh: boolean},
): Promise<TokenResponse> {
  const {client, grant, scopes, user} = input;
  const access = await mintAccessToken(sandbox, sandbox.keys, {
    sub: grant.sub,
    clientId: client.client_id,
    scopes,
    aud: grant.aud,
    ...(grant.authTime !== undefined ? {authTime: grant.authTime} : {}),
  });
  await recordAccessToken(sandbox, grant.id, {jti: access.claims.jti, exp: access.claims.exp});
  const response: TokenResponse = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL,
    // RFC 6749 §3.3: a scope is one or more scope-tokens, so no scope at all means no `scope` member.
    ...(scopes.length > 0 ? {scope: scopes.join(' ')} : {}),
  };
  if (input.refresh && client.grant_types.includes('refresh_token') && grant.scopes.includes('offline_access')) {
    response.refresh_token = await issueRefreshToken(sandbox, grant);
  }
  if (user && scopes.includes('openid')) {
    response.id_token = await mintIdToken(sandbox, sandbox.keys, {
      user,
      clientId: client.client_id,
      scopes,
      authTime: grant.authTime ?? access.claims.iat,
      ...(input.nonce !== undefined ? {nonce: input.nonce} : {}),
      // OIDC Core §3.1.3.6 makes at_hash optional here; including it lets the client bind the ID token
      // to the access token it arrived with.
      accessToken: access.token,
    });
  }
  return response;
}
