import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createSandbox} from '../app';
import {createMemoryStore} from '../store/memory';
import {authorizeWithPkce, createTestSandbox, type TestSandbox} from '../test-fixture';
import {TEST_ISSUER, TEST_SITE_URL} from '../testing';
import {ATTEMPT_WINDOW, MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USER} from './password-attempts';

const trusted = (sandbox: TestSandbox) => sandbox.client('trusted-first-party');

/** A password grant by the trusted first-party client (client_secret_post), answered in-process. */
async function passwordGrant(fetch: TestSandbox['fetch'], sandbox: TestSandbox, username: string, password: string) {
  const client = trusted(sandbox);
  const response = await fetch(`${TEST_ISSUER}/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: 'password',
      username,
      password,
      scope: 'openid',
      client_id: client.client_id,
      client_secret: client.client_secret!,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {access_token?: string; error?: string; error_description?: string},
  };
}

test('RFC 6749 §4.3.2 / §10.10: the password grant refuses a user after too many wrong passwords, the right one too, until the window ends', async () => {
  const sandbox = await createTestSandbox();
  for (let attempt = 0; attempt < MAX_FAILURES_PER_USER; attempt++) {
    const wrong = await passwordGrant(sandbox.fetch, sandbox, 'alice', 'guess');
    assert.equal(wrong.status, 400);
    assert.deepEqual([wrong.body.error, wrong.body.error_description], ['invalid_grant', 'wrong username or password']);
  }
  const locked = await passwordGrant(sandbox.fetch, sandbox, 'alice', 'wonderland-42');
  assert.equal(locked.status, 400);
  assert.equal(locked.body.error, 'invalid_grant');
  assert.match(
    locked.body.error_description!,
    /^too many wrong passwords for this user or client; try again in 15 minutes$/,
  );
  // Another user of the same client is not locked out by alice's count.
  assert.equal((await passwordGrant(sandbox.fetch, sandbox, 'bob', 'builder-7')).status, 200);
  sandbox.advance(ATTEMPT_WINDOW);
  assert.equal((await passwordGrant(sandbox.fetch, sandbox, 'alice', 'wonderland-42')).status, 200, 'the window ended');
});

test("RFC 6749 §10.10: a right password starts the user's count again; fewer wrong ones than the limit never lock", async () => {
  const sandbox = await createTestSandbox();
  for (let round = 0; round < 3; round++) {
    for (let attempt = 0; attempt < MAX_FAILURES_PER_USER - 1; attempt++)
      await passwordGrant(sandbox.fetch, sandbox, 'alice', 'guess');
    assert.equal((await passwordGrant(sandbox.fetch, sandbox, 'alice', 'wonderland-42')).status, 200, `round ${round}`);
  }
});

test('RFC 6749 §10.10: guessing across users (or unknown ones) through one client locks that client, not the others', async () => {
  const sandbox = await createTestSandbox();
  for (let attempt = 0; attempt < MAX_FAILURES_PER_CLIENT; attempt++) {
    assert.equal(
      (await passwordGrant(sandbox.fetch, sandbox, `nobody-${attempt}`, 'guess')).body.error,
      'invalid_grant',
    );
  }
  const locked = await passwordGrant(sandbox.fetch, sandbox, 'bob', 'builder-7');
  assert.match(locked.body.error_description!, /^too many wrong passwords/);
  // The SPA's sign-in page is another client: alice still signs in there.
  const flow = await authorizeWithPkce(sandbox);
  assert.ok(flow.outcome.callbackUrl?.searchParams.get('code'), 'signed in through another client');
});

test('RFC 6749 §10.10: the login page says sign-in is paused after too many wrong passwords, and signs no one in', async () => {
  const sandbox = await createTestSandbox();
  for (let attempt = 0; attempt < MAX_FAILURES_PER_USER; attempt++) {
    const {outcome} = await authorizeWithPkce(sandbox, {password: 'guess'});
    assert.match(await outcome.response.text(), /role="alert">Wrong username or password/);
  }
  const {outcome} = await authorizeWithPkce(sandbox);
  assert.equal(outcome.callbackUrl, undefined, 'not signed in');
  assert.equal(outcome.response.status, 200);
  assert.match(
    await outcome.response.text(),
    /role="alert">Too many wrong passwords\. For your safety, sign-in is paused: try again in 15 minutes\./,
  );
  // Bob, through the same client, is not held back by alice's count.
  assert.ok(
    (await authorizeWithPkce(sandbox, {username: 'bob', password: 'builder-7'})).outcome.callbackUrl?.searchParams.get(
      'code',
    ),
  );
});

test('RFC 6749 §10.10: the counts live in the Store, so a restarted app (a restarted Service Worker) still refuses', async () => {
  const store = createMemoryStore();
  const sandbox = await createTestSandbox({store});
  for (let attempt = 0; attempt < MAX_FAILURES_PER_USER; attempt++)
    await passwordGrant(sandbox.fetch, sandbox, 'alice', 'guess');
  const restarted = createSandbox({issuer: TEST_ISSUER, siteUrl: TEST_SITE_URL, store});
  const fetchRestarted: TestSandbox['fetch'] = async (input, init) =>
    restarted.fetch(input instanceof Request ? input : new Request(input, init));
  const locked = await passwordGrant(fetchRestarted, sandbox, 'alice', 'wonderland-42');
  assert.match(locked.body.error_description!, /^too many wrong passwords/);
});

test('RFC 6749 §10.10: a burst of parallel guesses gets no more tries than the limit', async () => {
  const sandbox = await createTestSandbox();
  const answers = await Promise.all(
    Array.from({length: 30}, () => passwordGrant(sandbox.fetch, sandbox, 'alice', 'guess')),
  );
  const checked = answers.filter((answer) => answer.body.error_description === 'wrong username or password');
  assert.equal(checked.length, MAX_FAILURES_PER_USER, 'only as many passwords were compared as the limit allows');
  assert.ok(answers.every((answer) => answer.status === 400 && answer.body.error === 'invalid_grant'));
});
