/**
 * Refresh tokens in a single-page app (a public client), and the two calls around them:
 * revocation by the app, introspection by the API.
 *
 * - The SPA trades its refresh token for new tokens. The authorization server rotates
 *   the refresh token on every use; the SPA must keep only the newest one. Presenting a
 *   used one again looks like theft, and the server revokes the whole token family.
 * - On sign-out the SPA revokes its refresh token, which also ends the access tokens
 *   issued with it.
 * - A resource server that must know whether a token is still good asks the
 *   introspection endpoint, authenticating with its *own* credentials: a confidential
 *   client of the authorization server. A public SPA cannot introspect.
 *
 * @see RFC 6749 §6 (refreshing an access token)
 * @see RFC 9700 §4.14.2 (refresh token rotation and reuse detection for public clients)
 * @see RFC 7009 (token revocation)
 * @see RFC 7662 (token introspection)
 */
import * as oauth from 'oauth4webapi';

/** What the SPA knows about itself and the authorization server. */
export interface PublicClientConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The SPA's registered client_id. */
  clientId: string;
  /** A fetch implementation to use instead of the global one (e.g. to log or test requests). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Allow plain-HTTP endpoints. Only for a development server on localhost;
   * never enable it in production.
   */
  allowInsecureRequests?: boolean;
}

/** A resource server's own credentials at the authorization server, for introspection. */
export interface ResourceServerConfig {
  /** The resource server's client_id at the authorization server. */
  clientId: string;
  /** Its client secret; it lives on the resource server, never in a browser. */
  clientSecret: string;
  /** How the secret travels (RFC 6749 §2.3.1); Basic by default. */
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  /** A fetch implementation to use instead of the global one. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP endpoints (a development server on localhost only). */
  allowInsecureRequests?: boolean;
}

/** Which kind of token is being revoked or introspected: a hint that speeds up the server's lookup. */
export type TokenTypeHint = 'refresh_token' | 'access_token';

/** What an SPA should do after a failed refresh. */
export type RefreshFailureAdvice =
  | {action: 'sign-in-again'; error: string; why: string}
  | {action: 'retry-later'; why: string}
  | {action: 'report'; error?: string; why: string};

type TransportConfig = Pick<PublicClientConfig, 'fetch' | 'allowInsecureRequests'>;

function httpOptions(config: TransportConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  return options;
}

/** The SPA as a client: public, so it authenticates with nothing but its client_id (RFC 6749 §2.1, §3.2.1). */
function spaClient(config: PublicClientConfig): oauth.Client {
  return {client_id: config.clientId, token_endpoint_auth_method: 'none'};
}

/**
 * Fetches and validates the authorization server's metadata (token, revocation and
 * introspection endpoints).
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(
  config: Pick<PublicClientConfig, 'issuer' | 'fetch' | 'allowInsecureRequests'>,
): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Trades a refresh token for new tokens. The response carries a new refresh token:
 * store it in place of the old one, which no longer works. Pass `scope` to ask for
 * fewer scopes than were granted (never more). Throws `oauth.ResponseBodyError`
 * (`invalid_grant` when the token expired, was revoked or was already used).
 *
 * @see RFC 6749 §6, RFC 9700 §4.14.2 (rotation for public clients)
 */
export async function refresh(
  as: oauth.AuthorizationServer,
  config: PublicClientConfig,
  refreshToken: string,
  options: {scope?: string} = {},
): Promise<oauth.TokenEndpointResponse> {
  const client = spaClient(config);
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, {
    ...httpOptions(config),
    ...(options.scope ? {additionalParameters: {scope: options.scope}} : {}),
  });
  return oauth.processRefreshTokenResponse(as, client, response);
}

/**
 * Asks the authorization server to forget a token, e.g. when the user signs out.
 * The public SPA identifies itself with its client_id; a token of another client is
 * not revoked. The server answers 200 even for a token it does not know (RFC 7009
 * §2.2), so success says nothing about the token.
 *
 * @see RFC 7009 §2.1 (the request, `token_type_hint`), §2.2 (the response)
 */
export async function revoke(
  as: oauth.AuthorizationServer,
  config: PublicClientConfig,
  token: string,
  hint?: TokenTypeHint,
): Promise<void> {
  const response = await oauth.revocationRequest(as, spaClient(config), oauth.None(), token, {
    ...httpOptions(config),
    ...(hint ? {additionalParameters: {token_type_hint: hint}} : {}),
  });
  await oauth.processRevocationResponse(response);
}

/**
 * What a resource server does to learn whether a token is still active and what it
 * allows: it posts the token to the introspection endpoint with its own credentials.
 * An expired, revoked or unknown token is just `{active: false}` (RFC 7662 §2.2).
 *
 * @see RFC 7662 §2.1 (the request, the protected resource authenticates), §2.2 (the response)
 */
export async function introspect(
  as: oauth.AuthorizationServer,
  resourceServer: ResourceServerConfig,
  token: string,
  hint?: TokenTypeHint,
): Promise<oauth.IntrospectionResponse> {
  const client: oauth.Client = {
    client_id: resourceServer.clientId,
    token_endpoint_auth_method: resourceServer.authMethod ?? 'client_secret_basic',
  };
  const authentication =
    resourceServer.authMethod === 'client_secret_post'
      ? oauth.ClientSecretPost(resourceServer.clientSecret)
      : oauth.ClientSecretBasic(resourceServer.clientSecret);
  const response = await oauth.introspectionRequest(as, client, authentication, token, {
    ...httpOptions(resourceServer),
    ...(hint ? {additionalParameters: {token_type_hint: hint}} : {}),
  });
  return oauth.processIntrospectionResponse(as, client, response);
}

/**
 * True when the authorization server refused the refresh token itself (`invalid_grant`):
 * it expired, was revoked, or was used before (and its whole family is now revoked).
 * Refreshing again cannot work; the user has to go through a new authorization.
 *
 * @see RFC 6749 §5.2 (`invalid_grant`), RFC 9700 §4.14.2
 */
export function isRefreshFailure(error: unknown): error is oauth.ResponseBodyError {
  return error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant';
}

/**
 * What an SPA should do when `refresh` throws.
 *
 * - `sign-in-again`: the refresh token is dead (`invalid_grant`, RFC 6749 §5.2). Drop every
 *   stored token and start a new authorization request; if the user still has a session
 *   at the authorization server, that is a redirect and back, without a password.
 * - `retry-later`: the server or the network failed; the refresh token may still be good.
 *   But if the request reached the server, the token may already be rotated, and a retry
 *   then counts as reuse (RFC 9700 §4.14.2) and comes back `invalid_grant`.
 * - `report`: the request itself is wrong (e.g. `invalid_client`, `invalid_scope`): a bug
 *   or a configuration problem that signing in again will not fix.
 */
export function whatToDoWhenRefreshFails(error: unknown): RefreshFailureAdvice {
  if (isRefreshFailure(error)) {
    return {
      action: 'sign-in-again',
      error: error.error,
      why: error.error_description ?? 'the refresh token is no longer valid',
    };
  }
  if (error instanceof oauth.ResponseBodyError) {
    // RFC 6749 §4.1.2.1 names these two for a server that cannot answer right now.
    if (error.status >= 500 || error.error === 'server_error' || error.error === 'temporarily_unavailable') {
      return {action: 'retry-later', why: `the authorization server answered ${error.status} ${error.error}`};
    }
    return {
      action: 'report',
      error: error.error,
      why: error.error_description ?? `the authorization server refused the request with ${error.error}`,
    };
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return {action: 'report', why: `the authorization server refused the client's authentication (${error.status})`};
  }
  // fetch() rejects with a plain TypeError when the network fails (oauth4webapi's own TypeErrors carry a code).
  if (error instanceof TypeError && !('code' in error)) {
    return {action: 'retry-later', why: `the authorization server could not be reached: ${error.message}`};
  }
  // A 5xx without an OAuth error body: oauth4webapi keeps the response as the error's cause.
  if (error instanceof oauth.OperationProcessingError && error.cause instanceof Response && error.cause.status >= 500) {
    return {action: 'retry-later', why: `the authorization server answered ${error.cause.status}`};
  }
  return {action: 'report', why: error instanceof Error ? error.message : String(error)};
}
