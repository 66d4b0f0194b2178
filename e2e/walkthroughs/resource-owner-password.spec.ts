import {expect, test} from '../fixtures';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'resource-owner-password';

test.describe('the live Resource Owner Password walkthrough', () => {
  // Chromium reports the refused password's HTTP 400 in the console; that refusal is shown on purpose.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test("refuses a wrong password with invalid_grant, then signs in through the app's form and calls the API", async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    await expect(page.getByRole('paragraph').filter({hasText: 'Avoid this flow.'})).toContainText(
      'the OAuth 2.1 draft leaves it out',
    );

    await walkthrough.run(1, 'Fetch the discovery document');

    // The app's own sign-in form, prefilled with a demo user and listing them all.
    const form = walkthrough.currentStep.getByRole('group', {name: 'Sign in to the app'});
    await expect(form.getByRole('textbox', {name: 'Username'})).toHaveValue(user.username);
    await expect(form.getByText(`${user.username} / ${user.password}`)).toBeVisible();
    const password = form.getByLabel('Password');

    // A wrong password: 400 invalid_grant (RFC 6749 §5.2), and the reader may try again.
    await password.fill(`${user.password}-wrong`);
    await password.press('Enter');
    await expect(walkthrough.alert.getByRole('definition').first()).toHaveText('invalid_grant');
    await expect(walkthrough.alert).toContainText('400');
    await expect(walkthrough.alert).toContainText('wrong username or password');
    await expect(walkthrough.alert.getByRole('button', {name: 'Try again'})).toBeVisible();
    await expect(walkthrough.alert.getByRole('button', {name: 'Start over'})).toHaveCount(0);

    await password.fill(user.password);
    await walkthrough.alert.getByRole('button', {name: 'Try again'}).click();
    await expect(walkthrough.stepHeading(2)).toContainText('(done)', {timeout: 20_000});
    await expect(walkthrough.alert).toHaveCount(0);
    // The backend sends the password and its own secret in the body (client_secret_post, RFC 6749 §4.3.2, §2.3.1).
    const body = walkthrough
      .result(2)
      .getByRole('region', {name: /HTTP exchange 1 of 1: POST/})
      .getByLabel('Form body');
    for (const field of ['password', 'username', 'client_secret']) await expect(body).toContainText(field);
    await expect(walkthrough.result(2)).toContainText('an ID token and a refresh token');

    await walkthrough.run(3, 'Fetch the keys and inspect');
    for (const token of ['ID token', 'Access token']) {
      const signature = walkthrough
        .result(3)
        .getByRole('region', {name: token})
        .getByRole('row', {name: /^Signature/});
      await expect(signature, `${token} signature`).toContainText('Passed', {timeout: 10_000});
    }
    await expect(walkthrough.result(3).getByRole('cell', {name: 'Failed'})).toHaveCount(0);

    await walkthrough.run(4, 'Call GET /events');
    await expect(walkthrough.result(4).getByText(/answered 200 with \d+ events/)).toBeVisible();
    await axe();
  });
});
