import {Hono, type Context} from 'hono';
import {createLocalJWKSet, decodeJwt, jwtVerify} from 'jose';
import * as oauth from 'oauth4webapi';
import {findClient, type CatalogClient} from '../catalog';
import {readFormParams} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {defineRoute} from '../routing';
import {createSessions} from '../session';
import {halfHash} from '../tokens';
import {authorizationServer, inProcessOptions} from './client';
import {webAppFailurePage, webAppHomePage, type WebAppSession} from './pages';

const LOGIN_TTL = 600;
const loginKey = (state: string) => `webapp:login:${state}`;

interface PendingLogin {
  nonce: string;
  codeVerifier?: string;
}

/**
 * The server side of two demo apps, so their flows complete inside the sandbox: `regular-web-app`
 * (authorization code with PKCE and a client secret, RFC 9700 §2.1.1) at `/webapp`, and `form-post-app`
 * (OIDC implicit with response_mode=form_post, ID token only) at `/webapp/form-post`. `GET .../login`
 * starts a flow; the callback finishes it, keeps the result in the app's own session and sends the
 * browser to the app's home page, so neither the code nor any token stays in the address bar.
 */
export function webappRoutes(sandbox: Sandbox): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const webApp = findClient(sandbox.catalog, 'regular-web-app')!;
  const formPostApp = findClient(sandbox.catalog, 'form-post-app')!;
  const webAppHome = `${sandbox.issuer}/webapp`;
  const formPostHome = `${sandbox.issuer}/webapp/form-post`;
  const webAppSessions = createSessions<WebAppSession>(sandbox, {name: 'webapp_session', path: webAppHome});
  const formPostSessions = createSessions<WebAppSession>(sandbox, {name: 'form_post_app_session', path: formPostHome});
  const failed = (c: Context, appName: string, loginUrl: string, error: string) =>
    c.html(webAppFailurePage({appName, loginUrl, error}), 400);

  defineRoute(app, '/', {
    GET: [
      async (c) =>
        c.html(webAppHomePage({appName: webApp.client_name, loginUrl: `${webAppHome}/login`, session: await webAppSessions.get(c)})),
    ],
  });
  defineRoute(app, '/form-post', {
    GET: [
      async (c) =>
        c.html(
          webAppHomePage({appName: formPostApp.client_name, loginUrl: `${formPostHome}/login`, session: await formPostSessions.get(c)}),
        ),
    ],
  });

  defineRoute(app, '/login', {
    GET: [
      async (c) => {
        const state = oauth.generateRandomState();
        const nonce = oauth.generateRandomNonce();
        const codeVerifier = oauth.generateRandomCodeVerifier();
        await sandbox.store.set<PendingLogin>(loginKey(state), {nonce, codeVerifier}, LOGIN_TTL);
        const url = new URL(sandbox.endpoints.authorization);
        url.search = new URLSearchParams({
          client_id: webApp.client_id,
          response_type: 'code',
          redirect_uri: webApp.redirect_uris[0]!,
          scope: c.req.query('scope') ?? 'openid profile email offline_access',
          state,
          nonce,
          code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          ...(c.req.query('audience') ? {audience: c.req.query('audience')!} : {}),
        }).toString();
        return c.redirect(url.href, 303);
      },
    ],
  });

  defineRoute(app, '/callback', {
    GET: [
      async (c) => {
        const appName = webApp.client_name;
        const loginUrl = `${webAppHome}/login`;
        const callback = new URL(c.req.url);
        const pending = await sandbox.store.take<PendingLogin>(loginKey(callback.searchParams.get('state') ?? ''));
        if (!pending?.codeVerifier) return failed(c, appName, loginUrl, 'Unknown or expired state: start the sign-in again.');
        const as = authorizationServer(sandbox);
        const client: oauth.Client = {client_id: webApp.client_id};
        try {
          const parameters = oauth.validateAuthResponse(as, client, callback, callback.searchParams.get('state')!);
          const response = await oauth.authorizationCodeGrantRequest(
            as,
            client,
            oauth.ClientSecretBasic(webApp.client_secret!),
            parameters,
            webApp.redirect_uris[0]!,
            pending.codeVerifier,
            inProcessOptions(sandbox),
          );
          const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {expectedNonce: pending.nonce, requireIdToken: true});
          const claims = oauth.getValidatedIdTokenClaims(tokens)!;
          const access = decodeJwt(tokens.access_token);
          // The tokens stay in the server-side session; the browser only ever carried the code (RFC 6749 §4.1, §10.3).
          await webAppSessions.start(c, {
            claims: {...claims},
            accessToken: {audience: access.aud ?? [], ...(tokens.scope ? {scope: tokens.scope} : {}), expiresAt: access.exp ?? 0},
            hasRefreshToken: tokens.refresh_token !== undefined,
          });
          // A fresh page without the code in its URL, so it cannot leak through history or a Referer (RFC 9700 §4.2.4).
          return c.redirect(webAppHome, 303);
        } catch (error) {
          return failed(c, appName, loginUrl, describe(error));
        }
      },
    ],
  });

  defineRoute(app, '/form-post/login', {
    GET: [
      async (c) => {
        const state = oauth.generateRandomState();
        const nonce = oauth.generateRandomNonce();
        await sandbox.store.set<PendingLogin>(loginKey(state), {nonce}, LOGIN_TTL);
        const url = new URL(sandbox.endpoints.authorization);
        url.search = new URLSearchParams({
          client_id: formPostApp.client_id,
          // The app only needs to know who signed in: an ID token alone, so no access token crosses the browser
          // (RFC 9700 §2.1.2). `?response_type=id_token%20token` shows the variant that also returns one.
          response_type: c.req.query('response_type') === 'id_token token' ? 'id_token token' : 'id_token',
          response_mode: 'form_post',
          redirect_uri: formPostApp.redirect_uris[0]!,
          scope: 'openid profile email',
          state,
          nonce,
        }).toString();
        return c.redirect(url.href, 303);
      },
    ],
  });

  defineRoute(app, '/form-post/callback', {
    POST: [
      async (c) => {
        const appName = formPostApp.client_name;
        const loginUrl = `${formPostHome}/login`;
        const form = await readFormParams(c);
        const pending = await sandbox.store.take<PendingLogin>(loginKey(form.values.get('state') ?? ''));
        if (!pending) return failed(c, appName, loginUrl, 'Unknown or expired state: start the sign-in again.');
        const error = form.values.get('error');
        if (error) return failed(c, appName, loginUrl, `${error}: ${form.values.get('error_description') ?? ''}`);
        try {
          const claims = await verifyFormPostResponse(sandbox, formPostApp, pending, form.values);
          await formPostSessions.start(c, {claims});
          return c.redirect(formPostHome, 303);
        } catch (failure) {
          return failed(c, appName, loginUrl, describe(failure));
        }
      },
    ],
    // An error the authorization server could not post (e.g. it refused response_mode=query) arrives in
    // the query instead (RFC 6749 §4.1.2.1): show it rather than a bare 405.
    GET: [
      async (c) => {
        const appName = formPostApp.client_name;
        const loginUrl = `${formPostHome}/login`;
        const error = c.req.query('error');
        if (!error) return failed(c, appName, loginUrl, 'This address expects the sign-in response as a form post.');
        await sandbox.store.take<PendingLogin>(loginKey(c.req.query('state') ?? ''));
        return failed(c, appName, loginUrl, `${error}: ${c.req.query('error_description') ?? ''}`);
      },
    ],
  });
  return app;
}

/** OIDC Core §3.2.2.11: validates the ID token (and at_hash) of an implicit form_post response. */
async function verifyFormPostResponse(sandbox: Sandbox, client: CatalogClient, pending: PendingLogin, values: Map<string, string>) {
  // RFC 9207 §2.4: the iss parameter must be the issuer.
  if (values.get('iss') !== sandbox.issuer) throw new Error('iss does not identify the sandbox');
  const idToken = values.get('id_token');
  if (!idToken) throw new Error('the response has no id_token');
  const {payload} = await jwtVerify(idToken, createLocalJWKSet(await sandbox.keys.jwks()), {
    issuer: sandbox.issuer,
    audience: client.client_id,
    algorithms: ['RS256'],
    currentDate: new Date(sandbox.now()),
  });
  if (payload.nonce !== pending.nonce) throw new Error('nonce mismatch');
  const accessToken = values.get('access_token');
  if (accessToken !== undefined && payload.at_hash !== (await halfHash(accessToken))) throw new Error('at_hash does not match the access token');
  return payload as Record<string, unknown>;
}

function describe(error: unknown): string {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return `${error.error}: ${error.error_description ?? ''}`;
  }
  return error instanceof Error ? error.message : 'unexpected error';
}
