import type {Page} from '@playwright/test';
import {cliTest, expect, type NodeProcess} from './cli-fixtures';
import type {DemoUser} from '../pages/sandbox';

// The device command line (src/flows/device-authorization-cli.ts) against `npm run sandbox`: it prints
// the code and a QR code, polls, and the user approves on the sandbox's pages in a real browser.

const test = cliTest('src/flows/device-authorization-cli.ts', (issuer) => ['--issuer', issuer]);

/** The code and the QR code's URL the CLI prints (RFC 8628 §3.3). */
async function shownCode(cli: NodeProcess, issuer: string, qr = true): Promise<{userCode: string; complete: string}> {
  const userCode = await cli.waitFor(/enter the code:\n\s+([A-Z]{4}-[A-Z]{4})\n/);
  const complete = await cli.waitFor(/^\s+(http\S+\/device\?user_code=\S+)$/m);
  expect(complete).toBe(`${issuer}/device?user_code=${userCode}`);
  // The QR code, drawn with half blocks: lines of them between the code and the URL.
  const qrLines = cli.text.split('\n').filter((line) => /^[ █▀▄]{20,}$/.test(line)).length;
  if (qr) expect(qrLines).toBeGreaterThan(10);
  else expect(qrLines).toBe(0);
  return {userCode, complete};
}

/** On the phone: the page the QR code opens, the code filled in; continue and sign in. */
async function openAndSignIn(page: Page, url: string, userCode: string, user: DemoUser): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', {name: 'Connect a device'})).toBeVisible();
  await expect(page.getByRole('textbox', {name: 'Code shown on your device'})).toHaveValue(userCode);
  await page.getByRole('button', {name: 'Continue'}).click();
  await page.getByRole('textbox', {name: 'Username'}).fill(user.username);
  await page.getByRole('textbox', {name: 'Password'}).fill(user.password);
  await page.getByRole('button', {name: 'Sign in'}).click();
}

test.describe('the device command line, against npm run sandbox', () => {
  test('prints the code and a QR code, polls until the user approves, then the tokens and the API answer', async ({
    page,
    sandbox,
    runCli,
  }) => {
    const user = sandbox.catalog.users.find((candidate) => candidate.username === 'alice')!;
    const cli = runCli();
    const {userCode, complete} = await shownCode(cli, sandbox.issuer);
    await cli.waitFor(/^(Poll 1 at \d+ s: authorization_pending; next poll in 5 s)$/m);

    await openAndSignIn(page, complete, userCode, user);
    await page.getByRole('button', {name: 'Yes, I started it'}).click();
    await page.getByRole('button', {name: 'Allow'}).click();
    await expect(page.getByRole('heading', {name: 'Your device is connected'})).toBeVisible();

    expect(await cli.exited, cli.text).toBe(0);
    expect(cli.text).toMatch(/^Poll \d+ at \d+ s: tokens$/m);
    expect(cli.text).toContain(`Approved by ${user.name} (sub ${user.sub})`);
    expect(cli.text).toContain('Refresh token: received.');
    expect(cli.text).toMatch(/GET \S+\/events: 200/);
  });

  test('prints access_denied and exits 1 when the user says they did not start it', async ({page, sandbox, runCli}) => {
    const user = sandbox.catalog.users.find((candidate) => candidate.username === 'bob')!;
    const cli = runCli(['--no-qr']);
    const {userCode, complete} = await shownCode(cli, sandbox.issuer, false);
    await openAndSignIn(page, complete, userCode, user);
    await page.getByRole('button', {name: 'No, I did not start it'}).click();
    await expect(page.getByRole('heading', {name: 'Nothing was shared'})).toBeVisible();

    expect(await cli.exited, cli.text).toBe(1);
    expect(cli.text).toMatch(/^Poll \d+ at \d+ s: access_denied$/m);
    expect(cli.text).toContain('Error: access_denied');
  });
});
