import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {SandboxConsentPage, SandboxLoginPage} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';
import type {CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'refresh-token-theft';

/** Runs the lab to the app's tokens with rotation off or on; the second run finds the first's session and signs in without a password. */
async function signInToTheApp(
  page: Page,
  walkthrough: WalkthroughSection,
  user: CatalogUser,
  defence: 'Off' | 'On',
  clientName: string,
): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`rotation ${defence.toLowerCase()}`);
  await walkthrough.run(2, 'Create PKCE values');
  await walkthrough.run(3, 'Fetch the discovery document');
  await walkthrough.run(4, 'Build the URL');
  await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
  const consent = new SandboxConsentPage(page);
  const login = new SandboxLoginPage(page);
  await expect(login.heading.or(consent.heading).first()).toBeVisible();
  if (await login.heading.isVisible()) await login.signInAs(user);
  await consent.expectShown();
  await expect(consent.heading).toContainText(clientName);
  await consent.allow.click();
  await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
  await walkthrough.waitForStep(5);
  await walkthrough.run(6, 'Exchange the code');
  await expect(walkthrough.result(6)).toContainText('a refresh token');
}

test.describe('the refresh token theft lab', () => {
  // Chromium reports the refused refresh requests' HTTP 400 in the console; those refusals are the point of the rotation run.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('without rotation the thief refreshes again and again; with it, reuse revokes the family (invalid_grant)', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the one server line and the one client line that make the difference.
    await expectMarkedLines(page, [
      ['src/sandbox/grants/refresh-token.ts', 'if (skipsRefreshRotation(client)) return refreshWithoutRotation'],
      ['src/flows/labs/refresh-token-theft.ts', 'refreshToken: tokens.refresh_token ?? refreshToken'],
    ]);
    const user = await walkthrough.demoUser(issuer);

    await signInToTheApp(page, walkthrough, user, 'Off', 'Acme SPA without rotation');
    await walkthrough.run(7, 'Refresh as the attacker');
    await expect(walkthrough.result(7).getByRole('note', {name: 'the attacker: new tokens'})).toContainText(
      'answered 200',
    );
    await expect(walkthrough.result(7)).toContainText('the same one stays valid');
    await expect(walkthrough.result(7).getByRole('region', {name: /HTTP exchange 2 of 2: GET/})).toContainText(
      '"events"',
    );
    await walkthrough.run(8, 'Refresh as the app');
    await expect(walkthrough.result(8).getByRole('note', {name: 'the app: new tokens'})).toContainText('answered 200');
    await walkthrough.run(9, 'Refresh as the attacker again');
    await expect(walkthrough.result(9).getByRole('note', {name: 'the attacker: new tokens'})).toContainText(
      'answered 200',
    );
    const tokenExchange = walkthrough.result(9).getByRole('region', {name: /HTTP exchange 1 of 2: POST/});
    await expect(tokenExchange.getByLabel('Form body')).toContainText('refresh_token');
    await expect(tokenExchange).toContainText('access_token');
    await axe();

    await walkthrough.startOver.click();
    await signInToTheApp(page, walkthrough, user, 'On', 'Acme SPA with rotation');
    await walkthrough.run(7, 'Refresh as the attacker');
    // The thief is first, so it still gets in, with a rotated token.
    await expect(walkthrough.result(7).getByRole('note', {name: 'the attacker: new tokens'})).toContainText(
      'The refresh token rotated',
    );
    await walkthrough.run(8, 'Refresh as the app');
    const appRefused = walkthrough.result(8).getByRole('note', {name: 'the app: refused'});
    await expect(appRefused).toContainText('HTTP 400: invalid_grant');
    await expect(appRefused).toContainText('its token family is revoked');
    await walkthrough.run(9, 'Refresh as the attacker again');
    await expect(walkthrough.result(9).getByRole('note', {name: 'the attacker: refused'})).toContainText(
      'HTTP 400: invalid_grant',
    );
    await expect(walkthrough.result(9).getByRole('region', {name: /HTTP exchange/})).toHaveCount(1);
    await axe();
  });
});
