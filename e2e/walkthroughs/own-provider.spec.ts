import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, test} from '../fixtures';
import {WalkthroughSection} from '../pages/walkthrough';
import {TEST_PROVIDER} from '../providers/test-provider';
import {answerProviderFonts, closedPort, providerQuery, signInAtProvider} from '../providers/at-provider';

const SLUG = 'authorization-code-pkce';
const FLOW_MODULE = 'src/flows/authorization-code-pkce.ts';

test.beforeEach(async ({page}) => answerProviderFonts(page));

/** Runs the steps up to the sign-in and comes back to the page with the code. */
async function signInThroughTheWalkthrough(walkthrough: WalkthroughSection, login: string): Promise<void> {
  await walkthrough.run(1, 'Create PKCE values');
  await walkthrough.run(2, 'Fetch the discovery document');
  await expect(walkthrough.result(2).getByLabel('Endpoints from discovery')).toContainText(
    `${TEST_PROVIDER.issuer}/token`,
  );
  await walkthrough.run(3, 'Build the URL');
  await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
  await signInAtProvider(walkthrough.page, login);
  await walkthrough.page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`));
  await walkthrough.waitForStep(4);
}

test.describe('the PKCE walkthrough against your own provider (node-oidc-provider)', () => {
  test('signs in at the provider, redeems the code, verifies the ID token and calls userinfo', async ({
    page,
    context,
    baseURL,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG, providerQuery(TEST_PROVIDER.clientId));
    const redirectUri = new URL(`flows/${SLUG}`, baseURL).href;
    expect(redirectUri).toBe(TEST_PROVIDER.redirectUri);

    // The walkthrough says which server it runs against, and how to go back.
    const note = walkthrough.root.getByRole('note', {name: 'Authorization server'});
    await expect(note).toContainText(TEST_PROVIDER.issuer);
    await expect(note).toContainText(TEST_PROVIDER.clientId);
    await expect(note).toContainText(redirectUri);
    await expect(note.getByRole('link', {name: 'Back to the built-in sandbox'})).toHaveAttribute(
      'href',
      new URL(redirectUri).pathname,
    );
    await expect(walkthrough.resetSandbox).toHaveCount(0);

    await signInThroughTheWalkthrough(walkthrough, 'reader-1');
    // Back on the bare redirect URI: the code is gone from the address, the provider settings are back.
    expect(new URL(page.url()).search).toBe(providerQuery(TEST_PROVIDER.clientId));
    const callback = walkthrough.result(4).getByLabel('Callback parameters');
    await expect(callback).toContainText('iss');
    await expect(callback).toContainText(TEST_PROVIDER.issuer);
    await expect(walkthrough.result(4)).toContainText(`iss equals ${TEST_PROVIDER.issuer}`);

    await walkthrough.run(5, 'Exchange the code');
    const tokenExchange = walkthrough.result(5).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(tokenExchange).toContainText(`${TEST_PROVIDER.issuer}/token`);
    await expect(tokenExchange).toContainText('code_verifier');
    await expect(tokenExchange).toContainText('200');

    await walkthrough.run(6, 'Fetch the keys and inspect');
    const idToken = walkthrough.result(6).getByRole('region', {name: 'ID token'});
    // Verified against the keys the provider publishes at its jwks_uri.
    await expect(idToken.getByRole('row', {name: /^Signature/})).toContainText('Passed', {timeout: 10_000});
    await expect(idToken.getByRole('row', {name: /^Nonce/})).toContainText('Passed');
    await expect(idToken).toContainText(TEST_PROVIDER.issuer);
    await expect(walkthrough.result(6).getByRole('cell', {name: 'Failed'})).toHaveCount(0);

    await walkthrough.run(7, 'Call the userinfo endpoint');
    await expect(walkthrough.result(7)).toContainText('answered for reader-1, the same sub as the ID token');
    // The profile scope's claims, as the provider's account gave them.
    await expect(walkthrough.result(7).getByLabel('Userinfo claims')).toContainText('Test reader-1');
    const userinfo = walkthrough.result(7).getByRole('region', {name: /HTTP exchange 1 of 1: GET/});
    await expect(userinfo).toContainText(`${TEST_PROVIDER.issuer}/me`);
    await expect(userinfo).toContainText('200');
    await expect(walkthrough.status).toContainText('The walkthrough is complete');
    // Every result of a run against the provider, in dark mode (light mode: the form's test) and on a 360 px screen.
    await page.emulateMedia({colorScheme: 'dark'});
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await axe();
    await page.setViewportSize({width: 360, height: 800});
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
      .toBeLessThanOrEqual(0);

    // The module the page shows is the one that just ran: the very file, copied exactly.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const shown = page.getByRole('region', {name: `Source: ${FLOW_MODULE}`});
    await shown.scrollIntoViewIfNeeded();
    const block = shown.locator('.theme-code-block');
    await expect(block).toContainText('export async function fetchUserInfo(');
    await block.getByRole('button', {name: 'Copy code to clipboard'}).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(readFileSync(join(__dirname, '..', '..', FLOW_MODULE), 'utf8').trimEnd());
  });
});

test.describe("a provider that refuses the page's origin", () => {
  // Chromium reports the refused cross-origin token response in the console; that refusal is the point.
  test.use({expectedConsoleErrors: [/blocked by CORS policy|net::ERR_FAILED/]});

  test('fails the code exchange with what to configure, not a bare network error', async ({page, baseURL}) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG, providerQuery(TEST_PROVIDER.corsRefusedClientId));
    await signInThroughTheWalkthrough(walkthrough, 'reader-2');

    await walkthrough.root.getByRole('button', {name: 'Exchange the code', exact: true}).click();
    await expect(walkthrough.alert).toContainText('Step 5 failed');
    const origin = new URL(baseURL!).origin;
    await expect(walkthrough.alert).toContainText(`allow the origin ${origin} for cross-origin requests`);
    await expect(walkthrough.alert).toContainText(`register ${TEST_PROVIDER.redirectUri} as a redirect URI`);
    await expect(walkthrough.alert).toContainText('make the client public (no client secret');
    await expect(walkthrough.alert.getByRole('button', {name: 'Try again'})).toBeVisible();
  });
});

test.describe('the form on the page', () => {
  // Nothing listens at the issuer entered: Chromium reports the refused connection.
  test.use({expectedConsoleErrors: [/net::ERR_CONNECTION_REFUSED/]});

  test('points the walkthrough at a provider, explains an unreachable one, and goes back to the sandbox', async ({
    page,
    baseURL,
    axe,
  }) => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    await page.goto(`flows/${SLUG}`);
    // The copy buttons appear once the page is hydrated, when the form takes its final shape.
    await expect(page.getByRole('button', {name: 'Copy the redirect URI'})).toBeVisible();
    const form = page.getByRole('form', {name: 'Your own provider'});
    await form.scrollIntoViewIfNeeded();
    const origin = new URL(baseURL!).origin;
    const configure = page.getByLabel('What to configure at your provider');
    await expect(configure).toContainText(TEST_PROVIDER.redirectUri);
    await expect(configure).toContainText(origin);
    await form.getByLabel('Issuer URL').fill(issuer);
    await form.getByLabel('Client ID').fill('my-spa');
    await form.getByRole('button', {name: 'Run the walkthrough against it'}).click();
    await page.waitForURL(
      (url) => url.searchParams.get('issuer') === issuer && url.searchParams.get('client_id') === 'my-spa',
    );

    const walkthrough = new WalkthroughSection(page, SLUG);
    await walkthrough.waitUntilReady();
    await expect(walkthrough.root.getByRole('note', {name: 'Authorization server'})).toContainText(issuer);
    // The reloaded page's form shows the settings it runs with, ready to be corrected.
    await expect(form.getByLabel('Issuer URL')).toHaveValue(issuer);
    await expect(form.getByLabel('Client ID')).toHaveValue('my-spa');
    await expect(form.getByLabel('Scope (optional)')).toHaveValue('');
    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.root.getByRole('button', {name: 'Fetch the discovery document', exact: true}).click();
    await expect(walkthrough.alert).toContainText('Step 2 failed');
    await expect(walkthrough.alert).toContainText(`This page could not read an answer from ${issuer}`);
    await expect(walkthrough.alert).toContainText(`allow the origin ${origin}`);
    // The form, the provider's note and the failure, in light mode.
    await axe();

    await walkthrough.root.getByRole('link', {name: 'Back to the built-in sandbox'}).click();
    await page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`) && url.search === '');
    await walkthrough.waitUntilReady();
    await expect(walkthrough.root.getByRole('note', {name: 'Authorization server'})).toHaveCount(0);
    await expect(walkthrough.resetSandbox).toBeVisible();
    await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');

    // Plain http is for a provider on this machine only (RFC 6749 §3.1, §3.2): anything else is refused in words.
    await page.goto(`flows/${SLUG}?issuer=${encodeURIComponent('http://tenant.example')}&client_id=my-spa`);
    await page.getByRole('heading', {level: 2, name: 'Try it live'}).scrollIntoViewIfNeeded();
    await expect(walkthrough.alert).toContainText('These provider settings cannot be used');
    await expect(walkthrough.alert).toContainText('The issuer must use https');
    await expect(walkthrough.alert.getByRole('link', {name: 'back to the built-in sandbox'})).toBeVisible();
  });
});
