/**
 * Fixtures of the cross-engine specs (`e2e/engines/`): a `reader` for the project's engine. Chromium and
 * Firefox come from Playwright, launched here (not through the `page` fixture, which would also launch
 * a Playwright browser for the WebKit project); WebKit is a WebDriver session on the worker's driver.
 */
import {expect, test as base, type Browser} from '@playwright/test';
import {PlaywrightReader} from './playwright-reader';
import type {Engine, Reader} from './reader';
import {WebDriverReader} from './webdriver-reader';
import {startWebKitDriver, virtualDisplay, type VirtualDisplay, type WebKitDriver} from './webkit';

/**
 * What an engine writes to the console for a request that succeeded. Firefox ESR 153 reports "A
 * ServiceWorker intercepted the request and encountered an unexpected error" each time fetch() follows a
 * redirect that a Service Worker answered, though the fetch then completes (seen with any 3xx answer,
 * Response.redirect() included): the demo apps answer some fetches with a 303.
 */
const ENGINE_NOISE: Partial<Record<Engine, RegExp[]>> = {
  firefox: [
    /^uncaught: Failed to load ‘’\. A ServiceWorker intercepted the request and encountered an unexpected error\.$/,
  ],
};

/** A browser set up otherwise than the default, for one test: Firefox preferences, MiniBrowser arguments. */
export interface BrowserSettings {
  firefoxPrefs?: Record<string, string | number | boolean>;
  /** For example `--features=-ServiceWorkers`. */
  webkitArgs?: string[];
}

interface TestFixtures {
  reader: Reader;
  browserSettings: BrowserSettings;
  /** Errors a test expects the page to report, each of which must then occur (as in e2e/fixtures.ts). */
  expectedPageErrors: RegExp[];
}

interface WorkerFixtures {
  engine: Engine;
  playwrightBrowser: Browser | undefined;
  /** The display WebKit's browsers open on (WebKit only). */
  webkitDisplay: VirtualDisplay | undefined;
  /** The WebKit browser the worker's tests take in turn (WebKit only). */
  webkitSession: WebKitSession | undefined;
}

/** A WebKit browser on a driver of its own, started when a test first needs it. */
interface WebKitSession {
  /** The browser, new or with nothing kept of the site from the test before. */
  take(siteUrl: string): Promise<WebDriverReader>;
  /** Closes the browser: after a failed test, whose page may be in any state. */
  discard(): Promise<void>;
}

/** A driver of its own and a browser on it, with a second try when the browser does not start. */
async function startWebKit(display: string, args: string[]): Promise<{driver: WebKitDriver; reader: WebDriverReader}> {
  let driver = await startWebKitDriver(display);
  try {
    return {driver, reader: await WebDriverReader.start(driver, args)};
  } catch (error) {
    console.warn(`WebKit did not start (${String(error).split('\n')[0]}); trying once more with a new driver.`);
    await driver.stop();
    driver = await startWebKitDriver(display);
    return {driver, reader: await WebDriverReader.start(driver, args)};
  }
}

/** Forgetting the site takes a few page loads; one that takes longer than this gets a new browser instead. */
const FORGET_TIMEOUT_MS = 20_000;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engine: [async ({browserName}, use) => use(browserName), {scope: 'worker'}],
  expectedPageErrors: [[], {option: true}],
  browserSettings: [{}, {option: true}],

  playwrightBrowser: [
    async ({engine, playwright, launchOptions, channel, headless}, use) => {
      if (engine === 'webkit') return use(undefined);
      const browser = await playwright[engine].launch({...launchOptions, channel, headless});
      await use(browser);
      await browser.close();
    },
    {scope: 'worker'},
  ],

  webkitDisplay: [
    async ({engine}, use) => {
      if (engine !== 'webkit') return use(undefined);
      const display = await virtualDisplay();
      await use(display);
      await display.stop();
    },
    {scope: 'worker'},
  ],

  /**
   * Starting a MiniBrowser and ending it took longer than many tests (5 to 12 s, and 2 to 6 s, on two busy
   * cores), so the worker's tests take one browser in turn, which forgets the site between them. It is the
   * one session of its driver: a driver that had run many sessions was seen to hang on the next one.
   */
  webkitSession: [
    async ({webkitDisplay}, use) => {
      if (!webkitDisplay) return use(undefined);
      let running: {driver: WebKitDriver; reader: WebDriverReader} | undefined;
      const discard = async () => {
        const ending = running;
        running = undefined;
        await ending?.reader.close();
        await ending?.driver.stop();
      };
      const take = async (siteUrl: string) => {
        if (running) {
          const {reader} = running;
          let timer: NodeJS.Timeout | undefined;
          const forgotten = await Promise.race([
            reader.forgetSite(siteUrl).then(() => true),
            new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), FORGET_TIMEOUT_MS))),
          ]).catch((error: unknown) => {
            console.warn(`WebKit did not forget the site (${String(error).split('\n')[0]}); starting a new browser.`);
            return false;
          });
          clearTimeout(timer);
          if (forgotten) return reader;
          await discard();
        }
        running = await startWebKit(webkitDisplay.display, []);
        return running.reader;
      };
      await use({take, discard});
      await discard();
    },
    {scope: 'worker'},
  ],

  reader: async (
    {
      engine,
      playwright,
      launchOptions,
      channel,
      playwrightBrowser,
      webkitDisplay,
      webkitSession,
      baseURL,
      expectedPageErrors,
      browserSettings,
      viewport,
      colorScheme,
    },
    use,
    testInfo,
  ) => {
    if (webkitDisplay && webkitSession) {
      if (!browserSettings.webkitArgs) {
        const reader = await webkitSession.take(baseURL!);
        await use(reader);
        if (testInfo.status !== testInfo.expectedStatus) await webkitSession.discard();
        return;
      }
      // A browser started with other arguments: a driver and a browser of its own, for this test only.
      const {driver, reader} = await startWebKit(webkitDisplay.display, browserSettings.webkitArgs);
      try {
        await use(reader);
      } finally {
        await reader.close();
        await driver.stop();
      }
      return;
    }
    // Preferences belong to a Firefox process: a test that sets some gets a browser of its own.
    const own =
      engine === 'firefox' && browserSettings.firefoxPrefs
        ? await playwright.firefox.launch({
            ...launchOptions,
            channel,
            firefoxUserPrefs: {...launchOptions.firefoxUserPrefs, ...browserSettings.firefoxPrefs},
          })
        : undefined;
    // The project's screen and colour scheme (playwright.config.ts: Firefox reads as a phone in dark mode).
    const context = await (own ?? playwrightBrowser!).newContext({
      baseURL,
      viewport: viewport ?? {width: 1280, height: 900},
      ...(colorScheme ? {colorScheme} : {}),
    });
    const reader = new PlaywrightReader(engine, await context.newPage());
    try {
      await use(reader);
    } finally {
      await context.close();
      await own?.close();
    }
    const errors = reader.pageErrors();
    const allowed = [...expectedPageErrors, ...(ENGINE_NOISE[engine] ?? [])];
    const unexpected = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
    expect(unexpected, 'errors on the page').toEqual([]);
  },
});

export {expect};
