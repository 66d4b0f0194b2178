/**
 * An in-process sandbox for tests, with oauth4webapi wired to it through `customFetch`.
 * Web-standard only, so client-side tests can use it too.
 */
import * as oauth from 'oauth4webapi';
import {createSandbox, type SandboxOptions} from './app';
import type {Catalog, CatalogClient} from './catalog';
import {createMemoryStore} from './store/memory';
import type {Store} from './store/store';
import {createTestBrowser, TEST_ISSUER, TEST_SITE_URL} from './testing';

/** oauth4webapi's customFetch, for every request body type it may send. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type InProcessFetch = (url: string, init: oauth.CustomFetchOptions<string, any>) => Promise<Response>;

export interface TestSandbox {
  app: ReturnType<typeof createSandbox>;
  issuer: string;
  /** Calls the app in-process with fetch's signature. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Options to pass to every oauth4webapi request function. */
  options: {[oauth.customFetch]: InProcessFetch};
  as: oauth.AuthorizationServer;
  catalog: Catalog;
  client(id: string): CatalogClient;
  browser: ReturnType<typeof createTestBrowser>;
  /** The in-memory store (unless overridden) and the sandbox clock. */
  store: Store;
  now: () => number;
  /** Moves the sandbox clock forward. */
  advance(seconds: number): void;
}

/** Creates a sandbox with an in-memory store and a controllable clock, and runs discovery against it. */
export async function createTestSandbox(overrides: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  let now = Date.now();
  const clock = () => now;
  const store = overrides.store ?? createMemoryStore(clock);
  const app = createSandbox({issuer: TEST_ISSUER, siteUrl: TEST_SITE_URL, store, clock, ...overrides});
  const fetch = async (input: string | URL | Request, init?: RequestInit) =>
    app.fetch(input instanceof Request ? input : new Request(input, init));
  const options = {[oauth.customFetch]: ((url, init) => fetch(url, init as RequestInit)) satisfies InProcessFetch};
  const as = await oauth.processDiscoveryResponse(
    new URL(TEST_ISSUER),
    await oauth.discoveryRequest(new URL(TEST_ISSUER), {...options, algorithm: 'oidc'}),
  );
  const catalog = (await (await fetch(`${TEST_ISSUER}/catalog`)).json()) as Catalog;
  return {
    app,
    issuer: TEST_ISSUER,
    fetch,
    options,
    as,
    catalog,
    client(id) {
      const found = catalog.clients.find((client) => client.client_id === id);
      if (!found) throw new Error(`no client ${id} in the catalog`);
      return found;
    },
    browser: createTestBrowser((request) => app.fetch(request), TEST_ISSUER),
    store,
    now: overrides.clock ?? clock,
    advance(seconds) {
      now += seconds * 1000;
    },
  };
}

/** oauth4webapi client authentication for a catalog client, by its registered method. */
export function clientAuthFor(client: CatalogClient): oauth.ClientAuth {
  if (client.token_endpoint_auth_method === 'client_secret_basic')
    return oauth.ClientSecretBasic(client.client_secret!);
  if (client.token_endpoint_auth_method === 'client_secret_post') return oauth.ClientSecretPost(client.client_secret!);
  return oauth.None();
}

/** Runs an authorization code + PKCE flow to the callback, returning what the exchange needs. */
export async function authorizeWithPkce(
  sandbox: TestSandbox,
  input: {
    clientId?: string;
    redirectUri?: string;
    scope?: string;
    audience?: string;
    username?: string;
    password?: string;
    extra?: Record<string, string>;
  } = {},
) {
  const client = sandbox.client(input.clientId ?? 'spa');
  const redirectUri = input.redirectUri ?? client.redirect_uris[0]!;
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: input.scope ?? 'openid profile email offline_access calendar:read',
    audience: input.audience ?? `${sandbox.issuer}/api/calendar`,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...input.extra,
  }).toString();
  if (input.audience === '') url.searchParams.delete('audience');
  if (client.require_pushed_authorization_requests) await pushInstead(sandbox, client, url);
  const outcome = await sandbox.browser.authorize(url, {
    username: input.username ?? 'alice',
    password: input.password ?? 'wonderland-42',
  });
  return {client, redirectUri, codeVerifier, state, nonce, outcome, authorizationUrl: url};
}

/**
 * For a client that must push its requests (RFC 9126 §6): pushes the parameters of `url` with oauth4webapi
 * and leaves only client_id and the request_uri in it (§4).
 */
export async function pushInstead(sandbox: TestSandbox, client: CatalogClient, url: URL): Promise<void> {
  const oauthClient: oauth.Client = {client_id: client.client_id};
  const parameters = new URLSearchParams(url.searchParams);
  parameters.delete('client_id');
  const response = await oauth.pushedAuthorizationRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(client),
    parameters,
    sandbox.options,
  );
  const {request_uri} = await oauth.processPushedAuthorizationResponse(sandbox.as, oauthClient, response);
  url.search = new URLSearchParams({client_id: client.client_id, request_uri}).toString();
}

/** Runs the whole authorization code + PKCE flow and returns the validated token response. */
export async function loginWithPkce(sandbox: TestSandbox, input: Parameters<typeof authorizeWithPkce>[1] = {}) {
  const flow = await authorizeWithPkce(sandbox, input);
  if (!flow.outcome.callbackUrl)
    throw new Error(`the authorization did not come back: ${flow.outcome.response.status}`);
  const oauthClient: oauth.Client = {client_id: flow.client.client_id};
  const params = oauth.validateAuthResponse(sandbox.as, oauthClient, flow.outcome.callbackUrl, flow.state);
  const response = await oauth.authorizationCodeGrantRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(flow.client),
    params,
    flow.redirectUri,
    flow.codeVerifier,
    sandbox.options,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(sandbox.as, oauthClient, response, {
    expectedNonce: flow.nonce,
    requireIdToken: true,
  });
  return {...flow, oauthClient, params, tokens};
}

/** Starts a device authorization (RFC 8628 §3.1) with oauth4webapi and returns the validated response. */
export async function startDeviceFlow(
  sandbox: TestSandbox,
  input: {clientId?: string; scope?: string; audience?: string} = {},
) {
  const client = sandbox.client(input.clientId ?? 'tv-app');
  const oauthClient: oauth.Client = {client_id: client.client_id};
  const response = await oauth.deviceAuthorizationRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(client),
    {
      scope: input.scope ?? 'openid profile offline_access calendar:read',
      ...(input.audience !== '' ? {audience: input.audience ?? `${sandbox.issuer}/api/calendar`} : {}),
    },
    sandbox.options,
  );
  const codes = await oauth.processDeviceAuthorizationResponse(sandbox.as, oauthClient, response);
  const poll = async () =>
    oauth.processDeviceCodeResponse(
      sandbox.as,
      oauthClient,
      await oauth.deviceCodeGrantRequest(
        sandbox.as,
        oauthClient,
        clientAuthFor(client),
        codes.device_code,
        sandbox.options,
      ),
    );
  return {client, oauthClient, codes, poll};
}

/** Runs the whole device flow: the device asks, alice approves on the device pages, the device polls once. */
export async function loginWithDevice(sandbox: TestSandbox, input: Parameters<typeof startDeviceFlow>[1] = {}) {
  const flow = await startDeviceFlow(sandbox, input);
  const outcome = await sandbox.browser.device(flow.codes.verification_uri_complete!, {
    username: 'alice',
    password: 'wonderland-42',
  });
  return {...flow, outcome, tokens: await flow.poll()};
}
