/**
 * The sandbox's Service Worker in each engine: it takes control of a fresh page, keeps nothing a
 * restarted worker would miss, refuses a sign-in form posted by another site, and where a browser
 * has no Service Worker at all, a walkthrough of each shape says so from the start.
 */
import {buildCatalog} from '../../src/sandbox/catalog';
import {walkthroughs, type WalkthroughSlug} from '../../src/walkthroughs/registry';
import {spaAuthorizeUrl} from '../pages/sandbox';
import {expect, test} from './fixtures';
import type {Reader} from './reader';
import {EngineWalkthrough, waitUntil} from './walkthrough';

/** The worker's IndexedDB database and store (src/sandbox/store/idb.ts). */
const DB = {name: 'oauth-sandbox', store: 'entries'};
/** An expired entry the worker sweeps when it starts, and only then: its absence proves a fresh worker. */
const PROBE = 'interaction:restart-probe';

/** Firefox stops a Service Worker idle for half a second (its defaults: 30 s, and 300 s with work pending). */
const SHORT_IDLE = {'dom.serviceWorkers.idle_timeout': 500, 'dom.serviceWorkers.idle_extended_timeout': 500};

function issuerOf(baseURL: string): string {
  return new URL('sandbox', baseURL).href;
}

async function waitForWorker(reader: Reader): Promise<void> {
  await waitUntil(
    () => reader.evaluate(() => navigator.serviceWorker?.controller !== null, undefined),
    'the sandbox worker controls the page',
  );
}

/** Writes the probe, already expired, into the worker's database, from a page of the site. */
async function plantProbe(reader: Reader): Promise<void> {
  await reader.evaluate(
    async ({db, key}) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(db.name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const transaction = database.transaction(db.store, 'readwrite');
      transaction.objectStore(db.store).put({value: {id: key}, expiresAt: Date.now() - 1000}, key);
      await new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
      });
      database.close();
      return true;
    },
    {db: DB, key: PROBE},
  );
}

async function probePresent(reader: Reader): Promise<boolean> {
  return reader.evaluate(
    async ({db, key}) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(db.name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const count = await new Promise<number>((resolve, reject) => {
        const request = database.transaction(db.store).objectStore(db.store).count(key);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      database.close();
      return count > 0;
    },
    {db: DB, key: PROBE},
  );
}

/**
 * Ends the running worker, so that the next request starts a fresh one. Firefox (with SHORT_IDLE) stops
 * it once idle, as every browser does to idle workers; WebKit offers no way to do that from outside,
 * so its worker is replaced: unregistered and registered again, a new worker with the same database.
 */
async function stopTheWorker(reader: Reader): Promise<void> {
  if (reader.engine === 'firefox') {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return;
  }
  await reader.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration?.active) throw new Error('no active sandbox worker to replace');
    const {scriptURL} = registration.active;
    const {scope} = registration;
    await registration.unregister();
    const replaced = new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, {once: true}),
    );
    await navigator.serviceWorker.register(scriptURL, {scope});
    await replaced;
    return true;
  }, undefined);
}

test.describe('the sandbox worker', () => {
  test("takes control of a fresh page without a reload, and answers discovery as this origin's issuer", async ({
    reader,
    baseURL,
  }) => {
    await reader.goto(baseURL!);
    await waitForWorker(reader);
    const scriptURL = await reader.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null, undefined);
    expect(scriptURL).toBe(new URL('sandbox-sw.js', baseURL).href);
    const issuer = issuerOf(baseURL!);
    const discovery = await reader.evaluate(async (url) => {
      const response = await fetch(url);
      return {status: response.status, body: (await response.json()) as {issuer?: string; token_endpoint?: string}};
    }, `${issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    // OpenID Connect Discovery 1.0 §4.3: the issuer equals the URL discovery was fetched for.
    expect(discovery.body).toMatchObject({issuer, token_endpoint: `${issuer}/token`});
  });

  test.describe('stopped before each answer of a sign-in', () => {
    test.use({browserSettings: {firefoxPrefs: SHORT_IDLE}});

    test('a fresh worker answers each form from what IndexedDB holds, and the walkthrough ends with verified tokens', async ({
      reader,
      baseURL,
    }) => {
      const slug: WalkthroughSlug = 'authorization-code-pkce';
      const walkthrough = new EngineWalkthrough(reader, slug, baseURL!);
      await walkthrough.open();
      const answered: string[] = [];
      const end = await walkthrough.runToEnd(buildCatalog(issuerOf(baseURL!), baseURL!).users[0], {
        beforeAnswering: async (heading) => {
          // The worker that served this page is ended; the one that reads the form must be new.
          await plantProbe(reader);
          await stopTheWorker(reader);
          answered.push(heading);
        },
      });
      expect(answered).toEqual(['Sign in', expect.stringMatching(/^Authorize /)]);
      expect(await probePresent(reader), 'a fresh worker swept the expired probe before it answered').toBe(false);
      expect(end.alert).toBeNull();
      expect(end.checksFailed).toEqual([]);
      expect(end.checksPassed).toBeGreaterThan(0);
    });
  });

  test("refuses a sign-in form that another site posts with a leaked CSRF value, and the reader's own sign-in still works", async ({
    reader,
    baseURL,
  }) => {
    const issuer = issuerOf(baseURL!);
    const catalog = buildCatalog(issuer, baseURL!);
    const spa = catalog.clients.find((client) => client.client_id === 'spa')!;
    const [victim, attackerAccount] = catalog.users;
    const authorize = new URL(spaAuthorizeUrl(issuer, spa));

    await reader.goto(baseURL!);
    await waitForWorker(reader);
    await reader.goto(authorize.href);
    await waitUntil(async () => (await headingOf(reader)) === 'Sign in', 'the sandbox shows its sign-in page');
    // Suppose the form's action and its CSRF value leaked to another site.
    const form = await reader.evaluate(() => {
      const element = document.querySelector('form');
      const csrf = element?.querySelector<HTMLInputElement>('input[name="csrf"]')?.value;
      // The attribute: `form.action` would be the form's own field named "action".
      const action = element?.getAttribute('action');
      return action && csrf ? {action: new URL(action, location.href).href, csrf} : null;
    }, undefined);
    expect(form?.action).toMatch(/\/interaction\/[^/]+\/login$/);

    // Another site (the same server under another host name is another origin and another site) posts it
    // with the attacker's credentials, sending neither a referrer nor an origin of ours.
    // A document there without the site's scripts (the favicon's image document), so nothing of ours runs on it.
    const attackerSite = new URL('favicon.ico', baseURL);
    attackerSite.hostname = '127.0.0.1';
    await reader.goto(attackerSite.href);
    await reader.evaluate(
      ({form, account}) => {
        const referrer = document.createElement('meta');
        referrer.name = 'referrer';
        referrer.content = 'no-referrer';
        document.head.append(referrer);
        const element = document.createElement('form');
        element.method = 'post';
        element.setAttribute('action', form.action);
        element.setAttribute('rel', 'noreferrer');
        for (const [name, value] of Object.entries({
          csrf: form.csrf,
          username: account.username,
          password: account.password,
        })) {
          const input = document.createElement('input');
          input.name = name;
          input.value = value;
          element.append(input);
        }
        document.body.append(element);
        element.submit();
        return true;
      },
      {form: form!, account: {username: attackerAccount.username, password: attackerAccount.password}},
    );
    await waitUntil(async () => (await reader.url()) === form!.action, 'the cross-site form is answered');
    await waitUntil(
      async () =>
        (await reader.evaluate(() => document.body?.textContent ?? '', undefined)).includes(
          'the form was not sent by this sign-in page',
        ),
      'the worker refuses the cross-site sign-in',
    );

    // Nobody was signed in: the reader's own sign-in still asks who they are, and works.
    await reader.goto(authorize.href);
    await waitUntil(async () => (await headingOf(reader)) === 'Sign in', 'the sign-in page asks again');
    await reader.fill({role: 'textbox', name: 'Username'}, victim.username);
    await reader.fill({role: 'textbox', name: 'Password'}, victim.password);
    await reader.click({role: 'button', name: 'Sign in'});
    await waitUntil(
      async () => (await headingOf(reader)).startsWith('Authorize '),
      'the consent page follows the sign-in',
    );
  });
});

async function headingOf(reader: Reader): Promise<string> {
  return reader.evaluate(() => (document.querySelector('h1')?.textContent ?? '').trim(), undefined);
}

test.describe('a browser without Service Workers', () => {
  // Firefox's switch for them (as a policy sets it); WebKit's feature flag.
  test.use({
    browserSettings: {firefoxPrefs: {'dom.serviceWorkers.enabled': false}, webkitArgs: ['--features=-ServiceWorkers']},
  });

  // The notice is the walkthrough component's own, whichever walkthrough it stands for (every page embeds
  // that component, as src/walkthroughs/registry.test.ts checks): a guide flow's, a web app's and a lab's.
  const shapes = new Set<string>(['authorization-code-pkce', 'authorization-code', 'mix-up']);

  test("sees, in a walkthrough's place and within 2 s, that the sandbox cannot run here and what to do instead", async ({
    reader,
    baseURL,
  }) => {
    for (const slug of (Object.keys(walkthroughs) as WalkthroughSlug[]).filter((slug) => shapes.has(slug))) {
      const {page, title} = walkthroughs[slug];
      await reader.goto(new URL(page, baseURL).href);
      let notice: {text: string; buttons: number; links: string[]; afterLoad: number} | null = null;
      await waitUntil(
        async () => {
          notice = await reader.evaluate((name) => {
            const region = Array.from(document.querySelectorAll('section[aria-label]')).find(
              (element) => element.getAttribute('aria-label') === name,
            );
            const alert = region?.querySelector('[role="alert"]');
            if (!region || !alert) return null;
            // Timed in the page, from its load event: the driver's own round trips are not the page's delay.
            const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
            return {
              afterLoad: performance.now() - (navigation?.loadEventEnd ?? 0),
              text: (alert.textContent ?? '').replace(/\s+/g, ' '),
              buttons: region.querySelectorAll('button').length,
              links: Array.from(alert.querySelectorAll('a'), (link) => link.getAttribute('href') ?? ''),
            };
          }, title);
          return notice !== null;
        },
        `the ${slug} page says the sandbox cannot run`,
        10_000,
      );
      const shown = notice!;
      expect(shown.afterLoad, `${slug}: shown within 2 s of the page load`).toBeLessThan(2_000);
      expect(shown.text).toContain('This browser cannot run the live sandbox');
      expect(shown.text).toContain('npm run sandbox');
      expect(shown.buttons, `${slug}: no button that could do nothing`).toBe(0);
      expect(shown.links.some((href) => href.includes('issuer=http%3A%2F%2Flocalhost%3A4000%2Fsandbox'))).toBe(true);
      expect(shown.links.some((href) => href.endsWith('flows/authorization-code-pkce-requests'))).toBe(true);
    }
  });
});
