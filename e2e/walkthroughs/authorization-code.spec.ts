import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'authorization-code';
const JWT = /eyJ[\w-]+\.eyJ[\w-]+/;

// A denied consent: the app's access_denied fails the sign-in step in its headless run
// (src/walkthroughs/headless/flows.test.ts); how a page shows a failed sign-in, in words and with Start over,
// is e2e/walkthroughs/authorization-code-pkce.spec.ts's.
test.describe('the live web-app walkthrough', () => {
  test('signs in through the web app; the browser carries a code, the server holds the tokens and calls the API', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    const browserUrls: string[] = [];
    page.on('request', (request) => browserUrls.push(request.url()));

    await walkthrough.run(1, 'Ask the app');
    await walkthrough.root.getByRole('button', {name: 'Sign in to the web app'}).click();
    await signInAndConsent(page, user, {clientName: 'Acme Web Portal'});
    await page.waitForURL((url) => url.pathname.endsWith(`/flows/${SLUG}`));
    await walkthrough.waitForStep(2);
    await expect(walkthrough.result(2)).toContainText(`A session for ${user.name}`);

    await walkthrough.run(3, 'Show both channels');
    const front = walkthrough.result(3).getByRole('region', {name: 'Front channel'});
    const carried = front.getByLabel('Authorization response parameters');
    for (const name of ['code', 'state', 'iss']) await expect(carried.getByText(name, {exact: true})).toBeVisible();
    await expect(front).toContainText('No token crossed the browser');
    const back = walkthrough.result(3).getByRole('region', {name: 'Back channel'});
    const tokenRequest = back.getByRole('region', {name: /POST \/sandbox\/token$/});
    // RFC 6749 §2.3.1: the secret in a Basic header; RFC 7636: the verifier too.
    await expect(tokenRequest.getByLabel('Request headers')).toContainText(/Basic /);
    await expect(tokenRequest.getByLabel('Form body')).toContainText('code_verifier');
    await expect(tokenRequest).toContainText('200');
    await expect(tokenRequest).toContainText(/<access token kept on the server: \d+ characters>/);
    await expect(back).toContainText('kept on the server');

    await walkthrough.run(4, "Open the app's calendar page");
    await expect(walkthrough.result(4)).toContainText("The calendar API answered the app's server 200");
    const serverCall = walkthrough.result(4).getByRole('region', {name: /The server's call to the API/});
    await expect(serverCall.getByLabel('Request headers')).toContainText(
      /Bearer <access token kept on the server: \d+ characters>/,
    );
    await expect(walkthrough.status).toContainText('The walkthrough is complete');

    // RFC 6749 §4.1, §10.3: no token in any URL the browser loaded, in its storage, or on the page.
    for (const url of browserUrls) expect(url).not.toMatch(/[?&#](access_token|id_token|refresh_token)=/);
    const storage = await page.evaluate(() =>
      JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]),
    );
    expect(storage).not.toMatch(JWT);
    expect(await page.content()).not.toMatch(JWT);
    await axe();
  });
});
