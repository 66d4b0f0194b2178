import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'native-apps';

test.describe('the live native-app walkthrough', () => {
  // Chromium reports the refused refresh token's HTTP 400 in the console; that refusal is the point of the last step.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('signs in as the public native-app client with PKCE and no secret, then rotates the refresh token', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await expect(page.getByText('this page stands in for the loopback listener')).toBeVisible();

    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.run(2, 'Fetch the discovery document');
    await walkthrough.run(3, 'Build the URL');
    const request = walkthrough.result(3).getByLabel('Authorization request parameters');
    await expect(request).toContainText('native-app');
    await expect(request).toContainText('S256');

    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await signInAndConsent(page, user, {clientName: 'Acme Mobile'});
    await page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`));
    await walkthrough.waitForStep(4);

    await walkthrough.run(5, 'Exchange the code');
    const tokenRequest = walkthrough.result(5).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(tokenRequest.getByLabel('Form body')).toContainText('code_verifier');
    // A public client: no secret in the body, no Authorization header (RFC 8252 §8.5).
    await expect(tokenRequest.getByLabel('Form body')).not.toContainText('client_secret');
    await expect(tokenRequest.getByLabel('Request headers')).not.toContainText('authorization', {ignoreCase: true});

    await walkthrough.run(6, 'Fetch the keys and inspect');
    const signature = walkthrough
      .result(6)
      .getByRole('region', {name: 'Access token'})
      .getByRole('row', {name: /^Signature/});
    await expect(signature).toContainText('Passed', {timeout: 10_000});
    await expect(walkthrough.result(6).getByRole('cell', {name: 'Failed'})).toHaveCount(0);

    await walkthrough.run(7, 'Refresh, then reuse the old one');
    await expect(walkthrough.result(7).getByRole('note', {name: 'Reused refresh token'})).toContainText(
      'invalid_grant',
    );
    await axe();
  });
});
