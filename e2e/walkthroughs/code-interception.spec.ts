import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';
import type {CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'code-interception';

/** Runs the lab to the stolen code with PKCE off or on, signing in when the sandbox asks for it. */
async function stealTheCode(
  page: Page,
  walkthrough: WalkthroughSection,
  user: CatalogUser,
  defence: 'Off' | 'On',
): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`PKCE ${defence.toLowerCase()}`);
  await walkthrough.run(2, 'Create the values');
  await walkthrough.run(3, 'Fetch the discovery document');
  await walkthrough.run(4, 'Build the URL');
  const request = walkthrough.result(4).getByLabel('Authorization request parameters');
  await expect(request).toContainText('lab-notes-app');
  if (defence === 'On') await expect(request).toContainText('code_challenge');
  else await expect(request).not.toContainText('code_challenge');

  await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
  await page.waitForURL(
    (url) => url.pathname.endsWith(`/security/${SLUG}`) || url.pathname.includes('/sandbox/interaction/'),
  );
  // The second run may find the session and the consent of the first: then the server answers at once.
  if (new URL(page.url()).pathname.includes('/sandbox/interaction/')) {
    await signInAndConsent(page, user, {clientName: 'Notes (lab: code interception)'});
    await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
  }
  await walkthrough.waitForStep(5);
  await expect(walkthrough.result(5).getByLabel('Intercepted response')).toContainText('code');
}

test.describe('the code interception lab', () => {
  // Chromium reports the refused token request's HTTP 400 in the console; that refusal is the point of the PKCE run.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('without PKCE the stolen code buys real tokens and an API 200; with PKCE it is refused with invalid_grant', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the one client line and the one server line that make the difference.
    await expectMarkedLines(page, [
      ['src/flows/labs/code-interception.ts', "if (secrets.pkce) url.searchParams.set('code_challenge',"],
      ['src/sandbox/checks/pkce.ts', 'if (verifier === undefined) throw new InvalidGrant'],
    ]);
    const user = await walkthrough.demoUser(issuer);

    await stealTheCode(page, walkthrough, user, 'Off');
    await walkthrough.run(6, 'Redeem the stolen code');
    await expect(walkthrough.result(6).getByRole('note', {name: 'Attack succeeded'})).toContainText('answered 200');
    const tokenExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 1 of 2: POST/});
    await expect(tokenExchange.getByLabel('Form body')).toContainText('authorization_code');
    await expect(tokenExchange.getByLabel('Form body')).not.toContainText('code_verifier');
    await expect(tokenExchange).toContainText('access_token');
    const apiExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 2 of 2: GET/});
    await expect(apiExchange).toContainText('/api/calendar/events');
    await expect(apiExchange).toContainText('"events"');
    await axe();

    await walkthrough.startOver.click();
    await stealTheCode(page, walkthrough, user, 'On');
    await walkthrough.run(6, 'Redeem the stolen code');
    const refused = walkthrough.result(6).getByRole('note', {name: 'Attack refused'});
    await expect(refused).toContainText('HTTP 400: invalid_grant');
    await expect(refused).toContainText('code_verifier is required');
    await expect(walkthrough.result(6).getByRole('region', {name: /HTTP exchange/})).toHaveCount(1);
    await axe();
  });
});
