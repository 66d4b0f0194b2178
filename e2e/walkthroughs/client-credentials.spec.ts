import {expect, test} from '../fixtures';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'client-credentials';

test.describe('the live Client Credentials walkthrough', () => {
  // Chromium reports each refused token request's HTTP 401 in the console; those refusals are shown on purpose.
  test.use({expectedConsoleErrors: [/status of 401/]});

  test('is refused with invalid_client for the wrong method or secret, then gets a verified token and calls the API', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    await expect(page.getByRole('heading', {name: 'Why a client secret never belongs in a browser'})).toBeVisible();

    await walkthrough.run(1, 'Fetch the discovery document');
    await expect(walkthrough.result(1).getByLabel('Endpoints from discovery')).toContainText(`${issuer}/token`);

    // The job's settings: the method it is registered for, and its secret.
    const step = walkthrough.currentStep;
    const basic = step.getByRole('radio', {name: /client_secret_basic/});
    const post = step.getByRole('radio', {name: /client_secret_post/});
    const secret = step.getByRole('textbox', {name: 'Client secret'});
    await expect(basic).toBeChecked();
    await expect(step.getByText('m2m-cron is registered for')).toHaveText(
      'm2m-cron is registered for client_secret_basic.',
    );
    const rightSecret = await secret.inputValue();
    expect(rightSecret).not.toBe('');
    const refusedExchange = step.getByRole('region', {name: /HTTP exchange 1 of 1: POST/});

    // The right secret in the body: m2m-cron is registered for Basic (RFC 6749 §2.3, RFC 7591 §2).
    await post.check();
    await step.getByRole('button', {name: 'Request a token'}).click();
    await expect(walkthrough.alert).toContainText('invalid_client');
    await expect(walkthrough.alert).toContainText('401');
    await expect(walkthrough.alert).toContainText('not registered for');
    await expect(refusedExchange.getByLabel('Form body')).toContainText('client_secret');
    await expect(refusedExchange.getByLabel('Request headers')).not.toContainText('authorization', {ignoreCase: true});

    // A wrong secret with Basic: 401 invalid_client, the code read from the body behind the Basic challenge (RFC 6749 §5.2).
    await basic.check();
    await secret.fill(`${rightSecret}-wrong`);
    await walkthrough.alert.getByRole('button', {name: 'Try again'}).click();
    await expect(refusedExchange.getByLabel('Request headers')).toContainText('Basic');
    await expect(refusedExchange.getByLabel('Response headers')).toContainText(/www-authenticate\s*Basic realm=/i);
    await expect(walkthrough.alert.getByRole('definition').first()).toHaveText('invalid_client');
    await expect(walkthrough.alert).toContainText('401');

    // The registered method and the right secret.
    await secret.fill(rightSecret);
    await step.getByRole('button', {name: 'Request a token'}).click();
    await expect(walkthrough.stepHeading(2)).toContainText('(done)', {timeout: 20_000});
    await expect(walkthrough.alert).toHaveCount(0);
    const tokenExchange = walkthrough.result(2).getByRole('region', {name: /HTTP exchange 1 of 1: POST/});
    await expect(tokenExchange.getByLabel('Form body')).toContainText('client_credentials');
    await expect(tokenExchange.getByLabel('Form body')).toContainText('resource');
    await expect(tokenExchange.getByLabel('Form body')).not.toContainText('client_secret');
    await expect(tokenExchange.getByLabel('Request headers')).toContainText('Basic');
    await expect(tokenExchange).toContainText('200');
    // RFC 6749 §4.4.3: no refresh token; no user, so no ID token.
    await expect(walkthrough.result(2)).toContainText('No refresh token and no ID token');

    await walkthrough.run(3, 'Fetch the keys and inspect');
    const accessToken = walkthrough.result(3).getByRole('region', {name: 'Access token'});
    await expect(accessToken.getByRole('row', {name: /^Signature/})).toContainText('Passed', {timeout: 10_000});
    await expect(accessToken.getByRole('row', {name: /^Audience/})).toContainText('Passed');
    await expect(accessToken.getByRole('row', {name: /^Client/})).toContainText('Passed');
    await expect(walkthrough.result(3).getByRole('cell', {name: 'Failed'})).toHaveCount(0);
    await expect(walkthrough.result(3).getByRole('region', {name: 'ID token'})).toHaveCount(0);
    await expect(walkthrough.result(3).getByRole('region', {name: 'Refresh token'})).toHaveCount(0);

    await walkthrough.run(4, 'Call GET /events');
    await expect(walkthrough.result(4).getByText(/answered 200 with \d+ events/)).toBeVisible();
    await axe();
  });
});
