import {Hono, type Context} from 'hono';
import {createLocalJWKSet, jwtVerify} from 'jose';
import * as oauth from 'oauth4webapi';
import {findClient, type CatalogClient} from '../catalog';
import {readFormParams} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {defineRoute} from '../routing';
import {halfHash} from '../tokens';
import {authorizationServer, inProcessOptions} from './client';
import {webappResultPage} from './pages';

const LOGIN_TTL = 600;
const loginKey = (state: string) => `webapp:login:${state}`;

interface PendingLogin {
  nonce: string;
  codeVerifier?: string;
}

/**
 * The server side of two demo apps, so their flows complete inside the sandbox: `regular-web-app`
 * (authorization code with PKCE and a client secret, RFC 9700 §2.1.1) and `form-post-app` (OIDC implicit
 * with response_mode=form_post). `GET .../login` starts a flow; the callbacks finish it.
 */
export function webappRoutes(sandbox: Sandbox): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const webApp = findClient(sandbox.catalog, 'regular-web-app')!;
  const formPostApp = findClient(sandbox.catalog, 'form-post-app')!;
  const page = (c: Context, status: 200 | 400, input: Parameters<typeof webappResultPage>[0]) => c.html(webappResultPage(input), status);

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
        const callback = new URL(c.req.url);
        const pending = await sandbox.store.take<PendingLogin>(loginKey(callback.searchParams.get('state') ?? ''));
        if (!pending?.codeVerifier) return page(c, 400, {appName, heading: 'Sign-in failed', error: 'Unknown or expired state: start the sign-in again.'});
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
          const claims = oauth.getValidatedIdTokenClaims(tokens);
          return page(c, 200, {appName, heading: `Signed in as ${String(claims?.name ?? claims?.sub)}`, ...(claims ? {claims: {...claims}} : {}), tokens: {...tokens}});
        } catch (error) {
          return page(c, 400, {appName, heading: 'Sign-in failed', error: describe(error)});
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
          response_type: c.req.query('response_type') === 'id_token' ? 'id_token' : 'id_token token',
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
        const form = await readFormParams(c);
        const pending = await sandbox.store.take<PendingLogin>(loginKey(form.values.get('state') ?? ''));
        if (!pending) return page(c, 400, {appName, heading: 'Sign-in failed', error: 'Unknown or expired state: start the sign-in again.'});
        const error = form.values.get('error');
        if (error) return page(c, 400, {appName, heading: 'Sign-in failed', error: `${error}: ${form.values.get('error_description') ?? ''}`});
        try {
          const claims = await verifyFormPostResponse(sandbox, formPostApp, pending, form.values);
          return page(c, 200, {appName, heading: `Signed in as ${String(claims.name ?? claims.sub)}`, claims, tokens: Object.fromEntries(form.values)});
        } catch (failure) {
          return page(c, 400, {appName, heading: 'Sign-in failed', error: describe(failure)});
        }
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
