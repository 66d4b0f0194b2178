// Measures what a reader's browser downloads to show a page of the production build:
// the JavaScript in the HTML (before hydration), everything loaded until the network is idle,
// and the Service Worker bundle, each raw and gzip-compressed.
//
//   npm run build && npx docusaurus serve --port 3230 --no-open &
//   node scripts/measure-pages.mjs http://localhost:3230 /flows/authorization-code-pkce /concepts/terminology
import {existsSync} from 'node:fs';
import {chromium} from '@playwright/test';
import {pageScripts, sizes} from './page-scripts.mjs';

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
  const {scripts, inHtml, idleAfter} = await pageScripts(browser, new URL(path, origin).href);
  const sum = (urls) => {
    const bodies = urls.map((url) => scripts.get(url)).filter(Boolean);
    const {raw, gzip} = sizes(bodies);
    return `${kib(raw)} raw, ${kib(gzip)} gzip (${bodies.length} files)`;
  };
  console.log(`${path}`);
  console.log(`  JS in the HTML:          ${sum(inHtml)}`);
  console.log(`  JS until network idle:   ${sum([...scripts.keys()])} in ${idleAfter} ms`);
}

await browser.close();
