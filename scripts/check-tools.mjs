// Runs first in `npm test`: finds the browsers and the command-line tools the tests need, fetches
// Playwright's Chromium where that download is reachable, or stops at once with the command to run.
//
// The end-to-end tests run in three engines: Chromium (Debian's chromium, or Playwright's build),
// Firefox (Debian's firefox-esr over WebDriver BiDi, or Playwright's build) and WebKit (WebKitGTK's
// MiniBrowser through WebKitWebDriver, on a virtual display from Xvfb when there is no DISPLAY).
import {existsSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {chromium, firefox} from '@playwright/test';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const SYSTEM_FIREFOX = '/usr/bin/firefox-esr';
const MINI_BROWSERS = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
];
/** Debian packages, by what is missing. */
const missing = new Set();

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'}).status === 0;
}

function hasPlaywrightBrowser(browserType) {
  try {
    return existsSync(browserType.executablePath());
  } catch {
    return false;
  }
}

if (!existsSync(SYSTEM_CHROMIUM) && !hasPlaywrightBrowser(chromium)) {
  console.log('No Chromium found: trying `npx playwright install chromium`…');
  const installed =
    spawnSync('npx', ['playwright', 'install', 'chromium'], {stdio: 'inherit', timeout: 300_000}).status === 0;
  if (!installed || !hasPlaywrightBrowser(chromium)) missing.add('chromium');
}
if (!existsSync(SYSTEM_FIREFOX) && !hasPlaywrightBrowser(firefox)) missing.add('firefox-esr');
if (!hasCommand('WebKitWebDriver') || !MINI_BROWSERS.some((path) => existsSync(path))) missing.add('webkit2gtk-driver');
// WebKit needs a display: the tests start Xvfb (with xauth) when none is set.
if (!process.env.DISPLAY && !hasCommand('Xvfb')) missing.add('xvfb').add('xauth');
// scripts/curl-code-flow.sh, run by the unit tests, needs both.
for (const command of ['curl', 'openssl']) if (!hasCommand(command)) missing.add(command);

if (missing.size > 0) {
  const packages = [...missing].join(' ');
  console.error(
    `The tests need: ${packages}. Install with:\n\n  sudo apt-get update && sudo apt-get install -y ${packages}\n`,
  );
  process.exit(1);
}
