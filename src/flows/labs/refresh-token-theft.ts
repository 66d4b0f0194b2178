/**
 * Security lab: a stolen refresh token, with and without rotation.
 *
 * A single-page app holds a refresh token; an attacker copies it (an XSS, a
 * leaked log, a synced backup). From then on both parties can present it.
 *
 * Without rotation the server answers every refresh with a new access token
 * and keeps the one refresh token valid: the thief can mint access tokens for
 * as long as it lives, and nobody notices. With rotation, every refresh
 * returns a new refresh token and retires the old one; when the retired one is
 * presented again (the app, after the thief refreshed first, or the other way
 * round), the server knows two parties hold the token and revokes the whole
 * family, so the thief's token dies too.
 *
 * The sign-in is the Authorization Code flow with PKCE of the single-page app
 * (src/flows/authorization-code-pkce.ts). This module is what both parties do
 * with the refresh token afterwards.
 *
 * @see RFC 9700 §4.14.2 (refresh token protection: rotation, reuse detection)
 * @see RFC 6749 §6 (refreshing an access token), §10.4 (refresh tokens)
 */
import * as oauth from 'oauth4webapi';

/** What either party needs to use the refresh token: the server and the app's public client_id. */
export interface RefreshConfig {
  issuer: string;
  clientId: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** What a refresh got its sender: new tokens (and whether the refresh token rotated), or the server's refusal. */
export type RefreshOutcome =
  | {ok: true; tokens: oauth.TokenEndpointResponse; refreshToken: string; rotated: boolean}
  | {ok: false; status: number; error: string; error_description?: string};

function httpOptions(config: RefreshConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  return options;
}

/**
 * Presents a refresh token, as the app or as the thief: the request is the same, which is the problem.
 * The refresh token to keep is the new one when the server rotated it, else the same one.
 *
 * @see RFC 6749 §6 and §5.2 (invalid_grant), RFC 9700 §4.14.2
 */
export async function useRefreshToken(
  as: oauth.AuthorizationServer,
  config: RefreshConfig,
  refreshToken: string,
): Promise<RefreshOutcome> {
  const client: oauth.Client = {client_id: config.clientId, token_endpoint_auth_method: 'none'};
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, httpOptions(config));
  try {
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    // RFC 6749 §6: a new refresh token replaces the old one; without one, the old one stays in use.
    return {
      ok: true,
      tokens,
      refreshToken: tokens.refresh_token ?? refreshToken,
      rotated: tokens.refresh_token !== undefined,
    };
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    return {
      ok: false,
      status: error.status,
      error: error.error,
      ...(error.error_description ? {error_description: error.error_description} : {}),
    };
  }
}

/** Calls an API with an access token (RFC 6750 §2.1), to show what a refreshed token is worth. */
export async function callApi(
  url: string,
  accessToken: string,
  config: RefreshConfig,
): Promise<{status: number; body: unknown}> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(url),
    new Headers({accept: 'application/json'}),
    null,
    httpOptions(config),
  );
  return {status: response.status, body: await response.json().catch(() => null)};
}
