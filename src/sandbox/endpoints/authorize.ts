import type {Context, Handler} from 'hono';
import {findClient, type CatalogClient} from '../catalog';
import {isFormEncoded, parseParams, readBodyText, spaceList, type Params} from '../checks/params';
import {checkCodeChallenge} from '../checks/pkce';
import {matchRedirectUri} from '../checks/redirect-uri';
import {resolveScopeAndAudience} from '../checks/scope';
import {hasConsent} from '../consent';
import {epochSeconds, type Sandbox} from '../context';
import {
  ConsentRequired,
  InvalidRequest,
  LoginRequired,
  asOAuthError,
  OAuthError,
  UnauthorizedClient,
  UnsupportedResponseType,
} from '../errors';
import {
  createInteraction,
  endInteraction,
  interactionUrl,
  saveInteraction,
  type AuthorizationRequest,
  type Interaction,
  type ResponseMode,
  type ResponseType,
} from '../interaction';
import {mayOmitPkce, mayReceiveTokenInUrl, prefixMatchedRedirectUri} from '../labs';
import {backLinks} from '../pages/back-links';
import {errorPage} from '../pages/error';
import {browserOf, getSession} from '../session';
import {defaultAudience} from '../tokens';
import {redeemPushedRequest} from '../par';
import {respondWithAuthorization, respondWithError} from './authorization-response';

const RESPONSE_TYPES: ResponseType[] = ['code', 'id_token', 'id_token token'];
const RESPONSE_MODES: ResponseMode[] = ['query', 'fragment', 'form_post'];
const PROMPTS = ['none', 'login', 'consent'];

/** Thrown before the redirect URI is trusted: shown on the sandbox's own page, never redirected. */
export class UntrustedRequest extends Error {
  constructor(
    readonly description: string,
    readonly code = 'invalid_request',
  ) {
    super(description);
  }
}

/**
 * The authorization endpoint, RFC 6749 §3.1 (GET, and POST per OIDC Core §3.1.2.1). An unknown client or
 * a redirect URI that is not registered is shown as an error page (RFC 6749 §4.1.2.1); every other error
 * goes back to the client with `state` and `iss`.
 */
export function authorizeEndpoint(sandbox: Sandbox): Handler {
  return async function authorize(c) {
    let params: Params;
    let client: CatalogClient;
    let redirectUri: string;
    try {
      const sent = await readAuthorizeParams(c);
      const pushed = sent.values.has('request_uri') ? await pushedRequest(sandbox, sent) : undefined;
      params = pushed ?? sent;
      ({client, redirectUri} = trustedClientAndRedirect(sandbox, params, {pushed: pushed !== undefined}));
    } catch (thrown) {
      const error = asOAuthError(thrown);
      const known = error instanceof UntrustedRequest || error instanceof OAuthError;
      const description = known ? error.message : 'malformed request';
      const code = known ? error.code : 'invalid_request';
      // The redirect URI was not validated: the page links to the guide only, never to it.
      return c.html(errorPage({error: code, description, back: backLinks(sandbox.siteUrl)}), 400);
    }
    const state = params.repeated.has('state') ? undefined : params.values.get('state');
    const responseMode = defaultResponseMode(params);
    let interaction: Interaction | undefined;
    try {
      const request = validateRequest(sandbox, client, redirectUri, params);
      interaction = await createInteraction(sandbox, request, await browserOf(sandbox, c));
      return await continueAuthorization(sandbox, c, interaction);
    } catch (thrown) {
      const error = asOAuthError(thrown);
      if (!(error instanceof OAuthError)) throw thrown;
      // An answered request (prompt=none without a session, say) is over: it must not hold a place.
      if (interaction) await endInteraction(sandbox, interaction.id);
      return respondWithError(sandbox, c, {redirectUri, responseMode, state}, error);
    }
  };
}

async function readAuthorizeParams(c: Context): Promise<Params> {
  if (c.req.method === 'GET') return parseParams(new URL(c.req.url).searchParams);
  if (!isFormEncoded(c.req.raw)) throw new InvalidRequest('a POSTed authorization request must be form-encoded');
  return parseParams(new URLSearchParams(await readBodyText(c.req.raw)));
}

/**
 * RFC 9126 §4: an authorization request by reference, `client_id` and `request_uri`. The pushed parameters
 * are the request; any other parameter sent here is ignored. An unknown, expired or used request_uri, or
 * another client's, is `invalid_request_uri` (RFC 9101 §6.2, which RFC 9126 §4 refers to); it is shown on
 * the sandbox's page, as no redirect URI can be trusted without the request.
 */
async function pushedRequest(sandbox: Sandbox, sent: Params): Promise<Params> {
  for (const name of ['client_id', 'request_uri'])
    if (sent.repeated.has(name)) throw new UntrustedRequest(`${name} must not be repeated`);
  const clientId = sent.values.get('client_id');
  // RFC 9126 §4: client_id is required beside request_uri.
  if (clientId === undefined) throw new UntrustedRequest('client_id is missing');
  const redeemed = await redeemPushedRequest(sandbox, clientId, sent.values.get('request_uri')!);
  if (redeemed === 'other-client')
    throw new UntrustedRequest(`the request_uri was pushed by another client than ${clientId}`, 'invalid_request_uri');
  if (redeemed === 'unknown')
    throw new UntrustedRequest(
      'the request_uri is unknown, has expired or was used already: push the request again',
      'invalid_request_uri',
    );
  return redeemed;
}

/**
 * The client and its redirect URI, each checked before anything is sent to that URI (RFC 6749 §4.1.2.1).
 * `pushed`: the parameters came from a pushed request (RFC 9126 §4), which a client registered with
 * require_pushed_authorization_requests must use (§6).
 */
export function trustedClientAndRedirect(
  sandbox: Sandbox,
  params: Params,
  {pushed}: {pushed: boolean},
): {client: CatalogClient; redirectUri: string} {
  if (params.repeated.has('client_id')) throw new UntrustedRequest('client_id must not be repeated');
  const clientId = params.values.get('client_id');
  if (clientId === undefined) throw new UntrustedRequest('client_id is missing');
  const client = findClient(sandbox.catalog, clientId);
  if (!client) throw new UntrustedRequest(`unknown client_id ${clientId}`);
  // RFC 9126 §6: refused before the redirect URI is looked at, so nothing is sent to an unverified URI.
  if (client.require_pushed_authorization_requests && !pushed)
    throw new UntrustedRequest(
      `client ${clientId} must push its authorization requests (RFC 9126): POST them to /par, then send client_id and request_uri here`,
    );
  if (params.repeated.has('redirect_uri')) throw new UntrustedRequest('redirect_uri must not be repeated');
  // OIDC Core §3.1.2.1 makes redirect_uri required; so does the sandbox, for every client.
  const requested = params.values.get('redirect_uri');
  if (requested === undefined) throw new UntrustedRequest('redirect_uri is missing');
  // The loose-redirect-uri lab's weak app alone is matched by prefix as well (sandbox/labs.ts).
  const redirectUri = matchRedirectUri(client, requested) ?? prefixMatchedRedirectUri(client, requested);
  if (!redirectUri) throw new UntrustedRequest(`redirect_uri ${requested} is not registered for ${clientId}`);
  return {client, redirectUri};
}

/** The response mode to answer errors in, even when the request's own value is unusable. */
function defaultResponseMode(params: Params): ResponseMode {
  const requested = params.values.get('response_mode') as ResponseMode | undefined;
  // Multiple Response Types §2.1: fragment is the default for responses that include tokens, and "in no
  // case" may such a response use the query, so response_mode=query is not honoured for them.
  const carriesTokens = params.values.get('response_type')?.includes('token') ?? false;
  if (
    requested &&
    RESPONSE_MODES.includes(requested) &&
    !params.repeated.has('response_mode') &&
    !(carriesTokens && requested === 'query')
  )
    return requested;
  return carriesTokens ? 'fragment' : 'query';
}

export function validateRequest(
  sandbox: Sandbox,
  client: CatalogClient,
  redirectUri: string,
  params: Params,
): AuthorizationRequest {
  const repeated = [...params.repeated].filter((name) => name !== 'resource' && name !== 'audience');
  if (repeated.length > 0) throw new InvalidRequest(`parameter ${repeated[0]} must not be repeated`); // RFC 6749 §3.1
  // OIDC Core §6: request objects are not supported.
  if (params.values.has('request')) throw new OAuthError('request_not_supported', 'request objects are not supported');
  if (params.values.has('request_uri'))
    throw new OAuthError('request_uri_not_supported', 'request_uri is not supported');

  const rawResponseType = params.values.get('response_type');
  if (rawResponseType === undefined) throw new InvalidRequest('response_type is missing');
  // Multiple Response Types §3: the order of space-delimited values does not matter.
  // RFC 9700 §2.1.2: no access token in a URL, so `token` (RFC 6749 §4.2) is unsupported, as it was always,
  // except for the tokens-in-url lab's implicit app (sandbox/labs.ts), whose lab shows why.
  const responseType =
    RESPONSE_TYPES.find((type) => sameSet(type, rawResponseType)) ??
    (rawResponseType === 'token' && mayReceiveTokenInUrl(client) ? 'token' : undefined);
  if (!responseType) throw new UnsupportedResponseType(`response_type ${rawResponseType} is not supported`);
  if (!client.response_types.includes(responseType)) {
    throw new UnauthorizedClient(`client ${client.client_id} may not use response_type ${responseType}`);
  }
  const rawMode = params.values.get('response_mode');
  if (rawMode !== undefined && !RESPONSE_MODES.includes(rawMode as ResponseMode))
    throw new InvalidRequest(`response_mode ${rawMode} is not supported`);
  const responseMode = defaultResponseMode(params);

  const {scopes, api} = resolveScopeAndAudience(sandbox.catalog, params);
  const nonce = params.values.get('nonce');
  if (responseType === 'token') {
    // RFC 6749 §4.2.2: the access token is added to the redirect URI's fragment; asking for the query (which
    // Multiple Response Types §2.1 forbids for tokens) or form_post is refused rather than overridden.
    if (responseMode !== 'fragment' || (rawMode !== undefined && rawMode !== 'fragment'))
      throw new InvalidRequest('response_type token is answered in the fragment only');
  } else if (responseType !== 'code') {
    // The sandbox issues tokens from the authorization endpoint only by form_post, never in a URL.
    if (responseMode !== 'form_post')
      throw new InvalidRequest(`response_type ${responseType} requires response_mode=form_post`);
    // OIDC Core §3.2.2.1: nonce is required, and this is an OpenID Connect request.
    if (nonce === undefined) throw new InvalidRequest('nonce is required for response_type containing id_token');
    if (!scopes.includes('openid')) throw new InvalidRequest('response_type id_token requires the openid scope');
  } else {
    // RFC 9700 §2.1.1: PKCE for every authorization code request, confidential clients included (it stops
    // code injection, which a client secret does not); the catalog flags each code-flow client so. The one
    // exception is the code-interception lab's victim app (sandbox/labs.ts), which may leave PKCE out
    // entirely so its lab can show the attack; a challenge it does send is checked like any other.
    const challenge = params.values.get('code_challenge');
    const method = params.values.get('code_challenge_method');
    const labRunWithoutPkce = mayOmitPkce(client) && challenge === undefined && method === undefined;
    if (!labRunWithoutPkce) checkCodeChallenge(challenge, method);
  }

  const prompt = spaceList(params.values.get('prompt'));
  const unknownPrompt = prompt.find((value) => !PROMPTS.includes(value));
  if (unknownPrompt) throw new InvalidRequest(`prompt ${unknownPrompt} is not supported`);
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (prompt.includes('none') && prompt.length > 1)
    throw new InvalidRequest('prompt=none cannot be combined with other values');
  const rawMaxAge = params.values.get('max_age');
  if (rawMaxAge !== undefined && !/^\d{1,9}$/.test(rawMaxAge))
    throw new InvalidRequest('max_age must be a non-negative integer');

  const state = params.values.get('state');
  const codeChallenge = params.values.get('code_challenge');
  return {
    clientId: client.client_id,
    redirectUri,
    responseType,
    responseMode,
    scopes,
    aud: api?.identifier ?? defaultAudience(sandbox),
    prompt,
    ...(state !== undefined ? {state} : {}),
    ...(nonce !== undefined ? {nonce} : {}),
    ...(responseType === 'code' && codeChallenge !== undefined ? {codeChallenge} : {}),
    ...(rawMaxAge !== undefined ? {maxAge: Number(rawMaxAge)} : {}),
  };
}

function sameSet(a: string, b: string): boolean {
  const left = a.split(' ').sort().join(' ');
  const right = b.split(' ').filter(Boolean).sort().join(' ');
  return left === right;
}

/**
 * Moves an interaction to its next step: the login page, the consent page, or the answer to the client.
 * OIDC Core §3.1.2.6: with prompt=none, needing either page is login_required / consent_required.
 * OIDC Core §11: offline_access is never granted silently. It is honoured only after the user allowed it
 * on the consent page, where it is listed in words, now or in a remembered consent (the "other
 * conditions" §11 allows); a refresh token then comes only from the token endpoint (grants/issue.ts).
 */
export async function continueAuthorization(sandbox: Sandbox, c: Context, interaction: Interaction): Promise<Response> {
  const {request} = interaction;
  if (!interaction.sub) {
    const session = await getSession(sandbox, c);
    const fresh =
      session && (request.maxAge === undefined || epochSeconds(sandbox) - session.authTime <= request.maxAge);
    if (session && fresh && !request.prompt.includes('login')) {
      interaction.sub = session.sub;
      interaction.authTime = session.authTime;
      await saveInteraction(sandbox, interaction);
    } else {
      if (request.prompt.includes('none')) throw new LoginRequired('the user is not logged in');
      return c.redirect(interactionUrl(sandbox, interaction, 'login'), 303);
    }
  }
  if (!interaction.consented) {
    const remembered = await hasConsent(sandbox, interaction.sub, request.clientId, request.aud, request.scopes);
    if (!remembered || request.prompt.includes('consent')) {
      if (request.prompt.includes('none')) throw new ConsentRequired('the user has not consented to this request');
      return c.redirect(interactionUrl(sandbox, interaction, 'consent'), 303);
    }
  }
  await endInteraction(sandbox, interaction.id);
  return respondWithAuthorization(sandbox, c, request, {
    sub: interaction.sub,
    authTime: interaction.authTime ?? epochSeconds(sandbox),
  });
}
