import {cliTest, expect, type NodeProcess} from './cli-fixtures';
import {SandboxConsentPage, SandboxLoginPage, signInAndConsent} from '../pages/sandbox';

// The native-app command line (src/flows/native-apps-cli.ts) against `npm run sandbox`, with the
// sign-in done in a real browser: the loopback redirect of RFC 8252 §7.3 end to end.

const test = cliTest('src/flows/native-apps-cli.ts', (issuer) => ['--issuer', issuer, '--no-open', '--timeout', '60']);

/** The authorization URL the CLI prints, and the loopback redirect URI in it. */
async function authorizationRequest(cli: NodeProcess, issuer: string) {
  const url = new URL(await cli.waitFor(/^\s+(http\S+\/authorize\?\S+)$/m));
  expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/authorize`);
  const redirectUri = url.searchParams.get('redirect_uri')!;
  // RFC 8252 §7.3 and §8.3: the loopback IP literal, on the port the OS gave the listener.
  expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  return {url, redirectUri};
}

test.describe('the native-app command line, against npm run sandbox', () => {
  test('signs in through the browser and the loopback listener, and prints who and what for', async ({
    page,
    sandbox,
    runCli,
    axe,
  }) => {
    const user = sandbox.catalog.users.find((candidate) => candidate.username === 'alice')!;
    const client = sandbox.catalog.clients.find((candidate) => candidate.client_id === 'native-app')!;
    const calendar = sandbox.catalog.apis.find((api) => api.id === 'calendar')!;
    const cli = runCli();
    const {url, redirectUri} = await authorizationRequest(cli, sandbox.issuer);
    expect(url.searchParams.get('resource')).toBe(calendar.identifier);

    await page.goto(url.href);
    await signInAndConsent(page, user, {clientName: client.client_name});

    // RFC 6749 §4.1.2: the browser lands on the CLI's listener, which tells the user to close the tab.
    await expect(page.getByRole('heading', {level: 1, name: 'Signed in'})).toBeVisible();
    expect(page.url().startsWith(`${redirectUri}?`)).toBe(true);
    await expect(page.getByText('You can close this tab')).toBeVisible();
    await axe();

    expect(await cli.exited, cli.text).toBe(0);
    expect(cli.text).toContain(`Signed in as ${user.name} (sub ${user.sub})`);
    const lines = cli.text.split('\n').map((line) => line.trim().replace(/ +/g, ' '));
    // An OpenID request's access token is for the API and for UserInfo (OpenID Connect Core §5.3).
    expect(lines).toContain(`audience: ${calendar.identifier} ${sandbox.issuer}/userinfo`);
    expect(lines).toContain('scope: openid profile offline_access calendar:read');
    expect(cli.text).toContain('Refresh token: received.');
  });

  test('prints access_denied and exits 1 when the user denies consent', async ({page, sandbox, runCli}) => {
    const user = sandbox.catalog.users.find((candidate) => candidate.username === 'bob')!;
    const cli = runCli();
    const {url, redirectUri} = await authorizationRequest(cli, sandbox.issuer);

    await page.goto(url.href);
    const login = new SandboxLoginPage(page);
    await login.expectShown();
    await login.signInAs(user);
    const consent = new SandboxConsentPage(page);
    await consent.expectShown();
    await consent.deny.click();

    // RFC 6749 §4.1.2.1: the error comes back to the listener, which says so and stops.
    await expect(page.getByRole('heading', {level: 1, name: 'Sign-in failed'})).toBeVisible();
    expect(page.url().startsWith(`${redirectUri}?`)).toBe(true);
    await expect(page.getByText('access_denied')).toBeVisible();

    expect(await cli.exited, cli.text).toBe(1);
    expect(cli.text).toContain('access_denied');
    expect(cli.text).not.toContain('Signed in as');
  });
});
