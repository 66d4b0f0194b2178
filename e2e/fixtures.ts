import AxeBuilder from '@axe-core/playwright';
import {expect, test as base, type Page} from '@playwright/test';

/** Accessibility rules every page must pass: WCAG 2.1 A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Fixtures {
  /**
   * Console messages a test expects to see as errors (for example, the browser
   * reporting the HTTP 400 of a page whose point is to show an error). Each
   * pattern must match at least one error, so an allowance cannot go stale.
   */
  expectedConsoleErrors: RegExp[];
  /**
   * Runs axe on the current page and fails on any WCAG 2.1 A/AA violation.
   * The lines inside highlighted code blocks (thousands of token spans, the same theme colours on
   * every page) are left out unless `withCode` is set: they cost more than half of each check once
   * a walkthrough's code is on the page. The tests that check the code blocks themselves set it:
   * a page of long code blocks in light and dark mode (page-load.spec.ts), the in-depth walkthrough
   * tests at 360 px in dark mode, and every page without a walkthrough (site.spec.ts).
   */
  axe: (page?: Page, options?: {withCode?: boolean}) => Promise<void>;
  /** Opens a site path (relative to baseURL) and waits until the sandbox worker controls the page. */
  sandboxPage: (path?: string) => Promise<Page>;
  /** The sandbox issuer for the tested site: `${baseURL}sandbox`, no trailing slash. */
  issuer: string;
}

export const test = base.extend<Fixtures>({
  expectedConsoleErrors: [[], {option: true}],

  // Every page fails its test on a console error or an uncaught exception.
  page: async ({page, expectedConsoleErrors}, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
    await use(page);
    const unexpected = errors.filter((error) => !expectedConsoleErrors.some((pattern) => pattern.test(error)));
    const unseen = expectedConsoleErrors.filter((pattern) => !errors.some((error) => pattern.test(error)));
    expect(unexpected, 'errors on the page').toEqual([]);
    expect(unseen.map(String), 'expected console errors that never happened').toEqual([]);
  },

  axe: async ({page}, use) => {
    await use(async (target = page, {withCode = false} = {}) => {
      // Legacy mode runs axe in the page itself. The default opens a new blank page for every check to
      // merge results from cross-origin frames, which these pages do not have, and took half of each check's time.
      const builder = new AxeBuilder({page: target}).withTags(WCAG_TAGS).setLegacyMode(true);
      // The <pre> itself stays in (its scrolling and focus rules); only the highlighted lines inside go.
      if (!withCode) builder.exclude('pre > code');
      const {violations} = await builder.analyze();
      const summary = violations.map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help}\n` +
          violation.nodes.map((node) => `    ${node.target.join(' ')}`).join('\n'),
      );
      expect(summary, `accessibility violations on ${target.url()}`).toEqual([]);
    });
  },

  sandboxPage: async ({page}, use) => {
    await use(async (path = '') => {
      await page.goto(path);
      await waitForSandboxWorker(page);
      return page;
    });
  },

  issuer: async ({baseURL}, use) => {
    await use(new URL('sandbox', baseURL).href);
  },
});

/** Waits until a Service Worker controls the page (the site registers it on load). */
export async function waitForSandboxWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {timeout: 15_000});
}

export {expect};
