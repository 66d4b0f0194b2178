import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {TEST_SITE_URL} from '../../sandbox/testing';
import * as lab from './code-interception';

async function runLab(usePkce: boolean) {
  const sandbox = await createTestSandbox();
  const config: lab.LabConfig = {
    issuer: sandbox.issuer,
    clientId: 'lab-notes-app',
    redirectUri: `${TEST_SITE_URL}security/code-interception`,
    scope: 'calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    fetch: (url, init) => sandbox.fetch(url, init),
  };
  const as = await lab.discover(config);
  const secrets = await lab.createVictimSecrets(usePkce);
  const url = lab.buildAuthorizationUrl(as, config, secrets);
  assert.equal(url.searchParams.has('code_challenge'), usePkce);
  const outcome = await sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  const {callbackUrl} = outcome;
  assert.ok(callbackUrl, 'the authorization came back to the redirect URI');
  assert.ok(callbackUrl.searchParams.get('code'), 'the redirect carries a code');
  return {config, as, stolen: await lab.redeemStolenCode(as, config, callbackUrl)};
}

test('RFC 7636 §1: without PKCE, an intercepted code is redeemed by the malicious app and the API answers 200', async () => {
  const {config, stolen} = await runLab(false);
  assert.equal(stolen.redeemed, true);
  if (!stolen.redeemed) return;
  const api = await lab.callApiWithStolenToken(`${config.audience}/events`, stolen.tokens.access_token, config);
  assert.equal(api.status, 200);
});

test('RFC 7636 §4.6: with PKCE, the intercepted code is refused with invalid_grant', async () => {
  const {stolen} = await runLab(true);
  assert.deepEqual(stolen.redeemed ? 'redeemed' : {status: stolen.status, error: stolen.error}, {
    status: 400,
    error: 'invalid_grant',
  });
});
