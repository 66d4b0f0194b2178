import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox} from '../../sandbox/test-fixture';
import {TEST_SITE_URL} from '../../sandbox/testing';
import * as lab from './tokens-in-url';

async function signIn(responseType: lab.ResponseType) {
  const sandbox = await createTestSandbox();
  const config: lab.LabConfig = {
    issuer: sandbox.issuer,
    clientId: responseType === 'token' ? 'lab-spa-implicit' : 'lab-spa-code',
    redirectUri: `${TEST_SITE_URL}security/tokens-in-url`,
    scope: 'calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    responseType,
    fetch: (url, init) => sandbox.fetch(url, init),
  };
  const as = await lab.discover(config);
  const secrets = await lab.createAppSecrets(responseType);
  const {callbackUrl} = await sandbox.browser.authorize(lab.buildAuthorizationUrl(as, config, secrets), {
    username: 'alice',
    password: 'wonderland-42',
  });
  assert.ok(callbackUrl, 'the server sent the browser back to the page');
  const token = await lab.completeSignIn(as, config, secrets, callbackUrl);
  return {config, as, callbackUrl, token};
}

test('RFC 6749 §4.2.2: the implicit response carries the access token, token_type, expires_in and state in the fragment, and no refresh token', async () => {
  const {callbackUrl, token} = await signIn('token');
  const fragment = new URLSearchParams(callbackUrl.hash.slice(1));
  assert.equal(fragment.get('access_token'), token.access_token);
  assert.equal(fragment.get('token_type'), 'Bearer');
  assert.ok(Number(fragment.get('expires_in')) > 0);
  assert.ok(fragment.get('state'));
  assert.equal(fragment.has('refresh_token'), false);
  assert.equal(callbackUrl.search, '', 'nothing in the query');
});

test('RFC 9700 §4.3.2: a script reading the address takes the implicit access token and the API answers 200 to it', async () => {
  const {config, as, callbackUrl} = await signIn('token');
  const outcome = await lab.readerUsesTheAddress(as, config, callbackUrl);
  assert.equal(outcome.found, 'access_token');
  if (outcome.found !== 'access_token') return;
  const api = await lab.callApi(`${config.audience}/events`, outcome.accessToken, config);
  assert.equal(api.status, 200);
});

test('RFC 7636 §4.6: with the code flow the address holds only code, state and iss, and the code is worthless to the script', async () => {
  const {config, as, callbackUrl, token} = await signIn('code');
  assert.ok(token.access_token);
  assert.deepEqual([...callbackUrl.searchParams.keys()].sort(), ['code', 'iss', 'state']);
  assert.equal(callbackUrl.hash, '');
  const outcome = await lab.readerUsesTheAddress(as, config, callbackUrl);
  assert.deepEqual(
    outcome.found === 'code' && 'error' in outcome ? {status: outcome.status, error: outcome.error} : outcome,
    {status: 400, error: 'invalid_grant'},
  );
});
