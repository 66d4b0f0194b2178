/**
 * WebKit for the cross-engine specs: WebKitGTK's MiniBrowser, driven through WebKitWebDriver on a
 * virtual display. Each Playwright worker starts its own driver (and, without a DISPLAY, its own Xvfb)
 * and stops them when it ends, so `npm test` needs nothing started beforehand.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';

export interface WebKitDriver {
  port: number;
  miniBrowser: string;
  stop(): Promise<void>;
}

/** Where Debian's libwebkit2gtk-4.1-0 installs the MiniBrowser (`dpkg -L libwebkit2gtk-4.1-0`). */
const MINI_BROWSER_PATHS = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
];

function findMiniBrowser(): string | undefined {
  return MINI_BROWSER_PATHS.find((path) => existsSync(path));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts Xvfb on a display it picks itself (`-displayfd`), resolving with the display name. */
async function startXvfb(): Promise<{display: string; process: ChildProcess}> {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000);
    xvfb.once('error', reject);
    xvfb.stdout.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(`:${chunk.toString().trim()}`);
    });
  });
  return {display, process: xvfb};
}

async function waitForDriver(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port} within 10 s`);
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
  });
}

export interface VirtualDisplay {
  /** The DISPLAY to start browsers on. */
  display: string;
  stop(): Promise<void>;
}

/** The current DISPLAY, or a new virtual one when there is none. */
export async function virtualDisplay(): Promise<VirtualDisplay> {
  if (process.env.DISPLAY) return {display: process.env.DISPLAY, stop: async () => undefined};
  const xvfb = await startXvfb();
  return {display: xvfb.display, stop: () => stopProcess(xvfb.process)};
}

/**
 * Starts WebKitWebDriver on a free port and display. One driver serves one session: a driver that has
 * run many sessions was seen to hang on the next one.
 */
export async function startWebKitDriver(display: string): Promise<WebKitDriver> {
  const miniBrowser = findMiniBrowser();
  if (!miniBrowser) throw new Error('No WebKitGTK MiniBrowser: sudo apt-get install -y webkit2gtk-driver xvfb xauth');
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], {
    stdio: 'ignore',
    env: {...process.env, DISPLAY: display},
  });
  try {
    await waitForDriver(port);
  } catch (error) {
    await stopProcess(driver);
    throw error;
  }
  return {port, miniBrowser, stop: () => stopProcess(driver)};
}
