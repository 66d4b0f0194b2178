import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {SandboxErrorPage, signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';
import type {Page} from '@playwright/test';

const SLUG = 'loose-redirect-uri';
const CRAFTED = 'security/notes-app/callback/../../loose-redirect-uri';

/** Runs the lab up to the crafted link, with exact matching off or on. */
async function craftTheLink(walkthrough: WalkthroughSection, defence: 'Off' | 'On', clientId: string): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(`exact matching ${defence.toLowerCase()}`);
  await walkthrough.run(2, 'Create the values');
  await walkthrough.run(3, 'Fetch the discovery document');
  await walkthrough.run(4, 'Craft the link');
  const request = walkthrough.result(4).getByLabel('Authorization request parameters');
  await expect(request).toContainText(clientId);
  await expect(request).toContainText(CRAFTED);
  await expect(request).toContainText('code_challenge');
}

function onLabPage(page: Page): boolean {
  return new URL(page.url()).pathname.endsWith(`/security/${SLUG}`);
}

test.describe('the loose redirect URI lab', () => {
  // Chromium reports the refused authorization request's HTTP 400 in the console; that refusal is the point of the exact run.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test("with prefix matching the code reaches the attacker's page and buys the victim's calendar; with exact matching the server shows its error page", async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    // The page marks the crafted redirect URI, the prefix comparison and the exact one.
    await expectMarkedLines(page, [
      ['src/flows/labs/loose-redirect-uri.ts', "url.searchParams.set('redirect_uri', craftRedirectUri("],
      ['src/sandbox/labs.ts', 'client.redirect_uris.some((registered) => requested.startsWith(registered))'],
      ['src/sandbox/checks/redirect-uri.ts', 'if (client.redirect_uris.includes(requested)) return requested;'],
    ]);
    const user = await walkthrough.demoUser(issuer);

    await craftTheLink(walkthrough, 'Off', 'lab-notes-web-prefix');
    await walkthrough.root.getByRole('button', {name: 'Open the link'}).click();
    await page.waitForURL((url) => url.pathname.includes('/sandbox/interaction/'));
    await signInAndConsent(page, user, {clientName: 'Acme Notes, prefix matching (lab: loose redirect URI)'});
    // The browser resolved the crafted URI's dot segments: the code arrives at this page, the attacker's.
    await page.waitForURL((url) => url.pathname.endsWith(`/security/${SLUG}`));
    await walkthrough.waitForStep(5);
    const received = walkthrough.result(5).getByLabel("What the attacker's page received");
    await expect(received).toContainText('code');
    await expect(received).toContainText('iss');

    await walkthrough.run(6, 'Redeem the code as the attacker');
    const succeeded = walkthrough.result(6).getByRole('note', {name: 'Attack succeeded'});
    await expect(succeeded).toContainText('answered 200');
    await expect(succeeded).toContainText(`caller.sub is ${user.sub}`);
    const tokenExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 1 of 2: POST/});
    await expect(tokenExchange.getByLabel('Form body')).toContainText('code_verifier');
    await expect(tokenExchange.getByLabel('Form body')).toContainText(CRAFTED);
    await expect(tokenExchange).toContainText('access_token');
    const apiExchange = walkthrough.result(6).getByRole('region', {name: /HTTP exchange 2 of 2: GET/});
    await expect(apiExchange).toContainText('/api/calendar/events');
    await expect(apiExchange).toContainText('"events"');
    await axe();

    await walkthrough.startOver.click();
    await craftTheLink(walkthrough, 'On', 'lab-notes-web-exact');
    await walkthrough.run(5, 'Open the link');
    expect(onLabPage(page)).toBe(true);
    const refused = walkthrough.result(5).getByRole('note', {name: 'Attack refused'});
    await expect(refused).toContainText('HTTP 400');
    await expect(refused).toContainText('invalid_request');
    await expect(refused).toContainText('is not registered for lab-notes-web-exact');
    const authorizeExchange = walkthrough.result(5).getByRole('region', {name: /HTTP exchange 1 of 1: GET/});
    await expect(authorizeExchange).toContainText('400');
    await expect(authorizeExchange).toContainText('The authorization request was rejected');
    await walkthrough.run(6, 'Redeem the code as the attacker');
    await expect(walkthrough.result(6).getByRole('note', {name: 'Nothing to redeem'})).toBeVisible();
    await expect(walkthrough.result(6).getByRole('region', {name: /HTTP exchange/})).toHaveCount(0);
    await axe();

    // The page the victim gets: the server's own, with no redirect to anywhere.
    await refused.getByRole('link', {name: 'open the link'}).click();
    await page.waitForURL((url) => url.pathname.endsWith('/sandbox/authorize'));
    const errorPage = new SandboxErrorPage(page);
    await errorPage.expectError('invalid_request');
    await expect(errorPage.alert).toContainText('is not registered for lab-notes-web-exact');
    expect(new URL(page.url()).pathname).toMatch(/\/sandbox\/authorize$/);
  });
});
