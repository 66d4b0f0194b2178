import {Hono} from 'hono';
import {cors} from 'hono/cors';
import {buildCatalog} from './catalog';
import {clientAuth} from './checks/client-auth';
import type {DeviceLimits, InteractionLimits, Sandbox, SandboxEnv} from './context';
import {asOAuthError, NotFound, OAuthError, ServerError} from './errors';
import {defineRoute, type RouteOptions} from './routing';
import {authorizeEndpoint} from './endpoints/authorize';
import {catalogEndpoint, discoveryEndpoint, jwksEndpoint, RESET_HEADER, resetEndpoint} from './endpoints/discovery';
import {deviceAuthorizationEndpoint} from './endpoints/device-authorization';
import {deviceStepForm, deviceStepSubmit, enterCodeForm, enterCodeSubmit} from './endpoints/device-pages';
import {consentForm, consentSubmit, loginForm, loginSubmit} from './endpoints/interaction';
import {introspectEndpoint} from './endpoints/introspect';
import {pushedAuthorizationEndpoint} from './endpoints/pushed-authorization';
import {revokeEndpoint} from './endpoints/revoke';
import {tokenEndpoint} from './endpoints/token';
import {userinfoEndpoint} from './endpoints/userinfo';
import {calendarApi} from './apis/calendar';
import {contactsApi} from './apis/contacts';
import {DEFAULT_DEVICE_LIMITS} from './device';
import {DEFAULT_INTERACTION_LIMITS} from './interaction';
import {createClientKeys} from './client-keys';
import {createKeyring} from './keys';
import {mixUpAttacker} from './mix-up-attacker';
import {buildOpenApi} from './openapi';
import type {Store} from './store/store';

/** Errors answered with `Cache-Control: no-store`: their requests carried a credential. */
const NO_STORE_ERRORS = ['invalid_client', 'invalid_grant', 'authorization_pending', 'slow_down', 'expired_token'];

export interface SandboxOptions {
  /** The issuer identifier, no trailing slash; the app answers URLs under its path. */
  issuer: string;
  /** Where the docs live, with a trailing slash; defaults to the issuer minus its last path segment. */
  siteUrl?: string;
  store: Store;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** How many authorization requests may be pending at once (see InteractionLimits); defaults suit a sandbox. */
  interactionLimits?: Partial<InteractionLimits>;
  /** Caps on device codes and on guessing user codes (see DeviceLimits); defaults suit a sandbox. */
  deviceLimits?: Partial<DeviceLimits>;
  /** 'store': a single browser session kept in the Store (Service Workers cannot set cookies). */
  session?: 'cookie' | 'store';
  /** Origins allowed by CORS: a list, '*', or a predicate (the Node server allows any localhost origin). */
  corsOrigins?: string[] | '*' | ((origin: string) => boolean);
}

/**
 * Builds the sandbox authorization server and demo APIs as one Hono app. Web-standard APIs only, so it
 * runs in a Service Worker, in Node and in-process. The demo web apps are clients, not part of it: each
 * transport mounts them beside it (see relying-parties.ts).
 */
export function createSandbox(options: SandboxOptions): Hono<SandboxEnv> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const issuerUrl = new URL(issuer);
  const siteUrl = options.siteUrl ?? new URL('.', issuer).href;
  const base = issuerUrl.pathname.replace(/\/+$/, '');
  const app = new Hono<SandboxEnv>();
  const sandbox: Sandbox = {
    issuer,
    siteUrl,
    store: options.store,
    keys: createKeyring(options.store),
    clientKeys: createClientKeys(options.store),
    catalog: buildCatalog(issuer, siteUrl),
    now: options.clock ?? Date.now,
    session: options.session ?? 'cookie',
    limits: {
      interactions: {...DEFAULT_INTERACTION_LIMITS, ...options.interactionLimits},
      devices: {...DEFAULT_DEVICE_LIMITS, ...options.deviceLimits},
    },
    endpoints: {
      authorization: `${issuer}/authorize`,
      token: `${issuer}/token`,
      userinfo: `${issuer}/userinfo`,
      jwks: `${issuer}/jwks`,
      revocation: `${issuer}/revoke`,
      introspection: `${issuer}/introspect`,
      deviceAuthorization: `${issuer}/device_authorization`,
      pushedAuthorization: `${issuer}/par`,
      deviceVerification: `${issuer}/device`,
    },
  };
  const realm = 'OAuth sandbox';
  const routes = new Hono<SandboxEnv>();

  if (options.corsOrigins) {
    const allowed = options.corsOrigins;
    const corsHeaders = cors({
      origin:
        allowed === '*'
          ? '*'
          : (origin) => ((typeof allowed === 'function' ? allowed(origin) : allowed.includes(origin)) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'DPoP', RESET_HEADER],
      // RFC 6750 §3: clients read the challenge to learn why a token was refused.
      // RFC 9449 §8.1, §9: clients read the server nonce they must put in their next DPoP proof.
      exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce'],
      maxAge: 600,
    });
    // Which origins may read the sandbox's answers: the trust model, docs/concepts/trust-model.mdx.
    routes.use('*', async function corsUnlessPlainOptions(c, next) {
      // Hono's cors() answers every OPTIONS as a preflight. Only an OPTIONS with Origin and
      // Access-Control-Request-Method is one (Fetch standard, CORS-preflight request); any other is a
      // plain OPTIONS, answered by its route with Allow (RFC 9110 §9.3.7).
      const preflight =
        c.req.header('origin') !== undefined && c.req.header('access-control-request-method') !== undefined;
      if (c.req.method === 'OPTIONS' && !preflight) return next();
      // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- hono's cors() is typed for any environment
      return corsHeaders(c, next);
    });
  }

  const devicePages = new URL(sandbox.endpoints.deviceVerification).pathname;
  // On the outer app, so errors and unknown URLs get them too. What they defend, and what no header
  // can: docs/concepts/trust-model.mdx.
  app.use('*', async function securityHeaders(c, next) {
    await next();
    // Every answer is JSON or HTML of a declared type: a browser must not guess another one (Fetch
    // standard, "X-Content-Type-Options"), e.g. run a JSON body as a script.
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      // RFC 9700 §4.16: authorization servers must prevent clickjacking, so no sandbox page (login,
      // consent, errors, form_post) may be shown inside another site's frame. The device pages alone may be
      // framed by the sandbox's own origin: the device walkthrough shows them in a frame standing for the
      // user's phone, on a page of that origin (the Service Worker serves the site and the sandbox together).
      const {pathname} = new URL(c.req.url);
      const devicePage = pathname === devicePages || pathname.startsWith(`${devicePages}/`);
      c.res.headers.set('X-Frame-Options', devicePage ? 'SAMEORIGIN' : 'DENY');
      c.res.headers.set('Content-Security-Policy', devicePage ? "frame-ancestors 'self'" : "frame-ancestors 'none'");
      // RFC 9700 §4.2.4: the URLs of these pages carry request parameters, which must not travel on in a
      // Referer to any other origin. `same-origin`, not `no-referrer`: the Service Worker's proof that a
      // login or consent form was posted by one of these pages is its same-origin referrer (worker.ts).
      c.res.headers.set('Referrer-Policy', 'same-origin');
    }
  });

  const route = (path: string, handlers: Parameters<typeof defineRoute>[2], routeOptions?: RouteOptions) =>
    defineRoute(routes, path, handlers, routeOptions);
  const authenticated = (allowPublic: boolean) => clientAuth(sandbox, {allowPublic, realm});

  route('/.well-known/openid-configuration', {GET: [discoveryEndpoint(sandbox)]});
  route('/.well-known/oauth-authorization-server', {GET: [discoveryEndpoint(sandbox)]});
  route('/jwks', {GET: [jwksEndpoint(sandbox)]});
  route('/catalog', {GET: [catalogEndpoint(sandbox)]});
  route('/reset', {POST: [resetEndpoint(sandbox)]});
  const openapi = buildOpenApi(issuer, sandbox.catalog);
  route('/openapi.json', {GET: [(c) => c.json(openapi)]});
  // GET starts an interaction (state in the Store), so HEAD is refused rather than run as GET.
  route('/authorize', {GET: [authorizeEndpoint(sandbox)], POST: [authorizeEndpoint(sandbox)]}, {getChangesState: true});
  route('/interaction/:id/login', {GET: [loginForm(sandbox)], POST: [loginSubmit(sandbox)]});
  route('/interaction/:id/consent', {GET: [consentForm(sandbox)], POST: [consentSubmit(sandbox)]});
  route('/token', {POST: [authenticated(true), tokenEndpoint(sandbox)]});
  route('/device_authorization', {POST: [authenticated(true), deviceAuthorizationEndpoint(sandbox)]});
  route('/par', {POST: [authenticated(true), pushedAuthorizationEndpoint(sandbox)]});
  route('/device', {GET: [enterCodeForm(sandbox)], POST: [enterCodeSubmit(sandbox)]});
  route('/device/:id/:step', {GET: [deviceStepForm(sandbox)], POST: [deviceStepSubmit(sandbox)]});
  route('/userinfo', {GET: userinfoEndpoint(sandbox), POST: userinfoEndpoint(sandbox)});
  route('/revoke', {POST: [authenticated(true), revokeEndpoint(sandbox)]});
  route('/introspect', {POST: [authenticated(false), introspectEndpoint(sandbox)]});
  routes.route('/api/calendar', calendarApi(sandbox));
  routes.route('/api/contacts', contactsApi(sandbox));
  // The mix-up lab's attacker: an issuer of its own, `{issuer}/attacker` (catalog `lab_issuers`).
  routes.route('/attacker', mixUpAttacker(sandbox));

  routes.notFound((c) =>
    c.json(new NotFound(`no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`).toJSON(), 404),
  );
  app.route(base || '/', routes);
  if (base) {
    // RFC 8414 §3.1: for an issuer with a path, the metadata URL puts the well-known segment first.
    // (A Service Worker scoped under the issuer's parent never sees this URL; the issuer-relative one works everywhere.)
    defineRoute(app, `/.well-known/oauth-authorization-server${base}`, {GET: [discoveryEndpoint(sandbox)]});
  }
  app.notFound((c) => c.json(new NotFound(`not a sandbox URL: ${new URL(c.req.url).pathname}`).toJSON(), 404));

  app.onError((thrown, c) => {
    const error = asOAuthError(thrown);
    if (error instanceof OAuthError) {
      // RFC 6749 §4.1.2.1 (temporarily_unavailable): a busy server; RFC 9110 §10.2.3 says when to come back.
      if (error.status === 503) c.header('Retry-After', '1');
      if (error.challenge) c.header('WWW-Authenticate', error.challenge);
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      // RFC 8628 §3.5: a poll's answer is about that moment only, so it must not be stored either.
      if (NO_STORE_ERRORS.includes(error.code)) c.header('Cache-Control', 'no-store');
      return c.json(error.toJSON(), error.status);
    }
    // Last resort: never leak internals, never crash the transport.
    console.error('sandbox: unexpected error', error);
    return c.json(new ServerError('the sandbox hit an unexpected error').toJSON(), 500);
  });
  return app;
}

export type {Store} from './store/store';
export {createMemoryStore} from './store/memory';
export type {Catalog, CatalogApi, CatalogClient, CatalogUser} from './catalog';
