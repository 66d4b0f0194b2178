/**
 * Faults injected from outside into the sandbox's Service Worker while a reader runs a walkthrough:
 * a full storage quota, an aborted IndexedDB transaction, a new worker version deployed mid-flow,
 * site data cleared mid-flow, and the page's clock disagreeing with the worker's. Each must end in a
 * message in words and a sandbox that works again, never a hang or a blank page.
 */
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Page, Worker} from '@playwright/test';
import {BUILD_COPY_BASE_URL, serveBuildCopy, type BuildCopy} from './build-copy';
import {expect, test} from './fixtures';
import {signInAndConsent, SandboxLoginPage, type DemoUser} from './pages/sandbox';
import {WalkthroughSection} from './pages/walkthrough';

const SLUG = 'authorization-code-pkce';
/** The worker's database (src/sandbox/store/idb.ts). */
const DATABASE = 'oauth-sandbox';
/** How long a failure may take to be shown: far below the test's timeout, so a hang fails here. */
const BOUNDED = {timeout: 15_000};

/** Steps 1 to 3, then off to the authorization server: the reader is on its login page after this. */
async function toAuthorizationServer(walkthrough: WalkthroughSection): Promise<void> {
  await walkthrough.run(1, 'Create PKCE values');
  await walkthrough.run(2, 'Fetch the discovery document');
  await walkthrough.run(3, 'Build the URL');
  await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
  await new SandboxLoginPage(walkthrough.page).expectShown();
}

/** Steps 1 to 5 for a reader still signed in at the sandbox, who consented before: no login page, no consent page. */
async function runToTokensSignedIn(walkthrough: WalkthroughSection): Promise<void> {
  await walkthrough.run(1, 'Create PKCE values');
  await walkthrough.run(2, 'Fetch the discovery document');
  await walkthrough.run(3, 'Build the URL');
  await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
  await walkthrough.waitForStep(4);
  await walkthrough.run(5, 'Exchange the code');
}

/** Signs in and consents, and waits for the walkthrough page to read the authorization response. */
async function backOnThePage(walkthrough: WalkthroughSection, user: DemoUser): Promise<void> {
  await signInAndConsent(walkthrough.page, user);
  await walkthrough.page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`), BOUNDED);
  await walkthrough.waitUntilReady();
}

/** Runs the flow from step 1 to the tokens (step 5). */
async function runToTokens(walkthrough: WalkthroughSection, user: DemoUser): Promise<void> {
  await toAuthorizationServer(walkthrough);
  await backOnThePage(walkthrough, user);
  await walkthrough.waitForStep(4);
  await walkthrough.run(5, 'Exchange the code');
}

/** The step's failure as the reader sees it: the alert, within a bounded wait. */
async function expectFailure(walkthrough: WalkthroughSection, step: number, ...words: RegExp[]): Promise<void> {
  await expect(walkthrough.alert).toBeVisible(BOUNDED);
  await expect(walkthrough.alert).toContainText(`Step ${step} failed`);
  for (const pattern of words) await expect(walkthrough.alert).toContainText(pattern);
  await expect(walkthrough.alert).not.toContainText('Failed to fetch');
  // The page is not blank and no step is left working forever.
  await expect(walkthrough.stepHeading(1)).toBeVisible();
  await expect(walkthrough.root.getByRole('button', {name: 'Working…'})).toHaveCount(0);
}

/** "Reset sandbox", as the reader presses it, and its confirmation. */
async function resetTheSandbox(walkthrough: WalkthroughSection): Promise<void> {
  await walkthrough.resetSandbox.click();
  await expect(walkthrough.status).toContainText('The sandbox was reset', BOUNDED);
  await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');
}

/** The sandbox's running Service Worker, to evaluate code inside it (Chromium only). */
async function sandboxWorker(page: Page): Promise<Worker> {
  const running = page
    .context()
    .serviceWorkers()
    .filter((worker) => worker.url().endsWith('/sandbox-sw.js'));
  return running.at(-1) ?? (await page.context().waitForEvent('serviceworker'));
}

test.describe('a full storage quota', () => {
  // Chromium logs the token endpoint's HTTP 500 in the console; that answer is the point.
  test.use({expectedConsoleErrors: [/status of 500/]});

  test('the token request says storage is full, and after Reset the flow completes', async ({page, issuer}) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await toAuthorizationServer(walkthrough);
    await backOnThePage(walkthrough, user);
    await walkthrough.waitForStep(4);

    // IndexedDB inside the worker refuses every write, as it does once the origin's quota is used up.
    const worker = await sandboxWorker(page);
    await worker.evaluate(() => {
      const scope = globalThis as unknown as {originalPut?: typeof IDBObjectStore.prototype.put};
      // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back, called with its own this
      scope.originalPut = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function refuse() {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await walkthrough.root.getByRole('button', {name: 'Exchange the code'}).click();
    await expectFailure(walkthrough, 5, /server_error/, /storage for this site is full/, /500/);

    // The reader frees some space, then resets the sandbox as the message says.
    await worker.evaluate(() => {
      IDBObjectStore.prototype.put = (
        globalThis as unknown as {originalPut: typeof IDBObjectStore.prototype.put}
      ).originalPut;
    });
    await resetTheSandbox(walkthrough);
    await runToTokens(walkthrough, user);
  });
});

test.describe('an aborted IndexedDB transaction', () => {
  test('storing the code at consent is cut short: the page says so, and after Reset the flow completes', async ({
    page,
    issuer,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await toAuthorizationServer(walkthrough);

    // The transaction that stores the authorization code is aborted once, as the browser does when a
    // transaction is interrupted: IndexedDB reports an AbortError.
    const worker = await sandboxWorker(page);
    await worker.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with put.apply(this, …)
      const put = IDBObjectStore.prototype.put;
      const scope = globalThis as unknown as {abortedOnce?: boolean};
      IDBObjectStore.prototype.put = function abortOnce(this: IDBObjectStore, ...args: Parameters<typeof put>) {
        const request = put.apply(this, args);
        if (!scope.abortedOnce && typeof args[1] === 'string' && args[1].startsWith('code:')) {
          scope.abortedOnce = true;
          this.transaction.abort();
        }
        return request;
      };
    });
    await backOnThePage(walkthrough, user);
    // RFC 6749 §4.1.2.1: the failure comes back to the app at its redirect URI, which shows it.
    await expectFailure(walkthrough, 4, /temporarily_unavailable/, /AbortError/, /could not save its state/);

    await resetTheSandbox(walkthrough);
    await runToTokens(walkthrough, user);
  });
});

test.describe('site data cleared mid-flow', () => {
  // Chromium logs the token endpoint's HTTP 400 in the console; that refusal is the point.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('between the code and the token request, from the page and by the browser: the page says the sandbox forgot the code, and starting over works', async ({
    page,
    issuer,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await toAuthorizationServer(walkthrough);
    await backOnThePage(walkthrough, user);
    await walkthrough.waitForStep(4);

    // What clearing site data does to IndexedDB, from the page. The worker holds the database open,
    // so this completes only if the worker closes its connection when asked (the versionchange event).
    const outcome = await page.evaluate(
      (name) =>
        new Promise<string>((resolve) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = () => resolve('deleted');
          request.onerror = () => resolve(`failed: ${String(request.error)}`);
          setTimeout(() => resolve('still blocked after 5 s'), 5_000);
        }),
      DATABASE,
    );
    expect(outcome).toBe('deleted');

    await walkthrough.root.getByRole('button', {name: 'Exchange the code'}).click();
    await expectFailure(
      walkthrough,
      5,
      /invalid_grant/,
      /storage was reset or cleared after this authorization code was issued/,
    );
    await walkthrough.alert.getByRole('button', {name: 'Start over'}).click();
    await toAuthorizationServer(walkthrough);
    await backOnThePage(walkthrough, user);
    await walkthrough.waitForStep(4);

    // Now the browser clears the site's IndexedDB itself ("Clear site data"), closing the worker's
    // connection under it: the worker must open a new one rather than keep failing on the closed one.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', {origin: new URL(issuer).origin, storageTypes: 'indexeddb'});
    await cdp.detach();
    await walkthrough.root.getByRole('button', {name: 'Exchange the code'}).click();
    await expectFailure(
      walkthrough,
      5,
      /invalid_grant/,
      /storage was reset or cleared after this authorization code was issued/,
    );
    await walkthrough.alert.getByRole('button', {name: 'Start over'}).click();
    await runToTokens(walkthrough, user);
  });
});

test.describe('a new worker version deployed mid-flow', () => {
  // A deployment rewrites the built worker script: this test changes a copy of the build, served on an
  // origin of its own, so the tests beside it keep the version they are reading.
  let copy: BuildCopy | undefined;
  test.beforeAll(async () => {
    copy = await serveBuildCopy();
  });
  test.afterAll(async () => {
    await copy?.stop();
  });
  test.use({baseURL: BUILD_COPY_BASE_URL});

  test('takes over at the login page and again before the token request, and the flow completes', async ({
    page,
    issuer,
  }) => {
    const builtWorker = join(copy!.directory, 'sandbox-sw.js');
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    // The browser fetches a worker script for an update check itself, out of reach of request routing,
    // so a deployment is what it is on a static host: a changed file (of the copy, thrown away after).
    const built = await readFile(builtWorker, 'utf8');
    let deployment = 0;
    /** Deploys a new version and asks the browser to check for it, as it does on navigation; waits for the new worker to control the page. */
    const deployNewVersion = async (): Promise<void> => {
      deployment += 1;
      await writeFile(builtWorker, `${built}\n// deployment ${deployment}\n`);
      const switched = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            navigator.serviceWorker.addEventListener('controllerchange', () => resolve('switched'), {once: true});
            void navigator.serviceWorker.getRegistration().then((registration) => registration?.update());
            setTimeout(() => resolve('no new controller after 10 s'), 10_000);
          }),
      );
      expect(switched).toBe('switched');
    };

    await toAuthorizationServer(walkthrough);
    // Between the authorization request and the return from sign-in.
    await deployNewVersion();
    await backOnThePage(walkthrough, user);
    await walkthrough.waitForStep(4);
    // Between the code and its exchange.
    await deployNewVersion();
    await walkthrough.run(5, 'Exchange the code');
    await walkthrough.run(6, 'Fetch the keys and inspect');
    await expect(walkthrough.result(6).getByRole('cell', {name: 'Failed'})).toHaveCount(0);
  });
});

test.describe('the page clock and the worker clock disagree', () => {
  // page.clock sets the page's Date; the Service Worker keeps the real time, so they differ by the offset.
  const MINUTE = 60_000;

  test('by two minutes: the tokens pass, with a note that the clocks differ', async ({page, issuer}) => {
    await page.clock.install({time: Date.now() - 2 * MINUTE});
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await runToTokens(walkthrough, user);
    await walkthrough.run(6, 'Fetch the keys and inspect');
    await expect(walkthrough.result(6).getByRole('cell', {name: 'Failed'})).toHaveCount(0);
    const issuedAt = walkthrough
      .result(6)
      .getByRole('region', {name: 'ID token'})
      .getByRole('row', {name: /^Issued at/});
    await expect(issuedAt).toContainText('Passed');
    await expect(issuedAt).toContainText(/Issued 1\d\d s in the future by this device's clock: the clocks differ/);
  });

  test('by an hour: the code exchange says the clocks disagree, and with the clock set right starting over completes', async ({
    page,
    issuer,
  }) => {
    await page.clock.install({time: Date.now() + 60 * MINUTE});
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await toAuthorizationServer(walkthrough);
    await backOnThePage(walkthrough, user);
    await walkthrough.waitForStep(4);
    await walkthrough.root.getByRole('button', {name: 'Exchange the code'}).click();
    await expectFailure(walkthrough, 5, /this device's clock/, /Set this device's clock right, then start over/);

    // The reader sets the clock right and starts over, still signed in at the sandbox.
    await page.clock.setSystemTime(Date.now());
    await walkthrough.alert.getByRole('button', {name: 'Start over'}).click();
    await runToTokensSignedIn(walkthrough);
  });
});
