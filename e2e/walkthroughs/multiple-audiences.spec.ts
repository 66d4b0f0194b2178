import {expect, test} from '../fixtures';
import {signInAndConsent, SandboxConsentPage, SandboxLoginPage} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'multiple-audiences';

test.describe('the live several-APIs walkthrough', () => {
  // Chromium reports the contacts API's HTTP 401 in the console; that refusal is the point of step 7.
  test.use({expectedConsoleErrors: [/status of 401/]});

  test('a calendar token is refused by the contacts API; a second round, without a login, gets one it accepts', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    const calendar = `${issuer}/api/calendar`;
    const contacts = `${issuer}/api/contacts`;

    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.run(2, 'Fetch the discovery document');
    await walkthrough.run(3, 'Build the URL');
    const firstRequest = walkthrough.result(3).getByLabel('Authorization request parameters');
    await expect(firstRequest).toContainText(calendar);
    await expect(firstRequest).toContainText('calendar:read');
    await expect(firstRequest).not.toContainText('contacts');

    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await signInAndConsent(page, user);
    await page.waitForURL((url) => url.pathname.endsWith(`/concepts/${SLUG}`));
    await walkthrough.waitForStep(4);
    await walkthrough.run(5, 'Exchange the code');

    await walkthrough.run(6, 'Call GET /events');
    await expect(walkthrough.result(6).getByText(/Calendar API answered 200 with \d+ events/)).toBeVisible();

    // The same token at the other API: RFC 6750 §3.1 invalid_token, because its aud is the calendar's.
    await walkthrough.run(7, 'Call GET /people');
    const refusal = walkthrough.result(7).getByRole('note', {name: 'API refusal'});
    await expect(refusal).toContainText('HTTP 401');
    await expect(refusal).toContainText('WWW-Authenticate: Bearer');
    await expect(refusal).toContainText('error="invalid_token"');
    await expect(walkthrough.result(7).getByLabel('WWW-Authenticate challenge')).toContainText('invalid_token');
    const explanation = walkthrough.result(7).getByText(/The token's aud is/);
    await expect(explanation).toContainText(`${calendar} (the Calendar API's identifier)`);
    // The flow asks for openid too, so the token also names UserInfo (OpenID Connect Core §5.3).
    await expect(explanation).toContainText('/userinfo (the UserInfo endpoint, because the request asked for openid)');
    await expect(explanation).toContainText(
      `accepts only tokens whose aud includes its own identifier, ${contacts} (RFC 9068 §4)`,
    );
    const apiExchange = walkthrough.result(7).getByRole('region', {name: /HTTP exchange 1 of 1: GET/});
    await expect(apiExchange).toContainText('/api/contacts/people');
    await expect(apiExchange).toContainText('401');

    await walkthrough.run(8, 'Start a new authorization');
    const secondRequest = walkthrough.result(8).getByLabel('Authorization request parameters');
    await expect(secondRequest).toContainText(contacts);
    await expect(secondRequest).toContainText('contacts:read');
    await expect(secondRequest).not.toContainText('calendar');

    // Single sign-on: after the click, the next page is the consent page for the new scope, never the login page.
    await expect(walkthrough.currentStep).toContainText('Expect no login page');
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });
    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    const consent = new SandboxConsentPage(page);
    await consent.expectShown();
    await expect(new SandboxLoginPage(page).heading).toHaveCount(0);
    expect(
      visited.filter((path) => path.endsWith('/login')),
      'pages visited since the click',
    ).toEqual([]);
    expect(await consent.scopes()).toContain('contacts:read');
    expect(await consent.scopes()).not.toContain('calendar:read');
    await consent.allow.click();
    await page.waitForURL((url) => url.pathname.endsWith(`/concepts/${SLUG}`));
    await walkthrough.waitForStep(9);
    expect(visited.filter((path) => path.endsWith('/login'))).toEqual([]);

    await walkthrough.run(10, 'Exchange the code');
    await expect(walkthrough.result(10)).toContainText('contacts:read');

    await walkthrough.run(11, 'Call GET /people');
    await expect(walkthrough.result(11).getByText(/Contacts API answered 200 with \d+ people/)).toBeVisible();
    await expect(walkthrough.result(11).getByRole('region', {name: /HTTP exchange/})).toContainText('"people"');
    await expect(walkthrough.status).toContainText('The walkthrough is complete');

    await axe();
  });
});
