import {existsSync} from 'node:fs';
import {defineConfig, devices} from '@playwright/test';
import {TEST_PROVIDER} from './e2e/providers/test-provider';

// The end-to-end tests run against the production build (`npm run build`),
// served the way a static host would serve it.
// E2E_PORT lets two checkouts on one machine test side by side.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const basePath = withSlashes(process.env.BASE_URL ?? '/');
const baseURL = `http://localhost:${PORT}${basePath}`;

// Debian's Chromium when present; otherwise the browser `npx playwright install` provides.
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const executablePath = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;

function withSlashes(path: string): string {
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

const browser = {
  ...devices['Desktop Chrome'],
  // The full Chromium binary runs headless in its new headless mode only.
  channel: executablePath ? 'chromium' : undefined,
  launchOptions: {
    executablePath,
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  },
};

// Firefox: Debian's firefox-esr, driven by Playwright over WebDriver BiDi; else Playwright's own build.
const SYSTEM_FIREFOX = '/usr/bin/firefox-esr';
const firefox = existsSync(SYSTEM_FIREFOX)
  ? {browserName: 'firefox' as const, channel: 'moz-firefox', launchOptions: {executablePath: SYSTEM_FIREFOX}}
  : {browserName: 'firefox' as const};

/** The specs every engine runs: each walkthrough to its end, the worker's own behaviour, no-worker browsers. */
const CROSS_ENGINE = 'engines/**/*.spec.ts';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: true,
  // Flaky tests get fixed, not retried.
  retries: 0,
  workers: 2,
  // A full walkthrough (sign-in, consent, up to thirteen steps, axe) on two busy cores: about 20 s alone, twice that under load.
  timeout: 120_000,
  reporter: 'list',
  use: {
    baseURL,
    // A trace snapshots the whole page at every call; recording one for every test cost more time than
    // many of the tests themselves. To debug a failure, run it again with `--trace on`.
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: browser,
      testIgnore: CROSS_ENGINE,
    },
    {
      // Firefox reads every walkthrough as a phone would, 360 px wide, in dark mode; each run ends with
      // no sideways scrolling (engines/walkthroughs.spec.ts). Chromium reads them at 1280 px in light mode.
      name: 'firefox',
      use: {
        ...firefox,
        viewport: {width: 360, height: 800},
        colorScheme: 'dark',
        // Over WebDriver BiDi the colour scheme is not emulated: Firefox's own setting asks pages for dark (0).
        launchOptions: {
          ...firefox.launchOptions,
          firefoxUserPrefs: {'layout.css.prefers-color-scheme.content-override': 0},
        },
      },
      testMatch: CROSS_ENGINE,
    },
    {
      // WebKitGTK's MiniBrowser through WebKitWebDriver (e2e/engines/webkit.ts).
      name: 'webkit',
      use: {browserName: 'webkit'},
      testMatch: CROSS_ENGINE,
    },
  ],
  webServer: [
    {
      command: `npx docusaurus serve --port ${PORT} --no-open`,
      url: baseURL,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // A real OpenID provider for e2e/walkthroughs/own-provider.spec.ts and e2e/explorer-provider.spec.ts,
      // with the PKCE page and the explorer's page as its clients' redirect URIs.
      command: `node e2e/providers/oidc-provider.mjs --port ${TEST_PROVIDER.port} --redirect-uri ${TEST_PROVIDER.redirectUri} --redirect-uri ${TEST_PROVIDER.explorerRedirectUri}`,
      url: `${TEST_PROVIDER.issuer}/.well-known/openid-configuration`,
      // Ready when it says so (after answering its own discovery request), or when the URL answers,
      // whichever comes first; its line goes to the log, so a start that fails says why.
      wait: {stdout: /^oidc-provider: ready/m},
      stdout: 'pipe',
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
