import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {SandboxConsentPage, SandboxLoginPage} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';
import type {Catalog, CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'id-token-replay';

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

/** Runs the lab up to the attacker's unposted form, with the nonce check off or on; returns the copied token's nonce. */
async function stealAndStart(
  page: Page,
  walkthrough: WalkthroughSection,
  victim: CatalogUser,
  attacker: CatalogUser,
  defence: 'Off' | 'On',
): Promise<string> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`the nonce check ${defence.toLowerCase()}`);

  await walkthrough.root.getByRole('button', {name: 'Sign in to Members'}).click();
  await page.waitForURL((url) => url.pathname.includes('/sandbox/interaction/'));
  await new SandboxLoginPage(page).signInAs(victim);
  await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`) || url.pathname.endsWith('/consent'));
  // The second run finds the victim's consent of the first: then the server answers at once.
  if (!new URL(page.url()).pathname.endsWith(`/security/${SLUG}`)) {
    const consent = new SandboxConsentPage(page);
    await expect(consent.heading).toContainText('Members (lab: ID token replay)');
    await consent.allow.click();
  }
  await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
  await walkthrough.waitForStep(2);
  await expect(walkthrough.result(2)).toContainText(`Members signed you in as ${victim.sub}`);
  const copied = walkthrough.result(2).getByLabel('The copied ID token');
  await expect(copied).toContainText(victim.sub);
  const stolenNonce = (await copied.getByRole('definition').last().getByRole('code').first().innerText()).trim();
  expect(stolenNonce).toMatch(/^[A-Za-z0-9_-]{20,}$/);

  await walkthrough.run(3, 'Sign in as the attacker');
  const form = walkthrough.result(3).getByLabel("The attacker's form");
  await expect(form).toContainText('state');
  await expect(form).not.toContainText(stolenNonce);
  // Every request of the attacker's browser is shown: the app's /login, the login form, and the consent on the first run.
  await expect(walkthrough.result(3).getByRole('region', {name: /HTTP exchange 1 of \d: GET/})).toContainText(
    '/webapp/lab/id-token-replay/login',
  );
  await expect(
    walkthrough
      .result(3)
      .getByRole('region', {name: /HTTP exchange 2 of \d: POST/})
      .getByLabel('Form body'),
  ).toContainText(attacker.username);
  return stolenNonce;
}

test.describe('the ID token replay lab', () => {
  // Chromium reports the refused form post's HTTP 400 in the console; that refusal is the point of the second run.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('without the nonce check the copied ID token signs the attacker in as the victim; with it the app refuses it', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the one line of the app that makes the difference.
    await expectMarkedLines(page, [
      ['src/flows/labs/id-token-replay.ts', 'if (pending.checkNonce && payload.nonce !== pending.nonce) {'],
    ]);
    const {victim, attacker} = await people(page, issuer);

    await stealAndStart(page, walkthrough, victim, attacker, 'Off');
    await walkthrough.run(4, 'Post the swapped form');
    const succeeded = walkthrough.result(4).getByRole('note', {name: 'Attack succeeded'});
    await expect(succeeded).toContainText(
      `a session for ${victim.name} (sub ${victim.sub}), though the attacker signed in as ${attacker.name}`,
    );
    const posted = walkthrough.result(4).getByRole('region', {name: /HTTP exchange 1 of 2: POST/});
    await expect(posted).toContainText('/webapp/lab/id-token-replay/callback');
    const report = walkthrough.result(4).getByRole('region', {name: /HTTP exchange 2 of 2: GET/});
    await expect(report).toContainText(`"sub": "${victim.sub}"`);
    await axe();

    await walkthrough.startOver.click();
    await stealAndStart(page, walkthrough, victim, attacker, 'On');
    await walkthrough.run(4, 'Post the swapped form');
    const refused = walkthrough.result(4).getByRole('note', {name: 'Attack refused'});
    await expect(refused).toContainText('refused it with HTTP 400: the ID token nonce does not match this sign-in');
    await expect(walkthrough.result(4).getByRole('region', {name: /HTTP exchange 2 of 2: GET/})).toContainText(
      '"session": null',
    );
    await axe();
  });
});
