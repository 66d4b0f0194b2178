// The JavaScript a first visit to a page downloads, for scripts/measure-pages.mjs and npm run bench.
import {gzipSync} from 'node:zlib';

/**
 * Opens `url` in a fresh context (nothing cached, no worker installed yet) and waits until the
 * network is idle. Returns every script body by URL, the scripts the HTML itself names, and how long
 * the page took to go idle.
 */
export async function pageScripts(browser, url) {
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
  await page.goto(url, {waitUntil: 'networkidle'});
  const idleAfter = Date.now() - started;
  const inHtml = await page.$$eval('script[src]', (elements) => elements.map((element) => element.src));
  await context.close();
  return {scripts, inHtml, idleAfter};
}

/** Total size of `bodies`, raw and gzip-compressed (level 9), in bytes. */
export function sizes(bodies) {
  return {
    raw: bodies.reduce((total, body) => total + body.length, 0),
    gzip: bodies.reduce((total, body) => total + gzipSync(body, {level: 9}).length, 0),
  };
}
