import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pendingInteractions} from './interaction';
import {createTestSandbox, loginWithPkce, type TestSandbox} from './test-fixture';

const pkce = {code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256'};

/** Starts an authorization request as a browser without cookies (or with `cookie`); resolves to where it was sent. */
async function startAuthorization(
  sandbox: TestSandbox,
  extra: Record<string, string> = {},
  cookie?: string,
): Promise<{status: number; location: URL | undefined}> {
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: 'spa',
    response_type: 'code',
    redirect_uri: sandbox.client('spa').redirect_uris[0]!,
    scope: 'openid',
    state: 'st',
    ...pkce,
    ...extra,
  }).toString();
  const response = await sandbox.fetch(url, cookie ? {headers: {cookie}} : {});
  const location = response.headers.get('location');
  return {status: response.status, location: location ? new URL(location, sandbox.issuer) : undefined};
}

async function pageStatus(sandbox: TestSandbox, url: URL, cookie?: string): Promise<number> {
  return (await sandbox.fetch(url, cookie ? {headers: {cookie}} : {})).status;
}

test('pending interactions per client are capped: the oldest is dropped and its sign-in page says it expired', async () => {
  const sandbox = await createTestSandbox({interactionLimits: {perClient: 3}});
  const logins: URL[] = [];
  for (let index = 0; index < 5; index += 1) logins.push((await startAuthorization(sandbox)).location!);
  assert.ok(logins.every((url) => url.pathname.endsWith('/login')));
  assert.deepEqual(
    await Promise.all(logins.map((url) => pageStatus(sandbox, url))),
    [400, 400, 200, 200, 200],
    'the two oldest were dropped, the three newest still work',
  );
  assert.equal(await pendingInteractions(sandbox.store, sandbox.now()), 3);
});

test('pending interactions per browser session are capped: the oldest of that browser is dropped, other browsers keep theirs', async () => {
  const sandbox = await createTestSandbox({interactionLimits: {perBrowser: 2}});
  await loginWithPkce(sandbox);
  const cookie = `sandbox_session=${sandbox.browser.cookies.get('sandbox_session')}`;
  const other = (await startAuthorization(sandbox, {prompt: 'login'})).location!;
  const mine: URL[] = [];
  for (let index = 0; index < 3; index += 1)
    mine.push((await startAuthorization(sandbox, {prompt: 'login'}, cookie)).location!);
  assert.deepEqual(await Promise.all(mine.map((url) => pageStatus(sandbox, url, cookie))), [400, 200, 200]);
  assert.equal(await pageStatus(sandbox, other), 200, 'a browser without that session is not affected');
});

test('RFC 6749 §4.1.2.1: past the total cap, a request with a valid redirect URI is sent back with temporarily_unavailable; an invalid one creates nothing', async () => {
  const sandbox = await createTestSandbox({interactionLimits: {total: 3}});
  for (let index = 0; index < 3; index += 1)
    assert.match((await startAuthorization(sandbox)).location!.pathname, /\/login$/);
  const refused = await startAuthorization(sandbox);
  assert.equal(refused.status, 303);
  assert.equal(refused.location!.origin + refused.location!.pathname, sandbox.client('spa').redirect_uris[0]);
  assert.equal(refused.location!.searchParams.get('error'), 'temporarily_unavailable');
  assert.equal(refused.location!.searchParams.get('state'), 'st');
  assert.equal(refused.location!.searchParams.get('iss'), sandbox.issuer);
  const untrusted = await startAuthorization(sandbox, {redirect_uri: 'https://evil.test/cb'});
  assert.equal(untrusted.status, 400, 'an unregistered redirect URI gets the error page, not a redirect');
  assert.equal(untrusted.location, undefined);
  assert.equal(await pendingInteractions(sandbox.store, sandbox.now()), 3);
  // The pending ones expire 10 minutes after their request; then requests are served again.
  sandbox.advance(601);
  assert.match((await startAuthorization(sandbox)).location!.pathname, /\/login$/);
});

test('a finished sign-in frees its place: one pending interaction at a time still runs flow after flow', async () => {
  const sandbox = await createTestSandbox({interactionLimits: {total: 1}});
  for (let round = 0; round < 3; round += 1) {
    const {tokens} = await loginWithPkce(sandbox);
    assert.ok(tokens.access_token);
    assert.equal(await pendingInteractions(sandbox.store, sandbox.now()), 0);
  }
});

test('an interaction expires 10 minutes after its request, even when it is saved again at login', async () => {
  const sandbox = await createTestSandbox();
  const login = (await startAuthorization(sandbox)).location!;
  sandbox.advance(599);
  assert.equal(await pageStatus(sandbox, login), 200);
  sandbox.advance(1);
  assert.equal(await pageStatus(sandbox, login), 400);
});

test('OIDC Core §3.1.2.6: a prompt=none request answered with login_required holds no place among the pending interactions', async () => {
  const sandbox = await createTestSandbox({interactionLimits: {perClient: 2}});
  for (let index = 0; index < 5; index += 1) {
    const silent = await startAuthorization(sandbox, {prompt: 'none'});
    assert.equal(silent.location!.searchParams.get('error'), 'login_required');
  }
  assert.equal(await pendingInteractions(sandbox.store, sandbox.now()), 0);
});
