import type {Request} from '@playwright/test';
import {expect, test} from './fixtures';

// RFC 9700 §4.2.4: an authorization code in a page's URL must not linger in the address bar or
// history, nor travel in the Referer of the page's own requests.
test.describe('a docs page opened with an authorization response no walkthrough waits for', () => {
  for (const path of ['flows/authorization-code-pkce', 'concepts/terminology']) {
    test(`${path}: the response leaves the address bar, and no request carries it in a Referer`, async ({
      page,
      baseURL,
    }) => {
      const origin = new URL(baseURL!).origin;
      const requests: Request[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(origin)) requests.push(request);
      });
      await page.goto(`${path}?code=abc123secret&state=x&iss=${encodeURIComponent(origin)}&keep=1#part`);
      await expect(page.getByRole('heading', {level: 1})).toBeVisible();
      await page.waitForLoadState('networkidle');

      // Only the response's parameters go; the rest of the URL stays as it was.
      const url = new URL(page.url());
      expect(url.pathname).toBe(new URL(path, baseURL).pathname);
      expect([...url.searchParams.keys()]).toEqual(['keep']);
      expect(url.hash).toBe('#part');
      expect(await page.evaluate(() => window.history.length)).toBeLessThanOrEqual(2);

      // Stylesheets, scripts, chunks, fonts and images of the page: each Referer, as sent.
      expect(requests.length).toBeGreaterThan(10);
      const referers = await Promise.all(requests.map(async (request) => (await request.allHeaders())['referer']));
      const leaking = referers.filter((referer) => referer?.includes('abc123secret'));
      expect(leaking).toEqual([]);
    });
  }
});

// RFC 6749 §4.2.2: an implicit response puts the access token in the fragment, where it would stay too.
test('a docs page opened with a token in its fragment drops the fragment, and keeps an ordinary anchor', async ({
  page,
}) => {
  await page.goto('concepts/terminology?keep=1#access_token=abc123secret&token_type=Bearer&expires_in=300&state=x');
  await expect(page.getByRole('heading', {level: 1})).toBeVisible();
  await expect.poll(() => page.url()).not.toContain('abc123secret');
  expect(new URL(page.url()).hash).toBe('');
  expect(new URL(page.url()).search).toBe('?keep=1');
});

test('a walkthrough waiting on another page does not keep the response in this one', async ({page, baseURL}) => {
  await page.goto('');
  const waitingOn = new URL('flows/authorization-code-pkce', baseURL).pathname;
  await page.evaluate((returnTo) => {
    window.sessionStorage.setItem(
      'walkthrough:authorization-code-pkce',
      JSON.stringify({version: 2, shape: 'any', completed: [], awaitingReturn: 3, returnTo}),
    );
  }, waitingOn);
  await page.goto('concepts/terminology?code=abc123secret&state=x');
  await expect(page.getByRole('heading', {level: 1})).toBeVisible();
  await expect.poll(() => page.url()).not.toContain('abc123secret');
  expect(new URL(page.url()).search).toBe('');
});

test('the site tells the browser to send no Referer, before any stylesheet or script', async ({page}) => {
  const response = await page.goto('');
  const html = await response!.text();
  // The built HTML is minified: attribute values may come without quotes.
  const policy = html.search(/<meta[^>]+name="?referrer"?[^>]+content="?no-referrer[" />]/);
  expect(policy).toBeGreaterThan(-1);
  expect(policy).toBeLessThan(html.search(/<link[^>]+rel="?stylesheet[" >]/));
  expect(policy).toBeLessThan(html.search(/<script[^>]+src=/));
});
