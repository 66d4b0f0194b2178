import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {clientAuthFor, createTestSandbox, loginWithDevice, startDeviceFlow, type TestSandbox} from '../test-fixture';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The error a token response ends in, as oauth4webapi reports it. */
async function pollError(promise: Promise<unknown>): Promise<{error: string; status: number; description?: string}> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError)
      return {
        error: error.error,
        status: error.status,
        ...(error.error_description ? {description: error.error_description} : {}),
      };
    throw error;
  }
  assert.fail('expected an error response');
}

const errorOf = async (promise: Promise<unknown>) => (await pollError(promise)).error;

const approve = (sandbox: TestSandbox, uri: string, options: Parameters<TestSandbox['browser']['device']>[1] = {}) =>
  sandbox.browser.device(uri, {username: 'alice', password: 'wonderland-42', ...options});

test('RFC 8628 §3.4 / §3.5: authorization_pending until the user approves, then tokens (ID token, refresh token)', async () => {
  const sandbox = await createTestSandbox();
  const {codes, poll, oauthClient} = await startDeviceFlow(sandbox);
  assert.deepEqual(await pollError(poll()), {
    error: 'authorization_pending',
    status: 400,
    description: 'the user has not yet approved or denied the request',
  });
  const outcome = await approve(sandbox, codes.verification_uri_complete!);
  assert.deepEqual(outcome.pages, ['enter', 'login', 'confirm', 'consent']);
  sandbox.advance(5);
  const tokens = await poll();
  assert.equal(tokens.scope, 'openid profile offline_access calendar:read');
  assert.ok(tokens.refresh_token, 'offline_access was granted and tv-app has the refresh_token grant');
  const idToken = oauth.getValidatedIdTokenClaims(tokens)!;
  assert.equal(idToken.sub, 'user-alice');
  assert.equal(idToken.aud, 'tv-app');
  const audience = `${sandbox.issuer}/api/calendar`;
  const claims = await oauth.validateJwtAccessToken(
    sandbox.as,
    new Request(`${audience}/events`, {headers: {authorization: `Bearer ${tokens.access_token}`}}),
    audience,
    sandbox.options,
  );
  assert.equal(claims.client_id, 'tv-app');
  const api = await sandbox.fetch(`${audience}/events`, {headers: {authorization: `Bearer ${tokens.access_token}`}});
  assert.equal(api.status, 200);
  // The refresh token works with the refresh_token grant (RFC 6749 §6), rotated like every other.
  const refreshed = await oauth.processRefreshTokenResponse(
    sandbox.as,
    oauthClient,
    await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, oauth.None(), tokens.refresh_token, sandbox.options),
  );
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
});

test('RFC 8628 §3.5: polling sooner than the interval is slow_down, and the interval grows by 5 seconds for good', async () => {
  const sandbox = await createTestSandbox();
  const {poll} = await startDeviceFlow(sandbox);
  assert.equal(await errorOf(poll()), 'authorization_pending', 'the first poll may come at once');
  sandbox.advance(4);
  assert.equal(await errorOf(poll()), 'slow_down', '4 s < 5 s');
  sandbox.advance(5);
  assert.equal(await errorOf(poll()), 'slow_down', 'the interval is 10 s now');
  sandbox.advance(14);
  assert.equal(await errorOf(poll()), 'slow_down', 'and 15 s after the second slow_down');
  sandbox.advance(20);
  assert.equal(await errorOf(poll()), 'authorization_pending', '20 s is enough');
  sandbox.advance(19);
  assert.equal(await errorOf(poll()), 'slow_down', 'the grown interval is kept: 19 s < 20 s');
  sandbox.advance(25);
  assert.equal(await errorOf(poll()), 'authorization_pending');
});

test('RFC 8628 §3.5: polls at the interval are never slow_down; the answer is no-store', async () => {
  const sandbox = await createTestSandbox();
  const {codes, client} = await startDeviceFlow(sandbox);
  for (let i = 0; i < 4; i++) {
    const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({
        grant_type: DEVICE_GRANT,
        device_code: codes.device_code,
        client_id: client.client_id,
      }),
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(((await response.json()) as {error: string}).error, 'authorization_pending');
    sandbox.advance(5);
  }
});

test('RFC 8628 §3.5: the user denies at consent, or says they did not start it: access_denied, on every later poll too', async () => {
  for (const options of [{consent: 'deny'}, {confirm: 'no'}] as const) {
    const sandbox = await createTestSandbox();
    const {codes, poll} = await startDeviceFlow(sandbox);
    const outcome = await approve(sandbox, codes.verification_uri_complete!, options);
    assert.match(outcome.page, /<h1>Nothing was shared<\/h1>/);
    for (let i = 0; i < 2; i++) {
      sandbox.advance(5);
      assert.equal(await errorOf(poll()), 'access_denied', JSON.stringify(options));
    }
  }
});

test('RFC 8628 §3.5: an expired device code is expired_token, approved or not; long after, invalid_grant', async () => {
  const sandbox = await createTestSandbox();
  const pending = await startDeviceFlow(sandbox, {clientId: 'tv-app-quick-expiry', scope: 'openid'});
  const approved = await startDeviceFlow(sandbox, {clientId: 'tv-app-quick-expiry', scope: 'openid'});
  await approve(sandbox, approved.codes.verification_uri_complete!);
  sandbox.advance(15);
  assert.equal(await errorOf(pending.poll()), 'expired_token');
  assert.equal(await errorOf(approved.poll()), 'expired_token');
  // Nor can the user enter an expired code.
  const late = await sandbox.browser.device(pending.codes.verification_uri_complete!);
  assert.match(late.page, /role="alert"/);
  assert.deepEqual(late.pages, ['enter']);
  sandbox.advance(60 * 60);
  assert.equal(await errorOf(pending.poll()), 'invalid_grant');
});

test('RFC 8628 §3.5: a device code redeems once; the second redemption is invalid_grant and revokes its tokens', async () => {
  const sandbox = await createTestSandbox();
  const {tokens, poll} = await loginWithDevice(sandbox);
  sandbox.advance(5);
  assert.equal(await errorOf(poll()), 'invalid_grant');
  const api = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    headers: {authorization: `Bearer ${tokens.access_token}`},
  });
  assert.equal(api.status, 401, 'RFC 6749 §4.1.2 by analogy: the tokens of a replayed one-time code are revoked');
});

test("RFC 8628 §3.4 / RFC 6749 §5.2: another client's device code is invalid_grant, and leaves that code as it was", async () => {
  const sandbox = await createTestSandbox();
  const victim = await startDeviceFlow(sandbox);
  await approve(sandbox, victim.codes.verification_uri_complete!);
  const other = sandbox.client('tv-app-quick-expiry');
  const oauthClient: oauth.Client = {client_id: other.client_id};
  const stolen = await oauth.deviceCodeGrantRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(other),
    victim.codes.device_code,
    sandbox.options,
  );
  assert.equal(await errorOf(oauth.processDeviceCodeResponse(sandbox.as, oauthClient, stolen)), 'invalid_grant');
  assert.ok((await victim.poll()).access_token, 'the owner still redeems it');
});

test('RFC 8628 §3.5: an unknown device code is invalid_grant', async () => {
  const sandbox = await createTestSandbox();
  const {client, oauthClient} = await startDeviceFlow(sandbox);
  const response = await oauth.deviceCodeGrantRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(client),
    'made-up',
    sandbox.options,
  );
  assert.equal(await errorOf(oauth.processDeviceCodeResponse(sandbox.as, oauthClient, response)), 'invalid_grant');
});

test('RFC 8628 §3.4 / RFC 6749 §2.3.1: a confidential device client polls with its secret, never without', async () => {
  const sandbox = await createTestSandbox();
  const {codes, oauthClient} = await startDeviceFlow(sandbox, {clientId: 'meeting-room-display'});
  await approve(sandbox, codes.verification_uri_complete!);
  const anonymous = await oauth.deviceCodeGrantRequest(
    sandbox.as,
    oauthClient,
    oauth.None(),
    codes.device_code,
    sandbox.options,
  );
  assert.equal(anonymous.status, 401);
  assert.equal(((await anonymous.json()) as {error: string}).error, 'invalid_client');
  const tokens = await oauth.processDeviceCodeResponse(
    sandbox.as,
    oauthClient,
    await oauth.deviceCodeGrantRequest(
      sandbox.as,
      oauthClient,
      oauth.ClientSecretBasic(sandbox.client('meeting-room-display').client_secret!),
      codes.device_code,
      sandbox.options,
    ),
  );
  assert.ok(tokens.refresh_token);
});

test('OIDC Core §11: no refresh token without offline_access, nor for a device client without the refresh_token grant', async () => {
  const sandbox = await createTestSandbox();
  const plain = await loginWithDevice(sandbox, {scope: 'openid calendar:read'});
  assert.equal(plain.tokens.refresh_token, undefined);
  const quick = await loginWithDevice(sandbox, {clientId: 'tv-app-quick-expiry', scope: 'openid offline_access'});
  assert.equal(quick.tokens.refresh_token, undefined);
  const userinfoOnly = await loginWithDevice(sandbox, {scope: 'openid email', audience: ''});
  assert.equal(oauth.getValidatedIdTokenClaims(userinfoOnly.tokens)!.email, 'alice@example.com');
});

test('RFC 8707 §2.2: a poll naming another resource than the device asked for is invalid_target', async () => {
  const sandbox = await createTestSandbox();
  const {codes, client} = await startDeviceFlow(sandbox);
  await approve(sandbox, codes.verification_uri_complete!);
  const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: DEVICE_GRANT,
      device_code: codes.device_code,
      client_id: client.client_id,
      resource: `${sandbox.issuer}/api/contacts`,
    }),
  });
  assert.equal(((await response.json()) as {error: string}).error, 'invalid_target');
});

test('RFC 8628 §3.5: of concurrent polls of an approved code at most one gets tokens, and the others revoke them', async () => {
  for (const concurrency of [2, 5]) {
    const sandbox = await createTestSandbox();
    const {codes, poll} = await startDeviceFlow(sandbox);
    await approve(sandbox, codes.verification_uri_complete!);
    const results = await Promise.allSettled(Array.from({length: concurrency}, () => poll()));
    const winners = results.filter((result) => result.status === 'fulfilled');
    // A loser may revoke the grant before the winner recorded its token, which then gets invalid_grant too.
    assert.ok(winners.length <= 1, `${concurrency} at once`);
    for (const loser of results.filter((result) => result.status === 'rejected')) {
      assert.equal((loser.reason as oauth.ResponseBodyError).error, 'invalid_grant');
    }
    if (winners.length === 0) continue;
    const {access_token: token} = (winners[0] as PromiseFulfilledResult<oauth.TokenEndpointResponse>).value;
    const api = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
      headers: {authorization: `Bearer ${token}`},
    });
    assert.equal(api.status, 401, 'the reuse was detected and the grant revoked');
  }
});
