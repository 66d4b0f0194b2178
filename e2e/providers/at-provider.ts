/**
 * What the specs that run against the test OpenID provider share: the page query that points a page
 * at it, its development sign-in pages, the offline web font, and an address where nothing listens.
 */
import {createServer} from 'node:net';
import type {Page} from '@playwright/test';
import {TEST_PROVIDER} from './test-provider';

/** The page's query that points a walkthrough or the explorer at a provider, as the form on the page writes it. */
export function providerQuery(clientId: string, issuer = TEST_PROVIDER.issuer): string {
  return `?${new URLSearchParams({issuer, client_id: clientId}).toString()}`;
}

/**
 * node-oidc-provider's development pages link a web font from Google; the tests run offline, so it
 * is answered with an empty stylesheet rather than failing to load. Call it in a beforeEach.
 */
export async function answerProviderFonts(page: Page): Promise<void> {
  await page.route('https://fonts.googleapis.com/**', (route) =>
    route.fulfill({status: 200, contentType: 'text/css', body: ''}),
  );
}

/** node-oidc-provider's development sign-in and consent pages: any login signs in as that login. */
export async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((url) => url.origin === TEST_PROVIDER.issuer);
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', {name: 'Sign-in'}).click();
  await page.getByRole('button', {name: 'Continue'}).click();
}

/** A local port with nothing listening: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
