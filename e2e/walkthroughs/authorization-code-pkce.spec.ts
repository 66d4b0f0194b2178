import {expect, test} from '../fixtures';
import {signInAndConsent, SandboxConsentPage, SandboxLoginPage} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'authorization-code-pkce';

test.describe('the live Authorization Code flow with PKCE', () => {
  // Chromium reports the refused refresh token's HTTP 400 in the console; that refusal is the point of the last step.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('runs from PKCE values to a refused reused refresh token', async ({page, issuer, axe}) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);

    await walkthrough.run(1, 'Create PKCE values');
    await expect(walkthrough.result(1).getByText('code_verifier', {exact: true})).toBeVisible();
    await expect(walkthrough.result(1).getByRole('definition').first()).toContainText(/[A-Za-z0-9_-]{43}/);
    // The result just produced keeps the focus and stays in view.
    await expect(walkthrough.result(1)).toBeFocused();
    await expect(walkthrough.result(1)).toBeInViewport();

    await walkthrough.run(2, 'Fetch the discovery document');
    await expect(walkthrough.result(2).getByLabel('Endpoints from discovery')).toContainText(`${issuer}/token`);

    await walkthrough.run(3, 'Build the URL');
    const requestParameters = walkthrough.result(3).getByLabel('Authorization request parameters');
    await expect(requestParameters).toContainText('code_challenge_method');
    await expect(requestParameters).toContainText('S256');

    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await signInAndConsent(page, user);

    // Back on the page, the response validated, with the code gone from the address bar.
    await page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`));
    await walkthrough.waitForStep(4);
    expect(new URL(page.url()).search).toBe('');
    await expect(walkthrough.result(4).getByLabel('Callback parameters')).toContainText('iss');
    await expect(walkthrough.stepHeading(4)).toBeFocused();

    await walkthrough.run(5, 'Exchange the code');
    const tokenExchange = walkthrough.result(5).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(tokenExchange).toContainText('code_verifier');
    await expect(tokenExchange).toContainText('200');
    await expect(tokenExchange.getByRole('button', {name: 'Copy as curl'})).toBeVisible();
    await expect(tokenExchange.getByRole('button', {name: 'Copy as fetch'})).toBeVisible();

    await walkthrough.run(6, 'Fetch the keys and inspect');
    for (const token of ['ID token', 'Access token']) {
      const signature = walkthrough
        .result(6)
        .getByRole('region', {name: token})
        .getByRole('row', {name: /^Signature/});
      await expect(signature, `${token} signature`).toContainText('Passed', {timeout: 10_000});
    }
    const idTokenChecks = walkthrough.result(6).getByRole('region', {name: 'ID token'});
    await expect(idTokenChecks.getByRole('row', {name: /^Nonce/})).toContainText('Passed');
    await expect(idTokenChecks.getByRole('row', {name: /^Access token hash/})).toContainText('Passed');
    await expect(walkthrough.result(6).getByRole('cell', {name: 'Failed'})).toHaveCount(0);
    await expect(walkthrough.result(6).getByRole('region', {name: 'Refresh token'})).toContainText('Opaque token');

    await walkthrough.run(7, 'Call GET /events');
    await expect(walkthrough.result(7).getByText(/answered 200 with \d+ events/)).toBeVisible();
    const apiExchange = walkthrough.result(7).getByRole('region', {name: /HTTP exchange/});
    await expect(apiExchange).toContainText('/api/calendar/events');
    await expect(apiExchange).toContainText('"events"');

    await walkthrough.run(8, 'Refresh, then reuse the old one');
    const reuse = walkthrough.result(8).getByRole('note', {name: 'Reused refresh token'});
    await expect(reuse).toContainText('invalid_grant');
    await expect(reuse).toContainText('HTTP 400');
    await expect(walkthrough.status).toContainText('The walkthrough is complete');

    await axe();
  });
});

test.describe('a denied consent', () => {
  test('fails the sign-in step in place, says why in words and offers to start over', async ({page, issuer}) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.run(2, 'Fetch the discovery document');
    await walkthrough.run(3, 'Build the URL');
    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await new SandboxLoginPage(page).signInAs(user);
    const consent = new SandboxConsentPage(page);
    await consent.expectShown();
    await consent.deny.click();

    await page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`));
    await expect(walkthrough.alert).toContainText('Step 4 failed');
    await expect(walkthrough.alert).toContainText('consent was denied');
    await expect(walkthrough.alert).toContainText('access_denied');
    await expect(walkthrough.alert).toBeInViewport();
    await expect(walkthrough.stepHeading(4)).not.toContainText('(done)');
    expect(new URL(page.url()).search).toBe('');

    await walkthrough.alert.getByRole('button', {name: 'Start over'}).click();
    await expect(walkthrough.alert).toHaveCount(0);
    await expect(walkthrough.stepHeading(1)).not.toContainText('(done)');
  });
});
