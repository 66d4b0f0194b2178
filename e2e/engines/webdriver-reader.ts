import {remote} from 'webdriverio';
import {describeTarget, locateInPage, serializeTarget, type Reader, type Target} from './reader';
import type {WebKitDriver} from './webkit';

const FIND_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

type Browser = Awaited<ReturnType<typeof remote>>;
type Element = Awaited<ReturnType<Browser['$']>>;

/**
 * A reader's browser driven over WebDriver classic: WebKitGTK's MiniBrowser through WebKitWebDriver.
 * Each reader is a new automation session, a fresh browser; one that tests take in turn forgets the site
 * between them (`forgetSite`).
 */
export class WebDriverReader implements Reader {
  readonly engine = 'webkit' as const;

  private constructor(private readonly browser: Browser) {}

  static async start(driver: WebKitDriver, browserArgs: string[] = []): Promise<WebDriverReader> {
    const browser = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      logLevel: 'silent',
      connectionRetryCount: 0,
      // A MiniBrowser starts in a few seconds; one that has not in 30 is not going to.
      connectionRetryTimeout: 30_000,
      // WebKitGTK's own capability (not in WebdriverIO's types): which browser to start, and how.
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {binary: driver.miniBrowser, args: ['--automation', ...browserArgs]},
        'wdio:enforceWebDriverClassic': true,
      } as WebdriverIO.Capabilities,
    });
    await browser.setWindowSize(1280, 900);
    return new WebDriverReader(browser);
  }

  async close(): Promise<void> {
    await this.browser.deleteSession().catch(() => undefined);
  }

  /**
   * Forgets what the site at `siteUrl` stored, as a browser new to it would not have it: its Service
   * Worker, IndexedDB, Web Storage, Cache Storage and cookies. Done from a document of the site that runs
   * none of its scripts (its favicon), so nothing registers the worker again meanwhile; the database is
   * deleted from a second load of it, once the unregistered worker has no page left and has ended.
   */
  async forgetSite(siteUrl: string): Promise<void> {
    const scriptless = new URL('favicon.ico', siteUrl).href;
    await this.goto(scriptless);
    await this.evaluate(async () => {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
      return true;
    }, undefined);
    await this.goto(scriptless);
    await this.evaluate(async () => {
      localStorage.clear();
      sessionStorage.clear();
      for (const key of await caches.keys()) await caches.delete(key);
      for (const {name} of await indexedDB.databases()) {
        if (!name) continue;
        await new Promise((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = () => resolve(true);
          request.onerror = () => reject(request.error ?? new Error(`${name} was not deleted`));
        });
      }
      const left = await navigator.serviceWorker.getRegistrations();
      if (left.length > 0) throw new Error('a Service Worker is still registered');
      return true;
    }, undefined);
    await this.browser.deleteAllCookies();
    await this.goto('about:blank');
  }

  async goto(url: string): Promise<void> {
    await this.browser.url(url);
  }

  async url(): Promise<string> {
    return this.browser.getUrl();
  }

  async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    // WebDriver's Execute Script waits for a returned promise (WebDriver §13.2.1).
    return (await this.browser.execute(`return (${fn.toString()})(arguments[0]);`, arg)) as R;
  }

  /**
   * WebDriver's Element Click: a real click at the element's centre. A radio button styled under its
   * label is clicked where a reader clicks it, on the label.
   */
  async click(target: Target): Promise<void> {
    const deadline = Date.now() + FIND_TIMEOUT_MS;
    for (;;) {
      try {
        await this.inFrameOf(target, async (inside) =>
          (await this.find(inside, {preferLabel: inside.role === 'radio'})).click(),
        );
        return;
      } catch (error) {
        // Something passing over it (a layout still settling): look again, as a reader would.
        if (!String(error).includes('element click intercepted') || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async fill(target: Target, value: string): Promise<void> {
    await this.inFrameOf(target, async (inside) => (await this.find(inside)).setValue(value));
  }

  /**
   * Runs `action` on a target inside a frame from within that frame: WebDriver classic finds and clicks
   * elements of the current browsing context only, so it switches to the frame and back to the top.
   */
  private async inFrameOf(target: Target, action: (inside: Target) => Promise<void>): Promise<void> {
    const {within} = target;
    if (!within || within === 'current step' || !('frame' in within)) return action(target);
    const title = serializeTarget(target).within as {frame: {exact: string} | {source: string; flags: string}};
    const script = `const title = arguments[0]; const matches = (name) => 'exact' in title ? name === title.exact : new RegExp(title.source, title.flags).test(name);
      const frame = Array.from(document.querySelectorAll('iframe')).find((candidate) => matches(candidate.title));
      if (frame) frame.scrollIntoView({block: 'center', inline: 'center'}); return frame || null;`;
    const deadline = Date.now() + FIND_TIMEOUT_MS;
    let frame: unknown = null;
    while (!(frame = await this.browser.execute(script, title.frame).catch(() => null))) {
      if (Date.now() > deadline) throw new Error(`No ${describeTarget(target)} on ${await this.url()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await this.browser.switchFrame(this.browser.$(frame as Parameters<Browser['$']>[0]));
    try {
      await action({...target, within: undefined});
    } finally {
      await this.browser.switchFrame(null);
    }
  }

  /** WebDriver classic has no console log for WebKit: errors are not seen here. */
  pageErrors(): undefined {
    return undefined;
  }

  private async find(target: Target, {preferLabel = false} = {}): Promise<Element> {
    const locate = `(${locateInPage.toString()})(arguments[0])`;
    // Centred first, as a reader scrolls: WebDriver would scroll it just into view, where the sticky navbar can cover it.
    const script = `const found = ${locate}; const element = ${preferLabel ? '(found && found.labels && found.labels[0]) || found' : 'found'};
      if (element) element.scrollIntoView({block: 'center', inline: 'center'}); return element;`;
    const serialized = serializeTarget(target);
    const deadline = Date.now() + FIND_TIMEOUT_MS;
    for (;;) {
      const found: unknown = await this.browser.execute(script, serialized).catch(() => null);
      if (found) return this.browser.$(found as Parameters<Browser['$']>[0]);
      if (Date.now() > deadline) throw new Error(`No ${describeTarget(target)} on ${await this.url()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
