/**
 * One single-page app calling two APIs (calendar and contacts): one access token per API.
 *
 * An access token names one API as its audience (`aud`; with `openid` asked for, the
 * UserInfo endpoint too, OIDC Core §5.3), and each API accepts only tokens meant for it: the contacts API answers the calendar token with `401` and
 * `WWW-Authenticate: Bearer error="invalid_token"`. So the app runs the authorization
 * code flow once per API, each time naming the API in `resource` (RFC 8707) and asking
 * for that API's scopes, and keeps the tokens apart. The second round needs no new
 * login: the user still has a session at the authorization server (single sign-on;
 * no `prompt` is sent), so at most the new scopes are shown for consent.
 *
 * Why this file imports `./authorization-code-pkce` instead of repeating it: each
 * round *is* that flow (PKCE, state, nonce, iss check, code exchange), shown line by
 * line on its own page. Repeating those lines here would hide the few that matter for
 * several APIs (which audience, which scopes, which token for which call) and would
 * leave two copies of security-critical code to keep in step. To reuse this file,
 * copy both.
 *
 * @see RFC 8707 §2 (resource indicators), RFC 9068 §4 (the API checks `aud`)
 * @see RFC 6750 §3.1 (invalid_token and insufficient_scope challenges)
 * @see RFC 9700 §2.3 (audience-restricted, least-privilege access tokens)
 */
import * as oauth from 'oauth4webapi';
import {
  beginAuthorization,
  completeAuthorization,
  discover,
  type AuthorizationRequest,
  type SpaConfig,
} from './authorization-code-pkce';

export {discover};
export type {AuthorizationRequest, SpaConfig};

/** One API the app calls. */
export interface ApiAudience {
  /** The API's identifier: sent as `resource`, and named in the access token's `aud`. */
  identifier: string;
  /** Space-separated scopes of this API the app needs, e.g. `calendar:read`. */
  scope: string;
}

/** The SPA's configuration, without a particular API. */
export interface MultiApiConfig extends Omit<SpaConfig, 'audience' | 'scope'> {
  /** Scopes to ask for with every API, e.g. `openid offline_access`. */
  baseScope?: string;
}

/** What an API answered: its JSON on success, or its status and challenge on refusal. */
export type ApiResult =
  | {ok: true; status: number; body: unknown}
  | {
      ok: false;
      status: number;
      body: unknown;
      /** The parsed `WWW-Authenticate` challenge, e.g. scheme `bearer`, `error` `invalid_token` (RFC 6750 §3). */
      challenge?: oauth.WWWAuthenticateChallenge;
    };

/**
 * The configuration of one authorization round: the API's identifier as the audience
 * and the common scopes plus the API's own.
 *
 * @see RFC 8707 §2, RFC 6749 §3.3
 */
export function configFor(config: MultiApiConfig, api: ApiAudience): SpaConfig {
  const {baseScope, ...rest} = config;
  return {...rest, audience: api.identifier, scope: [baseScope, api.scope].filter(Boolean).join(' ')};
}

/**
 * Starts an authorization for one API, with fresh PKCE, state and nonce. Keep the
 * returned secrets per round: each round is a separate authorization.
 *
 * @see RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2
 */
export async function beginAuthorizationFor(
  as: oauth.AuthorizationServer,
  config: MultiApiConfig,
  api: ApiAudience,
): Promise<AuthorizationRequest> {
  return beginAuthorization(as, configFor(config, api));
}

/**
 * Finishes the authorization for one API: checks the response and exchanges the
 * code. The access token is for `api` only; store it under that API.
 *
 * @see RFC 6749 §4.1.3, RFC 9068 §3 (`aud` is the requested resource)
 */
export async function completeAuthorizationFor(
  as: oauth.AuthorizationServer,
  config: MultiApiConfig,
  api: ApiAudience,
  currentUrl: URL | string,
  saved: AuthorizationRequest,
): Promise<oauth.TokenEndpointResponse> {
  return completeAuthorization(as, configFor(config, api), currentUrl, saved);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Calls an API with a bearer token. A refusal is a result, not an exception: `401`
 * with `error="invalid_token"` when the token is not for this API (or expired or
 * revoked), `403` with `error="insufficient_scope"` when it lacks the scope needed.
 *
 * @see RFC 6750 §2.1 (Authorization: Bearer), §3 and §3.1 (the challenge and its errors)
 */
export async function callApi(
  url: string | URL,
  accessToken: string,
  config: Pick<SpaConfig, 'fetch' | 'allowInsecureRequests'> = {},
): Promise<ApiResult> {
  const options: oauth.ProtectedResourceRequestOptions = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (input, init) => customFetch(input, init as RequestInit);
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  try {
    const response = await oauth.protectedResourceRequest(
      accessToken,
      'GET',
      new URL(url),
      new Headers({accept: 'application/json'}),
      null,
      options,
    );
    const body = await readBody(response);
    return response.ok ? {ok: true, status: response.status, body} : {ok: false, status: response.status, body};
  } catch (error) {
    // oauth4webapi throws when the response carries a WWW-Authenticate challenge, leaving its body unread.
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    const challenge = error.cause.find((candidate) => candidate.scheme === 'bearer') ?? error.cause.at(0);
    return {ok: false, status: error.status, body: await readBody(error.response), ...(challenge ? {challenge} : {})};
  }
}
