import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {TEST_SITE_URL} from '../../sandbox/testing';
import * as lab from './login-csrf';

/** sessionStorage's shape, for one browser. */
function browserStorage(): lab.StateStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/** The attacker signs in with their own account and keeps the response instead of following it. */
async function attackerResponse(useState: boolean) {
  const sandbox = await createTestSandbox();
  const config: lab.LabConfig = {
    issuer: sandbox.issuer,
    clientId: 'lab-planner',
    redirectUri: `${TEST_SITE_URL}security/login-csrf`,
    scope: 'openid profile calendar:write',
    audience: `${sandbox.issuer}/api/calendar`,
    fetch: (url, init) => sandbox.fetch(url, init),
  };
  const as = await lab.discover(config);
  const url = lab.attackerStartsOwnSignIn(as, config, useState);
  assert.equal(url.searchParams.has('state'), useState);
  assert.equal(
    url.searchParams.get('prompt'),
    'login',
    'the server asks who signs in, although the browser has a session',
  );
  const outcome = await sandbox.browser.authorize(url, {username: 'bob', password: 'builder-7'});
  const planted = outcome.callbackUrl;
  assert.ok(planted, "the attacker's sign-in came back to the redirect URI");
  assert.ok(planted.searchParams.get('code'), 'the attacker holds a code for their own account');
  return {config, as, planted};
}

test("RFC 6749 §10.12: without the state check, a planted response signs the victim in to the attacker's account", async () => {
  const {config, as, planted} = await attackerResponse(false);
  const victimBrowser = browserStorage();
  lab.startSignIn(as, config, victimBrowser, false);
  const outcome = await lab.completeSignIn(as, config, victimBrowser, planted, false);
  assert.ok(outcome.signedIn);
  assert.equal(outcome.claims.sub, 'user-bob');
  const saved = await lab.saveAppointment(
    `${config.audience}/events`,
    outcome.tokens.access_token,
    {title: 'Dentist', start: '2026-12-01T09:00:00Z'},
    config,
  );
  assert.equal(saved.status, 201);
  assert.equal((saved.body as {caller: {sub: string}}).caller.sub, 'user-bob');
});

test('RFC 6749 §10.12: with the state check, the planted response is refused before any token request', async () => {
  const {config, as, planted} = await attackerResponse(true);
  const victimBrowser = browserStorage();
  lab.startSignIn(as, config, victimBrowser, true);
  const sent: string[] = [];
  const watched = {...config, fetch: (url: string, init: RequestInit) => (sent.push(url), config.fetch!(url, init))};
  const outcome = await lab.completeSignIn(as, watched, victimBrowser, planted, true);
  assert.deepEqual(outcome, {
    signedIn: false,
    code: 'OAUTH_INVALID_RESPONSE',
    message: 'unexpected "state" response parameter value',
  });
  assert.deepEqual(sent, [], 'the code was never sent to the token endpoint');
});

test('RFC 6749 §10.12: with the state check, a response without a state is refused too', async () => {
  const {config, as, planted} = await attackerResponse(false);
  const victimBrowser = browserStorage();
  lab.startSignIn(as, config, victimBrowser, true);
  const outcome = await lab.completeSignIn(as, config, victimBrowser, planted, true);
  assert.deepEqual(outcome, {
    signedIn: false,
    code: 'OAUTH_INVALID_RESPONSE',
    message: 'response parameter "state" missing',
  });
});

test('RFC 6749 §10.12: with the state check, a browser that started no sign-in accepts no response', async () => {
  const {config, as, planted} = await attackerResponse(true);
  const outcome = await lab.completeSignIn(as, config, browserStorage(), planted, true);
  assert.deepEqual(outcome, {
    signedIn: false,
    code: 'NO_SIGN_IN_STARTED',
    message: 'no sign-in was started in this browser',
  });
});
