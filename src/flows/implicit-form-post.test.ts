import assert from 'node:assert/strict';
import {test} from 'node:test';
import {generateKeyPair, SignJWT} from 'jose';
import {createMemoryStore} from '../sandbox/app';
import {createTestSandbox} from '../sandbox/test-fixture';
import {createTestBrowser} from '../sandbox/testing';
import {createFormPostApp} from './implicit-form-post';
import type {BackChannelReport} from './web-app-support';

/** The form-post app mounted beside an in-process sandbox, as a transport mounts it, and a browser for both. */
async function setUp() {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('form-post-app');
  const appUrl = `${sandbox.issuer}/webapp/form-post`;
  const formPostApp = createFormPostApp({
    issuer: sandbox.issuer,
    clientId: client.client_id,
    appUrl,
    appName: client.client_name,
    guideUrl: 'https://docs.test/flows/implicit-form-post',
    sessions: createMemoryStore(),
    fetch: (url, init) => sandbox.fetch(url, init),
  });
  const handler = async (request: Request) =>
    request.url.startsWith(`${appUrl}/`) || request.url === appUrl
      ? formPostApp.fetch(request)
      : sandbox.app.fetch(request);
  const newBrowser = () => createTestBrowser(handler, sandbox.issuer);
  return {sandbox, client, appUrl, handler, newBrowser, browser: newBrowser()};
}

type Setup = Awaited<ReturnType<typeof setUp>>;
type Browser = Setup['browser'];

/** Signs in through the app up to the self-submitting form_post page, and returns its form. */
async function signInToFormPost({browser, appUrl}: {browser: Browser; appUrl: string}, responseType = 'id_token') {
  const {formPost} = await browser.authorize(`${appUrl}/login?${new URLSearchParams({response_type: responseType})}`, {
    username: 'bob',
    password: 'builder-7',
  });
  assert.ok(formPost, 'a form_post page');
  return formPost;
}

async function post(browser: Browser, form: {action: string; fields: URLSearchParams}) {
  return browser.request(form.action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: form.fields.toString(),
  });
}

test('OIDC Core §3.2: the app asks for an ID token only, by form post, and signs the user in', async () => {
  const setup = await setUp();
  const login = await setup.browser.request(`${setup.appUrl}/login`);
  const authorize = new URL(login.headers.get('location')!);
  assert.equal(authorize.searchParams.get('response_type'), 'id_token');
  assert.equal(authorize.searchParams.get('response_mode'), 'form_post');
  assert.ok(authorize.searchParams.get('nonce'), 'OIDC Core §3.2.2.1: nonce');

  const form = await signInToFormPost(setup);
  assert.equal(form.action, setup.client.redirect_uris[0]);
  assert.ok(form.fields.get('id_token'));
  assert.equal(form.fields.get('access_token'), null, 'RFC 9700 §2.1.2: no access token through the browser');
  const callback = await post(setup.browser, form);
  assert.equal(callback.status, 303);
  assert.equal(callback.headers.get('location'), setup.appUrl);
  const home = await (await setup.browser.request(setup.appUrl)).text();
  assert.match(home, /Signed in as Bob Builder/);
  assert.match(home, /Only an ID token was asked for/);
  assert.match(home, /href="https:\/\/docs\.test\/flows\/implicit-form-post"/);
});

test('The back channel: discovery and the JWKS, and the verified claims', async () => {
  const setup = await setUp();
  await post(setup.browser, await signInToFormPost(setup));
  const response = await setup.browser.request(`${setup.appUrl}/back-channel`);
  const report = (await response.json()) as BackChannelReport;
  assert.deepEqual(
    report.exchanges.map(({request, response}) => [request.method, request.url, response?.status]),
    [
      ['GET', `${setup.sandbox.issuer}/.well-known/openid-configuration`, 200],
      ['GET', `${setup.sandbox.issuer}/jwks`, 200],
    ],
  );
  assert.equal(report.session?.idTokenClaims.sub, 'user-bob');
  assert.equal(report.session?.accessToken, null);
  assert.equal(report.session?.refreshToken, false);
});

test('OIDC Core §3.2.2.9: with id_token token, at_hash must match the access token', async () => {
  const setup = await setUp();
  const form = await signInToFormPost(setup, 'id_token token');
  assert.ok(form.fields.get('access_token'));
  const tampered = new URLSearchParams(form.fields);
  tampered.set('access_token', `${form.fields.get('access_token')}x`);
  const refused = await post(setup.browser, {action: form.action, fields: tampered});
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /at_hash does not match/);
});

test('OIDC Core §3.2.2.9: with id_token token and a matching at_hash, the app describes the access token it got', async () => {
  const setup = await setUp();
  assert.equal((await post(setup.browser, await signInToFormPost(setup, 'id_token token'))).status, 303);
  const report = (await (await setup.browser.request(`${setup.appUrl}/back-channel`)).json()) as BackChannelReport;
  assert.equal(report.session?.accessToken?.scope, 'openid profile email');
});

test('OIDC Core §3.2.2.11 item 6: an ID token signed with another key is refused', async () => {
  const setup = await setUp();
  const form = await signInToFormPost(setup);
  const {privateKey} = await generateKeyPair('RS256');
  const original = JSON.parse(
    Buffer.from(form.fields.get('id_token')!.split('.')[1], 'base64url').toString(),
  ) as Record<string, unknown>;
  const forged = await new SignJWT({...original, sub: 'user-alice'})
    .setProtectedHeader({alg: 'RS256', kid: 'attacker'})
    .sign(privateKey);
  const fields = new URLSearchParams(form.fields);
  fields.set('id_token', forged);
  const refused = await post(setup.browser, {action: form.action, fields});
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /Sign-in failed/);
  assert.doesNotMatch(await (await setup.browser.request(setup.appUrl)).text(), /Signed in as/);
});

test('RFC 6749 §10.12: a response for an earlier sign-in of the same browser is refused (state and nonce are per sign-in)', async () => {
  const setup = await setUp();
  const first = await signInToFormPost(setup);
  await setup.browser.request(`${setup.appUrl}/login`);
  const refused = await post(setup.browser, first);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /state does not match/);
});

test('RFC 6749 §10.12: a valid response posted by another browser is refused', async () => {
  const setup = await setUp();
  const form = await signInToFormPost(setup);
  const refused = await post(setup.newBrowser(), form);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /No sign-in was started in this browser/);
});

test('RFC 9207 §2.4: a response whose iss is another issuer is refused', async () => {
  const setup = await setUp();
  const form = await signInToFormPost(setup);
  const fields = new URLSearchParams(form.fields);
  fields.set('iss', 'https://attacker.test');
  const refused = await post(setup.browser, {action: form.action, fields});
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /iss does not identify/);
});

test('RFC 6749 §3.1: a response with a repeated parameter is refused', async () => {
  const setup = await setUp();
  const form = await signInToFormPost(setup);
  const fields = new URLSearchParams(form.fields);
  fields.append('id_token', 'x');
  const refused = await post(setup.browser, {action: form.action, fields});
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /repeats the id_token parameter/);
});

test('OIDC Core §3.2.2.1: an error posted back (no nonce) is shown', async () => {
  const setup = await setUp();
  const login = await setup.browser.request(`${setup.appUrl}/login`);
  const authorize = new URL(login.headers.get('location')!);
  authorize.searchParams.delete('nonce');
  const {formPost} = await setup.browser.authorize(authorize, {username: 'bob', password: 'builder-7'});
  assert.equal(formPost?.fields.get('error'), 'invalid_request');
  const page = await post(setup.browser, formPost);
  assert.equal(page.status, 400);
  assert.match(await page.text(), /invalid_request: .*nonce/);
});

test('The callback shows an error sent in the query instead of a bare 405', async () => {
  const setup = await setUp();
  const page = await setup.browser.request(
    `${setup.appUrl}/callback?error=invalid_request&error_description=nonce+required&state=s`,
  );
  assert.equal(page.status, 400);
  const text = await page.text();
  assert.match(text, /Sign-in failed/);
  assert.match(text, /invalid_request: nonce required/);
  const bare = await setup.browser.request(`${setup.appUrl}/callback`);
  assert.equal(bare.status, 400);
  assert.match(await bare.text(), /expects the sign-in response as a form post/);
});

test('Bad input to the form-post app is a 4xx page, never a 5xx', async () => {
  const setup = await setUp();
  await signInToFormPost(setup);
  const bodies: [string | undefined, BodyInit | undefined][] = [
    [undefined, undefined],
    ['application/x-www-form-urlencoded', 'a=%ZZ&&=&b'],
    ['application/x-www-form-urlencoded', 'state=1&state=2'],
    ['application/x-www-form-urlencoded', 'id_token=not.a.jwt&iss=x&state=y'],
    ['application/json', '{"a":'],
    ['text/plain', '\u0000\uffff'],
  ];
  for (const path of ['/', '/login', '/callback', '/back-channel', '/nope']) {
    for (const [type, body] of bodies) {
      // A fresh pending sign-in each time, so the callback gets as far into its checks as the input allows.
      await setup.browser.request(`${setup.appUrl}/login`);
      const init: RequestInit = {
        method: 'POST',
        redirect: 'manual',
        ...(type ? {headers: {'content-type': type}} : {}),
        ...(body !== undefined ? {body} : {}),
      };
      const response = await setup.browser.request(`${setup.appUrl}${path}`, init);
      assert.ok(response.status < 500, `POST ${path} ${type}: ${response.status}`);
    }
  }
});
