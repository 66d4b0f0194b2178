/**
 * The command-line flows (src/flows/*-cli.ts) as their users run them: a Node process against
 * `npm run sandbox`, its output read as it comes. Each CLI spec gets the sandbox and a way to start its CLI.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {join} from 'node:path';
import type {Catalog} from '../../src/sandbox/catalog';
import {expect, test as base} from '../fixtures';

const ROOT = join(__dirname, '..', '..');

/** A Node process running a TypeScript file, with its output collected as it comes. */
export class NodeProcess {
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
export function runTypeScript(file: string, args: string[]): NodeProcess {
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
  /** Starts the CLI against the sandbox; stopped after the test whatever happens. */
  runCli: (extra?: string[]) => NodeProcess;
}

/** The test of the CLI in `file`, started with `args(issuer)` and any extra arguments a test adds. */
export function cliTest(file: string, args: (issuer: string) => string[]) {
  return base.extend<Fixtures>({
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
        await use((extra = []) => {
          const cli = runTypeScript(file, [...args(sandbox.issuer), ...extra]);
          started.push(cli);
          return cli;
        });
      } finally {
        await Promise.all(started.map((cli) => cli.stop()));
      }
    },
  });
}

export {expect};
