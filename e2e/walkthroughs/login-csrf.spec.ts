import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {SandboxConsentPage, SandboxLoginPage} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';
import type {Catalog, CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'login-csrf';

/** Both people of the lab: the victim is the first demo user, the attacker the second. */
async function people(page: Page, issuer: string): Promise<{victim: CatalogUser; attacker: CatalogUser}> {
  const catalog = await page.evaluate(
    async (url) => (await fetch(url)).json() as Promise<Catalog>,
    `${issuer}/catalog`,
  );
  const [victim, attacker] = catalog.users;
  if (!victim || !attacker) throw new Error('the catalog lists fewer than two demo users');
  return {victim, attacker};
}

/** Runs the lab up to the response arriving at Planner, with state off or on. */
async function plantTheResponse(
  page: Page,
  walkthrough: WalkthroughSection,
  attacker: CatalogUser,
  defence: 'Off' | 'On',
): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`state ${defence.toLowerCase()}`);
  await walkthrough.run(2, 'Fetch the discovery document');

  await walkthrough.run(3, 'Open Planner');
  const request = walkthrough.result(3).getByLabel('Your authorization request');
  await expect(request).toContainText('lab-planner');
  if (defence === 'On') await expect(request).toContainText('state');
  else await expect(request).not.toContainText('state');

  // The attacker signs in with their own account: prompt=login makes the server ask every time.
  await walkthrough.root.getByRole('button', {name: 'Sign in as the attacker'}).click();
  await page.waitForURL((url) => url.pathname.includes('/sandbox/interaction/'));
  await new SandboxLoginPage(page).signInAs(attacker);
  await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`) || url.pathname.endsWith('/consent'));
  // The second run finds the attacker's consent of the first: then the server answers at once.
  if (!new URL(page.url()).pathname.endsWith(`/security/${SLUG}`)) {
    const consent = new SandboxConsentPage(page);
    await expect(consent.heading).toContainText('Planner (lab: login CSRF)');
    await consent.allow.click();
  }
  await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
  await walkthrough.waitForStep(4);
  const kept = walkthrough.result(4).getByLabel("The attacker's authorization response");
  await expect(kept).toContainText('code');
  if (defence === 'On') await expect(kept).toContainText('state');
  else await expect(kept).not.toContainText('state');

  await walkthrough.root.getByRole('button', {name: "Open the attacker's link"}).click();
  await walkthrough.waitForStep(5);
  await expect(walkthrough.result(5).getByLabel('Response that arrived at Planner')).toContainText('code');
}

test.describe('the login CSRF lab', () => {
  test("without state the victim is signed in to the attacker's account and saves into it; with state the response is refused", async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the one client line that makes the difference.
    await expectMarkedLines(page, [
      ['src/flows/labs/login-csrf.ts', 'const expectedState = checkState ? pending : oauth.skipStateCheck;'],
    ]);
    const {victim, attacker} = await people(page, issuer);

    await plantTheResponse(page, walkthrough, attacker, 'Off');
    await walkthrough.run(6, 'Let Planner handle it');
    const succeeded = walkthrough.result(6).getByRole('note', {name: 'Attack succeeded'});
    await expect(succeeded).toContainText(`signed you in as ${attacker.name} (sub ${attacker.sub})`);
    await expect(succeeded).toContainText(`although you are ${victim.name}`);
    await expect(succeeded).toContainText(`answered 201: the appointment is in the calendar of ${attacker.sub}`);
    const tokenExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 1 of 2: POST/});
    await expect(tokenExchange.getByLabel('Form body')).toContainText('authorization_code');
    await expect(tokenExchange).toContainText('id_token');
    const apiExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 2 of 2: POST/});
    await expect(apiExchange).toContainText('/api/calendar/events');
    await expect(apiExchange).toContainText(`"sub": "${attacker.sub}"`);
    await axe();

    await walkthrough.startOver.click();
    await plantTheResponse(page, walkthrough, attacker, 'On');
    await walkthrough.run(6, 'Let Planner handle it');
    const refused = walkthrough.result(6).getByRole('note', {name: 'Attack refused'});
    await expect(refused).toContainText(
      'before sending any token request: OAUTH_INVALID_RESPONSE: unexpected "state" response parameter value',
    );
    await expect(walkthrough.result(6).getByRole('region', {name: /HTTP exchange/})).toHaveCount(0);
    await axe();
  });
});
