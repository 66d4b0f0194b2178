/**
 * OpenID Connect implicit flow with the form_post response mode, for an app
 * that only needs to know who signed in.
 *
 * The app asks for `response_type=id_token`: an ID token and no access
 * token, so no token the app could use against an API crosses the browser
 * (RFC 9700 §2.1.2). The authorization server posts the response to the
 * app's server in a form, so it never appears in a URL, and the server
 * validates the ID token itself: signature against the issuer's JWKS,
 * `iss`, `aud`, `exp`, `nonce`, and `at_hash` when an access token came
 * along. oauth4webapi handles discovery; the ID token is checked with jose,
 * since oauth4webapi leaves implicit responses out on purpose. Runs on Node
 * (`@hono/node-server`) or in any other Fetch-API runtime.
 *
 * @see OpenID Connect Core 1.0 §3.2 (implicit flow), §3.2.2.11 (ID token validation)
 * @see OAuth 2.0 Form Post Response Mode §2
 * @see RFC 9207 (authorization server issuer identification)
 */
import {Hono, type Context} from 'hono';
import {base64url, createLocalJWKSet, jwtVerify, type JSONWebKeySet} from 'jose';
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

/** What the form-post app knows about itself and the authorization server. */
export interface FormPostAppConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The app's registered client_id (a public client: it has no secret and never calls the token endpoint). */
  clientId: string;
  /** Where this app is served, e.g. `https://app.example.com`. Its registered redirect URI is `${appUrl}/callback`. */
  appUrl: string;
  /** Where the app keeps its sessions. */
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
}

type ImplicitResponseType = 'id_token' | 'id_token token';

/** The sign-in this browser started, kept on the server until the form post arrives. */
interface PendingLogin {
  state: string;
  nonce: string;
  responseType: ImplicitResponseType;
  scope: string;
  as: oauth.AuthorizationServer;
  /** Where to send the browser after the form post instead of the app's home page. */
  returnTo?: string;
}

interface FormPostSession {
  pending?: PendingLogin;
  /** The back-channel exchanges of this browser's latest sign-in. */
  backChannel: HttpExchangeRecord[];
  frontChannel?: FrontChannel;
  failure?: string;
  signedIn?: HeldSession;
}

/** OIDC Core §3.1.3.7 item 7: without a registered id_token_signed_response_alg, ID tokens are RS256. */
const ID_TOKEN_ALGORITHMS = ['RS256'];

/**
 * Builds the form-post app: `GET /` (who is signed in), `GET /login` (starts a sign-in;
 * `?response_type=id_token%20token` shows the variant that also returns an access token), `POST /callback`
 * (the redirect URI the response is posted to), `GET /callback` (explains an error sent another way), and
 * `GET /back-channel` (the app's own calls to the authorization server, as JSON). Paths are under `appUrl`'s path.
 *
 * @example
 * // Node, with @hono/node-server; any store with get/set/delete and expiry will do.
 * const app = createFormPostApp({issuer: 'https://auth.example.com', clientId: 'my-app', appUrl: 'https://app.example.com', sessions: myStore});
 * serve({fetch: app.fetch, port: 8080});
 */
export function createFormPostApp(config: FormPostAppConfig): Hono {
  const appUrl = config.appUrl.replace(/\/+$/, '');
  const appPath = new URL(appUrl).pathname.replace(/\/+$/, '');
  const redirectUri = `${appUrl}/callback`;
  const sessions = browserSessions<FormPostSession>({
    store: config.sessions,
    name: 'form_post_app_session',
    path: appPath || '/',
    mode: config.sessionMode ?? 'cookie',
    secure: appUrl.startsWith('https:'),
  });
  const pages = {appName: config.appName ?? config.clientId, loginUrl: `${appUrl}/login`, guideUrl: config.guideUrl};
  const failed = (c: Context, error: string, status: 400 | 502 = 400) => c.html(failurePage(pages, error), status);
  const recordingFetch = (backChannel: HttpExchangeRecord[]) =>
    createRecordingFetch((exchange) => backChannel.push(exchange), config.fetch);

  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- basePath() returns the same app
  const app: Hono = new Hono().basePath(appPath || '/');
  app.use(appSecurityHeaders());

  app.get('/', async (c) => c.html(homePage(pages, (await sessions.get(c))?.signedIn ?? null)));

  app.get('/login', async (c) => {
    const comeBackTo = returnTo(c.req.query('return_to'), config.guideUrl);
    if (comeBackTo instanceof Error) return failed(c, comeBackTo.message);
    const backChannel: HttpExchangeRecord[] = [];
    let as: oauth.AuthorizationServer;
    try {
      as = await discover(config.issuer, recordingFetch(backChannel), config.allowInsecureRequests);
    } catch (error) {
      return failed(c, `The authorization server's metadata could not be read: ${describeFailure(error)}`, 502);
    }
    const pending: PendingLogin = {
      // RFC 6749 §10.12: state ties the response to this browser; OIDC Core §3.2.2.1: nonce is required here.
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      responseType: c.req.query('response_type') === 'id_token token' ? 'id_token token' : 'id_token',
      scope: 'openid profile email',
      as,
      ...(comeBackTo ? {returnTo: comeBackTo} : {}),
    };
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: pending.responseType,
      // Form Post Response Mode §2: the response comes as a POST to the redirect URI, never in a URL.
      response_mode: 'form_post',
      redirect_uri: redirectUri,
      scope: pending.scope,
      state: pending.state,
      nonce: pending.nonce,
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

  app.post('/callback', async (c) => {
    const session = await sessions.get(c);
    // RFC 6749 §10.12: only a response to a request this browser started is accepted.
    if (!session?.pending)
      return failed(c, 'No sign-in was started in this browser, or it expired: start the sign-in again.');
    const {pending, ...rest} = session;
    // The pending sign-in is used once, whatever happens next.
    await sessions.save(c, rest);
    const backChannel = [...rest.backChannel];
    let frontChannel = rest.frontChannel;
    try {
      const response = await readFormPost(c);
      // What the browser posted: the ID token crossed it, which is why it must be validated here.
      frontChannel = {
        authorizationRequest: rest.frontChannel?.authorizationRequest ?? '',
        response: {method: 'POST', parameters: [...response]},
      };
      // RFC 6749 §4.2.2 / §10.12: the state sent back must be the one this browser's request carried.
      if (response.get('state') !== pending.state)
        throw new Error('state does not match the sign-in this browser started');
      // RFC 9207 §2.4: iss names the authorization server that answered; anything else is a mix-up.
      if (response.get('iss') !== pending.as.issuer)
        throw new Error('iss does not identify the authorization server the sign-in started at');
      const error = response.get('error');
      if (error) throw new Error(`${error}: ${response.get('error_description') ?? ''}`);
      const claims = await validateIdToken(response, pending, config, recordingFetch(backChannel));
      const accessToken = response.get('access_token');
      const expiresIn = Number(response.get('expires_in') ?? 0);
      const held: HeldSession = {
        idTokenClaims: claims,
        accessToken:
          accessToken === undefined
            ? null
            : {
                audience: null,
                // RFC 6749 §4.2.2: no scope in the response means the scope asked for.
                scope: response.get('scope') ?? pending.scope,
                expiresAt: Math.floor(Date.now() / 1000) + (Number.isFinite(expiresIn) ? expiresIn : 0),
              },
        // RFC 6749 §4.2.2: the implicit grant never issues a refresh token.
        refreshToken: false,
      };
      // A new session id after sign-in, so an id planted in the browser before it is worth nothing.
      await sessions.renew(c, {backChannel, frontChannel, signedIn: held});
      // 303: the browser shows the app's page with GET, and a reload cannot post the ID token again.
      return c.redirect(pending.returnTo ?? appUrl, 303);
    } catch (error) {
      const failure = describeFailure(error);
      await sessions.save(c, {...rest, backChannel, ...(frontChannel ? {frontChannel} : {}), failure});
      // The guide page reads the failure from /back-channel.
      return pending.returnTo ? c.redirect(pending.returnTo, 303) : failed(c, failure);
    }
  });

  // An error the authorization server could not post (it refused response_mode=query, say) comes in the
  // query, or in the fragment, which never reaches a server (OAuth 2.0 Multiple Response Types §2.1).
  app.get('/callback', async (c) => {
    const session = await sessions.get(c);
    if (session?.pending) {
      const {pending: _pending, ...rest} = session;
      await sessions.save(c, rest);
    }
    const error = c.req.query('error');
    if (error) return failed(c, `${error}: ${c.req.query('error_description') ?? ''}`);
    return failed(c, 'This address expects the sign-in response as a form post (response_mode=form_post).');
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

/**
 * Fetches and validates the authorization server's metadata. It runs at each sign-in so the page can
 * show it; a production app would keep the metadata for as long as its Cache-Control allows.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3.3 (the response's `issuer` must equal the issuer asked for)
 */
async function discover(
  issuer: string,
  fetch: FetchFunction,
  allowInsecureRequests = false,
): Promise<oauth.AuthorizationServer> {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, {
    algorithm: 'oidc',
    // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
    [oauth.customFetch]: (url, init) => fetch(url, init),
    // RFC 6749 §3.1 requires TLS; oauth4webapi refuses http: unless told otherwise.
    [oauth.allowInsecureRequests]: allowInsecureRequests,
  });
  return oauth.processDiscoveryResponse(issuerUrl, response);
}

/**
 * The posted authorization response. Form Post Response Mode §2: `application/x-www-form-urlencoded`;
 * RFC 6749 §3.1: no parameter may appear twice.
 */
async function readFormPost(c: Context): Promise<Map<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
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
 * Validates the ID token of an implicit response and returns its claims.
 *
 * @see OpenID Connect Core 1.0 §3.2.2.11 (and the §3.1.3.7 checks it refers to), §3.2.2.9 (at_hash)
 */
async function validateIdToken(
  response: Map<string, string>,
  pending: PendingLogin,
  config: Pick<FormPostAppConfig, 'clientId'>,
  fetch: FetchFunction,
): Promise<Record<string, unknown>> {
  const idToken = response.get('id_token');
  if (!idToken) throw new Error('the response has no id_token');
  // §3.1.3.7 item 6: the signature, with a key from the issuer's JWKS (fetched from its jwks_uri).
  const jwks = await fetchJwks(pending.as, fetch);
  const {payload} = await jwtVerify(idToken, createLocalJWKSet(jwks), {
    algorithms: ID_TOKEN_ALGORITHMS,
    // §3.1.3.7 item 2: iss is the issuer; item 3: aud contains the client_id; item 9: exp is in the future.
    issuer: pending.as.issuer,
    audience: config.clientId,
    // §2: the claims every ID token carries; §3.2.2.11: nonce is required in the implicit flow.
    requiredClaims: ['sub', 'iat', 'exp', 'nonce'],
  });
  // §3.1.3.7 items 4 and 5: with several audiences, azp must be this client.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== config.clientId) {
    throw new Error('the ID token has several audiences and its azp is not this client');
  }
  // §3.2.2.11 item 11: the nonce is the one this browser's request sent, so the token cannot be replayed.
  if (payload.nonce !== pending.nonce) throw new Error('the ID token nonce does not match this sign-in');
  const accessToken = response.get('access_token');
  if (pending.responseType === 'id_token token' || accessToken !== undefined) {
    // §3.2.2.9: with an access token, at_hash must be present and match it.
    if (accessToken === undefined)
      throw new Error('response_type id_token token was asked for, but no access_token came');
    if (payload.at_hash !== (await leftHalfHash(accessToken)))
      throw new Error('at_hash does not match the access token');
  }
  return payload;
}

/** GET the issuer's JSON Web Key Set (RFC 7517 §5) from the jwks_uri its metadata names. */
async function fetchJwks(as: oauth.AuthorizationServer, fetch: FetchFunction): Promise<JSONWebKeySet> {
  if (!as.jwks_uri) throw new Error('the authorization server metadata has no jwks_uri');
  const response = await fetch(as.jwks_uri, {headers: {accept: 'application/json'}});
  if (!response.ok) throw new Error(`the JWKS request failed with HTTP ${response.status}`);
  return (await response.json()) as JSONWebKeySet;
}

/** OIDC Core §3.2.2.9: base64url of the left half of the SHA-256 hash of the token (for RS256). */
async function leftHalfHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return base64url.encode(digest.slice(0, digest.length / 2));
}
