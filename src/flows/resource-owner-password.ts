/**
 * Resource Owner Password Credentials grant for a trusted first-party app (a confidential client).
 *
 * The app shows its own login form; the form posts the user's username and password
 * to the app's own backend, and the backend (which holds the client secret) trades
 * them at the token endpoint for tokens. This module is that backend's side. On the
 * guide's page it runs in your browser, standing in for the backend.
 *
 * RFC 9700 §2.4 says this grant MUST NOT be used: the app sees the password, and nothing
 * the authorization server does at login (MFA, passkeys, SSO, consent) can happen. It is
 * here so you can recognize it and plan the move to the authorization code flow.
 *
 * oauth4webapi has no helper for `grant_type=password` (it implements current practice),
 * so the request goes through its generic token endpoint request, which still does the
 * client authentication and validates the response.
 *
 * @see RFC 6749 §4.3 (resource owner password credentials grant)
 * @see RFC 6749 §2.3.1 (client_secret_post)
 * @see RFC 9700 §2.4 (why not to use it)
 */
import * as oauth from 'oauth4webapi';

/** What the app's backend knows about itself and the authorization server. */
export interface PasswordGrantConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The app's registered client_id. */
  clientId: string;
  /** The app's client secret; it lives on the backend, never in the login page. */
  clientSecret: string;
  /**
   * How the secret travels (RFC 6749 §2.3.1): in the request body (`client_secret_post`, the
   * default here, as the sandbox's first-party client is registered) or in an HTTP Basic header.
   */
  authMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Space-separated scopes, e.g. `openid offline_access calendar:read`. */
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

/** What the user typed into the app's login form. */
export interface ResourceOwnerCredentials {
  username: string;
  password: string;
}

/** Result of a call to a protected API. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

type TransportConfig = Pick<PasswordGrantConfig, 'fetch' | 'allowInsecureRequests'>;

function httpOptions(config: TransportConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  return options;
}

function clientOf(config: PasswordGrantConfig): oauth.Client {
  return {client_id: config.clientId, token_endpoint_auth_method: config.authMethod ?? 'client_secret_post'};
}

/** The client's credentials, the way it is registered to send them (RFC 6749 §2.3.1). */
function clientAuthentication(config: PasswordGrantConfig): oauth.ClientAuth {
  return config.authMethod === 'client_secret_basic'
    ? oauth.ClientSecretBasic(config.clientSecret)
    : oauth.ClientSecretPost(config.clientSecret);
}

/**
 * Fetches and validates the authorization server's metadata, to learn its token endpoint.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(config: Pick<PasswordGrantConfig, 'issuer' | 'fetch' | 'allowInsecureRequests'>): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Trades the user's username and password for tokens, authenticating as the client.
 * Wrong credentials come back as `oauth.ResponseBodyError` with `error` `invalid_grant`
 * (400); a wrong client secret as `invalid_client` (401). Forget the password as soon
 * as this returns.
 *
 * @see RFC 6749 §4.3.2 (the request), §4.3.3 (the response), §5.2 (errors)
 * @see RFC 8707 §2 (`resource`)
 */
export async function requestToken(
  as: oauth.AuthorizationServer,
  config: PasswordGrantConfig,
  credentials: ResourceOwnerCredentials,
): Promise<oauth.TokenEndpointResponse> {
  const client = clientOf(config);
  const parameters = new URLSearchParams({
    username: credentials.username,
    password: credentials.password,
    scope: config.scope,
  });
  if (config.audience) parameters.set('resource', config.audience);
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    clientAuthentication(config),
    'password',
    parameters,
    httpOptions(config),
  );
  return oauth.processGenericTokenEndpointResponse(as, client, response);
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
