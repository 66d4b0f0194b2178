import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {generateUserCode, normalizeUserCode, USER_CODE_ALPHABET} from '../device';
import {createTestSandbox, startDeviceFlow, type TestSandbox} from '../test-fixture';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

const post = (sandbox: TestSandbox, body: string, headers: Record<string, string> = {}) =>
  sandbox.fetch(`${sandbox.issuer}/device_authorization`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded', ...headers},
    body,
  });

test('RFC 8628 §3.1 / §3.2: a public client gets a device code, a user code and where to enter it', async () => {
  const sandbox = await createTestSandbox();
  const response = await post(sandbox, 'client_id=tv-app&scope=openid%20profile');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const body = (await response.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), [
    'device_code',
    'expires_in',
    'interval',
    'user_code',
    'verification_uri',
    'verification_uri_complete',
  ]);
  // §5.2: the device code is a high-entropy credential: 256 random bits, base64url.
  assert.match(String(body.device_code), /^[A-Za-z0-9_-]{43}$/);
  assert.match(String(body.user_code), USER_CODE);
  assert.equal(body.verification_uri, `${sandbox.issuer}/device`);
  assert.equal(body.verification_uri_complete, `${sandbox.issuer}/device?user_code=${String(body.user_code)}`);
  assert.equal(body.expires_in, 600);
  assert.equal(body.interval, 5);
});

test('RFC 8628 §3.2: oauth4webapi accepts the response; each client gets its own lifetime and interval', async () => {
  const sandbox = await createTestSandbox();
  const {codes} = await startDeviceFlow(sandbox, {clientId: 'tv-app-quick-expiry', scope: 'openid'});
  assert.equal(codes.expires_in, 15);
  assert.equal(codes.interval, 3);
  const lab = await startDeviceFlow(sandbox, {clientId: 'lab-tv-unconfirmed', scope: 'openid'});
  assert.equal(lab.codes.expires_in, 1800);
});

test('RFC 8628 §3.1 / RFC 6749 §2.3.1: a confidential device client authenticates, and is refused without its secret', async () => {
  const sandbox = await createTestSandbox();
  const {codes} = await startDeviceFlow(sandbox, {clientId: 'meeting-room-display'});
  assert.match(codes.user_code, USER_CODE);
  const client: oauth.Client = {client_id: 'meeting-room-display'};
  const withoutSecret = await oauth.deviceAuthorizationRequest(
    sandbox.as,
    client,
    oauth.None(),
    {scope: 'openid'},
    sandbox.options,
  );
  assert.equal(withoutSecret.status, 401);
  assert.equal(((await withoutSecret.json()) as {error: string}).error, 'invalid_client');
  const wrong = await oauth.deviceAuthorizationRequest(
    sandbox.as,
    client,
    oauth.ClientSecretBasic('wrong'),
    {scope: 'openid'},
    sandbox.options,
  );
  assert.equal(wrong.status, 401);
  assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/);
});

test('RFC 8628 §3.1: scope and audience are checked as at the authorization endpoint', async () => {
  const sandbox = await createTestSandbox();
  const calendar = encodeURIComponent(`${sandbox.issuer}/api/calendar`);
  const cases: [string, number, string?][] = [
    [`client_id=tv-app&scope=calendar:read&audience=${calendar}`, 200],
    [`client_id=tv-app&scope=calendar:read&resource=${calendar}`, 200],
    ['client_id=tv-app', 200],
    ['client_id=tv-app&scope=calendar:read', 400, 'invalid_scope'],
    [`client_id=tv-app&scope=contacts:read&audience=${calendar}`, 400, 'invalid_scope'],
    ['client_id=tv-app&resource=relative/path', 400, 'invalid_target'],
    [`client_id=tv-app&resource=${calendar}&audience=https://elsewhere.test/`, 400, 'invalid_target'],
    ['client_id=native-app&scope=openid', 400, 'unauthorized_client'],
    ['client_id=m2m-cron&client_secret=m2m-cron-secret-5bd1e8', 401, 'invalid_client'],
  ];
  for (const [body, status, error] of cases) {
    const response = await post(sandbox, body);
    assert.equal(response.status, status, body);
    if (error) assert.equal(((await response.json()) as {error: string}).error, error, body);
  }
});

test('RFC 8628 §6.1: user codes are 8 letters of BCDFGHJKLMNPQRSTVWXZ, every letter used, unique among live codes', async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) for (const letter of generateUserCode()) seen.add(letter);
  assert.deepEqual([...seen].sort().join(''), USER_CODE_ALPHABET);
  const sandbox = await createTestSandbox();
  const codes = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const body = (await (await post(sandbox, 'client_id=tv-app')).json()) as {user_code: string};
    assert.match(body.user_code, USER_CODE);
    codes.add(body.user_code);
  }
  assert.equal(codes.size, 40);
});

test('RFC 8628 §6.1: a user code is entered case- and dash-insensitively; anything else is no code', () => {
  for (const typed of ['WDJB-MJHT', 'wdjb-mjht', 'WdJbMjHt', ' wdjb mjht ', 'WDJB--MJHT'])
    assert.equal(normalizeUserCode(typed), 'WDJBMJHT', typed);
  for (const typed of ['WDJB-MJH', 'WDJB-MJHTX', 'WDJB-MJH1', 'AEIO-UBCD', 'WDJB_MJHT', ''])
    assert.equal(normalizeUserCode(typed), undefined, typed);
});

test('Limits: past the total of live device codes, temporarily_unavailable (503) until some expire', async () => {
  const sandbox = await createTestSandbox({deviceLimits: {total: 2}});
  assert.equal((await post(sandbox, 'client_id=tv-app-quick-expiry')).status, 200);
  assert.equal((await post(sandbox, 'client_id=tv-app')).status, 200);
  const refused = await post(sandbox, 'client_id=tv-app');
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(((await refused.json()) as {error: string}).error, 'temporarily_unavailable');
  sandbox.advance(16);
  assert.equal((await post(sandbox, 'client_id=tv-app')).status, 200, 'the quick code expired and freed its place');
});
