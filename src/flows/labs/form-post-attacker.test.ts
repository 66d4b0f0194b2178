import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from '../../sandbox/app';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {createFormPostApp} from '../implicit-form-post';
import {open, signInAndConsent, submit} from './browser-actions';
import * as attack from './form-post-attacker';
import {createFollowingBrowser} from './test-browser';

/** The form-post app beside an in-process sandbox; a browser signs in through it and keeps the posted response. */
async function signedIn() {
  const sandbox = await createTestSandbox();
  const appUrl = `${sandbox.issuer}/webapp/form-post`;
  const app = createFormPostApp({
    issuer: sandbox.issuer,
    clientId: 'form-post-app',
    appUrl,
    sessions: createMemoryStore(),
    fetch: (url, init) => sandbox.fetch(url, init),
  });
  const handler = async (request: Request) =>
    request.url.startsWith(`${appUrl}/`) || request.url === appUrl ? app.fetch(request) : sandbox.app.fetch(request);
  const config: attack.FormPostAttackConfig = {appUrl, fetch: createFollowingBrowser(handler, sandbox.issuer).fetch};
  const page = await signInAndConsent(config, await open(config, `${appUrl}/login`), {
    username: 'bob',
    password: 'builder-7',
  });
  assert.ok(page.form, 'the form post');
  const signedIn = await submit(config, page.form);
  assert.equal(signedIn.status, 200);
  assert.equal(signedIn.redirected, true, 'the app sent the browser on to its home page');
  return {config, posted: page.form.fields};
}

test('RFC 6749 §10.12: the same posted response, sent again, is refused: its sign-in is over', async () => {
  const {config, posted} = await signedIn();
  assert.deepEqual(await attack.replayPostedResponse(config, posted), {
    status: 400,
    message: 'No sign-in was started in this browser, or it expired: start the sign-in again.',
  });
});

test('OIDC Core §3.2.2.11: the old ID token in a new sign-in, with the right state, is refused for its nonce', async () => {
  const {config, posted} = await signedIn();
  const refusal = await attack.injectOldIdToken(config, posted);
  assert.equal(refusal.status, 400);
  assert.match(refusal.message, /nonce/);
});

test('without a posted ID token there is nothing to replay', async () => {
  const {config} = await signedIn();
  await assert.rejects(attack.replayPostedResponse(config, [['state', 'x']]), /No posted ID token to replay/);
});
