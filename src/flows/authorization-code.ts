/**
 * Authorization Code flow for a server-side web app (a confidential client).
 *
 * The browser only carries the authorization code. The app's server redeems
 * it at the token endpoint with its client secret, keeps the tokens, and
 * gives the browser nothing but its own session cookie. It also sends PKCE,
 * `state` and `nonce`, and checks the `iss` response parameter against
 * mix-up attacks. Everything protocol-level is done by oauth4webapi; this
 * module wires the steps into a small Hono app that runs on Node
 * (`@hono/node-server`) or in any other Fetch-API runtime.
 *
 * @see RFC 6749 §4.1 (authorization code grant) and §2.3.1 (client password)
 * @see RFC 9700 §2.1.1 (PKCE for confidential clients too)
 * @see RFC 9207 (authorization server issuer identification)
 * @see OpenID Connect Core 1.0 §3.1 (authentication using the code flow)
 */
import {Hono, type Context} from 'hono';
import * as oauth from 'oauth4webapi';
import {createRecordingFetch, type HttpExchangeRecord} from '../lib/http-exchange';
import {
  browserSessions,
  appSecurityHeaders,
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
} from './web-app-support';

/** What the web app knows about itself and the authorization server. */
export interface WebAppConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The app's registered client_id. */
  clientId: string;
  /** The app's client secret: it stays on this server. */
  clientSecret: string;
  /** Where this app is served, e.g. `https://app.example.com`. Its registered redirect URI is `${appUrl}/callback`. */
  appUrl: string;
  /** Space-separated scopes to ask for (default `openid profile email offline_access`). */
  scope?: string;
  /** Where the app keeps its sessions (and the tokens in them). */
  sessions: KeyValueStore;
  /** How a browser is recognized (default `cookie`). */
  sessionMode?: SessionMode;
  /** A fetch to reach the authorization server with, instead of the global one. */
  fetch?: FetchFunction;
  /** Allow plain-HTTP endpoints. Only for a development server on localhost; never in production. */
  allowInsecureRequests?: boolean;
  /** Shown on the app's pages. */
  appName?: string;
  /** A page to link back to from the app's pages; `/login?return_to=<it>` comes back to it after the sign-in. */
  guideUrl?: string;
  /** The API the app calls for its user: its identifier (asked for as `audience`), base URL and the scope it needs. */
  api?: {identifier: string; baseUrl: string; scope: string};
}

/** The sign-in this browser started, kept on the server until the browser comes back. */
interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  scope: string;
  audience: string | null;
  as: oauth.AuthorizationServer;
  /** Where to send the browser after the callback instead of the app's home page. */
  returnTo?: string;
}

/** The tokens from the token endpoint. They never leave the server. */
interface HeldTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

interface WebAppSession {
  pending?: PendingLogin;
  /** The back-channel exchanges of this browser's latest sign-in, token values replaced by a note. */
  backChannel: HttpExchangeRecord[];
  frontChannel?: FrontChannel;
  failure?: string;
  signedIn?: {held: HeldSession; tokens: HeldTokens};
}

/**
 * Builds the web app: `GET /` (who is signed in), `GET /login` (starts a sign-in), `GET /callback`
 * (the redirect URI), and `GET /back-channel` (what the server said to the authorization server for
 * this browser's latest sign-in, as JSON, with no token values). Paths are under `appUrl`'s path.
 *
 * @example
 * // Node, with @hono/node-server; any store with get/set/delete and expiry will do.
 * const app = createWebApp({
 *   issuer: 'https://auth.example.com',
 *   clientId: 'my-web-app',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   appUrl: 'https://app.example.com',
 *   sessions: myStore,
 * });
 * serve({fetch: app.fetch, port: 8080});
 */
export function createWebApp(config: WebAppConfig): Hono {
  const appUrl = config.appUrl.replace(/\/+$/, '');
  const appPath = new URL(appUrl).pathname.replace(/\/+$/, '');
  const redirectUri = `${appUrl}/callback`;
  const client: oauth.Client = {client_id: config.clientId};
  // RFC 6749 §2.3.1: the client_id and secret go in HTTP Basic authentication (client_secret_basic).
  const clientAuthentication = oauth.ClientSecretBasic(config.clientSecret);
  const sessions = browserSessions<WebAppSession>({
    store: config.sessions,
    name: 'webapp_session',
    path: appPath || '/',
    mode: config.sessionMode ?? 'cookie',
    secure: appUrl.startsWith('https:'),
  });
  const pages = {appName: config.appName ?? config.clientId, loginUrl: `${appUrl}/login`, guideUrl: config.guideUrl};
  const failed = (c: Context, error: string, status: 400 | 502 = 400) => c.html(failurePage(pages, error), status);
  const httpOptions = (backChannel: HttpExchangeRecord[]) =>
    requestOptions(
      createRecordingFetch((exchange) => backChannel.push(keepTokensOnServer(exchange)), config.fetch),
      config.allowInsecureRequests,
    );

  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- basePath() returns the same app
  const app: Hono = new Hono().basePath(appPath || '/');
  app.use(appSecurityHeaders());

  app.get('/', async (c) => c.html(homePage(pages, (await sessions.get(c))?.signedIn?.held ?? null)));

  app.get('/login', async (c) => {
    const comeBackTo = returnTo(c.req.query('return_to'), config.guideUrl);
    if (comeBackTo instanceof Error) return failed(c, comeBackTo.message);
    const backChannel: HttpExchangeRecord[] = [];
    let as: oauth.AuthorizationServer;
    try {
      as = await discover(config.issuer, httpOptions(backChannel));
    } catch (error) {
      return failed(c, `The authorization server's metadata could not be read: ${describeFailure(error)}`, 502);
    }
    const pending: PendingLogin = {
      // RFC 6749 §10.12 / OIDC Core §3.1.2.1: one-time values bound to this browser's session.
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      // RFC 9700 §2.1.1: PKCE, even with a client secret, against code injection.
      codeVerifier: oauth.generateRandomCodeVerifier(),
      scope:
        c.req.query('scope') ??
        [config.scope ?? 'openid profile email offline_access', config.api?.scope].filter(Boolean).join(' '),
      audience: c.req.query('audience') ?? config.api?.identifier ?? null,
      as,
      ...(comeBackTo ? {returnTo: comeBackTo} : {}),
    };
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: pending.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      ...(pending.audience ? {audience: pending.audience} : {}),
    }).toString();
    const {signedIn} = (await sessions.get(c)) ?? {};
    await sessions.save(c, {
      pending,
      backChannel,
      frontChannel: {authorizationRequest: url.href},
      ...(signedIn ? {signedIn} : {}),
    });
    return c.redirect(url.href, 303);
  });

  app.get('/callback', async (c) => {
    const session = await sessions.get(c);
    // RFC 6749 §10.12: only a response to a request this browser started is accepted.
    if (!session?.pending)
      return failed(c, 'No sign-in was started in this browser, or it expired: start the sign-in again.');
    const {pending, ...earlier} = session;
    const callbackUrl = new URL(c.req.url);
    // The code crossed the browser; it is shown once redeemed (and a code is single-use, RFC 6749 §4.1.2).
    const frontChannel: FrontChannel = {
      ...session.frontChannel!,
      response: {method: 'GET', parameters: [...callbackUrl.searchParams]},
    };
    const rest = {...earlier, frontChannel};
    // The pending sign-in is used once, whatever happens next.
    await sessions.save(c, rest);
    const {as} = pending;
    const backChannel = [...rest.backChannel];
    try {
      // RFC 6749 §4.1.2: state must be this browser's; RFC 9207 §2.4: iss must be the issuer. An error response throws.
      const callbackParameters = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
      // RFC 6749 §4.1.3: the code, the same redirect_uri, and (RFC 7636 §4.5) the code_verifier.
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuthentication,
        callbackParameters,
        redirectUri,
        pending.codeVerifier,
        httpOptions(backChannel),
      );
      // OIDC Core §3.1.3.7: the ID token's iss, aud, azp, exp, iat and nonce are checked here.
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      });
      const held: HeldSession = {
        idTokenClaims: {...oauth.getValidatedIdTokenClaims(tokens)},
        // The access token is opaque to the client (RFC 6749 §1.4): what the app knows comes from the response.
        accessToken: {
          audience: pending.audience,
          // RFC 6749 §5.1: no scope in the response means the scope asked for.
          scope: tokens.scope ?? pending.scope,
          expiresAt: Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 0),
        },
        refreshToken: tokens.refresh_token !== undefined,
      };
      const heldTokens: HeldTokens = {
        access_token: tokens.access_token,
        ...(tokens.refresh_token ? {refresh_token: tokens.refresh_token} : {}),
        ...(tokens.id_token ? {id_token: tokens.id_token} : {}),
      };
      // A new session id after sign-in, so an id planted in the browser before it is worth nothing.
      await sessions.renew(c, {backChannel, frontChannel, signedIn: {held, tokens: heldTokens}});
      // A fresh page without the code in its URL, so it cannot leak through history or a Referer (RFC 9700 §4.2.4).
      return c.redirect(pending.returnTo ?? appUrl, 303);
    } catch (error) {
      const failure = describeFailure(error);
      await sessions.save(c, {...rest, backChannel, failure});
      // The guide page reads the failure from /back-channel.
      return pending.returnTo ? c.redirect(pending.returnTo, 303) : failed(c, failure);
    }
  });

  app.get('/back-channel', async (c) => {
    const session = await sessions.get(c);
    const report: BackChannelReport = {
      exchanges: session?.backChannel ?? [],
      session: session?.signedIn?.held ?? null,
      frontChannel: session?.frontChannel ?? null,
      failure: session?.failure ?? null,
    };
    return c.json(report, 200, {'Cache-Control': 'no-store'});
  });

  // The app's own page that needs the API: its server calls it with the access token it holds (RFC 6750 §2.1).
  app.get('/api/*', async (c) => {
    const session = await sessions.get(c);
    if (!config.api) return c.json({error: 'not_found', error_description: 'this app calls no API'}, 404);
    if (!session?.signedIn)
      return c.json({error: 'login_required', error_description: 'sign in to the app first'}, 401);
    const path = c.req.path.slice(`${appPath}/api`.length);
    const backChannel = [...session.backChannel];
    const recording = createRecordingFetch((exchange) => backChannel.push(keepTokensOnServer(exchange)), config.fetch);
    try {
      const response = await oauth.protectedResourceRequest(
        session.signedIn.tokens.access_token,
        'GET',
        new URL(`${config.api.baseUrl}${path}`),
        new Headers({accept: 'application/json'}),
        null,
        requestOptions(recording, config.allowInsecureRequests),
      );
      // The page gets the API's answer, never the token that fetched it.
      return c.json({status: response.status, body: (await response.json().catch(() => null)) as unknown});
    } catch (error) {
      // RFC 6750 §3: the API refused the token (WWW-Authenticate challenge), or could not be reached.
      return c.json({
        status: error instanceof oauth.WWWAuthenticateChallengeError ? error.status : 502,
        error: describeFailure(error),
      });
    } finally {
      await sessions.save(c, {...session, backChannel});
    }
  });

  return app;
}

/**
 * Fetches and validates the authorization server's metadata. It runs at each sign-in so the page can
 * show it; a production app would keep the metadata for as long as its Cache-Control allows.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3.3 (the response's `issuer` must equal the issuer asked for)
 */
async function discover(issuer: string, options: oauth.HttpRequestOptions<'GET'>): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, {...options, algorithm: 'oidc'});
  return oauth.processDiscoveryResponse(issuerUrl, response);
}

/** oauth4webapi's request options: which fetch to use, and whether http: URLs are allowed. */
function requestOptions(fetch: FetchFunction, allowInsecureRequests = false) {
  return {
    // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      fetch(url, init as RequestInit),
    // RFC 6749 §3.1 and §3.2 require TLS; oauth4webapi refuses http: unless told otherwise.
    [oauth.allowInsecureRequests]: allowInsecureRequests,
  };
}

const TOKEN_NAMES = new Map([
  ['access_token', 'access token'],
  ['id_token', 'ID token'],
  ['refresh_token', 'refresh token'],
]);

/**
 * A recorded exchange as the browser may see it: a token response's token values are replaced by a
 * note, because the point of this flow is that tokens never reach the browser (RFC 6749 §4.1, §10.3).
 */
function keepTokensOnServer(recorded: HttpExchangeRecord): HttpExchangeRecord {
  // RFC 6750 §2.1: a bearer token sent to an API travels in Authorization; it stays on the server too.
  const exchange: HttpExchangeRecord = {
    ...recorded,
    request: {
      ...recorded.request,
      headers: recorded.request.headers.map(([name, value]) =>
        name.toLowerCase() === 'authorization' && /^bearer /i.test(value)
          ? [name, `Bearer <access token kept on the server: ${value.length - 7} characters>`]
          : [name, value],
      ),
    },
  };
  if (!exchange.response) return exchange;
  let body: unknown;
  try {
    body = JSON.parse(exchange.response.body);
  } catch {
    return exchange;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return exchange;
  const described = Object.fromEntries(
    Object.entries(body).map(([name, value]) =>
      TOKEN_NAMES.has(name) && typeof value === 'string'
        ? [name, `<${TOKEN_NAMES.get(name)} kept on the server: ${value.length} characters>`]
        : [name, value],
    ),
  );
  return {
    ...exchange,
    response: {
      ...exchange.response,
      // The body changed length, so its Content-Length would no longer be true.
      headers: exchange.response.headers.filter(([name]) => name.toLowerCase() !== 'content-length'),
      body: JSON.stringify(described),
    },
  };
}
