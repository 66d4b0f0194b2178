import type {Context} from 'hono';
import type {Sandbox} from '../context';
import {findClient, findUserBySub} from '../catalog';
import {createGrant} from '../grant-store';
import {issueAuthorizationCode} from '../grants/authorization-code';
import {issueImplicitAccessToken, issueImplicitTokens} from '../grants/issue';
import type {OAuthError} from '../errors';
import type {AuthorizationRequest, ResponseMode} from '../interaction';
import {formPostPage} from '../pages/form-post';

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
  const all: Record<string, string> = {
    ...parameters,
    ...(target.state !== undefined ? {state: target.state} : {}),
    iss: sandbox.issuer,
  };
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
  if (request.responseType === 'token') {
    // RFC 6749 §4.2.2, for the tokens-in-url lab's client alone (endpoints/authorize.ts refuses it to any other).
    const token = await issueImplicitAccessToken(sandbox, {client, grant, scopes: request.scopes, user: catalogUser});
    return respondToClient(
      sandbox,
      c,
      request,
      Object.fromEntries(Object.entries(token).map(([name, value]) => [name, String(value)])),
    );
  }
  const tokens = await issueImplicitTokens(sandbox, {
    client,
    grant,
    scopes: request.scopes,
    user: catalogUser,
    withAccessToken: request.responseType === 'id_token token',
    ...(request.nonce !== undefined ? {nonce: request.nonce} : {}),
  });
  // Authorization response parameters are strings (RFC 6749 §4.2.2: expires_in as a decimal number).
  const parameters = Object.fromEntries(Object.entries(tokens).map(([name, value]) => [name, String(value)]));
  return respondToClient(sandbox, c, request, parameters);
}
