/**
 * Authorization Code Flow with PKCE for a native app (a public client), following RFC 8252.
 *
 * A desktop app, mobile app or command-line tool cannot keep a secret, so it
 * proves that the party redeeming the authorization code is the one that asked
 * for it with a one-time code_verifier (RFC 7636). It sends the user to the
 * system browser and gets the response back on a redirect URI it can receive:
 * for a desktop app or CLI, a listener on the loopback interface at
 * `http://127.0.0.1:<port>/callback`, on a port the operating system picks.
 * It checks `state` against cross-app request forgery and `iss` against
 * mix-up (RFC 9207). Everything protocol-level is done by oauth4webapi; this
 * module only wires the steps together, with web-standard APIs (fetch,
 * WebCrypto, URL), so the same code runs in Node and in a browser.
 *
 * @see RFC 8252 (OAuth 2.0 for Native Apps)
 * @see RFC 6749 §4.1 (authorization code grant)
 * @see RFC 7636 (PKCE)
 * @see OpenID Connect Core 1.0 §3.1 (authentication using the code flow)
 */
import * as oauth from 'oauth4webapi';

/** What the app knows about itself and the authorization server. */
export interface NativeAppConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The app's registered client_id. */
  clientId: string;
  /**
   * Where the browser brings the response back: a loopback URI with the port
   * the app listens on (`http://127.0.0.1:51004/callback`), a private-use
   * scheme (`com.example.app:/callback`) or a claimed https URL (RFC 8252 §7).
   */
  redirectUri: string;
  /** Space-separated scopes, e.g. `openid profile offline_access calendar:read`. */
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience?: string;
  /** A fetch implementation to use instead of the global one (e.g. to log or test requests). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Allow plain-HTTP requests to an authorization server on this machine
   * (`localhost`, `127.0.0.1`, `[::1]`), such as a development server.
   * Requests to any other host still need https.
   */
  allowInsecureRequests?: boolean;
}

/** The one-time values an authorization request needs, kept until the response comes back. */
export interface AuthorizationSecrets {
  pkce: {verifier: string; challenge: string; method: 'S256'};
  state: string;
  nonce: string;
}

/** A public client authenticates with nothing but its client_id (RFC 8252 §8.5, RFC 6749 §2.1). */
const clientAuthentication = oauth.None();

function clientOf(config: NativeAppConfig): oauth.Client {
  return {client_id: config.clientId, token_endpoint_auth_method: 'none'};
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

function httpOptions(config: NativeAppConfig): oauth.HttpRequestOptions<string, URLSearchParams | undefined> {
  const options: oauth.HttpRequestOptions<string, URLSearchParams | undefined> = {};
  const baseFetch = config.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  // The exception is narrowed here to this machine, where no network sees the request.
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  options[oauth.customFetch] = async (url, init) => {
    const target = new URL(url);
    if (target.protocol === 'http:' && !isLoopback(target)) {
      throw Object.assign(
        new TypeError(`plain-HTTP requests are allowed only to this machine, not to ${target.host}`),
        {
          code: oauth.HTTP_REQUEST_FORBIDDEN,
        },
      );
    }
    return baseFetch(url, init);
  };
  return options;
}

/**
 * The loopback redirect URI for a listener on `port`: the IP literal, not
 * `localhost`, and plain http, which never leaves the machine.
 *
 * @see RFC 8252 §7.3 (loopback redirect, any port) and §8.3 (use the IP literal)
 */
export function loopbackRedirectUri(port: number, path = '/callback'): string {
  return `http://127.0.0.1:${port}${path}`;
}

/**
 * Fetches and validates the authorization server's metadata.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(config: NativeAppConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Creates every one-time value of an authorization request: a high-entropy
 * code_verifier and its S256 code_challenge, `state` and `nonce`.
 *
 * @see RFC 8252 §8.1 (native apps must use PKCE) and §8.9 (`state` against cross-app request forgery)
 * @see RFC 7636 §4.1-4.2 (verifier of 43-128 characters; challenge = BASE64URL(SHA256(verifier)))
 * @see OIDC Core §3.1.2.1 (`nonce` binds the ID token to this request)
 */
export async function createAuthorizationSecrets(): Promise<AuthorizationSecrets> {
  const verifier = oauth.generateRandomCodeVerifier();
  return {
    pkce: {verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), method: 'S256'},
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
}

/**
 * Builds the URL to open in the system browser (never an embedded web view).
 * The redirect_uri is the config's, with the port the app actually listens on.
 *
 * @see RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2, OIDC Core §3.1.2.1
 * @see RFC 8252 §6 and §8.12 (external user agent only)
 */
export function buildAuthorizationUrl(
  as: oauth.AuthorizationServer,
  config: NativeAppConfig,
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
 * Checks the response that reached the redirect URI (the loopback request's
 * URL, or the URL the OS handed the app) and returns its parameters. Throws
 * `oauth.AuthorizationResponseError` when the server answered with an error,
 * e.g. `access_denied`.
 *
 * @see RFC 6749 §4.1.2 and §4.1.2.1 (success and error responses)
 * @see RFC 8252 §8.9 and RFC 6749 §10.12 (`state` must match the one sent)
 * @see RFC 9207 §2.4 and RFC 8252 §8.10 (`iss` must equal the issuer the request went to)
 */
export function validateCallback(
  as: oauth.AuthorizationServer,
  config: NativeAppConfig,
  callback: URL | string | URLSearchParams,
  expectedState: string,
): URLSearchParams {
  const parameters = callback instanceof URLSearchParams ? callback : new URL(callback);
  return oauth.validateAuthResponse(as, clientOf(config), parameters, expectedState);
}

/**
 * Redeems the authorization code at the token endpoint as a public client,
 * with the code_verifier and the same redirect_uri, and validates the
 * response and its ID token claims. Throws `oauth.ResponseBodyError` with the
 * server's `error` on refusal.
 *
 * @see RFC 6749 §4.1.3-4.1.4, RFC 7636 §4.5, RFC 8252 §8.5, OIDC Core §3.1.3.7
 */
export async function exchangeCode(
  as: oauth.AuthorizationServer,
  config: NativeAppConfig,
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
 * Trades a refresh token for new tokens. When the server rotates refresh
 * tokens, the response carries a new one and the old one stops working.
 * Throws `oauth.ResponseBodyError` (e.g. `invalid_grant`) on refusal.
 *
 * @see RFC 6749 §6, RFC 9700 §4.14.2 (rotation for public clients)
 */
export async function refresh(
  as: oauth.AuthorizationServer,
  config: NativeAppConfig,
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
