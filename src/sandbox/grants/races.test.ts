import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from '../store/memory';
import type {Store} from '../store/store';
import {authorizeWithPkce, createTestSandbox, startDeviceFlow, type TestSandbox} from '../test-fixture';

// Concurrent requests: the store's atomic updates decide which one wins. However they interleave, at
// most one gets tokens, the others are told invalid_grant and detect the replay, and nothing handed
// out survives the detection (RFC 6749 §4.1.2, RFC 9700 §4.14.2, and for device codes RFC 8628 §3.5).

const CONCURRENCY = [2, 3, 5, 10, 20];
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REPETITIONS = 50;
/** A device race runs the whole approval through the pages first, so fewer of them keep the suite quick. */
const DEVICE_REPETITIONS = 20;

type Answer = {access_token?: string; refresh_token?: string; error?: string; error_description?: string};

async function tokenRequest(sandbox: TestSandbox, body: Record<string, string>): Promise<Answer> {
  const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(body).toString(),
  });
  return (await response.json()) as Answer;
}

/** Whether an access token still works: at the API, and by RFC 7662 introspection. */
async function accessTokenWorks(sandbox: TestSandbox, token: string): Promise<{api: number; active: boolean}> {
  const api = (
    await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {headers: {authorization: `Bearer ${token}`}})
  ).status;
  const resourceServer = sandbox.client('calendar-api');
  const introspection = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${resourceServer.client_id}:${resourceServer.client_secret}`)}`,
    },
    body: new URLSearchParams({token}).toString(),
  });
  return {api, active: ((await introspection.json()) as {active: boolean}).active};
}

/** Checks one race: at most one winner, every loser refused with invalid_grant, and every token from the grant dead. */
async function assertRaceOutcome(
  sandbox: TestSandbox,
  label: string,
  answers: Answer[],
  alsoIssued: string[],
  clientId: string,
): Promise<void> {
  const winners = answers.filter((answer) => answer.access_token);
  const losers = answers.filter((answer) => !answer.access_token);
  assert.ok(winners.length <= 1, `${label}: ${winners.length} requests got tokens`);
  for (const loser of losers) assert.equal(loser.error, 'invalid_grant', `${label}: ${JSON.stringify(loser)}`);
  assert.ok(
    losers.some((loser) => /already used/.test(loser.error_description ?? '')),
    `${label}: the replay was detected`,
  );
  for (const token of [...winners.map((winner) => winner.access_token!), ...alsoIssued]) {
    assert.deepEqual(
      await accessTokenWorks(sandbox, token),
      {api: 401, active: false},
      `${label}: an access token from the grant still works`,
    );
  }
  for (const winner of winners) {
    const again = await tokenRequest(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: winner.refresh_token!,
      client_id: clientId,
    });
    assert.equal(again.error, 'invalid_grant', `${label}: the winner's refresh token still works`);
  }
}

/** Runs `repetitions` races at each concurrency level; resolves to [races, races with a winner]. */
async function race(
  sandbox: TestSandbox,
  kind: 'code' | 'refresh' | 'device',
  levels: number[],
  repetitions: number,
): Promise<[number, number]> {
  let races = 0;
  let won = 0;
  for (const concurrency of levels) {
    for (let round = 0; round < repetitions; round += 1) {
      if (kind === 'device') {
        // An approved device code, polled by several requests at once (RFC 8628 §3.4).
        const device = await startDeviceFlow(sandbox, {scope: 'openid offline_access calendar:read'});
        await sandbox.browser.device(device.codes.verification_uri_complete!, {
          username: 'alice',
          password: 'wonderland-42',
        });
        const polling = {grant_type: DEVICE_GRANT, device_code: device.codes.device_code, client_id: 'tv-app'};
        const answers = await Promise.all(Array.from({length: concurrency}, () => tokenRequest(sandbox, polling)));
        await assertRaceOutcome(sandbox, `${concurrency} at once, round ${round}`, answers, [], 'tv-app');
        races += 1;
        won += answers.some((answer) => answer.access_token) ? 1 : 0;
        continue;
      }
      const flow = await authorizeWithPkce(sandbox);
      const code = flow.outcome.callbackUrl!.searchParams.get('code')!;
      const exchange = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: flow.redirectUri,
        client_id: 'spa',
        code_verifier: flow.codeVerifier,
      };
      let racing: Record<string, string> = exchange;
      const issued: string[] = [];
      if (kind === 'refresh') {
        const first = await tokenRequest(sandbox, exchange);
        assert.ok(first.refresh_token, 'the code exchange gave a refresh token');
        issued.push(first.access_token!);
        racing = {grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: 'spa'};
      }
      const answers = await Promise.all(Array.from({length: concurrency}, () => tokenRequest(sandbox, racing)));
      await assertRaceOutcome(sandbox, `${concurrency} at once, round ${round}`, answers, issued, 'spa');
      races += 1;
      won += answers.some((answer) => answer.access_token) ? 1 : 0;
    }
  }
  return [races, won];
}

/**
 * The memory store behind a random delay of 0 to 5 ms before each call runs, as a database's latency
 * would vary: the calls of concurrent requests then run in a different order each time. Each call is
 * still atomic, which is all the Store interface promises.
 */
function withLatency(store: Store): Store {
  const later = <T>(run: () => Promise<T>) =>
    new Promise<T>((resolve, reject) =>
      setTimeout(() => void run().then(resolve, reject), Math.floor(Math.random() * 6)),
    );
  return {
    get: (key) => later(() => store.get(key)),
    set: (key, value, ttl) => later(() => store.set(key, value, ttl)),
    delete: (key) => later(() => store.delete(key)),
    take: (key) => later(() => store.take(key)),
    update: (key, change, ttl) => later(() => store.update(key, change, ttl)),
    clear: () => later(() => store.clear()),
    sweep: () => later(() => store.sweep()),
    size: () => later(() => store.size()),
  };
}

const WHAT = {
  code: 'RFC 6749 §4.1.2: concurrent redemptions of one code',
  refresh: 'RFC 9700 §4.14.2: concurrent uses of one refresh token',
  device: 'RFC 8628 §3.5: concurrent polls of one approved device code',
};

for (const kind of ['code', 'refresh', 'device'] as const) {
  const what = WHAT[kind];
  const repetitions = kind === 'device' ? DEVICE_REPETITIONS : REPETITIONS;
  test(`${what} (${CONCURRENCY.join(', ')} at once, ${repetitions} times each): at most one wins, the reuse is detected, every token from the grant is revoked`, async () => {
    const [races, won] = await race(await createTestSandbox(), kind, CONCURRENCY, repetitions);
    console.log(
      `${kind} races, memory store: ${races} (${repetitions} per concurrency level ${CONCURRENCY.join('/')}); a winner (then revoked) in ${won}, none in ${races - won}`,
    );
  });

  test(`${what}, with a store whose calls take a random time (${CONCURRENCY.join(', ')} at once, 10 times each): the same`, async () => {
    const [races, won] = await race(
      await createTestSandbox({store: withLatency(createMemoryStore())}),
      kind,
      CONCURRENCY,
      10,
    );
    console.log(
      `${kind} races, memory store with random latency: ${races} (10 per concurrency level ${CONCURRENCY.join('/')}); a winner (then revoked) in ${won}, none in ${races - won}`,
    );
  });
}
