import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';
import type {CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'mix-up';

/** Runs the lab up to the app's handling of the response, with the iss check off or on. */
async function signInThroughTheAttacker(
  page: Page,
  walkthrough: WalkthroughSection,
  issuer: string,
  user: CatalogUser,
  defence: 'Off' | 'On',
): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`the iss check ${defence.toLowerCase()}`);
  await walkthrough.run(2, "Pick the attacker's server");
  await expect(walkthrough.result(2).getByLabel("The chosen server's endpoints")).toContainText(
    `${issuer}/attacker/token`,
  );
  await walkthrough.run(3, 'Build the URL');
  await expect(walkthrough.result(3).getByLabel('Authorization request parameters')).toContainText('trip-planner');
  await expect(walkthrough.result(3).getByLabel('Authorization request parameters')).toContainText('code_challenge');

  await walkthrough.root.getByRole('button', {name: 'Go to the chosen server'}).click();
  // The attacker's server forwards the browser to the sandbox's; a second run may find the first one's session and consent.
  await page.waitForURL(
    (url) => url.pathname.endsWith(`/security/${SLUG}`) || url.pathname.includes('/sandbox/interaction/'),
  );
  if (new URL(page.url()).pathname.includes('/sandbox/interaction/')) {
    await signInAndConsent(page, user, {clientName: 'Trip Planner (lab: mix-up)'});
    await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
  }
  await walkthrough.waitForStep(4);
  const callback = walkthrough.result(4).getByLabel('Callback parameters');
  await expect(callback).toContainText('code');
  // RFC 9207: the sandbox names itself, not the server the app chose.
  await expect(callback).toContainText(issuer);
  await expect(callback).not.toContainText(`${issuer}/attacker`);
}

test.describe('the mix-up lab', () => {
  // Chromium reports the attacker's 400 to the app's token request in the console; that answer is part of the attack.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('without the iss check the attacker gets the code and verifier and a real token for the user; with it the app sends nothing', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the client line and the server line that make the difference.
    await expectMarkedLines(page, [
      ['src/flows/labs/mix-up.ts', "if (!checkIssuer) response.delete('iss');"],
      ['src/sandbox/endpoints/authorization-response.ts', 'iss: sandbox.issuer,'],
    ]);
    const user = await walkthrough.demoUser(issuer);

    await signInThroughTheAttacker(page, walkthrough, issuer, user, 'Off');
    await walkthrough.run(5, 'Handle the response');
    await expect(walkthrough.result(5).getByRole('note', {name: 'Code sent to the attacker'})).toContainText(
      'HTTP 400: invalid_grant',
    );
    const sent = walkthrough.result(5).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(sent).toContainText(`${issuer}/attacker/token`);
    await expect(sent.getByLabel('Form body')).toContainText('code_verifier');

    await walkthrough.run(6, 'Redeem as the attacker');
    const succeeded = walkthrough.result(6).getByRole('note', {name: 'Attack succeeded'});
    await expect(succeeded).toContainText(user.sub);
    await expect(succeeded).toContainText('answered 200');
    const redeemed = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 3 of 4: POST/});
    await expect(redeemed).toContainText(`${issuer}/token`);
    await expect(redeemed).toContainText('access_token');
    const api = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 4 of 4: GET/});
    await expect(api).toContainText('/api/calendar/events');
    await expect(api).toContainText('"events"');
    await axe();

    await walkthrough.startOver.click();
    await signInThroughTheAttacker(page, walkthrough, issuer, user, 'On');
    await walkthrough.run(5, 'Handle the response');
    const refused = walkthrough.result(5).getByRole('note', {name: 'Attack refused'});
    await expect(refused).toContainText('unexpected "iss" (issuer) response parameter value');
    await expect(refused).toContainText('OAUTH_INVALID_RESPONSE');
    await expect(walkthrough.result(5).getByRole('region', {name: /HTTP exchange/})).toHaveCount(0);

    await walkthrough.run(6, 'Redeem as the attacker');
    await expect(walkthrough.result(6).getByRole('note', {name: 'Attack refused'})).toContainText(
      'received nothing from this sign-in',
    );
    await expect(walkthrough.result(6).getByRole('region', {name: /HTTP exchange/})).toHaveCount(1);
    await axe();
  });
});
