import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from '../sandbox/app';
import {createTestSandbox} from '../sandbox/test-fixture';
import {createTestBrowser} from '../sandbox/testing';
import {createWebApp} from './authorization-code';
import {PENDING_SESSION_TTL, type BackChannelReport, type SessionMode} from './web-app-support';

/** The web app mounted beside an in-process sandbox, as a transport mounts it, and a browser for both. */
async function setUp(sessionMode: SessionMode = 'cookie') {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('regular-web-app');
  const appUrl = `${sandbox.issuer}/webapp`;
  const webApp = createWebApp({
    issuer: sandbox.issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret!,
    appUrl,
    appName: client.client_name,
    guideUrl: 'https://docs.test/flows/authorization-code',
    sessions: createMemoryStore(),
    sessionMode,
    fetch: (url, init) => sandbox.fetch(url, init),
    api: {
      identifier: `${sandbox.issuer}/api/calendar`,
      baseUrl: `${sandbox.issuer}/api/calendar`,
      scope: 'calendar:read',
    },
  });
  const handler = async (request: Request) =>
    request.url.startsWith(`${appUrl}/`) || request.url === appUrl ? webApp.fetch(request) : sandbox.app.fetch(request);
  const newBrowser = () => createTestBrowser(handler, sandbox.issuer);
  return {sandbox, client, appUrl, handler, newBrowser, browser: newBrowser()};
}

type Setup = Awaited<ReturnType<typeof setUp>>;

/** Signs in through the app up to the redirect back to its callback (not yet followed). */
async function signInToCallback(
  {browser, appUrl}: Pick<Setup, 'browser' | 'appUrl'>,
  options: {consent?: 'allow' | 'deny'} = {},
) {
  const outcome = await browser.authorize(`${appUrl}/login`, {
    username: 'alice',
    password: 'wonderland-42',
    ...options,
  });
  assert.ok(outcome.callbackUrl, `the sign-in came back (HTTP ${outcome.response.status})`);
  return outcome.callbackUrl;
}

async function backChannel(setup: Pick<Setup, 'browser' | 'appUrl'>): Promise<BackChannelReport> {
  const response = await setup.browser.request(`${setup.appUrl}/back-channel`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  return (await response.json()) as BackChannelReport;
}

test('RFC 6749 §4.1: the web app redeems the code on its server and sends the browser to a clean URL', async () => {
  const setup = await setUp();
  const login = await setup.browser.request(`${setup.appUrl}/login`);
  assert.equal(login.status, 303);
  const authorize = new URL(login.headers.get('location')!);
  assert.equal(authorize.origin + authorize.pathname, `${setup.sandbox.issuer}/authorize`);
  const request = Object.fromEntries(authorize.searchParams);
  assert.equal(request.client_id, 'regular-web-app');
  assert.equal(request.response_type, 'code');
  assert.equal(request.redirect_uri, setup.client.redirect_uris[0]);
  assert.equal(request.code_challenge_method, 'S256', 'RFC 9700 §2.1.1: PKCE for confidential clients too');
  for (const name of ['state', 'nonce', 'code_challenge']) assert.ok(request[name], name);

  const callbackUrl = await signInToCallback(setup);
  assert.equal(callbackUrl.href.split('?')[0], setup.client.redirect_uris[0]);
  assert.equal(callbackUrl.searchParams.get('iss'), setup.sandbox.issuer, 'RFC 9207 §2');
  const callback = await setup.browser.request(callbackUrl.href);
  assert.equal(callback.status, 303);
  assert.equal(callback.headers.get('location'), setup.appUrl, 'RFC 9700 §4.2.4: the code leaves the address bar');

  const home = await setup.browser.request(setup.appUrl);
  const text = await home.text();
  assert.equal(home.status, 200);
  assert.match(text, /Signed in as Alice Liddell/);
  assert.match(text, /A refresh token/);
  assert.match(text, /href="https:\/\/docs\.test\/flows\/authorization-code"/, 'links back to the guide');
  assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ/, 'RFC 6749 §4.1: no token reaches the browser');
  assert.doesNotMatch(text, new RegExp(setup.client.client_secret!));
});

test('The back channel: discovery and the token request with the secret, token values kept on the server', async () => {
  const setup = await setUp();
  await setup.browser.request((await signInToCallback(setup)).href);
  const report = await backChannel(setup);
  assert.deepEqual(
    report.exchanges.map(({request, response}) => [request.method, request.url, response?.status]),
    [
      ['GET', `${setup.sandbox.issuer}/.well-known/openid-configuration`, 200],
      ['POST', `${setup.sandbox.issuer}/token`, 200],
    ],
  );
  const token = report.exchanges[1];
  const authorization = token.request.headers.find(([name]) => name === 'authorization')?.[1];
  // RFC 6749 §2.3.1: client_secret_basic, id and secret each form-urlencoded before base64.
  const [id, secret] = atob(authorization!.replace(/^Basic /, ''))
    .split(':')
    .map(decodeURIComponent);
  assert.deepEqual([id, secret], ['regular-web-app', 'regular-web-app-secret-9c4f2a']);
  assert.equal(new URLSearchParams(token.request.body).get('grant_type'), 'authorization_code');
  const body = JSON.parse(token.response!.body) as Record<string, unknown>;
  assert.match(String(body.access_token), /^<access token kept on the server: \d+ characters>$/);
  assert.match(String(body.id_token), /^<ID token kept on the server: \d+ characters>$/);
  assert.match(String(body.refresh_token), /^<refresh token kept on the server: \d+ characters>$/);
  assert.equal(body.token_type, 'Bearer');
  assert.doesNotMatch(JSON.stringify(report), /eyJ[\w-]+\.eyJ/, 'no token value in the report');

  assert.ok(report.session);
  assert.equal(report.session.idTokenClaims.sub, 'user-alice');
  assert.equal(report.session.idTokenClaims.aud, 'regular-web-app');
  assert.equal(report.session.accessToken?.scope, 'openid profile email offline_access calendar:read');
  assert.ok(report.session.accessToken.expiresAt > Date.now() / 1000);
  assert.equal(report.session.refreshToken, true);
});

test('The back channel is per browser: another browser sees nothing', async () => {
  const setup = await setUp();
  await setup.browser.request((await signInToCallback(setup)).href);
  const other = await backChannel({...setup, browser: setup.newBrowser()});
  assert.deepEqual(other, {exchanges: [], session: null, frontChannel: null, failure: null});
});

test('RFC 6749 §10.12: a callback brought by another browser is refused, and the code stays unredeemed', async () => {
  const setup = await setUp();
  const callbackUrl = await signInToCallback(setup);
  const attacker = setup.newBrowser();
  const refused = await attacker.request(callbackUrl.href);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /No sign-in was started in this browser/);
  // The browser that started the sign-in still completes it.
  assert.equal((await setup.browser.request(callbackUrl.href)).status, 303);
});

test('RFC 6749 §10.12: a pending sign-in is used once; replaying the callback fails', async () => {
  const setup = await setUp();
  const callbackUrl = await signInToCallback(setup);
  assert.equal((await setup.browser.request(callbackUrl.href)).status, 303);
  assert.equal((await setup.browser.request(callbackUrl.href)).status, 400);
});

test("RFC 6749 §4.1.2: a callback whose state is not this browser's is refused", async () => {
  const setup = await setUp();
  const callbackUrl = await signInToCallback(setup);
  callbackUrl.searchParams.set('state', 'forged');
  const refused = await setup.browser.request(callbackUrl.href);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /state/);
  assert.deepEqual(
    (await backChannel(setup)).exchanges.map(({request}) => request.method),
    ['GET'],
    'no token request was made',
  );
});

test('RFC 9207 §2.4: a callback whose iss is another issuer is refused (mix-up defence)', async () => {
  const setup = await setUp();
  const callbackUrl = await signInToCallback(setup);
  callbackUrl.searchParams.set('iss', 'https://attacker.test');
  const refused = await setup.browser.request(callbackUrl.href);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /iss/);
});

test('RFC 6749 §4.1.2.1: a denied consent comes back as access_denied and is shown', async () => {
  const setup = await setUp();
  const callbackUrl = await signInToCallback(setup, {consent: 'deny'});
  assert.equal(callbackUrl.searchParams.get('error'), 'access_denied');
  const page = await setup.browser.request(callbackUrl.href);
  assert.equal(page.status, 400);
  const text = await page.text();
  assert.match(text, /Sign-in failed/);
  assert.match(text, /access_denied/);
});

test('single-browser sessions (a Service Worker): no cookie, and the sign-in still completes', async () => {
  const setup = await setUp('single-browser');
  const login = await setup.browser.request(`${setup.appUrl}/login`);
  assert.equal(login.headers.get('set-cookie'), null);
  const callbackUrl = await signInToCallback(setup);
  assert.equal((await setup.browser.request(callbackUrl.href)).status, 303);
  assert.equal(setup.browser.cookies.has('webapp_session'), false);
  assert.match(await (await setup.browser.request(setup.appUrl)).text(), /Signed in as Alice Liddell/);
});

test('Cookie sessions: HttpOnly, SameSite=Lax, scoped to the app, renewed at sign-in', async () => {
  const setup = await setUp();
  const login = await setup.browser.request(`${setup.appUrl}/login`);
  const cookie = login.headers.get('set-cookie')!;
  assert.match(cookie, /^webapp_session=[\w-]+;/);
  assert.match(cookie, /Path=\/sandbox\/webapp/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Secure/, 'an https app');
  const before = setup.browser.cookies.get('webapp_session');
  await setup.browser.request((await signInToCallback(setup)).href);
  assert.notEqual(setup.browser.cookies.get('webapp_session'), before, 'a new session id after sign-in');
});

test('Bad input to the web app is a 4xx page, never a 5xx', async () => {
  const setup = await setUp();
  for (const path of ['/', '/login', '/callback', '/callback?code=x&state=y&iss=z', '/back-channel', '/nope']) {
    for (const method of ['GET', 'POST']) {
      const response = await setup.handler(new Request(`${setup.appUrl}${path}`, {method, redirect: 'manual'}));
      assert.ok(response.status < 500, `${method} ${path}: ${response.status}`);
    }
  }
});

test('return_to: the browser comes back to the guide page, which reads both channels; any other target is refused (RFC 9700 §4.11)', async () => {
  const setup = await setUp();
  const refused = await setup.browser.request(
    `${setup.appUrl}/login?return_to=${encodeURIComponent('https://evil.example/')}`,
  );
  assert.equal(refused.status, 400, 'no open redirector');

  const guide = 'https://docs.test/flows/authorization-code';
  const outcome = await setup.browser.authorize(`${setup.appUrl}/login?return_to=${encodeURIComponent(guide)}`, {
    username: 'alice',
    password: 'wonderland-42',
  });
  const callback = await setup.browser.request(outcome.callbackUrl!.href);
  assert.equal(callback.headers.get('location'), guide);
  const report = await backChannel(setup);
  assert.equal(report.failure, null);
  assert.ok(report.frontChannel?.authorizationRequest.startsWith(`${setup.sandbox.issuer}/authorize?`));
  const carried = Object.fromEntries(report.frontChannel?.response?.parameters ?? []);
  assert.ok(carried.code && carried.state, 'the front channel carried a code and state');
  assert.equal(carried.access_token, undefined, 'and no token');
});

test('A denied consent with return_to comes back to the guide page, with the failure in /back-channel', async () => {
  const setup = await setUp();
  const guide = 'https://docs.test/flows/authorization-code';
  const outcome = await setup.browser.authorize(`${setup.appUrl}/login?return_to=${encodeURIComponent(guide)}`, {
    username: 'alice',
    password: 'wonderland-42',
    consent: 'deny',
  });
  const callback = await setup.browser.request(outcome.callbackUrl!.href);
  assert.equal(callback.headers.get('location'), guide);
  const report = await backChannel(setup);
  assert.match(report.failure ?? '', /access_denied/);
  assert.equal(report.session, null);
});

test("RFC 6750 §2.1: the app's server calls the API with the token it holds; the browser gets the data, not the token", async () => {
  const setup = await setUp();
  const before = await setup.browser.request(`${setup.appUrl}/api/events`);
  assert.equal(before.status, 401, 'not signed in yet');
  await setup.browser.request((await signInToCallback(setup)).href);
  const response = await setup.browser.request(`${setup.appUrl}/api/events`);
  const text = await response.text();
  const answer = JSON.parse(text) as {status: number; body: {events?: unknown[]}};
  assert.equal(answer.status, 200);
  assert.ok(Array.isArray(answer.body.events));
  assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ/, 'no token reaches the browser');
  const report = await backChannel(setup);
  const apiCall = report.exchanges.at(-1)!;
  assert.equal(apiCall.request.url, `${setup.sandbox.issuer}/api/calendar/events`);
  const authorization = apiCall.request.headers.find(([name]) => name === 'authorization')?.[1] ?? '';
  assert.match(authorization, /^Bearer <access token kept on the server: \d+ characters>$/);
});

test('Cookie sessions: a sign-in started and abandoned leaves its session for 15 minutes, not 8 hours; a signed-in one stays', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('regular-web-app');
  const appUrl = `${sandbox.issuer}/webapp`;
  let now = Date.now();
  const sessions = createMemoryStore(() => now);
  const webApp = createWebApp({
    issuer: sandbox.issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret!,
    appUrl,
    appName: client.client_name,
    guideUrl: 'https://docs.test/flows/authorization-code',
    sessions,
    sessionMode: 'cookie',
    fetch: (url, init) => sandbox.fetch(url, init),
    api: {
      identifier: `${sandbox.issuer}/api/calendar`,
      baseUrl: `${sandbox.issuer}/api/calendar`,
      scope: 'calendar:read',
    },
  });
  const handler = async (request: Request) =>
    request.url.startsWith(`${appUrl}/`) ? webApp.fetch(request) : sandbox.app.fetch(request);
  // A browser that signs in all the way.
  const browser = createTestBrowser(handler, sandbox.issuer);
  const callbackUrl = await signInToCallback({browser, appUrl});
  assert.equal((await browser.request(callbackUrl.href)).status, 303);
  // And many requests that start a sign-in without a cookie, and never come back.
  for (let index = 0; index < 200; index += 1)
    assert.equal((await webApp.fetch(new Request(`${appUrl}/login`))).status, 303);
  assert.equal(await sessions.size(), 201);
  now += (PENDING_SESSION_TTL + 1) * 1000;
  await sessions.sweep();
  assert.equal(await sessions.size(), 1, 'only the signed-in session is left');
  assert.notEqual((await backChannel({browser, appUrl})).session, null, 'the signed-in browser still has its session');
});
