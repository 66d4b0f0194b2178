import type {Page} from '@playwright/test';
import type {Catalog} from '../src/sandbox/catalog';
import {expect, test, waitForSandboxWorker} from './fixtures';

// The worker's IndexedDB store: expired state is swept when the worker starts, a database from the
// previous version is upgraded in place (signing key included), and concurrent redemptions of one code
// or one refresh token are decided by its transactions. Requests are fetched from the page, so they go
// through the worker, which is what these tests are about.

const DB = 'oauth-sandbox';

/** Stops every Service Worker of the browser context, as the browser does to idle workers. */
async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({versions}) => {
      if (versions.length > 0 && versions.every((version) => version.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
}

/** The database as the page sees it: version, indexes, and which of `keys` are present. */
async function inspectDb(page: Page, keys: string[]): Promise<{version: number; indexes: string[]; present: string[]}> {
  return page.evaluate(
    async ({name, keys}) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const store = db.transaction('entries').objectStore('entries');
      const present: string[] = [];
      for (const key of keys) {
        const count = await new Promise<number>((resolve, reject) => {
          const request = store.count(key);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (count > 0) present.push(key);
      }
      const result = {version: db.version, indexes: Array.from(store.indexNames), present};
      db.close();
      return result;
    },
    {name: DB, keys},
  );
}

/** Writes raw entries (`{value, expiresAt}`, as the store keeps them) from the page; creates the database at `version` when it is missing. */
async function putEntries(
  page: Page,
  entries: Record<string, {value: unknown; expiresAt?: number}>,
  version?: number,
): Promise<void> {
  await page.evaluate(
    async ({name, entries, version}) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
        request.onupgradeneeded = () => request.result.createObjectStore('entries');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction('entries', 'readwrite');
      for (const [key, entry] of Object.entries(entries)) tx.objectStore('entries').put(entry, key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    {name: DB, entries, version},
  );
}

async function fetchJson<T>(page: Page, url: string): Promise<T> {
  return page.evaluate(async (url) => (await fetch(url)).json() as Promise<unknown>, url) as Promise<T>;
}

test('the worker sweeps expired entries when it starts again, and keeps what has not expired', async ({
  page,
  sandboxPage,
  issuer,
}) => {
  await sandboxPage();
  const kid = async () => (await fetchJson<{keys: {kid: string}[]}>(page, `${issuer}/jwks`)).keys[0].kid;
  const keyBefore = await kid();
  const now = await page.evaluate(() => Date.now());
  const stale = Array.from({length: 25}, (_, index) => `interaction:stale-${index}`);
  await putEntries(page, {
    ...Object.fromEntries(stale.map((key) => [key, {value: {id: key}, expiresAt: now - 1000}])),
    'interaction:live': {value: {id: 'live'}, expiresAt: now + 600_000},
  });
  expect((await inspectDb(page, stale)).present, 'the expired entries are in the database').toHaveLength(stale.length);

  await stopServiceWorkers(page);
  // The restarted worker sweeps before it answers its first request.
  expect(await kid(), 'the signing key survived the sweep').toBe(keyBefore);
  const after = await inspectDb(page, [...stale, 'interaction:live', 'keys:signing']);
  expect(after.present, 'only what has not expired is left').toEqual(['interaction:live', 'keys:signing']);
});

test.describe('a database from the previous version', () => {
  test('is upgraded in place when the new worker opens it: the expiry index is added, the signing key kept, expired entries swept', async ({
    page,
    baseURL,
    issuer,
  }) => {
    // A document of the site that does not register the worker: the database is written before any worker runs.
    await page.goto(new URL('sitemap.xml', baseURL).href);
    const legacyKey = await page.evaluate(async () => {
      const pair = await crypto.subtle.generateKey(
        {name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'},
        true,
        ['sign', 'verify'],
      );
      const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
      const kid = 'key-from-version-1';
      return {kid, privateJwk: {...jwk, kid, alg: 'RS256', use: 'sig'}};
    });
    const now = await page.evaluate(() => Date.now());
    await putEntries(
      page,
      {
        'keys:signing': {value: legacyKey},
        'interaction:stale': {value: {id: 'stale'}, expiresAt: now - 1000},
        'interaction:live': {value: {id: 'live'}, expiresAt: now + 600_000},
      },
      1,
    );
    expect((await inspectDb(page, [])).version).toBe(1);

    await page.goto(new URL('.', baseURL).href);
    await waitForSandboxWorker(page);
    const jwks = await fetchJson<{keys: {kid: string}[]}>(page, `${issuer}/jwks`);
    expect(
      jwks.keys.map((key) => key.kid),
      'the signing key from version 1 is still the one in use',
    ).toEqual([legacyKey.kid]);
    const after = await inspectDb(page, ['keys:signing', 'interaction:stale', 'interaction:live']);
    expect(after.version).toBe(2);
    expect(after.indexes).toEqual(['by-expiry']);
    expect(after.present).toEqual(['keys:signing', 'interaction:live']);
  });
});

test.describe('concurrent requests in the worker', () => {
  // The refused token requests (400) and the revoked tokens at the API (401) are the point of the test.
  test.use({expectedConsoleErrors: [/status of 40[01]/]});

  const CONCURRENCY = [2, 5, 10, 20];
  const REPETITIONS = 5;

  type RaceOutcome = {
    concurrency: number;
    errors: string[];
    detected: boolean;
    winners: number;
    api: number[];
    active: boolean[];
    refresh: string[];
  };

  for (const kind of ['code', 'refresh'] as const) {
    test(`${kind === 'code' ? 'one authorization code' : 'one refresh token'} used ${CONCURRENCY.join(', ')} times at once (${REPETITIONS} rounds each): at most one wins, and every token from the grant is revoked`, async ({
      page,
      sandboxPage,
      issuer,
    }) => {
      await sandboxPage();
      const catalog = await fetchJson<Catalog>(page, `${issuer}/catalog`);
      const spa = catalog.clients.find((client) => client.guide_case === 'single-page-app')!;
      const resourceServer = catalog.clients.find((client) => client.guide_case === 'resource-server')!;
      const user = catalog.users[0];
      const outcomes = await page.evaluate(
        async ({issuer, kind, spa, resourceServer, user, concurrency, repetitions}) => {
          type Answer = {access_token?: string; refresh_token?: string; error?: string; error_description?: string};
          const form = (body: Record<string, string>) => ({
            method: 'POST',
            headers: {'content-type': 'application/x-www-form-urlencoded'},
            body: new URLSearchParams(body).toString(),
          });
          const token = async (body: Record<string, string>) =>
            (await (await fetch(`${issuer}/token`, form({...body, client_id: spa.client_id}))).json()) as Answer;
          const b64url = (bytes: ArrayBuffer | Uint8Array) =>
            btoa(String.fromCharCode(...new Uint8Array(bytes)))
              .replace(/\+/g, '-')
              .replace(/\//g, '_')
              .replace(/=+$/, '');
          const redirectUri = spa.redirect_uris[0];

          /** Signs in through the sandbox's own pages, as a browser would, and returns a fresh code and its verifier. */
          const authorize = async () => {
            const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
            const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
            const url = new URL(`${issuer}/authorize`);
            url.search = new URLSearchParams({
              client_id: spa.client_id,
              response_type: 'code',
              redirect_uri: redirectUri,
              scope: 'openid offline_access calendar:read',
              resource: `${issuer}/api/calendar`,
              code_challenge: challenge,
              code_challenge_method: 'S256',
            }).toString();
            let response = await fetch(url);
            for (let step = 0; step < 3 && new URL(response.url).href.startsWith(`${issuer}/interaction/`); step += 1) {
              const page = new DOMParser().parseFromString(await response.text(), 'text/html');
              const csrf = page.querySelector<HTMLInputElement>('input[name=csrf]')!.value;
              response = response.url.endsWith('/login')
                ? await fetch(
                    response.url,
                    form({csrf, username: user.username, password: user.password, action: 'login'}),
                  )
                : await fetch(response.url, form({csrf, decision: 'allow'}));
            }
            const code = new URL(response.url).searchParams.get('code');
            if (!code) throw new Error(`no code at ${response.url}`);
            return {code, verifier};
          };

          const introspect = async (accessToken: string) => {
            const response = await fetch(`${issuer}/introspect`, {
              ...form({token: accessToken}),
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                authorization: `Basic ${btoa(`${resourceServer.client_id}:${resourceServer.client_secret}`)}`,
              },
            });
            return ((await response.json()) as {active: boolean}).active;
          };
          const api = async (accessToken: string) =>
            (await fetch(`${issuer}/api/calendar/events`, {headers: {authorization: `Bearer ${accessToken}`}})).status;

          const outcomes = [];
          for (const n of concurrency) {
            for (let round = 0; round < repetitions; round += 1) {
              const {code, verifier} = await authorize();
              const exchange = {
                grant_type: 'authorization_code',
                code,
                redirect_uri: redirectUri,
                code_verifier: verifier,
              };
              const issued: string[] = [];
              let racing: Record<string, string> = exchange;
              if (kind === 'refresh') {
                const first = await token(exchange);
                issued.push(first.access_token!);
                racing = {grant_type: 'refresh_token', refresh_token: first.refresh_token!};
              }
              const answers = await Promise.all(Array.from({length: n}, () => token(racing)));
              const winners = answers.filter((answer) => answer.access_token);
              issued.push(...winners.map((winner) => winner.access_token!));
              outcomes.push({
                concurrency: n,
                errors: answers.filter((answer) => !answer.access_token).map((answer) => answer.error ?? 'none'),
                detected: answers.some((answer) => /already used/.test(answer.error_description ?? '')),
                winners: winners.length,
                api: await Promise.all(issued.map(api)),
                active: await Promise.all(issued.map(introspect)),
                refresh: await Promise.all(
                  winners.map(
                    async (winner) =>
                      (await token({grant_type: 'refresh_token', refresh_token: winner.refresh_token!})).error ?? 'ok',
                  ),
                ),
              });
            }
          }
          return outcomes;
        },
        {issuer, kind, spa, resourceServer, user, concurrency: CONCURRENCY, repetitions: REPETITIONS},
      );
      const summary = (outcomes as RaceOutcome[]).map((outcome, index) => ({round: index, ...outcome}));
      console.log(
        `worker ${kind} races: ${summary.length} (${REPETITIONS} per concurrency level ${CONCURRENCY.join('/')}); a winner (then revoked) in ${summary.filter((outcome) => outcome.winners === 1).length}`,
      );
      for (const outcome of summary) {
        const label = `${outcome.concurrency} at once, round ${outcome.round}`;
        expect(outcome.winners, `${label}: at most one wins`).toBeLessThanOrEqual(1);
        expect(
          outcome.errors.every((error) => error === 'invalid_grant'),
          `${label}: every other is invalid_grant`,
        ).toBe(true);
        expect(outcome.detected, `${label}: the reuse is detected`).toBe(true);
        expect(
          outcome.api.every((status) => status === 401),
          `${label}: every access token from the grant is refused by the API`,
        ).toBe(true);
        expect(
          outcome.active.every((active) => !active),
          `${label}: introspection says inactive`,
        ).toBe(true);
        expect(
          outcome.refresh.every((error) => error === 'invalid_grant'),
          `${label}: the winner's refresh token is revoked`,
        ).toBe(true);
      }
    });
  }
});
