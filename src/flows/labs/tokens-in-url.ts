/**
 * Security lab: tokens in the URL.
 *
 * The same single-page app signs in two ways. With the implicit grant
 * (`response_type=token`) the authorization server puts the access token in
 * the fragment of the URL it sends the browser back to. Everything that can
 * read that address reads the token: browser history, a third-party script on
 * the page, an extension. The script below is such a reader: it takes the
 * token from the address and calls the API with it.
 *
 * With the code flow and PKCE the address holds only `code`, `state` and
 * `iss`. The app redeems the code once, with its verifier, in a request body.
 * The same script finds the code and tries it: the code is spent and the
 * script has no verifier, so the token endpoint answers `invalid_grant`.
 *
 * @see RFC 9700 §4.3.2 (access token leakage in the URL) and §2.1.2 (no implicit grant)
 * @see RFC 6749 §4.2.2 (the implicit response) and RFC 7636 §4.6 (the verifier check)
 */
import * as oauth from 'oauth4webapi';

/** How the app asks for its access token. */
export type ResponseType = 'token' | 'code';

export interface LabConfig {
  issuer: string;
  clientId: string;
  /** This page: where the authorization server sends the browser back. */
  redirectUri: string;
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience: string;
  responseType: ResponseType;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** The app's one-time values: `state` always, the PKCE pair for the code flow (RFC 7636 §4.1-4.2). */
export interface AppSecrets {
  state: string;
  pkce?: {verifier: string; challenge: string; method: 'S256'};
}

/** The app's access token, however it got it. */
export interface AppToken {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
}

/** What a script that reads the page's address got out of it. */
export type ReaderOutcome =
  | {found: 'access_token'; accessToken: string}
  | {found: 'code'; status: number; error: string; error_description?: string}
  | {found: 'code'; tokens: oauth.TokenEndpointResponse}
  | {found: 'nothing'};

const client = (config: LabConfig): oauth.Client => ({client_id: config.clientId, token_endpoint_auth_method: 'none'});

function httpOptions(config: LabConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  return options;
}

/** Fetches the authorization server's metadata (RFC 8414 §3). */
export async function discover(config: LabConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, httpOptions(config)));
}

/** `state` for either way; a PKCE verifier and challenge for the code flow. */
export async function createAppSecrets(responseType: ResponseType): Promise<AppSecrets> {
  const state = oauth.generateRandomState();
  if (responseType === 'token') return {state};
  const verifier = oauth.generateRandomCodeVerifier();
  return {state, pkce: {verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), method: 'S256'}};
}

/** The authorization request (RFC 6749 §4.2.1 for `token`, §4.1.1 with RFC 7636 §4.3 for `code`). */
export function buildAuthorizationUrl(as: oauth.AuthorizationServer, config: LabConfig, secrets: AppSecrets): URL {
  if (!as.authorization_endpoint) throw new Error('The authorization server metadata has no authorization_endpoint.');
  const url = new URL(as.authorization_endpoint);
  // The line that decides where the access token travels: `token` puts it in the URL, `code` in a response body.
  url.searchParams.set('response_type', config.responseType);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('resource', config.audience);
  url.searchParams.set('state', secrets.state);
  if (secrets.pkce) {
    url.searchParams.set('code_challenge', secrets.pkce.challenge);
    url.searchParams.set('code_challenge_method', secrets.pkce.method);
  }
  return url;
}

/** The parameters of an authorization response: the fragment for `token` (RFC 6749 §4.2.2), the query for `code`. */
export function responseParameters(url: URL | string, responseType: ResponseType): URLSearchParams {
  const address = new URL(url);
  return responseType === 'token' ? new URLSearchParams(address.hash.slice(1)) : address.searchParams;
}

/**
 * The app finishes its sign-in. It checks `state` and `iss` either way (RFC 6749 §10.12, RFC 9207 §2.4);
 * then it takes the token from the fragment, or redeems the code with its verifier (RFC 7636 §4.5).
 */
export async function completeSignIn(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  secrets: AppSecrets,
  returnedUrl: URL | string,
): Promise<AppToken> {
  const parameters = oauth.validateAuthResponse(
    as,
    client(config),
    responseParameters(returnedUrl, config.responseType),
    secrets.state,
  );
  if (config.responseType === 'token') {
    const accessToken = parameters.get('access_token');
    const tokenType = parameters.get('token_type');
    if (!accessToken || !tokenType)
      throw new Error('The implicit response carries no access_token or token_type (RFC 6749 §4.2.2).');
    const expiresIn = parameters.get('expires_in');
    const scope = parameters.get('scope');
    return {
      access_token: accessToken,
      token_type: tokenType,
      ...(expiresIn ? {expires_in: Number(expiresIn)} : {}),
      ...(scope ? {scope} : {}),
    };
  }
  if (!secrets.pkce) throw new Error('The code flow needs the PKCE verifier this app made.');
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client(config),
    oauth.None(),
    parameters,
    config.redirectUri,
    secrets.pkce.verifier,
    httpOptions(config),
  );
  return oauth.processAuthorizationCodeResponse(as, client(config), response);
}

/**
 * A third-party script on the page (analytics, an ad, a compromised dependency) reads the address the
 * page was loaded at, as any script can, and uses whatever credential it finds there.
 */
export async function readerUsesTheAddress(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  pageAddress: URL | string,
): Promise<ReaderOutcome> {
  const address = new URL(pageAddress);
  const inFragment = new URLSearchParams(address.hash.slice(1)).get('access_token');
  if (inFragment) return {found: 'access_token', accessToken: inFragment};
  const code = address.searchParams.get('code');
  if (!code) return {found: 'nothing'};
  // The script has the code and the app's public client_id, but not the verifier, which stayed in the app.
  // It never sent the request, so it has no state to compare and skips that check.
  const parameters = oauth.validateAuthResponse(as, client(config), address.searchParams, oauth.skipStateCheck);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client(config),
    oauth.None(),
    parameters,
    config.redirectUri,
    oauth.nopkce,
    httpOptions(config),
  );
  try {
    return {found: 'code', tokens: await oauth.processAuthorizationCodeResponse(as, client(config), response)};
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    return {
      found: 'code',
      status: error.status,
      error: error.error,
      ...(error.error_description ? {error_description: error.error_description} : {}),
    };
  }
}

/** Calls the API with an access token as a bearer token (RFC 6750 §2.1). */
export async function callApi(
  url: string,
  accessToken: string,
  config: LabConfig,
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
