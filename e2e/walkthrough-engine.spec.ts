/**
 * What every walkthrough does, whatever its flow: run once for each registered walkthrough.
 * Each walkthrough's first step runs on the page itself (no sign-in), so these tests press it.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Page} from '@playwright/test';
import {expect, test} from './fixtures';
import {WalkthroughSection} from './pages/walkthrough';
import {walkthroughs, type WalkthroughSlug} from '../src/walkthroughs/registry';

const slugs = Object.keys(walkthroughs) as WalkthroughSlug[];

/**
 * Keyboard, copy, reload, "Start over" and "Reset sandbox" are the walkthrough engine's own controls, the
 * same component on every page: they are checked in depth on three walkthroughs of different shapes (a
 * guide flow that leaves the page for the sandbox, a web app's, a lab with two files), each with axe at
 * 360 px in dark mode. The walkthroughs with views of their own get that check too, below.
 */
const IN_DEPTH = new Set<string>(['authorization-code-pkce', 'authorization-code', 'mix-up']);

/**
 * Every walkthrough runs to its end at 360 px in dark mode in Firefox, which checks that the page then
 * fits the screen (engines/walkthroughs.spec.ts). The ones with views of their own (the device's panels
 * and the phone's frame) also get axe in dark mode here, at 360 px, with every disclosure open.
 */
const OWN_VIEWS = new Set<string>(['device-authorization', 'device-code-phishing']);

/** Opens every closed disclosure (the diagram, exchanges, headers, curl), outer ones first, as a reader clicking them would. */
async function openEveryDisclosure(walkthrough: WalkthroughSection): Promise<void> {
  for (let depth = 0; depth < 5; depth += 1) {
    const closed = await walkthrough.root.locator('details:not([open]) > summary').all();
    if (closed.length === 0) return;
    for (const summary of closed) if (await summary.isVisible()) await summary.click();
  }
}

async function runFirstStep(walkthrough: WalkthroughSection): Promise<void> {
  await walkthrough.currentAction.click();
  await walkthrough.waitForStep(1);
}

/**
 * No sideways scrolling, the diagram whole, and no axe violation on a 360 px screen, with every disclosure
 * open so the widest content is laid out, and checked, too.
 */
async function expectFitsAPhone(page: Page, walkthrough: WalkthroughSection, axe: () => Promise<void>): Promise<void> {
  await openEveryDisclosure(walkthrough);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  const diagram = walkthrough.root.getByRole('img', {name: /sequence diagram/});
  const box = await diagram.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
  await axe();
}

for (const slug of slugs.filter((slug) => IN_DEPTH.has(slug))) {
  // Two page loads for every check: each starts from what the one before left.
  test(`the ${slug} walkthrough: keyboard, its code shown and copied, a reload at 360 px in dark mode (axe), "Start over", "Reset sandbox"`, async ({
    page,
    context,
    issuer,
    axe,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const walkthrough = await WalkthroughSection.open(page, slug);

    // It runs by keyboard alone: the focus stays on what just happened; Tab goes on to the next step's button.
    await walkthrough.currentAction.focus();
    await page.keyboard.press('Enter');
    await walkthrough.waitForStep(1);
    await expect(walkthrough.result(1)).toBeFocused();
    const next = walkthrough.currentAction;
    for (
      let presses = 0;
      presses < 12 && !(await next.evaluate((element) => element === document.activeElement));
      presses += 1
    ) {
      await page.keyboard.press('Tab');
    }
    await expect(next).toBeFocused();

    // It shows the code it runs from the very files, and copies them exactly.
    for (const file of walkthroughs[slug].sources) {
      const source = readFileSync(join(__dirname, '..', file), 'utf8').trimEnd();
      // The page first shows the source as plain text; coming into view swaps in the highlighted block.
      const shown = page.getByRole('region', {name: `Source: ${file}`});
      await shown.scrollIntoViewIfNeeded();
      // `theme-code-block` is Docusaurus's stable class for code blocks.
      const block = shown.locator('.theme-code-block');
      await expect(block).toHaveClass(/language-ts/);
      // The copy button writes the clipboard asynchronously: wait for it, or the last file copied is read.
      // A click that lands while the highlighted block replaces the plain one is lost, as it would be for a
      // reader, who clicks again: so does this check, until the clipboard holds the file.
      await expect(async () => {
        await block.getByRole('button', {name: 'Copy code to clipboard'}).click();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), {timeout: 2_000}).toBe(source);
      }).toPass({timeout: 15_000});
    }

    // It keeps its progress across a reload in the same tab, here on a 360 px screen in dark mode.
    const result = (await walkthrough.result(1).textContent()) ?? '';
    await page.setViewportSize({width: 360, height: 800});
    await page.emulateMedia({colorScheme: 'dark'});
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await walkthrough.waitUntilReady();
    await expect(walkthrough.stepHeading(1)).toContainText('(done)');
    await expect(walkthrough.result(1)).toHaveText(result);

    await expectFitsAPhone(page, walkthrough, () => axe(page, {withCode: true}));

    // "Start over" clears it and puts the focus on step 1's button.
    await walkthrough.startOver.click();
    await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');
    await expect(walkthrough.currentAction).toBeFocused();
    const saved = await page.evaluate((key) => sessionStorage.getItem(key), `walkthrough:${slug}`);
    expect(JSON.parse(saved ?? '{}')).toMatchObject({completed: []});

    // "Reset sandbox" wipes the sandbox, signing keys included, and starts over.
    await runFirstStep(walkthrough);
    const kids = () =>
      page.evaluate(
        async (url) => ((await (await fetch(url)).json()) as {keys: Array<{kid: string}>}).keys.map((key) => key.kid),
        `${issuer}/jwks`,
      );
    const before = await kids();
    await walkthrough.resetSandbox.click();
    await expect(walkthrough.status).toContainText('The sandbox was reset');
    await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');
    expect(await kids()).not.toEqual(before);
  });
}

test.describe('on a 360 px screen in dark mode', () => {
  test.use({viewport: {width: 360, height: 800}, colorScheme: 'dark'});

  // Its files are shown under their paths (as src/walkthroughs/registry.test.ts checks of the page, and the
  // copy button is the code block's, checked above); its progress survives the page loads of its sign-ins
  // (its spec and its headless run go through them).
  for (const slug of slugs.filter((slug) => OWN_VIEWS.has(slug))) {
    test(`the ${slug} walkthrough, every disclosure open: no sideways scrolling, the diagram whole, axe`, async ({
      page,
      axe,
    }) => {
      const walkthrough = await WalkthroughSection.open(page, slug);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      // A file the main one imports may be shown closed, under a disclosure.
      for (const file of walkthroughs[slug].sources)
        await expect(page.getByRole('region', {name: `Source: ${file}`, includeHidden: true})).toBeAttached();
      await expectFitsAPhone(page, walkthrough, axe);
    });
  }
});

test.describe('a walkthrough whose code cannot load', () => {
  test.use({expectedConsoleErrors: [/Failed to load resource: net::ERR_FAILED/]});

  test('says so in an alert with a reload link, and the reload brings it back', async ({page, axe}) => {
    // The walkthrough engine's own chunk, as after a deploy that replaced it or a dropped connection.
    await page.route(/\/assets\/js\/walkthrough\.[0-9a-f]+\.js$/, (route) => route.abort('failed'));
    const slug: WalkthroughSlug = 'client-credentials';
    await page.goto(walkthroughs[slug].page);
    await page.getByRole('heading', {level: 2, name: 'Try it live'}).scrollIntoViewIfNeeded();
    const alert = page.getByRole('alert').filter({hasText: 'The live walkthrough could not load'});
    await expect(alert).toBeVisible();
    await axe();

    await page.unroute(/\/assets\/js\/walkthrough\.[0-9a-f]+\.js$/);
    await alert.getByRole('link', {name: 'Reload the page'}).click();
    const walkthrough = new WalkthroughSection(page, slug);
    await walkthrough.waitUntilReady();
    await runFirstStep(walkthrough);
  });
});
