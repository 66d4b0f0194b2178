/**
 * Authorization Code Flow with PKCE for a single-page app (a public client).
 *
 * The browser app has no secret, so it proves that the party redeeming the
 * authorization code is the party that asked for it with a one-time
 * code_verifier (RFC 7636). It also sends `state` against CSRF and `nonce`
 * against ID token replay, and checks the `iss` response parameter against
 * mix-up attacks (RFC 9207). Everything protocol-level is done by
 * oauth4webapi; this module only wires the steps together.
 *
 * @see RFC 6749 §4.1 (authorization code grant)
 * @see RFC 7636 (PKCE)
 * @see RFC 9700 §2.1.1 (PKCE for every client) and §4.14 (refresh token rotation)
 * @see OpenID Connect Core 1.0 §3.1 (authentication using the code flow)
 */
import * as oauth from 'oauth4webapi';

/** What the app knows about itself and the authorization server. */
export interface SpaConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The app's registered client_id. */
  clientId: string;
  /** Where the authorization server sends the browser back; must match a registered value exactly. */
  redirectUri: string;
  /** Space-separated scopes, e.g. `openid profile offline_access calendar:read`. */
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience?: string;
  /** A fetch implementation to use instead of the global one (e.g. to log or test requests). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Allow plain-HTTP endpoints. Only for a development server on localhost;
   * never enable it in production.
   */
  allowInsecureRequests?: boolean;
}

/** The one-time values an authorization request needs, kept until the browser comes back. */
export interface AuthorizationSecrets {
  pkce: {verifier: string; challenge: string; method: 'S256'};
  state: string;
  nonce: string;
}

/** An authorization request ready to send the browser to. */
export interface AuthorizationRequest extends AuthorizationSecrets {
  url: URL;
}

/** Result of a call to a protected API. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A public client authenticates with nothing but its client_id (RFC 6749 §2.1, §3.2.1). */
const clientAuthentication = oauth.None();

function clientOf(config: SpaConfig): oauth.Client {
  return {client_id: config.clientId, token_endpoint_auth_method: 'none'};
}

type TransportConfig = Pick<SpaConfig, 'fetch' | 'allowInsecureRequests'>;

function httpOptions(config: TransportConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  return options;
}

/**
 * Fetches and validates the authorization server's metadata: the OpenID Connect document first,
 * then, for a server that only publishes RFC 8414 metadata, `/.well-known/oauth-authorization-server`.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(config: SpaConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  let response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  if (response.status === 404) {
    response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oauth2'});
  }
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Creates a high-entropy code_verifier and its S256 code_challenge.
 *
 * @see RFC 7636 §4.1 (43-128 characters of unreserved URL characters)
 * @see RFC 7636 §4.2 (challenge = BASE64URL(SHA256(ASCII(verifier))))
 */
export async function createPkce(): Promise<AuthorizationSecrets['pkce']> {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  return {verifier, challenge, method: 'S256'};
}

/**
 * Creates every one-time value of an authorization request: the PKCE pair,
 * `state` (RFC 6749 §10.12, CSRF protection) and `nonce` (OIDC Core §3.1.2.1,
 * binds the ID token to this browser session).
 */
export async function createAuthorizationSecrets(): Promise<AuthorizationSecrets> {
  return {
    pkce: await createPkce(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
}

/**
 * Builds the URL of the authorization request.
 *
 * @see RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2, OIDC Core §3.1.2.1
 */
export function buildAuthorizationUrl(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
  secrets: AuthorizationSecrets,
): URL {
  if (!as.authorization_endpoint) {
    throw new Error('The authorization server metadata has no authorization_endpoint.');
  }
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('state', secrets.state);
  url.searchParams.set('nonce', secrets.nonce);
  url.searchParams.set('code_challenge', secrets.pkce.challenge);
  url.searchParams.set('code_challenge_method', secrets.pkce.method);
  if (config.audience) url.searchParams.set('resource', config.audience);
  return url;
}

/**
 * Starts a sign-in: creates fresh secrets and the URL to send the browser to.
 * Keep the secrets (e.g. in sessionStorage) until the browser returns to the redirect_uri.
 */
export async function beginAuthorization(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
): Promise<AuthorizationRequest> {
  const secrets = await createAuthorizationSecrets();
  return {...secrets, url: buildAuthorizationUrl(as, config, secrets)};
}

/**
 * Checks the parameters the browser brought back to the redirect_uri and
 * returns them. Throws `oauth.AuthorizationResponseError` when the server
 * answered with an error.
 *
 * @see RFC 6749 §4.1.2 and §10.12 (`state` must match the one sent)
 * @see RFC 9207 §2.4 (`iss` must equal the issuer the request went to)
 */
export function validateCallback(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
  currentUrl: URL | string,
  expectedState: string,
): URLSearchParams {
  return oauth.validateAuthResponse(as, clientOf(config), new URL(currentUrl), expectedState);
}

/**
 * Redeems the authorization code at the token endpoint, proving possession
 * of the code_verifier, and validates the response and its ID token claims.
 * Throws `oauth.ResponseBodyError` with the server's `error` on refusal.
 *
 * @see RFC 6749 §4.1.3-4.1.4, RFC 7636 §4.5, OIDC Core §3.1.3.7
 */
export async function exchangeCode(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
  callbackParameters: URLSearchParams,
  secrets: Pick<AuthorizationSecrets, 'pkce' | 'nonce'>,
): Promise<oauth.TokenEndpointResponse> {
  const client = clientOf(config);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuthentication,
    callbackParameters,
    config.redirectUri,
    secrets.pkce.verifier,
    httpOptions(config),
  );
  return oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: secrets.nonce,
    requireIdToken: config.scope.split(' ').includes('openid'),
  });
}

/**
 * Finishes a sign-in on the redirect_uri page: validates the response, then
 * exchanges the code for tokens.
 */
export async function completeAuthorization(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
  currentUrl: URL | string,
  saved: AuthorizationSecrets,
): Promise<oauth.TokenEndpointResponse> {
  const parameters = validateCallback(as, config, currentUrl, saved.state);
  return exchangeCode(as, config, parameters, saved);
}

/**
 * Calls an API with the access token as a bearer token and returns its JSON.
 * Throws when the API refuses the token (`oauth.WWWAuthenticateChallengeError`)
 * or answers with another error status.
 *
 * @see RFC 6750 §2.1 (Authorization: Bearer)
 */
export async function callApi(
  url: string | URL,
  accessToken: string,
  config: TransportConfig = {},
): Promise<ApiResponse> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(url),
    new Headers({accept: 'application/json'}),
    null,
    httpOptions(config),
  );
  const body: unknown = await response.json();
  if (!response.ok) {
    throw new Error(`The API answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return {status: response.status, body};
}

/**
 * Asks the userinfo endpoint who signed in, with the access token, and checks that the answer is
 * about the same user as the ID token (`sub`). Throws when the server refuses the token.
 *
 * @see OpenID Connect Core 1.0 §5.3 (UserInfo endpoint) and §5.3.4 (`sub` must match the ID token's)
 */
export async function fetchUserInfo(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
  accessToken: string,
  expectedSubject: string,
): Promise<oauth.UserInfoResponse> {
  const client = clientOf(config);
  const response = await oauth.userInfoRequest(as, client, accessToken, httpOptions(config));
  return oauth.processUserInfoResponse(as, client, expectedSubject, response);
}

/**
 * Trades a refresh token for new tokens. When the server rotates refresh
 * tokens, the response carries a new one and the old one stops working.
 * Throws `oauth.ResponseBodyError` (e.g. `invalid_grant`) on refusal.
 *
 * @see RFC 6749 §6, RFC 9700 §4.14.2 (rotation for public clients)
 */
export async function refresh(
  as: oauth.AuthorizationServer,
  config: SpaConfig,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse> {
  const client = clientOf(config);
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    clientAuthentication,
    refreshToken,
    httpOptions(config),
  );
  return oauth.processRefreshTokenResponse(as, client, response);
}
