import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {SandboxConsentPage, signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';
import type {CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'tokens-in-url';

/** Runs the lab until the browser is back on the page, signing in (or only consenting) as the sandbox asks. */
async function signInAndComeBack(
  page: Page,
  walkthrough: WalkthroughSection,
  user: CatalogUser,
  defence: 'Off' | 'On',
  clientName: string,
): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`the code flow ${defence.toLowerCase()}`);
  await walkthrough.run(2, 'Create the values');
  await walkthrough.run(3, 'Fetch the discovery document');
  await walkthrough.run(4, 'Build the URL');
  await expect(walkthrough.result(4).getByLabel('Authorization request parameters')).toContainText(
    defence === 'On' ? 'code_challenge' : 'token',
  );

  await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
  await page.waitForURL((url) => url.pathname.includes('/sandbox/interaction/'));
  // The second run finds the first run's session: the server asks only for consent to the other client.
  if (new URL(page.url()).pathname.endsWith('/login')) {
    await signInAndConsent(page, user, {clientName});
  } else {
    const consent = new SandboxConsentPage(page);
    await consent.expectShown();
    await expect(consent.heading).toContainText(clientName);
    await consent.allow.click();
  }
  await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
  await walkthrough.waitForStep(5);
}

test.describe('the tokens in the URL lab', () => {
  // Chromium reports the refused token request's HTTP 400 in the console; that refusal is the point of the code flow run.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test("with response_type=token the address holds the access token and a script on the page uses it; with the code flow the script's code is refused", async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the one line that makes the difference.
    await expectMarkedLines(page, [
      ['src/flows/labs/tokens-in-url.ts', "url.searchParams.set('response_type', config.responseType);"],
    ]);
    const user = await walkthrough.demoUser(issuer);

    await signInAndComeBack(page, walkthrough, user, 'Off', 'Acme SPA, implicit grant (lab: tokens in the URL)');
    // The token is in the address the browser came back to, and it is still there.
    const address = new URL(page.url());
    const fragment = new URLSearchParams(address.hash.slice(1));
    expect(fragment.get('access_token')).toMatch(/^ey/);
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('refresh_token')).toBeNull();
    await expect(walkthrough.result(5).getByLabel('In the fragment')).toContainText('access_token');
    await expect(walkthrough.result(5).getByLabel('In the query')).toHaveCount(0);
    await walkthrough.run(6, 'Finish the sign-in');
    await expect(walkthrough.result(6)).toContainText('made no request');
    await expect(walkthrough.result(6).getByRole('region', {name: /HTTP exchange/})).toHaveCount(0);
    await walkthrough.run(7, 'Read the address as the script');
    await expect(walkthrough.result(7).getByRole('note', {name: 'Attack succeeded'})).toContainText('answered 200');
    const apiExchange = walkthrough.result(7).getByRole('region', {name: /HTTP exchange 1 of 1: GET/});
    await expect(apiExchange).toContainText('/api/calendar/events');
    await expect(apiExchange).toContainText('"events"');
    await expect(apiExchange).toContainText(fragment.get('access_token')!.slice(0, 20));
    await axe();

    await walkthrough.startOver.click();
    await signInAndComeBack(page, walkthrough, user, 'On', 'Acme SPA, code flow with PKCE (lab: tokens in the URL)');
    const query = walkthrough.result(5).getByLabel('In the query');
    for (const name of ['code', 'state', 'iss']) await expect(query).toContainText(name);
    await expect(walkthrough.result(5).getByLabel('In the fragment')).toHaveCount(0);
    await expect(walkthrough.result(5)).not.toContainText('access_token');
    await walkthrough.run(6, 'Finish the sign-in');
    const tokenExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(tokenExchange.getByLabel('Form body')).toContainText('code_verifier');
    await expect(tokenExchange).toContainText('access_token');
    await walkthrough.run(7, 'Read the address as the script');
    const refused = walkthrough.result(7).getByRole('note', {name: 'Attack refused'});
    await expect(refused).toContainText('HTTP 400: invalid_grant');
    const replay = walkthrough.result(7).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(replay.getByLabel('Form body')).not.toContainText('code_verifier');
    await axe();
  });
});
