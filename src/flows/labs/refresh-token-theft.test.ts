import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTestSandbox, loginWithPkce} from '../../sandbox/test-fixture';
import * as lab from './refresh-token-theft';

/** Signs in as the lab client, then lets the thief, the app and the thief again use the refresh token. */
async function runLab(clientId: string) {
  const sandbox = await createTestSandbox();
  const {tokens} = await loginWithPkce(sandbox, {clientId, scope: 'openid offline_access calendar:read'});
  const config: lab.RefreshConfig = {issuer: sandbox.issuer, clientId, fetch: (url, init) => sandbox.fetch(url, init)};
  const stolen = tokens.refresh_token!;
  const theft = await lab.useRefreshToken(sandbox.as, config, stolen);
  const app = await lab.useRefreshToken(sandbox.as, config, stolen);
  const theftAgain = await lab.useRefreshToken(sandbox.as, config, theft.ok ? theft.refreshToken : stolen);
  return {sandbox, config, theft, app, theftAgain};
}

test('RFC 9700 §4.14.2, defence off: without rotation the stolen refresh token keeps working, for the thief and the app', async () => {
  const {sandbox, config, theft, app, theftAgain} = await runLab('lab-spa-no-rotation');
  for (const outcome of [theft, app, theftAgain]) {
    assert.equal(outcome.ok, true);
    if (outcome.ok) assert.equal(outcome.rotated, false);
  }
  assert.ok(theftAgain.ok);
  const api = await lab.callApi(`${sandbox.issuer}/api/calendar/events`, theftAgain.tokens.access_token, config);
  assert.equal(api.status, 200);
});

test("RFC 9700 §4.14.2, defence on: the app reusing the rotated token revokes the family, the thief's new token included", async () => {
  const {theft, app, theftAgain} = await runLab('lab-spa-rotation');
  assert.ok(theft.ok && theft.rotated, 'the thief was first, and got a rotated token');
  assert.deepEqual(app.ok ? 'ok' : [app.status, app.error], [400, 'invalid_grant']);
  assert.deepEqual(theftAgain.ok ? 'ok' : [theftAgain.status, theftAgain.error], [400, 'invalid_grant']);
});
