import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from './store/memory';
import type {Store} from './store/store';
import {withRelyingParties} from './relying-parties';
import {createTestSandbox, loginWithPkce} from './test-fixture';
import {TEST_SITE_URL} from './testing';

const FORM = {'content-type': 'application/x-www-form-urlencoded'};

test('X-Content-Type-Options: nosniff on every kind of answer: JSON, HTML pages, errors, unknown URLs, redirects', async () => {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox);
  const I = sandbox.issuer;
  const requests: [string, RequestInit?][] = [
    [`${I}/.well-known/openid-configuration`],
    [`${I}/jwks`],
    [`${I}/catalog`],
    [`${I}/openapi.json`],
    // The sandbox's own error page (an unknown client is never redirected, RFC 6749 §4.1.2.1).
    [`${I}/authorize?client_id=nobody&response_type=code`],
    // A redirect to the login page, and the login page itself.
    [
      `${I}/authorize?client_id=spa&response_type=code&redirect_uri=${encodeURIComponent(sandbox.client('spa').redirect_uris[0]!)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`,
    ],
    [`${I}/token`, {method: 'POST', headers: FORM, body: 'grant_type=nonsense&client_id=spa'}],
    [`${I}/userinfo`, {headers: {authorization: `Bearer ${tokens.access_token}`}}],
    [`${I}/api/calendar/events`],
    [`${I}/api/calendar/events`, {method: 'PUT'}],
    [`${I}/nowhere`],
    [`${new URL(I).origin}/not-the-sandbox`],
  ];
  const seen = new Set<string>();
  for (const [url, init] of requests) {
    const response = await sandbox.fetch(url, {redirect: 'manual', ...init});
    assert.equal(
      response.headers.get('x-content-type-options'),
      'nosniff',
      `${init?.method ?? 'GET'} ${url}: ${response.status}`,
    );
    if (response.headers.get('content-type')?.startsWith('text/html'))
      assert.equal(response.headers.get('referrer-policy'), 'same-origin', url);
    seen.add(`${response.status} ${response.headers.get('content-type')?.split(';')[0] ?? '-'}`);
    if (response.status === 303) {
      const page = await sandbox.fetch(new URL(response.headers.get('location')!, url).href);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type')!, /^text\/html/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff', 'the login page');
      // RFC 9700 §4.2.4: the sandbox's pages send no Referer on.
      assert.equal(page.headers.get('referrer-policy'), 'same-origin', 'the login page');
    }
  }
  // The list really covers each kind of answer.
  for (const kind of [
    '200 application/json',
    '400 text/html',
    '303 -',
    '400 application/json',
    '401 application/json',
    '405 application/json',
    '404 application/json',
  ]) {
    assert.ok(seen.has(kind), `${kind} in ${[...seen].join(', ')}`);
  }
});

test('RFC 9110 §9.3.2: HEAD /authorize runs nothing of GET: no interaction, no code, even with a signed-in session', async () => {
  const store = createMemoryStore();
  const writes: string[] = [];
  const counting: Store = {
    ...store,
    set: async (key, value, ttl) => (writes.push(key), store.set(key, value, ttl)),
    update: async (key, change, ttl) => (writes.push(key), store.update(key, change, ttl)),
  };
  const sandbox = await createTestSandbox({store: counting});
  // A signed-in browser with consent given: a GET here would go straight back with a code.
  const {authorizationUrl} = await loginWithPkce(sandbox);
  writes.length = 0;
  for (const headers of [{}, FORM]) {
    const response = await sandbox.browser.request(authorizationUrl.href, {method: 'HEAD', headers});
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, POST');
    assert.equal(response.headers.get('location'), null);
    assert.equal(await response.text(), '');
  }
  assert.deepEqual(writes, []);
  const options = await sandbox.fetch(authorizationUrl.href, {method: 'OPTIONS'});
  assert.equal(options.headers.get('allow'), 'GET, POST, OPTIONS');
  // The same GET does answer with a code, so the HEAD above really skipped work.
  const get = await sandbox.browser.request(authorizationUrl.href);
  assert.equal(get.status, 303);
  assert.ok(new URL(get.headers.get('location')!).searchParams.has('code'));
  assert.notDeepEqual(writes, []);
});

test('RFC 9110 §9.3.2: HEAD on a read-only URL is GET without the body', async () => {
  const sandbox = await createTestSandbox();
  const get = await sandbox.fetch(`${sandbox.issuer}/jwks`);
  const head = await sandbox.fetch(`${sandbox.issuer}/jwks`, {method: 'HEAD'});
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-type'), get.headers.get('content-type'));
  assert.equal(await head.text(), '');
});

test("the demo web apps' pages, like the authorization server's, refuse to be framed by any site, send nosniff and keep their URLs off other sites' Referer", async () => {
  const sandbox = await createTestSandbox();
  const handler = withRelyingParties((request) => sandbox.app.fetch(request), {
    issuer: sandbox.issuer,
    siteUrl: TEST_SITE_URL,
    fetch: (url, init) => sandbox.fetch(url, init),
    store: createMemoryStore(),
    sessionMode: 'cookie',
  });
  for (const path of ['/webapp', '/webapp/form-post', '/webapp/lab/id-token-replay']) {
    const page = await handler(new Request(`${sandbox.issuer}${path}`));
    assert.equal(page.status, 200, path);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/, path);
    // CSP Level 3 frame-ancestors, and RFC 7034's X-Frame-Options for browsers without it.
    assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'none'", path);
    assert.equal(page.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(page.headers.get('referrer-policy'), 'same-origin', path);
  }
});
