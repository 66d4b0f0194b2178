/**
 * Security lab: login CSRF, with and without `state`.
 *
 * "Planner" is a single-page app that keeps your appointments in the calendar
 * API of whoever is signed in. An attacker signs in to Planner with their own
 * account, stops before their browser follows the redirect back, and keeps the
 * authorization response: a valid code for *their* account. Then they get your
 * browser to open that URL (a link, an image, a page that redirects). Planner
 * sees a response at its redirect URI and, if it does not check that it asked
 * for it, redeems the code: you are now signed in as the attacker, and what you
 * save goes into the attacker's account, where they can read it.
 *
 * The defence is `state`: before it sends the browser to the authorization
 * server, the app stores a random value in this browser (sessionStorage) and
 * sends it along; a response is accepted only when it brings the same value
 * back. The attacker's response carries their own state, or none, and the app
 * refuses it before it sends any token request. PKCE would stop the attack too
 * (RFC 9700 §4.7.1), because the code would be bound to the attacker's
 * verifier; this lab's client is registered without PKCE so that `state` is
 * the one thing that differs between the two runs.
 *
 * @see RFC 6749 §10.12 (cross-site request forgery) and §4.1.2 (the authorization response)
 * @see RFC 9700 §4.7 (CSRF) and §4.7.1 (state, or PKCE, as the countermeasure)
 */
import * as oauth from 'oauth4webapi';

/** What the app knows: the server, its client_id and the redirect URI it registered. */
export interface LabConfig {
  issuer: string;
  /** Planner's client_id: a public client, so anyone can start a sign-in with it, the attacker too. */
  clientId: string;
  redirectUri: string;
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** Where the app keeps its pending sign-in: `sessionStorage` in a browser, one per tab. */
export interface StateStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The key under which the app keeps the state of the sign-in this browser started. */
export const PENDING_STATE_KEY = 'planner:pending-state';

/** The app's answer to an authorization response: who is signed in now, or why it refused. */
export type SignInOutcome =
  | {signedIn: true; tokens: oauth.TokenEndpointResponse; claims: oauth.IDToken}
  | {signedIn: false; code: string; message: string};

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

/** Fetches the authorization server's metadata (OpenID Connect Discovery 1.0 §4, RFC 8414 §3). */
export async function discover(config: LabConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'}),
  );
}

/** Planner's authorization request (RFC 6749 §4.1.1), with `state` when it has one. */
export function buildAuthorizationUrl(as: oauth.AuthorizationServer, config: LabConfig, state?: string): URL {
  if (!as.authorization_endpoint) throw new Error('The authorization server metadata has no authorization_endpoint.');
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('resource', config.audience);
  if (state !== undefined) url.searchParams.set('state', state);
  return url;
}

/**
 * Starts a sign-in in this browser. With the defence, the app makes a state, keeps it in this browser's
 * storage and sends it; without it, it sends none and keeps nothing.
 *
 * @see RFC 6749 §10.12: the value binds the request to the browser that sent it
 */
export function startSignIn(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  storage: StateStorage,
  useState: boolean,
): URL {
  storage.removeItem(PENDING_STATE_KEY);
  if (!useState) return buildAuthorizationUrl(as, config);
  const state = oauth.generateRandomState();
  storage.setItem(PENDING_STATE_KEY, state);
  return buildAuthorizationUrl(as, config, state);
}

/**
 * Planner's redirect URI handler: whatever response arrives here, it checks it, redeems the code and
 * signs the browser in as the ID token's `sub`. With `checkState` off, it accepts any response that
 * carries a code, which is the whole attack.
 *
 * @see RFC 6749 §4.1.2 and §10.12, RFC 9700 §4.7.1, OIDC Core §3.1.3.7 (the ID token)
 */
export async function completeSignIn(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  storage: StateStorage,
  callbackUrl: URL | string,
  checkState: boolean,
): Promise<SignInOutcome> {
  // The pending sign-in is used once, whatever happens next (RFC 6749 §10.12: the value is for one request).
  const pending = storage.getItem(PENDING_STATE_KEY);
  storage.removeItem(PENDING_STATE_KEY);
  // The defence: compare with the state this browser stored before it left, or skip the comparison (RFC 6749 §10.12).
  const expectedState = checkState ? pending : oauth.skipStateCheck;
  if (expectedState === null)
    return {signedIn: false, code: 'NO_SIGN_IN_STARTED', message: 'no sign-in was started in this browser'};
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(as, client(config), new URL(callbackUrl), expectedState);
  } catch (error) {
    if (error instanceof oauth.OperationProcessingError)
      return {signedIn: false, code: error.code ?? 'OAUTH_INVALID_RESPONSE', message: error.message};
    throw error;
  }
  // No code_verifier: this lab's client is registered without PKCE (see the comment at the top).
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client(config),
    oauth.None(),
    parameters,
    config.redirectUri,
    oauth.nopkce,
    httpOptions(config),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client(config), response, {requireIdToken: true});
  return {signedIn: true, tokens, claims: oauth.getValidatedIdTokenClaims(tokens)!};
}

/** The user, now signed in (as someone), saves an appointment with the access token the app holds (RFC 6750 §2.1). */
export async function saveAppointment(
  eventsUrl: string,
  accessToken: string,
  appointment: {title: string; start: string},
  config: LabConfig,
): Promise<{status: number; body: unknown}> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'POST',
    new URL(eventsUrl),
    new Headers({accept: 'application/json', 'content-type': 'application/json'}),
    JSON.stringify(appointment),
    httpOptions(config),
  );
  return {status: response.status, body: await response.json().catch(() => null)};
}

/**
 * The attacker's move: an ordinary sign-in at Planner, started in the attacker's own browser (its storage is
 * not the victim's), whose response they keep instead of following. `prompt=login` (OIDC Core §3.1.2.1)
 * makes the server ask who signs in, because in this lab one browser plays both people.
 */
export function attackerStartsOwnSignIn(as: oauth.AuthorizationServer, config: LabConfig, useState: boolean): URL {
  const values = new Map<string, string>();
  const attackerBrowser: StateStorage = {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
  const url = startSignIn(as, config, attackerBrowser, useState);
  url.searchParams.set('prompt', 'login');
  return url;
}
