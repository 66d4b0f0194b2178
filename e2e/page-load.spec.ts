import {expect, test} from './fixtures';

// What keeps a long page's load light: code blocks rendered once, with colours from the stylesheet,
// and the prefetching of linked pages moved out of the load into idle moments.

declare global {
  interface Window {
    firstCodeLine?: Element | null;
    hydratedAtCapture?: string | null;
  }
}

test.describe('code blocks on a long page', () => {
  test.beforeEach(async ({page}) => {
    // Remember the first code line of the static HTML, before React hydrates the page.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        window.firstCodeLine = document.querySelector('main pre .token-line');
        window.hydratedAtCapture = document.documentElement.getAttribute('data-has-hydrated');
      });
    });
  });

  for (const [colorScheme, keywordColour] of [
    ['light', 'rgb(0, 0, 255)'],
    ['dark', 'rgb(197, 165, 197)'],
  ] as const) {
    test(`are hydrated in place, not rendered again, and coloured for ${colorScheme} mode`, async ({page, axe}) => {
      await page.emulateMedia({colorScheme});
      await page.goto('flows/authorization-code-pkce-requests');
      await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);

      const sameNode = await page.evaluate(() => ({
        capturedBeforeHydration: window.hydratedAtCapture === 'false' && window.firstCodeLine instanceof Element,
        stillInPage:
          window.firstCodeLine?.isConnected === true &&
          window.firstCodeLine === document.querySelector('main pre .token-line'),
      }));
      expect(sameNode).toEqual({capturedBeforeHydration: true, stillInPage: true});

      // An HTTP header name is a Prism keyword: blue in the light theme, lilac in the dark one.
      const headerName = page.getByRole('main').locator('pre .token.keyword').first();
      await expect(headerName).toBeVisible();
      expect(await headerName.evaluate((element) => getComputedStyle(element).color)).toBe(keywordColour);
      // The highlighted lines too: the theme's colours, the same in every code block of the site.
      await axe(page, {withCode: true});
    });
  }
});

test('linked pages are still prefetched once the page is idle, and open from the sidebar', async ({page}) => {
  await page.goto('flows/authorization-code-pkce');
  await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
  await expect.poll(() => page.locator('link[rel="prefetch"]').count(), {timeout: 10_000}).toBeGreaterThan(0);
  // Give the idle queue time to finish, then check that no file was asked for twice, and none the page already runs.
  await page.waitForTimeout(2_000);
  const {prefetched, scripts} = await page.evaluate(() => ({
    prefetched: Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="prefetch"]'), (link) => link.href),
    scripts: Array.from(document.scripts, (script) => script.src).filter(Boolean),
  }));
  expect(prefetched.every((href) => /\.js$/.test(href))).toBe(true);
  expect(new Set(prefetched).size).toBe(prefetched.length);
  expect(prefetched.filter((href) => scripts.includes(href))).toEqual([]);

  await page
    .getByRole('navigation', {name: 'Docs sidebar'})
    .getByRole('link', {name: 'Client Credentials', exact: true})
    .click();
  await expect(page.getByRole('main').getByRole('heading', {level: 1})).toContainText('Client Credentials');
});

test.describe('on a phone', () => {
  test.use({viewport: {width: 360, height: 800}});

  test('the menu, built once the page is idle, opens with the docs sidebar and navigates', async ({page, axe}) => {
    await page.goto('flows/authorization-code-pkce');
    await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
    await page.getByRole('button', {name: 'Toggle navigation bar'}).click();
    const menu = page.getByRole('navigation', {name: 'Main'});
    await expect(menu.getByRole('link', {name: 'PKCE, request by request'})).toBeVisible();
    await axe();
    await menu.getByRole('link', {name: 'Native apps'}).click();
    await expect(page.getByRole('main').getByRole('heading', {level: 1})).toHaveText('Native and mobile apps');
  });

  test('a code block wider than the screen still wraps on demand', async ({page}) => {
    await page.goto('flows/authorization-code-pkce-requests');
    await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
    const block = page.getByRole('main').locator('pre').filter({hasText: 'GET /sandbox/authorize'});
    const code = block.locator('code');
    await block.scrollIntoViewIfNeeded();
    await expect(code).toHaveCSS('white-space', 'pre');
    await block.hover();
    await page.getByRole('button', {name: 'Toggle word wrap'}).first().click();
    await expect(code).toHaveCSS('white-space', 'pre-wrap');
  });
});
