import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from '../../sandbox/app';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {createTestBrowser} from '../../sandbox/testing';
import type {BackChannelReport} from '../web-app-support';
import {decodeJwt} from 'jose';
import {open, signInAndConsent, submit} from './browser-actions';
import {createReplayLabApp} from './id-token-replay';
import * as attacker from './id-token-replay-attacker';
import {createFollowingBrowser} from './test-browser';

/** The lab's app mounted beside an in-process sandbox, as the transports mount it. */
async function setUp() {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('lab-members-app');
  const appUrl = `${sandbox.issuer}/webapp/lab/id-token-replay`;
  assert.deepEqual(client.redirect_uris, [`${appUrl}/callback`]);
  const app = createReplayLabApp({
    issuer: sandbox.issuer,
    clientId: client.client_id,
    appUrl,
    sessions: createMemoryStore(),
    fetch: (url, init) => sandbox.fetch(url, init),
  });
  const handler = async (request: Request) =>
    request.url.startsWith(`${appUrl}/`) ? app.fetch(request) : sandbox.app.fetch(request);
  return {appUrl, newBrowser: () => createTestBrowser(handler, sandbox.issuer)};
}

type Browser = ReturnType<Awaited<ReturnType<typeof setUp>>['newBrowser']>;

/** Signs in through the app up to the self-submitting form_post page, and returns its form. */
async function formPostOf(
  browser: Browser,
  appUrl: string,
  checkNonce: 'on' | 'off',
  user: {username: string; password: string},
) {
  const {formPost} = await browser.authorize(`${appUrl}/login?check_nonce=${checkNonce}`, user);
  assert.ok(formPost, 'a form_post page');
  return formPost;
}

const post = (browser: Browser, action: string, fields: URLSearchParams) =>
  browser.request(action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: fields.toString(),
  });

async function report(browser: Browser, appUrl: string): Promise<BackChannelReport> {
  return (await (await browser.request(`${appUrl}/back-channel`)).json()) as BackChannelReport;
}

/** Alice signs in; an attacker in another browser signs in as Bob and posts Alice's ID token with Bob's state. */
async function replay(checkNonce: 'on' | 'off') {
  const {appUrl, newBrowser} = await setUp();
  const victim = newBrowser();
  const victimForm = await formPostOf(victim, appUrl, checkNonce, {username: 'alice', password: 'wonderland-42'});
  assert.equal((await post(victim, victimForm.action, victimForm.fields)).status, 303);
  assert.equal((await report(victim, appUrl)).session?.idTokenClaims.sub, 'user-alice');
  const stolen = victimForm.fields.get('id_token')!;

  const attacker = newBrowser();
  const attackerForm = await formPostOf(attacker, appUrl, checkNonce, {username: 'bob', password: 'builder-7'});
  const swapped = new URLSearchParams(attackerForm.fields);
  swapped.set('id_token', stolen);
  const response = await post(attacker, attackerForm.action, swapped);
  return {response, report: await report(attacker, appUrl)};
}

test('OIDC Core §15.5.2: without the nonce check, a replayed ID token signs the attacker in as its subject', async () => {
  const {response, report} = await replay('off');
  assert.equal(response.status, 303);
  assert.equal(report.session?.idTokenClaims.sub, 'user-alice');
  assert.equal(report.failure, null);
});

test('OIDC Core §3.2.2.11: with the nonce check, the replayed ID token is refused and nobody is signed in', async () => {
  const {response, report} = await replay('on');
  assert.equal(response.status, 400);
  assert.match(await response.text(), /the ID token nonce does not match this sign-in/);
  assert.equal(report.session, null);
  assert.equal(report.failure, 'the ID token nonce does not match this sign-in');
});

test('OIDC Core §3.2.2.1: the app sends a fresh nonce and prompt=login whichever way the switch is', async () => {
  const {appUrl, newBrowser} = await setUp();
  const nonces = new Set<string>();
  for (const checkNonce of ['on', 'off', 'on']) {
    const login = await newBrowser().request(`${appUrl}/login?check_nonce=${checkNonce}`);
    const authorize = new URL(login.headers.get('location')!);
    assert.equal(authorize.searchParams.get('response_type'), 'id_token');
    assert.equal(authorize.searchParams.get('response_mode'), 'form_post');
    assert.equal(authorize.searchParams.get('prompt'), 'login');
    nonces.add(authorize.searchParams.get('nonce')!);
  }
  assert.equal(nonces.size, 3);
});

/** The attacker's module, as the walkthrough runs it: the victim's browser, then the attacker's, each with its own cookies. */
async function replayWithAttackerModule(checkNonce: boolean) {
  const sandbox = await createTestSandbox();
  const appUrl = `${sandbox.issuer}/webapp/lab/id-token-replay`;
  const app = createReplayLabApp({
    issuer: sandbox.issuer,
    clientId: 'lab-members-app',
    appUrl,
    sessions: createMemoryStore(),
    fetch: (url, init) => sandbox.fetch(url, init),
  });
  const handler = async (request: Request) =>
    request.url.startsWith(`${appUrl}/`) || request.url === appUrl ? app.fetch(request) : sandbox.app.fetch(request);
  const victim = createFollowingBrowser(handler, sandbox.issuer);
  const victimConfig: attacker.AttackerConfig = {appUrl, checkNonce, fetch: victim.fetch};
  assert.equal(await attacker.copyPostedIdToken(victimConfig), undefined, 'nothing to copy before the victim signs in');
  const victimPage = await signInAndConsent(victimConfig, await open(victimConfig, attacker.signInLink(victimConfig)), {
    username: 'alice',
    password: 'wonderland-42',
  });
  assert.ok(victimPage.form, "the victim's form post");
  await submit(victimConfig, victimPage.form);
  const copied = await attacker.copyPostedIdToken(victimConfig);
  assert.equal(copied?.victimSub, 'user-alice');

  const attackerConfig: attacker.AttackerConfig = {
    appUrl,
    checkNonce,
    fetch: createFollowingBrowser(handler, sandbox.issuer).fetch,
  };
  const form = await attacker.startOwnSignIn(attackerConfig, {username: 'bob', password: 'builder-7'});
  assert.equal(
    decodeJwt(form.fields.find(([name]) => name === 'id_token')![1]).sub,
    'user-bob',
    "the attacker's own ID token, unposted",
  );
  assert.ok(form.fields.some(([name]) => name === 'state'));
  return attacker.postCopiedIdToken(attackerConfig, form, copied.idToken);
}

test("attacker module, OIDC Core §15.5.2: without the nonce check, the copied ID token posted in the attacker's own sign-in is accepted", async () => {
  assert.deepEqual(await replayWithAttackerModule(false), {accepted: true, sub: 'user-alice', name: 'Alice Liddell'});
});

test('attacker module, OIDC Core §3.2.2.11: with the nonce check, the app refuses it and says why', async () => {
  assert.deepEqual(await replayWithAttackerModule(true), {
    accepted: false,
    status: 400,
    failure: 'the ID token nonce does not match this sign-in',
  });
});
