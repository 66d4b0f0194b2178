import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {DEFAULT_INTERACTION_LIMITS, INTERACTION_TTL} from './interaction';
import {createMemoryStore} from './store/memory';
import {createTestSandbox} from './test-fixture';
import {ACCESS_TOKEN_TTL} from './tokens';

// Soak: a flood of unauthenticated authorization requests must not grow the sandbox without bound, and
// what it leaves behind must be gone once it expires. The sandbox clock is moved past the TTL, so
// "after ten minutes" takes no time. Heap figures are printed for the record.

/** Fifty times the per-client cap on pending sign-ins: enough to show the cap holds, and quick. */
const FLOOD = 5_000;
/** Entries written straight to the memory store, where each costs little. */
const STORE_FLOOD = 100_000;

/** A full garbage collection: node's --expose-gc, enabled from here so the test runner needs no flag. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function heapMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

test(`${FLOOD} unauthenticated GET /authorize: the store stays within the caps, and is empty again after the TTL`, async () => {
  const sandbox = await createTestSandbox();
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: 'spa',
    response_type: 'code',
    redirect_uri: sandbox.client('spa').redirect_uris[0]!,
    scope: 'openid',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  // Warm up (signing key, compiled code), then measure.
  await sandbox.fetch(`${sandbox.issuer}/jwks`);
  const baseline = {entries: await sandbox.store.size(), heap: heapMb()};

  let largest = 0;
  for (let index = 0; index < FLOOD; index += 1) {
    const response = await sandbox.fetch(url);
    assert.equal(response.status, 303);
    if (index % 1000 === 999) largest = Math.max(largest, await sandbox.store.size());
  }
  const during = {entries: await sandbox.store.size(), heap: heapMb()};

  // Ten minutes later: the next write sweeps what expired (and so would the Node server's timer).
  sandbox.advance(INTERACTION_TTL + 1);
  await sandbox.fetch(url);
  const after = {entries: await sandbox.store.size(), heap: heapMb()};

  console.log(
    `soak, ${FLOOD} GET /authorize for one client: entries ${baseline.entries} before, ${during.entries} during (at most ${largest}), ${after.entries} after the TTL; ` +
      `heap ${baseline.heap.toFixed(1)} MB before, ${during.heap.toFixed(1)} MB during, ${after.heap.toFixed(1)} MB after`,
  );
  // The pending interactions of one client (and the lists that count them) are all that may pile up.
  assert.ok(
    largest <= DEFAULT_INTERACTION_LIMITS.perClient + 10,
    `at most ${DEFAULT_INTERACTION_LIMITS.perClient} interactions pile up, not ${largest} entries`,
  );
  // After the TTL: the signing key, and the one interaction (with its two lists) just started.
  assert.ok(after.entries <= baseline.entries + 3, `the store is back to ${after.entries} entries`);
  assert.ok(
    after.heap - baseline.heap < 5,
    `heap back near baseline: ${baseline.heap.toFixed(1)} -> ${after.heap.toFixed(1)} MB`,
  );
});

test(`the memory store: ${STORE_FLOOD} expiring entries are swept by the first write after their TTL, and the heap returns to baseline`, async () => {
  let now = 0;
  const store = createMemoryStore(() => now);
  await store.set('keys:signing', {kid: 'forever'});
  const baseline = heapMb();
  for (let index = 0; index < STORE_FLOOD; index += 1) {
    await store.set(
      `interaction:${index}`,
      {id: index, csrf: 'x'.repeat(22), request: {clientId: 'spa', scopes: ['openid', 'profile']}},
      INTERACTION_TTL,
    );
  }
  const during = {entries: await store.size(), heap: heapMb()};
  now += (INTERACTION_TTL + 1) * 1000;
  await store.set('one-more', 1, INTERACTION_TTL);
  const after = {entries: await store.size(), heap: heapMb()};
  console.log(
    `soak, ${STORE_FLOOD} expiring store entries: ${during.entries} during, ${after.entries} after; heap ${baseline.toFixed(1)} MB before, ` +
      `${during.heap.toFixed(1)} MB during, ${after.heap.toFixed(1)} MB after`,
  );
  assert.equal(during.entries, STORE_FLOOD + 1);
  assert.equal(after.entries, 2, 'only the entry without a TTL and the new one are left');
  assert.ok(during.heap - baseline > 10, 'the entries took measurable memory');
  assert.ok(
    after.heap - baseline < 3,
    `heap back near baseline: ${baseline.toFixed(1)} -> ${after.heap.toFixed(1)} MB`,
  );
});

test('client_credentials: a flood of token requests leaves nothing in the store once its access tokens expired', async () => {
  const sandbox = await createTestSandbox();
  const m2m = sandbox.client('m2m-cron');
  const request = () =>
    sandbox.fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${m2m.client_id}:${m2m.client_secret}`)}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        resource: `${sandbox.issuer}/api/calendar`,
      }).toString(),
    });
  assert.equal((await request()).status, 200);
  await sandbox.store.sweep();
  const baseline = await sandbox.store.size();
  for (let index = 0; index < 2000; index += 1) assert.equal((await request()).status, 200);
  const during = await sandbox.store.size();
  // Access tokens live ten minutes; their grants a minute more.
  sandbox.advance(ACCESS_TOKEN_TTL + 61);
  await sandbox.store.sweep();
  const after = await sandbox.store.size();
  console.log(
    `soak, 2000 client_credentials requests: entries ${baseline} before, ${during} during, ${after} after the access tokens expired`,
  );
  assert.ok(during >= 2000);
  assert.equal(after, 2, "only the keys are left: the signing key and the private_key_jwt demo client's key pair");
});
