import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {CatalogClient} from '../catalog';
import {createTestSandbox, type TestSandbox} from '../test-fixture';
import {parseForm, TEST_SITE_URL} from '../testing';
import {backLinks} from './back-links';
import {formPostPage} from './form-post';

const pkce = {code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256'};
const GUIDE_LINK = `<a href="${TEST_SITE_URL}">Back to the guide</a>`;

function authorizeUrl(sandbox: TestSandbox, params: Record<string, string>): string {
  return `${sandbox.as.authorization_endpoint}?${new URLSearchParams(params)}`;
}

/** Follows the authorization request to the login page, and on to the consent page after signing in. */
async function loginAndConsentPages(
  sandbox: TestSandbox,
  params: Record<string, string>,
): Promise<{login: string; consent: string}> {
  const start = await sandbox.browser.request(
    authorizeUrl(sandbox, {response_type: 'code', scope: 'openid', ...pkce, ...params}),
  );
  assert.equal(start.status, 303);
  const login = await (await sandbox.browser.request(start.headers.get('location')!)).text();
  const form = parseForm(login)!;
  const signedIn = await sandbox.browser.request(form.action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      csrf: form.fields.get('csrf')!,
      username: 'alice',
      password: 'wonderland-42',
      action: 'login',
    }).toString(),
  });
  assert.equal(signedIn.status, 303);
  const consent = await (
    await sandbox.browser.request(new URL(signedIn.headers.get('location')!, sandbox.issuer).href)
  ).text();
  assert.match(consent, /<h1>Authorize /);
  return {login, consent};
}

const hrefs = (page: string) => [...page.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1]);

test('Pages: sign-in and consent link back to the guide and to the guide page that started the flow', async () => {
  const sandbox = await createTestSandbox();
  for (const [clientId, redirectUri] of [
    ['spa', `${TEST_SITE_URL}concepts/refresh-tokens`],
    ['native-app', `${TEST_SITE_URL}flows/native-apps`],
  ] as const) {
    assert.ok(
      sandbox.client(clientId).redirect_uris.includes(redirectUri),
      `${redirectUri} is registered for ${clientId}`,
    );
    const {login, consent} = await loginAndConsentPages(sandbox, {client_id: clientId, redirect_uri: redirectUri});
    for (const page of [login, consent]) {
      assert.ok(page.includes(GUIDE_LINK), `${clientId}: a link to the guide`);
      assert.ok(
        page.includes(`<a href="${redirectUri}">Back to the page that started this flow</a>`),
        `${clientId}: a link to ${redirectUri}`,
      );
      assert.match(page, /<nav class="back" aria-label="Back to the guide">/);
    }
    sandbox.browser.cookies.clear();
  }
});

test('Pages: a redirect URI that is not a guide page is not linked, only the guide is', async () => {
  const sandbox = await createTestSandbox();
  // RFC 8252 §7.3: a loopback redirect with a port matches a registration without one; it is the app's, not the guide's.
  const {login, consent} = await loginAndConsentPages(sandbox, {
    client_id: 'native-app',
    redirect_uri: 'http://127.0.0.1:53127/callback',
  });
  for (const page of [login, consent]) assert.deepEqual(hrefs(page), [TEST_SITE_URL]);
});

test('RFC 9700 §4.1: the error page for an unregistered redirect_uri links to the guide, never to that URI', async () => {
  const sandbox = await createTestSandbox();
  for (const redirect_uri of [
    'https://evil.test/cb',
    `${TEST_SITE_URL}flows/client-credentials`,
    `${sandbox.client('spa').redirect_uris[0]}/extra`,
  ]) {
    const response = await sandbox.fetch(
      authorizeUrl(sandbox, {client_id: 'spa', response_type: 'code', redirect_uri, ...pkce}),
    );
    assert.equal(response.status, 400);
    const page = await response.text();
    assert.ok(page.includes(GUIDE_LINK), redirect_uri);
    assert.deepEqual(hrefs(page), [TEST_SITE_URL], redirect_uri);
  }
  const unknownClient = await (
    await sandbox.fetch(authorizeUrl(sandbox, {client_id: 'nobody', redirect_uri: `${TEST_SITE_URL}flows/native-apps`}))
  ).text();
  assert.deepEqual(hrefs(unknownClient), [TEST_SITE_URL]);
  const expired = await (await sandbox.fetch(`${sandbox.issuer}/interaction/no-such-step/login`)).text();
  assert.deepEqual(hrefs(expired), [TEST_SITE_URL]);
});

test('Pages: backLinks links only a redirect URI registered for the client, compared exactly', () => {
  const client = {redirect_uris: [`${TEST_SITE_URL}flows/native-apps`]} as CatalogClient;
  assert.equal(backLinks(TEST_SITE_URL, {client, redirectUri: `${TEST_SITE_URL}flows/native-apps`}).length, 2);
  assert.equal(backLinks(TEST_SITE_URL, {client, redirectUri: `${TEST_SITE_URL}flows/native-apps?x=1`}).length, 1);
  assert.equal(backLinks(TEST_SITE_URL, {client, redirectUri: `${TEST_SITE_URL}flows/implicit-form-post`}).length, 1);
  assert.deepEqual(backLinks(TEST_SITE_URL), [{href: TEST_SITE_URL, label: 'Back to the guide'}]);
});

test("Pages: every sandbox page, the form-post page too, follows the reader's dark colour scheme", async () => {
  const sandbox = await createTestSandbox();
  const {login, consent} = await loginAndConsentPages(sandbox, {
    client_id: 'spa',
    redirect_uri: sandbox.client('spa').redirect_uris[0]!,
  });
  const error = await (await sandbox.fetch(authorizeUrl(sandbox, {client_id: 'nobody'}))).text();
  const formPost = await formPostPage(`${sandbox.issuer}/webapp/form-post/callback`, {state: 's'});
  for (const page of [login, consent, error, String(formPost)]) {
    assert.match(page, /color-scheme: light dark/);
    assert.match(
      page,
      /@media \(prefers-color-scheme: dark\) \{[\s\S]*body \{ color: #e6e9ef; background: #0d1117; \}/,
    );
  }
});
