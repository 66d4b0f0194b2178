// Measures what a reader's browser downloads to show a page of the production build:
// the JavaScript in the HTML (before hydration), everything loaded until the network is idle,
// and the Service Worker bundle, each raw and gzip-compressed.
//
//   npm run build && npx docusaurus serve --port 3230 --no-open &
//   node scripts/measure-pages.mjs http://localhost:3230 /flows/authorization-code-pkce /concepts/terminology
import {existsSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {chromium} from '@playwright/test';

const [origin, ...paths] = process.argv.slice(2);
if (!origin || paths.length === 0) {
  console.error('usage: node scripts/measure-pages.mjs <origin> <path> [<path> ...]');
  process.exit(2);
}

const browser = await chromium.launch({
  ...(existsSync('/usr/bin/chromium') ? {executablePath: '/usr/bin/chromium'} : {}),
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

for (const path of paths) {
  // A fresh context each time: nothing cached, no worker installed yet.
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    try {
      scripts.set(response.url(), await response.body());
    } catch {
      // A response without a body (a redirect) has nothing to count.
    }
  });
  const started = Date.now();
  await page.goto(new URL(path, origin).href, {waitUntil: 'networkidle'});
  const idleAfter = Date.now() - started;
  const inHtml = await page.$$eval('script[src]', (elements) => elements.map((element) => element.src));
  const sum = (urls) => {
    const bodies = urls.map((url) => scripts.get(url)).filter(Boolean);
    const raw = bodies.reduce((total, body) => total + body.length, 0);
    const gzip = bodies.reduce((total, body) => total + gzipSync(body, {level: 9}).length, 0);
    return `${kib(raw)} raw, ${kib(gzip)} gzip (${bodies.length} files)`;
  };
  const all = [...scripts.keys()];
  console.log(`${path}`);
  console.log(`  JS in the HTML:          ${sum(inHtml)}`);
  console.log(`  JS until network idle:   ${sum(all)} in ${idleAfter} ms`);
  await context.close();
}

await browser.close();
