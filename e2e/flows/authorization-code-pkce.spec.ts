import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Page} from '@playwright/test';
import type {Catalog} from '../../src/sandbox/catalog';
import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const PAGE = 'flows/authorization-code-pkce';
const TITLE = 'Live walkthrough: Authorization Code flow with PKCE';

async function openWalkthrough(page: Page, sandboxPage: (path?: string) => Promise<Page>): Promise<WalkthroughSection> {
  await sandboxPage(PAGE);
  const walkthrough = new WalkthroughSection(page, TITLE);
  await walkthrough.waitUntilReady();
  return walkthrough;
}

async function demoUser(page: Page, issuer: string) {
  const catalog = await page.evaluate(async (url) => (await fetch(url)).json() as Promise<Catalog>, `${issuer}/catalog`);
  const user = catalog.users[0];
  if (!user) throw new Error('the catalog lists no demo user');
  return user;
}

test.describe('the live Authorization Code flow with PKCE', () => {
  // Chromium reports the refused refresh token's HTTP 400 in the console; that refusal is the point of the last step.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('runs from PKCE values to a refused reused refresh token', async ({page, sandboxPage, issuer, axe}) => {
    const started = Date.now();
    const walkthrough = await openWalkthrough(page, sandboxPage);
    const user = await demoUser(page, issuer);

    await walkthrough.run(1, 'Create PKCE values');
    const values = walkthrough.root.getByRole('definition');
    await expect(walkthrough.root.getByText('code_verifier', {exact: true})).toBeVisible();
    await expect(values.first()).toContainText(/[A-Za-z0-9_-]{43}/);
    await expect(walkthrough.stepHeading(2)).toBeFocused();

    await walkthrough.run(2, 'Discover and build the URL');
    const requestParameters = walkthrough.root.getByLabel('Authorization request parameters');
    await expect(requestParameters).toContainText('code_challenge_method');
    await expect(requestParameters).toContainText('S256');

    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await signInAndConsent(page, user);

    // Back on the page, resumed after step 3, with the code gone from the address bar.
    await page.waitForURL((url) => url.pathname.endsWith(`/${PAGE}`));
    await expect(walkthrough.stepHeading(3)).toContainText('(done)', {timeout: 20_000});
    expect(new URL(page.url()).search).toBe('');
    await expect(walkthrough.stepHeading(4)).toBeFocused();

    await walkthrough.run(4, 'Validate the response');
    await expect(walkthrough.root.getByLabel('Validated parameters')).toContainText('iss');

    await walkthrough.run(5, 'Exchange the code');
    const tokenExchange = walkthrough.root.getByRole('region', {name: /^HTTP exchange/}).last();
    await expect(tokenExchange).toContainText('POST');
    await expect(tokenExchange).toContainText('code_verifier');
    await expect(tokenExchange).toContainText('200');
    await expect(tokenExchange.getByRole('button', {name: 'Copy as curl'})).toBeVisible();
    await expect(tokenExchange.getByRole('button', {name: 'Copy as fetch'})).toBeVisible();

    await walkthrough.run(6, 'Fetch the keys and inspect');
    for (const token of ['ID token', 'Access token']) {
      const signature = walkthrough.root.getByRole('region', {name: token}).getByRole('row', {name: /^Signature/});
      await expect(signature, `${token} signature`).toContainText('Passed', {timeout: 10_000});
    }
    const idTokenChecks = walkthrough.root.getByRole('region', {name: 'ID token'});
    await expect(idTokenChecks.getByRole('row', {name: /^Nonce/})).toContainText('Passed');
    await expect(idTokenChecks.getByRole('row', {name: /^Access token hash/})).toContainText('Passed');
    await expect(idTokenChecks.getByRole('cell', {name: 'Failed'})).toHaveCount(0);
    await expect(walkthrough.root.getByRole('region', {name: 'Refresh token'})).toContainText('Opaque token');

    await walkthrough.run(7, 'Call GET /events');
    await expect(walkthrough.root.getByText(/answered 200 with \d+ events/)).toBeVisible();
    const apiExchange = walkthrough.root.getByRole('region', {name: /^HTTP exchange/}).last();
    await expect(apiExchange).toContainText('/api/calendar/events');
    await expect(apiExchange).toContainText('"events"');

    await walkthrough.run(8, 'Refresh, then reuse the old one');
    const reuse = walkthrough.root.getByRole('note', {name: 'Reused refresh token'});
    await expect(reuse).toContainText('invalid_grant');
    await expect(reuse).toContainText('HTTP 400');

    test.info().annotations.push({type: 'walkthrough duration', description: `${Date.now() - started} ms`});
    await axe();
  });
});

test.describe('the walkthrough controls and layout', () => {
  test('"Start over" clears the walkthrough and focuses step 1', async ({page, sandboxPage}) => {
    const walkthrough = await openWalkthrough(page, sandboxPage);
    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.startOver.click();
    await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');
    await expect(walkthrough.stepHeading(1)).toBeFocused();
    await expect(walkthrough.root.getByRole('button', {name: 'Create PKCE values'})).toBeEnabled();
    const saved = await page.evaluate(() => sessionStorage.getItem('walkthrough:authorization-code-pkce'));
    expect(JSON.parse(saved ?? '{}')).toMatchObject({completed: {}});
  });

  test('"Reset sandbox" wipes the sandbox and starts the walkthrough over', async ({page, sandboxPage, issuer}) => {
    const walkthrough = await openWalkthrough(page, sandboxPage);
    await walkthrough.run(1, 'Create PKCE values');
    const keysBefore = await page.evaluate(async (url) => (await (await fetch(url)).json()) as {keys: Array<{kid: string}>}, `${issuer}/jwks`);
    await walkthrough.resetSandbox.click();
    await expect(walkthrough.status).toContainText('The sandbox was reset');
    await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');
    // Signing keys are part of the wiped state: the server publishes a new key afterwards.
    const keysAfter = await page.evaluate(async (url) => (await (await fetch(url)).json()) as {keys: Array<{kid: string}>}, `${issuer}/jwks`);
    expect(keysAfter.keys.map((key) => key.kid)).not.toEqual(keysBefore.keys.map((key) => key.kid));
  });

  test('progress survives a reload in the same tab', async ({page, sandboxPage}) => {
    const walkthrough = await openWalkthrough(page, sandboxPage);
    await walkthrough.run(1, 'Create PKCE values');
    const verifier = await walkthrough.root.getByRole('definition').first().locator('code').textContent();
    await page.reload();
    await walkthrough.waitUntilReady();
    await expect(walkthrough.stepHeading(1)).toContainText('(done)');
    await expect(walkthrough.root.getByRole('definition').first().locator('code')).toHaveText(verifier ?? '');
  });

  test('is usable at 360px wide without sideways scrolling', async ({page, sandboxPage}) => {
    await page.setViewportSize({width: 360, height: 800});
    const walkthrough = await openWalkthrough(page, sandboxPage);
    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.run(2, 'Discover and build the URL');
    // Open the details so the longest values are laid out too.
    for (const summary of await walkthrough.root.locator('summary').all()) await summary.click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('reads well in dark mode (axe)', async ({page, sandboxPage, axe}) => {
    await page.emulateMedia({colorScheme: 'dark'});
    const walkthrough = await openWalkthrough(page, sandboxPage);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.run(2, 'Discover and build the URL');
    for (const summary of await walkthrough.root.locator('summary').all()) await summary.click();
    await axe();
  });

  test('runs by keyboard alone', async ({page, sandboxPage}) => {
    const walkthrough = await openWalkthrough(page, sandboxPage);
    const button = walkthrough.root.getByRole('button', {name: 'Create PKCE values'});
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(walkthrough.stepHeading(1)).toContainText('(done)');
    await expect(walkthrough.stepHeading(2)).toBeFocused();
    // From the new step's heading, Tab reaches its button past the diagram's own stops.
    const next = walkthrough.root.getByRole('button', {name: 'Discover and build the URL'});
    for (let presses = 0; presses < 4 && !(await next.evaluate((element) => element === document.activeElement)); presses += 1) {
      await page.keyboard.press('Tab');
    }
    await expect(next).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(walkthrough.stepHeading(2)).toContainText('(done)');
  });
});

test.describe('the code the walkthrough runs', () => {
  test('is shown from the very file, highlighted once in view, and copies exactly', async ({page, context, sandboxPage}) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await sandboxPage(PAGE);
    const file = 'src/flows/authorization-code-pkce.ts';
    const source = readFileSync(join(__dirname, '..', '..', file), 'utf8').trimEnd();
    // The page first shows the source as plain text; coming into view swaps in the highlighted block.
    await page.getByText(file, {exact: true}).scrollIntoViewIfNeeded();
    // `theme-code-block` is Docusaurus's stable class for code blocks; the block is found by its title.
    const block = page.locator('.theme-code-block').filter({has: page.getByText(file, {exact: true})});
    await expect(block).toHaveClass(/language-ts/);
    await block.getByRole('button', {name: 'Copy code to clipboard'}).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(source);
  });
});
