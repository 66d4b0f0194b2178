// npm run bench: this site side by side with a plain Docusaurus classic docs page of the same version,
// built from the official template and served by the same compressing static server. It reports; CI
// does not run it. See "Measuring performance" in the README for how to read the table.
//
//   npm run bench -- [--runs 3] [--pages /,/flows/authorization-code-pkce] [--no-build] [--skip lighthouse,walkthroughs]
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {chromium} from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import {pageScripts, sizes} from '../page-scripts.mjs';
import {serveStatic} from './static-server.mjs';
import {driveWalkthrough} from './walkthrough-driver.mjs';

const {values} = parseArgs({
  options: {
    runs: {type: 'string', default: '3'},
    pages: {type: 'string'},
    'no-build': {type: 'boolean', default: false},
    skip: {type: 'string', default: ''},
  },
});
const RUNS = Number(values.runs);
const SKIP = new Set(values.skip.split(',').filter(Boolean));
const SITE_DIR = resolve(import.meta.dirname, '..', '..');
const DOCUSAURUS_VERSION = JSON.parse(
  readFileSync(join(SITE_DIR, 'node_modules/@docusaurus/core/package.json'), 'utf8'),
).version;
const PLAIN_DIR = join(tmpdir(), `oauth-flows-bench-docusaurus-${DOCUSAURUS_VERSION}`);
const PLAIN_PAGE = '/docs/intro';
const PLAIN_PORT = Number(process.env.BENCH_PLAIN_PORT ?? 3428);
const SITE_PORT = Number(process.env.BENCH_SITE_PORT ?? 3429);
const CHROME_PATH = process.env.CHROME_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const CHROME_FLAGS = [
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // Chromium refuses to start its sandbox as root (containers); Playwright passes the same flag itself.
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

function run(command, args, cwd) {
  const started = performance.now();
  const {status} = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {...process.env, FORCE_COLOR: '0'},
  });
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${status})`);
  return performance.now() - started;
}

const median = (numbers) => {
  const sorted = numbers.filter((n) => Number.isFinite(n)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : Number.NaN;
};
const ms = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : 'n/a');
const kib = (bytes) => `${(bytes / 1024).toFixed(1)}`;

/** The plain site, built once per Docusaurus version and kept in the temp folder between runs. */
function plainSite() {
  const project = join(PLAIN_DIR, 'plain');
  const build = join(project, 'build');
  if (existsSync(join(build, 'docs', 'intro.html')) || existsSync(join(build, 'docs', 'intro', 'index.html')))
    return {build, buildMs: undefined};
  console.log(`Creating the plain Docusaurus ${DOCUSAURUS_VERSION} classic site in ${PLAIN_DIR} (once)…`);
  rmSync(PLAIN_DIR, {recursive: true, force: true});
  mkdirSync(PLAIN_DIR, {recursive: true});
  run(
    'npx',
    ['--yes', `create-docusaurus@${DOCUSAURUS_VERSION}`, 'plain', 'classic', '--typescript', '--skip-install'],
    PLAIN_DIR,
  );
  run('npm', ['install', '--no-audit', '--no-fund'], project);
  const buildMs = run('npx', ['docusaurus', 'build'], project);
  return {build, buildMs};
}

/** This site's pages, from the built sitemap: home, flows, concepts (the search page is not a guide page). */
function sitePages() {
  if (values.pages) return values.pages.split(',');
  const sitemap = readFileSync(join(SITE_DIR, 'build', 'sitemap.xml'), 'utf8');
  return [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)]
    .map(([, loc]) => new URL(loc).pathname)
    .filter((path) => !path.startsWith('/search'));
}

/** JavaScript a first visit downloads, in the HTML and until the network is idle, raw and gzip. */
async function firstLoadJs(browser, url) {
  const {scripts} = await pageScripts(browser, url);
  return sizes([...scripts.values()]);
}

/** One Lighthouse mobile run (its defaults: Moto G Power, simulated 4× CPU and slow 4G) in a fresh Chromium. */
async function lighthouseRun(url) {
  const chrome = await chromeLauncher.launch({chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS});
  try {
    const {lhr} = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    const score = (id) => Math.round((lhr.categories[id].score ?? 0) * 100);
    const audit = (id) => lhr.audits[id].numericValue;
    return {
      perf: score('performance'),
      a11y: score('accessibility'),
      bp: score('best-practices'),
      seo: score('seo'),
      tbt: audit('total-blocking-time'),
      lcp: audit('largest-contentful-paint'),
      cls: audit('cumulative-layout-shift'),
    };
  } finally {
    await chrome.kill();
  }
}

/** The sandbox in the Service Worker: warm request latency, and cold (the first request after the worker is stopped). */
async function workerLatency(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {timeout: 30_000});
  const issuer = `${origin}/sandbox`;
  const timeFetch = (url) =>
    page.evaluate(async (target) => {
      const started = performance.now();
      const response = await fetch(target, {cache: 'no-store'});
      await response.arrayBuffer();
      return {ms: performance.now() - started, status: response.status};
    }, url);
  const discovery = `${issuer}/.well-known/openid-configuration`;
  const warm = {discovery: [], catalog: []};
  for (let i = 0; i < 20; i++) {
    warm.discovery.push((await timeFetch(discovery)).ms);
    warm.catalog.push((await timeFetch(`${issuer}/catalog`)).ms);
  }
  const cdp = await context.newCDPSession(page);
  const cold = [];
  for (let i = 0; i < 5; i++) {
    // Stops the worker as a browser does when it idles; the next request starts it again and reopens IndexedDB.
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    cold.push((await timeFetch(discovery)).ms);
  }
  await context.close();
  return {warmDiscovery: median(warm.discovery), warmCatalog: median(warm.catalog), coldDiscovery: median(cold)};
}

/** Click → result for the PKCE walkthrough's in-browser steps (no navigation), as a reader clicks them. */
async function stepLatency(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/flows/authorization-code-pkce`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {timeout: 30_000});
  await page.getByRole('heading', {level: 2, name: 'Try it live'}).scrollIntoViewIfNeeded();
  const root = page.getByRole('region', {name: 'Authorization Code flow with PKCE'});
  const results = {};
  for (const [number, action] of [
    [1, 'Create PKCE values'],
    [2, 'Fetch the discovery document'],
    [3, 'Build the URL'],
  ]) {
    const button = root.getByRole('button', {name: action, exact: true});
    await button.waitFor({state: 'visible', timeout: 30_000});
    await page.waitForFunction((element) => !element.disabled, await button.elementHandle(), {timeout: 30_000});
    // Timed in the page: from the click event to the step's heading saying "(done)", so Playwright's own
    // round trips do not count.
    const measured = page.evaluate(
      (step) =>
        new Promise((resolveTime) => {
          let clickedAt;
          document.addEventListener('click', () => (clickedAt = performance.now()), {capture: true, once: true});
          const isDone = () =>
            [...document.querySelectorAll('h3')].some(
              (heading) => heading.textContent.startsWith(`Step ${step}.`) && heading.textContent.includes('(done)'),
            );
          const observer = new MutationObserver(() => {
            if (clickedAt !== undefined && isDone()) {
              observer.disconnect();
              resolveTime(performance.now() - clickedAt);
            }
          });
          observer.observe(document.body, {subtree: true, childList: true, characterData: true});
        }),
      number,
    );
    await button.click();
    results[action] = await measured;
  }
  await context.close();
  return results;
}

/** Each walkthrough's Playwright spec (the e2e page objects, sign-in and consent included) against the served build. */
async function walkthroughTimes() {
  // Asynchronous on purpose: this process also serves the build the tests open (SITE_PORT), and a
  // synchronous child would block that server, so Playwright would wait for it forever.
  const child = spawn(
    'npx',
    ['playwright', 'test', 'e2e/walkthroughs', '--project=chromium', '--workers=1', '--reporter=json'],
    {
      cwd: SITE_DIR,
      env: {...process.env, E2E_PORT: String(SITE_PORT)},
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  const status = await new Promise((resolveExit) => child.on('close', resolveExit));
  const stdout = Buffer.concat(chunks);
  let report;
  try {
    report = JSON.parse(stdout.toString());
  } catch {
    // Playwright stopped before writing its report (killed, or no browser): nothing to time.
    return {rows: [], ok: false};
  }
  const rows = [];
  const visit = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const result = test.results.at(-1);
        const annotation = [...(test.annotations ?? []), ...(result?.annotations ?? [])].find(
          (a) => a.type === 'walkthrough duration',
        );
        rows.push({
          file: file ?? suite.file,
          title: spec.title,
          status: result?.status,
          ms: result?.duration,
          walkthrough: annotation?.description,
        });
      }
    }
    for (const child of suite.suites ?? []) visit(child, file ?? suite.file);
  };
  for (const suite of report.suites) visit(suite);
  return {rows, ok: status === 0};
}

function table(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) => cells.map((cell, column) => String(cell).padEnd(widths[column])).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------

const plain = plainSite();
let siteBuildMs;
if (!values['no-build']) {
  console.log('Building this site…');
  siteBuildMs = run('npm', ['run', 'build', '--silent'], SITE_DIR);
}
const plainServer = await serveStatic(plain.build, PLAIN_PORT);
const siteServer = await serveStatic(join(SITE_DIR, 'build'), SITE_PORT);
const plainOrigin = `http://localhost:${PLAIN_PORT}`;
const siteOrigin = `http://localhost:${SITE_PORT}`;
const targets = [
  {label: `plain Docusaurus ${PLAIN_PAGE}`, url: `${plainOrigin}${PLAIN_PAGE}`},
  ...sitePages().map((path) => ({label: path, url: `${siteOrigin}${path}`})),
];

const browser = await chromium.launch({
  executablePath: CHROME_PATH,
  args: CHROME_FLAGS.filter((flag) => !flag.startsWith('--headless')),
});
try {
  console.log('\nFirst-load JavaScript (every script until the network is idle, fresh browser context)');
  const js = new Map();
  for (const target of targets) js.set(target.url, await firstLoadJs(browser, target.url));
  const plainGzip = js.get(targets[0].url).gzip;
  console.log(
    table(
      ['page', 'raw KiB', 'gzip KiB', '× plain (budget ≤ 1.1)'],
      targets.map((target) => {
        const {raw, gzip} = js.get(target.url);
        return [target.label, kib(raw), kib(gzip), (gzip / plainGzip).toFixed(2)];
      }),
    ),
  );

  if (!SKIP.has('lighthouse')) {
    console.log(
      `\nLighthouse 12 mobile, median of ${RUNS} interleaved runs (budgets: perf ≥ plain and ≥ 90, TBT ≤ plain, CLS < 0.05, the rest 100)`,
    );
    const runs = new Map(targets.map((target) => [target.url, []]));
    for (let round = 0; round < RUNS; round++) {
      for (const target of targets) {
        console.log(`  run ${round + 1}/${RUNS}: ${target.label}`);
        runs.get(target.url).push(await lighthouseRun(target.url));
      }
    }
    const plainRuns = runs.get(targets[0].url);
    console.log(
      table(
        ['page', 'perf', 'a11y', 'best pr.', 'SEO', 'TBT', 'LCP', 'CLS', 'TBT runs', 'vs plain'],
        targets.map((target) => {
          const results = runs.get(target.url);
          const m = (key) => median(results.map((result) => result[key]));
          const verdict =
            target === targets[0]
              ? ''
              : m('perf') >= median(plainRuns.map((r) => r.perf)) &&
                  m('perf') >= 90 &&
                  m('tbt') <= median(plainRuns.map((r) => r.tbt)) &&
                  m('cls') < 0.05 &&
                  m('a11y') === 100 &&
                  m('bp') === 100 &&
                  m('seo') === 100
                ? 'within budget'
                : 'OVER';
          return [
            target.label,
            m('perf'),
            m('a11y'),
            m('bp'),
            m('seo'),
            ms(m('tbt')),
            ms(m('lcp')),
            m('cls').toFixed(3),
            results.map((r) => Math.round(r.tbt)).join('/'),
            verdict,
          ];
        }),
      ),
    );
  }

  if (!SKIP.has('sandbox')) {
    console.log(
      '\nSandbox request latency (median of warm requests; cold = the first request of a fresh process or a stopped worker)',
    );
    const {stdout, status} = spawnSync('npx', ['tsx', join(SITE_DIR, 'scripts/bench/sandbox-latency.ts')], {
      cwd: SITE_DIR,
    });
    const rows = [];
    if (status === 0) {
      for (const [transport, requests] of Object.entries(JSON.parse(stdout.toString()))) {
        for (const [request, timing] of Object.entries(requests))
          rows.push([transport, request, ms(timing.median), ms(timing.p95), ms(timing.cold)]);
      }
    } else {
      rows.push(['Node', 'failed', '', '', '']);
    }
    const worker = await workerLatency(browser, siteOrigin);
    rows.push([
      'Service Worker (Chromium)',
      'discovery',
      ms(worker.warmDiscovery),
      '',
      `${ms(worker.coldDiscovery)} (worker stopped, median of 5)`,
    ]);
    rows.push(['Service Worker (Chromium)', 'catalog', ms(worker.warmCatalog), '', '']);
    console.log(table(['transport', 'request', 'warm median', 'warm p95', 'cold'], rows));
    const steps = await stepLatency(browser, siteOrigin);
    console.log('\nClick → result, in-browser steps of the PKCE walkthrough (budget < 100 ms)');
    console.log(
      table(
        ['step', 'click → result'],
        Object.entries(steps).map(([step, time]) => [step, ms(time)]),
      ),
    );
  }

  if (!SKIP.has('walkthroughs')) {
    const driven = [];
    // A flow or concept page's walkthrough, and each security lab twice: its defence off, then on.
    const targets = sitePages().flatMap((page) => {
      if (page.includes('/flows/') || page.includes('/concepts/')) return [{path: page, label: page}];
      if (page.includes('/security/'))
        return ['Off', 'On'].map((defence) => ({
          path: page,
          label: `${page} (defence ${defence.toLowerCase()})`,
          defence,
        }));
      return [];
    });
    for (const {path, label, defence} of targets) {
      const runs = [];
      for (let run = 0; run < RUNS; run++) {
        const outcome = await driveWalkthrough(browser, siteOrigin, path, {defence});
        if (outcome === undefined) break;
        runs.push(outcome);
      }
      if (runs.length === 0) continue;
      const times = runs.filter((run) => run.ms !== undefined).map((run) => run.ms);
      const failed = runs.find((run) => run.error);
      driven.push([
        label,
        times.length ? ms(median(times)) : 'n/a',
        times.map((t) => Math.round(t)).join('/'),
        failed ? failed.error : times.length && median(times) < 3_000 ? 'within budget' : 'OVER',
      ]);
    }
    console.log(
      '\nWalkthroughs driven: every step clicked as soon as it is enabled, sign-in and consent included, median of --runs; a lab one run at a time (budget < 3 s)',
    );
    console.log(table(['page', 'first click → complete', 'runs', '< 3 s'], driven));
    console.log(
      '\nWalkthrough specs (e2e/walkthroughs), for reference: "walkthrough alone" is a test\'s first click to its last step done, with the test\'s checks between steps (axe scans included) and, for a lab, both runs; the 3 s budget is held by the driven table above',
    );
    const {rows, ok} = await walkthroughTimes();
    console.log(
      table(
        ['spec', 'test', 'status', 'test time', 'walkthrough alone'],
        rows.map((row) => [row.file, row.title, row.status, ms(row.ms), row.walkthrough ?? '']),
      ),
    );
    if (!ok) console.log('Some walkthrough specs failed: their times are not comparable.');
  }

  console.log('\nBuild time');
  console.log(
    table(
      ['site', 'build'],
      [
        ['this site (npm run build)', siteBuildMs === undefined ? 'skipped (--no-build)' : ms(siteBuildMs)],
        [`plain Docusaurus ${DOCUSAURUS_VERSION}`, plain.buildMs === undefined ? 'cached' : ms(plain.buildMs)],
      ],
    ),
  );
} finally {
  await browser.close();
  plainServer.close();
  siteServer.close();
}
