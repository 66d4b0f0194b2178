// Runs first in `npm test`: finds the browser and the command-line tools the tests need, fetches
// Playwright's Chromium where that download is reachable, or stops at once with the command to run.
import {existsSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {chromium} from '@playwright/test';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const missing = [];

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'}).status === 0;
}

function hasPlaywrightChromium() {
  try {
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

if (!existsSync(SYSTEM_CHROMIUM) && !hasPlaywrightChromium()) {
  console.log('No Chromium found: trying `npx playwright install chromium`…');
  const installed = spawnSync('npx', ['playwright', 'install', 'chromium'], {stdio: 'inherit', timeout: 300_000}).status === 0;
  if (!installed || !hasPlaywrightChromium()) missing.push('chromium');
}
// scripts/curl-code-flow.sh, run by the unit tests, needs both.
for (const command of ['curl', 'openssl']) if (!hasCommand(command)) missing.push(command);

if (missing.length > 0) {
  console.error(`The tests need: ${missing.join(', ')}. Install with:\n\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n`);
  process.exit(1);
}
