import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {join} from 'node:path';
import type {Catalog} from '../../src/sandbox/catalog';
import {expect, test as base} from '../fixtures';
import {SandboxConsentPage, SandboxLoginPage, signInAndConsent} from '../pages/sandbox';

// The native-app command line (src/flows/native-apps-cli.ts) against `npm run sandbox`, with the
// sign-in done in a real browser: the loopback redirect of RFC 8252 §7.3 end to end.

const ROOT = join(__dirname, '..', '..');

/** A Node process running a TypeScript file, with its output collected as it comes. */
class NodeProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** Everything it printed so far, stdout and stderr. */
  get text(): string {
    return this.output;
  }

  /** Waits until its output matches `pattern` and returns the first group. */
  async waitFor(pattern: RegExp, timeout = 20_000): Promise<string> {
    await expect.poll(() => pattern.test(this.output), {message: `output matching ${pattern}`, timeout}).toBe(true);
    return pattern.exec(this.output)![1];
  }

  /** Stops it if it still runs, and waits for it to go. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
  }
}

/** Runs `file` with Node itself (not a wrapper such as npx), so the process killed is the one that listens. */
function runTypeScript(file: string, args: string[]): NodeProcess {
  return new NodeProcess(
    spawn(process.execPath, ['--import', 'tsx', join(ROOT, file), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

interface Fixtures {
  /** `npm run sandbox` on a free port: its issuer and its catalog. */
  sandbox: {issuer: string; catalog: Catalog};
  /** Starts the CLI with `--no-open` against the sandbox; stopped after the test whatever happens. */
  runCli: () => NodeProcess;
}

const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  sandbox: async ({}, use) => {
    const server = runTypeScript('src/sandbox/node.ts', ['--port', '0']);
    try {
      const issuer = await server.waitFor(/OAuth sandbox issuer:\s+(\S+)/);
      const catalog = (await (await fetch(`${issuer}/catalog`)).json()) as Catalog;
      await use({issuer, catalog});
    } finally {
      await server.stop();
    }
  },

  runCli: async ({sandbox}, use) => {
    const started: NodeProcess[] = [];
    try {
      await use(() => {
        const cli = runTypeScript('src/flows/native-apps-cli.ts', [
          '--issuer',
          sandbox.issuer,
          '--no-open',
          '--timeout',
          '60',
        ]);
        started.push(cli);
        return cli;
      });
    } finally {
      await Promise.all(started.map((cli) => cli.stop()));
    }
  },
});

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
