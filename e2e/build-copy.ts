/**
 * A copy of the production build on a server of its own, for a test that changes a file of the build (a
 * new worker version "deployed" mid-flow): the site under test keeps serving the build every other test
 * is reading, so the test can run beside them. Its origin differs, so its worker and storage do too.
 */
import {spawn} from 'node:child_process';
import {cp, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const sitePort = Number(process.env.E2E_PORT ?? 3210);
const port = Number(process.env.E2E_BUILD_COPY_PORT ?? sitePort + 200);
const basePath = withSlashes(process.env.BASE_URL ?? '/');

function withSlashes(path: string): string {
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

/** Where the copy is served: E2E_BUILD_COPY_PORT, or the site's port + 200. */
export const BUILD_COPY_BASE_URL = `http://localhost:${port}${basePath}`;

export interface BuildCopy {
  /** The copy's directory: change its files to deploy a new version. */
  directory: string;
  stop(): Promise<void>;
}

/** Copies `build/` and serves the copy with `docusaurus serve`, as the site under test is served; resolves once it answers. */
export async function serveBuildCopy(): Promise<BuildCopy> {
  const directory = await mkdtemp(join(tmpdir(), 'site-build-'));
  await cp(join(process.cwd(), 'build'), directory, {recursive: true});
  const server = spawn('npx', ['docusaurus', 'serve', '--dir', directory, '--port', String(port), '--no-open'], {
    stdio: 'ignore',
    detached: true,
  });
  const stop = async () => {
    if (server.exitCode === null && server.pid !== undefined) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    await rm(directory, {recursive: true, force: true});
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answered = await fetch(BUILD_COPY_BASE_URL).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return {directory, stop};
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`The copy of the build did not answer at ${BUILD_COPY_BASE_URL} within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
