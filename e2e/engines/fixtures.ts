/**
 * Fixtures of the cross-engine specs (`e2e/engines/`): a `reader` for the project's engine. Chromium and
 * Firefox come from Playwright, launched here (not through the `page` fixture, which would also launch
 * a Playwright browser for the WebKit project); WebKit is a WebDriver session on the worker's driver.
 */
import {expect, test as base, type Browser} from '@playwright/test';
import {PlaywrightReader} from './playwright-reader';
import type {Engine, Reader} from './reader';
import {WebDriverReader} from './webdriver-reader';
import {startWebKitDriver, virtualDisplay, type VirtualDisplay} from './webkit';

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
}

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

  reader: async (
    {
      engine,
      playwright,
      launchOptions,
      channel,
      playwrightBrowser,
      webkitDisplay,
      baseURL,
      expectedPageErrors,
      browserSettings,
    },
    use,
  ) => {
    if (webkitDisplay) {
      // A driver of its own for each test, and a second try when the browser does not start.
      let driver = await startWebKitDriver(webkitDisplay.display);
      let reader: WebDriverReader;
      try {
        reader = await WebDriverReader.start(driver, browserSettings.webkitArgs ?? []);
      } catch (error) {
        console.warn(`WebKit did not start (${String(error).split('\n')[0]}); trying once more with a new driver.`);
        await driver.stop();
        driver = await startWebKitDriver(webkitDisplay.display);
        reader = await WebDriverReader.start(driver, browserSettings.webkitArgs ?? []);
      }
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
    const context = await (own ?? playwrightBrowser!).newContext({baseURL, viewport: {width: 1280, height: 900}});
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
