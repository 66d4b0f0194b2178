import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'implicit-form-post';

test.describe('the live form-post walkthrough', () => {
  // The two attacks are refused with HTTP 400, which Chromium reports in the console.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('posts a verified, nonce-bound ID token to the app; a replay and an injected old token are refused', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    const browserUrls: string[] = [];
    page.on('request', (request) => browserUrls.push(request.url()));

    await walkthrough.run(1, 'Ask the app');
    await walkthrough.root.getByRole('button', {name: 'Sign in to the sign-in app'}).click();
    await signInAndConsent(page, user, {clientName: 'Acme Sign-In Widget'});
    await page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`));
    await walkthrough.waitForStep(2);
    await expect(walkthrough.result(2)).toContainText(`A session for ${user.name}`);
    await expect(walkthrough.result(2)).toContainText('No access token');

    await walkthrough.run(3, 'Show both channels');
    const front = walkthrough.result(3).getByRole('region', {name: 'Front channel'});
    const request = front.getByLabel('Authorization request parameters');
    await expect(request).toContainText('form_post');
    await expect(request.getByText('id_token', {exact: true})).toBeVisible();
    await expect(front).toContainText('in an auto-submitted form (POST)');
    const idToken = front.getByRole('region', {name: 'Posted ID token'});
    await expect(idToken.getByRole('row', {name: /^Signature/})).toContainText('Passed', {timeout: 10_000});
    await expect(idToken.getByRole('cell', {name: 'Failed'})).toHaveCount(0);
    // Form Post Response Mode §2: the response never travelled in a URL.
    for (const url of browserUrls) expect(url).not.toMatch(/[?&#](access_token|id_token)=/);

    await walkthrough.run(4, 'Post the same form again');
    const replay = walkthrough.result(4).getByRole('note', {name: 'Replayed response'});
    await expect(replay).toContainText('HTTP 400');
    await expect(replay).toContainText('No sign-in was started');

    await walkthrough.run(5, 'Start a sign-in and swap the ID token');
    const injected = walkthrough.result(5).getByRole('note', {name: 'Injected ID token'});
    await expect(injected).toContainText('HTTP 400');
    await expect(injected).toContainText('nonce');
    await axe();
  });
});
