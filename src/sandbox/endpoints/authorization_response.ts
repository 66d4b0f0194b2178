import type {Context} from 'hono';
import type {Sandbox} from '../context';
import {findClient, findUserBySub} from '../catalog';
import {createGrant, recordAccessToken} from '../grant_store';
import {issueAuthorizationCode} from '../grants/authorization_code';
import type {OAuthError} from '../errors';
import type {AuthorizationRequest, ResponseMode} from '../interaction';
import {formPostPage} from '../pages/form_post';
import {ACCESS_TOKEN_TTL, mintAccessToken, mintIdToken} from '../tokens';

/**
 * Sends parameters to the client's redirect URI in the requested response mode: query (RFC 6749
 * §4.1.2), fragment (OAuth 2.0 Multiple Response Types §2.1) or form_post (Form Post Response Mode §2).
 * `iss` is always added, RFC 9207 §2.
 */
export async function respondToClient(
  sandbox: Sandbox,
  c: Context,
  target: {redirectUri: string; responseMode: ResponseMode; state?: string | undefined},
  parameters: Record<string, string>,
): Promise<Response> {
  const all: Record<string, string> = {...parameters, ...(target.state !== undefined ? {state: target.state} : {}), iss: sandbox.issuer};
  if (target.responseMode === 'form_post') {
    return c.html(formPostPage(target.redirectUri, all), 200, {'Cache-Control': 'no-store'});
  }
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(all).toString();
  } else {
    for (const [name, value] of Object.entries(all)) url.searchParams.append(name, value);
  }
  // 303: after a POSTed login or consent form the user agent must follow with GET.
  return c.redirect(url.href, 303);
}

/** RFC 6749 §4.1.2.1 / §4.2.2.1: an error sent back to the client, with `state` and `iss`. */
export function respondWithError(
  sandbox: Sandbox,
  c: Context,
  target: {redirectUri: string; responseMode: ResponseMode; state?: string | undefined},
  error: OAuthError,
): Promise<Response> {
  return respondToClient(sandbox, c, target, {error: error.code, error_description: error.description});
}

/**
 * The successful authorization response: a code (RFC 6749 §4.1.2), or an ID token, optionally with an
 * access token, for the implicit form_post flow (OIDC Core §3.2.2.5).
 */
export async function respondWithAuthorization(
  sandbox: Sandbox,
  c: Context,
  request: AuthorizationRequest,
  user: {sub: string; authTime: number},
): Promise<Response> {
  const grant = await createGrant(sandbox, {
    clientId: request.clientId,
    sub: user.sub,
    scopes: request.scopes,
    aud: request.aud,
    authTime: user.authTime,
  });
  if (request.responseType === 'code') {
    const code = await issueAuthorizationCode(sandbox, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      grantId: grant.id,
      ...(request.codeChallenge !== undefined ? {codeChallenge: request.codeChallenge} : {}),
      ...(request.nonce !== undefined ? {nonce: request.nonce} : {}),
    });
    return respondToClient(sandbox, c, request, {code});
  }
  const client = findClient(sandbox.catalog, request.clientId);
  const catalogUser = findUserBySub(sandbox.catalog, user.sub);
  if (!client || !catalogUser) throw new Error('authorization for an unknown client or user');
  const parameters: Record<string, string> = {};
  let accessToken: string | undefined;
  if (request.responseType === 'id_token token') {
    const access = await mintAccessToken(sandbox, sandbox.keys, {
      sub: user.sub,
      clientId: client.client_id,
      scopes: request.scopes,
      aud: request.aud,
      authTime: user.authTime,
    });
    await recordAccessToken(sandbox, grant.id, {jti: access.claims.jti, exp: access.claims.exp});
    accessToken = access.token;
    Object.assign(parameters, {access_token: access.token, token_type: 'Bearer', expires_in: String(ACCESS_TOKEN_TTL)});
    // RFC 6749 §3.3: no empty `scope` parameter when nothing was granted.
    if (request.scopes.length > 0) parameters.scope = request.scopes.join(' ');
  }
  parameters.id_token = await mintIdToken(sandbox, sandbox.keys, {
    user: catalogUser,
    clientId: client.client_id,
    // OIDC Core §5.4: with an access token issued, claims are for the UserInfo endpoint, unless only an ID token is issued.
    scopes: request.scopes,
    authTime: user.authTime,
    ...(request.nonce !== undefined ? {nonce: request.nonce} : {}),
    ...(accessToken !== undefined ? {accessToken} : {}),
  });
  return respondToClient(sandbox, c, request, parameters);
}
