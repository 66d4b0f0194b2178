/**
 * Security lab: ID token replay, with and without the nonce check.
 *
 * "Members" is a web app that signs people in with OpenID Connect's implicit
 * flow, `response_type=id_token` and `response_mode=form_post`: the ID token
 * is posted to the app's server, which verifies it and starts a session for
 * its `sub`. The ID token crosses the browser, so it can be copied (a proxy
 * log, a browser extension, a shared computer's form history).
 *
 * An attacker who holds someone's old ID token starts a sign-in of their own,
 * so the `state` is right, signs in as themselves, and before the form is
 * posted swaps the ID token for the stolen one. Its signature, issuer,
 * audience and expiry are all valid. What gives it away is the `nonce`: the
 * app made a new one for this sign-in and sent it in the request, and the
 * server put the request's nonce in the ID token it issued. The stolen token
 * carries the nonce of another sign-in.
 *
 * The authorization server requires a nonce for every `response_type=id_token`
 * request (OIDC Core §3.2.2.1) and puts it in the ID token, for this client as
 * for every other. Whether it is compared is up to the app: this lab's app
 * can leave the comparison out of a sign-in, which is what its switch does.
 *
 * @see OpenID Connect Core 1.0 §15.5.2 (nonce implementation notes), §3.2.2.11 and §3.1.3.7 item 11
 * @see OAuth 2.0 Form Post Response Mode §2
 */
import {Hono, type Context} from 'hono';
import {createLocalJWKSet, jwtVerify, type JSONWebKeySet} from 'jose';
import * as oauth from 'oauth4webapi';
import {createRecordingFetch, type HttpExchangeRecord} from '../../lib/http-exchange';
import {
  appSecurityHeaders,
  browserSessions,
  describeFailure,
  failurePage,
  homePage,
  returnTo,
  type BackChannelReport,
  type FetchFunction,
  type FrontChannel,
  type HeldSession,
  type KeyValueStore,
  type SessionMode,
} from '../web-app-support';

export interface ReplayLabAppConfig {
  issuer: string;
  /** The app's client_id: a public client, it never calls the token endpoint. */
  clientId: string;
  /** Where the app is served; its registered redirect URI is `${appUrl}/callback`. */
  appUrl: string;
  sessions: KeyValueStore;
  sessionMode?: SessionMode;
  fetch?: FetchFunction;
  /** Allow plain-HTTP endpoints (a development server on localhost only). */
  allowInsecureRequests?: boolean;
  appName?: string;
  /** The lab's page: `/login?return_to=<it>` comes back to it. */
  guideUrl?: string;
}

/** The sign-in this browser started, kept on the server until the form post arrives. */
interface PendingLogin {
  state: string;
  nonce: string;
  /** Whether this sign-in compares the ID token's nonce with `nonce` (the lab's switch). */
  checkNonce: boolean;
  as: oauth.AuthorizationServer;
  returnTo?: string;
}

interface ReplayLabSession {
  pending?: PendingLogin;
  backChannel: HttpExchangeRecord[];
  frontChannel?: FrontChannel;
  failure?: string;
  signedIn?: HeldSession;
}

/** OIDC Core §3.1.3.7 item 7: without a registered id_token_signed_response_alg, ID tokens are RS256. */
const ID_TOKEN_ALGORITHMS = ['RS256'];

/**
 * Builds the app: `GET /login?check_nonce=on|off` (starts a sign-in), `POST /callback` (the redirect URI
 * the ID token is posted to) and `GET /back-channel` (this browser's session, latest sign-in and failure).
 */
export function createReplayLabApp(config: ReplayLabAppConfig): Hono {
  const appUrl = config.appUrl.replace(/\/+$/, '');
  const appPath = new URL(appUrl).pathname.replace(/\/+$/, '');
  const redirectUri = `${appUrl}/callback`;
  const sessions = browserSessions<ReplayLabSession>({
    store: config.sessions,
    name: 'replay_lab_session',
    path: appPath || '/',
    mode: config.sessionMode ?? 'cookie',
    secure: appUrl.startsWith('https:'),
  });
  const pages = {appName: config.appName ?? config.clientId, loginUrl: `${appUrl}/login`, guideUrl: config.guideUrl};
  const recordingFetch = (backChannel: HttpExchangeRecord[]) =>
    createRecordingFetch((exchange) => backChannel.push(exchange), config.fetch);

  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- basePath() returns the same app
  const app: Hono = new Hono().basePath(appPath || '/');
  app.use(appSecurityHeaders());

  app.get('/', async (c) => c.html(homePage(pages, (await sessions.get(c))?.signedIn ?? null)));

  app.get('/login', async (c) => {
    const comeBackTo = returnTo(c.req.query('return_to'), config.guideUrl);
    if (comeBackTo instanceof Error) return c.html(failurePage(pages, comeBackTo.message), 400);
    const backChannel: HttpExchangeRecord[] = [];
    let as: oauth.AuthorizationServer;
    try {
      const issuer = new URL(config.issuer);
      const fetch = recordingFetch(backChannel);
      as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, {
          algorithm: 'oidc',
          // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
          [oauth.customFetch]: (url, init) => fetch(url, init),
          [oauth.allowInsecureRequests]: config.allowInsecureRequests ?? false,
        }),
      );
    } catch (error) {
      return c.html(
        failurePage(pages, `The authorization server's metadata could not be read: ${describeFailure(error)}`),
        502,
      );
    }
    const pending: PendingLogin = {
      // RFC 6749 §10.12: state ties the response to this browser's sign-in.
      state: oauth.generateRandomState(),
      // OIDC Core §3.2.2.1: a fresh nonce for each request; the ID token must bring it back.
      nonce: oauth.generateRandomNonce(),
      checkNonce: c.req.query('check_nonce') !== 'off',
      as,
      ...(comeBackTo ? {returnTo: comeBackTo} : {}),
    };
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: 'id_token',
      // Form Post Response Mode §2: the ID token comes as a POST to the redirect URI, never in a URL.
      response_mode: 'form_post',
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      // OIDC Core §3.1.2.1: ask who signs in every time, because in the lab one browser plays two people.
      prompt: 'login',
    }).toString();
    // A new sign-in ends the previous session of this browser.
    await sessions.save(c, {pending, backChannel, frontChannel: {authorizationRequest: url.href}});
    return c.redirect(url.href, 303);
  });

  app.post('/callback', async (c) => {
    const session = await sessions.get(c);
    if (!session?.pending)
      return c.html(
        failurePage(pages, 'No sign-in was started in this browser, or it expired: start the sign-in again.'),
        400,
      );
    const {pending, ...rest} = session;
    // The pending sign-in is used once, whatever happens next.
    await sessions.save(c, rest);
    const backChannel = [...rest.backChannel];
    let frontChannel = rest.frontChannel;
    try {
      const response = await readFormPost(c);
      frontChannel = {
        authorizationRequest: rest.frontChannel?.authorizationRequest ?? '',
        response: {method: 'POST', parameters: [...response]},
      };
      // RFC 6749 §10.12: the state must be this browser's. The attacker started this sign-in, so it is.
      if (response.get('state') !== pending.state)
        throw new Error('state does not match the sign-in this browser started');
      // RFC 9207 §2.4: iss names the authorization server that answered.
      if (response.get('iss') !== pending.as.issuer)
        throw new Error('iss does not identify the authorization server the sign-in started at');
      const error = response.get('error');
      if (error) throw new Error(`${error}: ${response.get('error_description') ?? ''}`);
      const claims = await validateIdToken(
        response.get('id_token'),
        pending,
        config.clientId,
        recordingFetch(backChannel),
      );
      await sessions.renew(c, {
        backChannel,
        ...(frontChannel ? {frontChannel} : {}),
        signedIn: {idTokenClaims: claims, accessToken: null, refreshToken: false},
      });
      return c.redirect(pending.returnTo ?? appUrl, 303);
    } catch (error) {
      const failure = describeFailure(error);
      await sessions.save(c, {...rest, backChannel, ...(frontChannel ? {frontChannel} : {}), failure});
      return pending.returnTo ? c.redirect(pending.returnTo, 303) : c.html(failurePage(pages, failure), 400);
    }
  });

  app.get('/back-channel', async (c) => {
    const session = await sessions.get(c);
    const report: BackChannelReport = {
      exchanges: session?.backChannel ?? [],
      session: session?.signedIn ?? null,
      frontChannel: session?.frontChannel ?? null,
      failure: session?.failure ?? null,
    };
    return c.json(report, 200, {'Cache-Control': 'no-store'});
  });

  return app;
}

/** Form Post Response Mode §2: `application/x-www-form-urlencoded`; RFC 6749 §3.1: no parameter twice. */
async function readFormPost(c: Context): Promise<Map<string, string>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new Error('the sign-in response must be posted as application/x-www-form-urlencoded');
  }
  const response = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(await c.req.text())) {
    if (response.has(name)) throw new Error(`the response repeats the ${name} parameter`);
    response.set(name, value);
  }
  return response;
}

/**
 * Validates the posted ID token and returns its claims.
 *
 * @see OpenID Connect Core 1.0 §3.2.2.11 (and the §3.1.3.7 checks it refers to)
 */
async function validateIdToken(
  idToken: string | undefined,
  pending: PendingLogin,
  clientId: string,
  fetch: FetchFunction,
): Promise<Record<string, unknown>> {
  if (!idToken) throw new Error('the response has no id_token');
  if (!pending.as.jwks_uri) throw new Error('the authorization server metadata has no jwks_uri');
  const jwksResponse = await fetch(pending.as.jwks_uri, {headers: {accept: 'application/json'}});
  if (!jwksResponse.ok) throw new Error(`the JWKS request failed with HTTP ${jwksResponse.status}`);
  // §3.1.3.7 item 6: the signature; items 2, 3 and 9: iss, aud and exp.
  const {payload} = await jwtVerify(idToken, createLocalJWKSet((await jwksResponse.json()) as JSONWebKeySet), {
    algorithms: ID_TOKEN_ALGORITHMS,
    issuer: pending.as.issuer,
    audience: clientId,
    requiredClaims: ['sub', 'iat', 'exp'],
  });
  // §3.1.3.7 items 4 and 5: with several audiences, azp must be this client.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== clientId)
    throw new Error('the ID token has several audiences and its azp is not this client');
  // The defence, §3.2.2.11 and §3.1.3.7 item 11: the nonce must be the one this sign-in sent, so an old ID token cannot be replayed.
  if (pending.checkNonce && payload.nonce !== pending.nonce) {
    throw new Error('the ID token nonce does not match this sign-in');
  }
  return payload;
}
