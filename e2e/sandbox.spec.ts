import {randomBytes} from 'node:crypto';
import type {Page} from '@playwright/test';
import type {Catalog, CatalogClient} from '../src/sandbox/catalog';
import {expect, test} from './fixtures';
import {pkcePair, SandboxConsentPage, SandboxErrorPage, SandboxLoginPage, spaAuthorizeUrl} from './pages/sandbox';

/** Fetches JSON from the page, so the request goes through the page's Service Worker. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON it expects
async function fetchJsonFromPage<T>(
  page: Page,
  url: string,
  init?: {method: string; body: string},
): Promise<{status: number; body: T}> {
  return page.evaluate(
    async ({url, init}) => {
      const response = await fetch(
        url,
        init && {method: init.method, body: init.body, headers: {'content-type': 'application/x-www-form-urlencoded'}},
      );
      return {status: response.status, body: (await response.json()) as T};
    },
    {url, init},
  );
}

async function catalogFrom(page: Page, issuer: string): Promise<Catalog> {
  const {status, body} = await fetchJsonFromPage<Catalog>(page, `${issuer}/catalog`);
  expect(status).toBe(200);
  return body;
}

function spaClient(catalog: Catalog): CatalogClient {
  const client = catalog.clients.find((candidate) => candidate.guide_case === 'single-page-app');
  if (!client) throw new Error('the catalog has no client for the single-page-app case');
  return client;
}

/** Stops every Service Worker of the browser context, as the browser does to idle workers. */
async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({versions}) => {
      if (versions.length > 0 && versions.every((version) => version.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
}

/** The links of a sandbox page back to the guide and to the guide page that started the flow. */
async function expectBackLinks(page: Page, siteUrl: string, startedFrom: string): Promise<void> {
  const back = page.getByRole('navigation', {name: 'Back to the guide'});
  await expect(back.getByRole('link', {name: 'Back to the guide'})).toHaveAttribute('href', siteUrl);
  await expect(back.getByRole('link', {name: 'Back to the page that started this flow'})).toHaveAttribute(
    'href',
    startedFrom,
  );
}

function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const parts = jwt.split('.');
  expect(parts, 'a JWS in compact serialization has three parts').toHaveLength(3);
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

test.describe('the sandbox served by the Service Worker', () => {
  test('takes control of a fresh page without a reload', async ({sandboxPage, baseURL}) => {
    const page = await sandboxPage();
    const scriptURL = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(scriptURL).toBe(new URL('sandbox-sw.js', baseURL).href);
  });

  test('answers discovery fetched from the page with this origin and base URL as issuer', async ({
    sandboxPage,
    issuer,
  }) => {
    const page = await sandboxPage();
    const {status, body} = await fetchJsonFromPage<Record<string, unknown>>(
      page,
      `${issuer}/.well-known/openid-configuration`,
    );
    expect(status).toBe(200);
    // OpenID Connect Discovery 1.0 §4.3: the issuer must equal the URL discovery was fetched for.
    expect(body.issuer).toBe(issuer);
    expect(body.authorization_endpoint).toBe(`${issuer}/authorize`);
    expect(body.token_endpoint).toBe(`${issuer}/token`);
  });

  test('claims a page opened with a forced reload when the page asks', async ({sandboxPage}) => {
    const page = await sandboxPage();
    // A forced reload bypasses the worker, so the reloaded page starts uncontrolled.
    const cdp = await page.context().newCDPSession(page);
    await Promise.all([page.waitForEvent('load'), cdp.send('Page.reload', {ignoreCache: true})]);
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    // What sandboxReady() in src/lib/sandbox.ts sends in that case.
    await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.postMessage({type: 'sandbox:claim'}));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  });

  test('answers with X-Content-Type-Options: nosniff, and its HTML pages with Referrer-Policy: same-origin', async ({
    sandboxPage,
    issuer,
    baseURL,
  }) => {
    const page = await sandboxPage();
    const catalog = await catalogFrom(page, issuer);
    const authorize = new URL(`${issuer}/authorize`);
    authorize.search = new URLSearchParams({
      client_id: spaClient(catalog).client_id,
      response_type: 'code',
      redirect_uri: new URL('flows/authorization-code-pkce', baseURL).href,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    }).toString();
    const headers = await page.evaluate(
      async ({issuer, authorize}) => {
        const read = async (url: string) => {
          const response = await fetch(url);
          return {
            type: response.headers.get('content-type'),
            nosniff: response.headers.get('x-content-type-options'),
            referrer: response.headers.get('referrer-policy'),
          };
        };
        // JSON, and the sandbox's login page (the authorization request redirects there).
        return [await read(`${issuer}/catalog`), await read(authorize)];
      },
      {issuer, authorize: authorize.href},
    );
    expect(headers).toEqual([
      {type: expect.stringMatching(/^application\/json/), nosniff: 'nosniff', referrer: null},
      {type: expect.stringMatching(/^text\/html/), nosniff: 'nosniff', referrer: 'same-origin'},
    ]);
  });

  test('keeps its signing key in IndexedDB as a non-extractable CryptoKey, which any script of the site can still read and use', async ({
    sandboxPage,
    issuer,
  }) => {
    const page = await sandboxPage();
    // The first JWKS request makes the key.
    const kid = await page.evaluate(
      async (issuer) => ((await (await fetch(`${issuer}/jwks`)).json()) as {keys: {kid: string}[]}).keys[0].kid,
      issuer,
    );
    const seen = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('oauth-sandbox');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const entry = await new Promise<{
        value: {kid: string; privateKey: CryptoKey; publicJwk: JsonWebKey; privateJwk?: unknown};
      }>((resolve, reject) => {
        const get = db.transaction('entries').objectStore('entries').get('keys:signing');
        // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the entry as the worker stored it
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error);
      });
      db.close();
      const {privateKey} = entry.value;
      const exported = await crypto.subtle.exportKey('jwk', privateKey).then(
        () => 'exported',
        (error: unknown) => (error as Error).name,
      );
      // What the trust-model page says: the key cannot be read out, but it can be used.
      const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, new TextEncoder().encode('any data'));
      return {
        kid: entry.value.kid,
        isCryptoKey: privateKey instanceof CryptoKey,
        extractable: privateKey.extractable,
        exported,
        hasPrivateJwk: 'privateJwk' in entry.value,
        publicHasD: 'd' in entry.value.publicJwk,
        signed: signature.byteLength,
      };
    });
    expect(seen).toEqual({
      kid,
      isCryptoKey: true,
      extractable: false,
      exported: 'InvalidAccessError',
      hasPrivateJwk: false,
      publicHasD: false,
      signed: 256,
    });
  });

  test('leaves the rest of the site to the network', async ({sandboxPage, baseURL}) => {
    const page = await sandboxPage();
    const response = await page.goto(new URL('sitemap.xml', baseURL).href);
    expect(response?.status()).toBe(200);
    expect(response?.fromServiceWorker()).toBe(false);
  });

  test('runs an authorization code flow with PKCE, surviving the worker being stopped', async ({
    sandboxPage,
    issuer,
    axe,
  }) => {
    const page = await sandboxPage();
    const catalog = await catalogFrom(page, issuer);
    const client = spaClient(catalog);
    const user = catalog.users[0];
    const redirectUri = client.redirect_uris[0];
    const {verifier, challenge} = pkcePair();
    const state = randomBytes(16).toString('base64url');

    // The test plays the application at the redirect URI: it reads the response
    // itself instead of letting the page there consume the code.
    await page.route(
      (url) => url.href.startsWith(`${redirectUri}?`),
      (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><html lang="en"><title>Back at the app</title></html>',
        }),
    );

    const authorize = new URL(`${issuer}/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    await page.goto(authorize.href);

    const login = new SandboxLoginPage(page);
    await login.expectShown();
    await axe();
    await login.signInAs(user);

    const consent = new SandboxConsentPage(page);
    await consent.expectShown();
    await axe();
    // The login session and the pending request live in IndexedDB, not in the worker.
    await stopServiceWorkers(page);
    await consent.allow.click();

    await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
    const callback = new URL(page.url());
    expect(callback.searchParams.get('state')).toBe(state);
    // RFC 9207 §2: the authorization response names its issuer.
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    // The browser may stop an idle worker between the redirect and the token request.
    await stopServiceWorkers(page);
    const {status, body} = await fetchJsonFromPage<Record<string, unknown>>(page, `${issuer}/token`, {
      method: 'POST',
      // RFC 6749 §4.1.3 with RFC 7636 §4.5; a public client identifies itself with client_id.
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: redirectUri,
        client_id: client.client_id,
        code_verifier: verifier,
      }).toString(),
    });
    expect(status).toBe(200);
    expect(String(body.token_type).toLowerCase()).toBe('bearer');
    expect(typeof body.access_token).toBe('string');
    expect(decodeJwtPayload(body.access_token as string).iss).toBe(issuer);
    expect(decodeJwtPayload(body.id_token as string)).toMatchObject({iss: issuer, aud: client.client_id});
  });

  test("shows sign-in and consent in the reader's dark colour scheme, with links back to the guide", async ({
    sandboxPage,
    issuer,
    baseURL,
    axe,
  }) => {
    const page = await sandboxPage();
    const catalog = await catalogFrom(page, issuer);
    const client = spaClient(catalog);
    // The walkthrough on this page uses the page itself as its redirect URI.
    const startedFrom = new URL('concepts/refresh-tokens', baseURL).href;
    expect(client.redirect_uris).toContain(startedFrom);
    await page.emulateMedia({colorScheme: 'dark'});
    await page.goto(spaAuthorizeUrl(issuer, client, {redirect_uri: startedFrom}));

    const login = new SandboxLoginPage(page);
    await login.expectShown();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(13, 17, 23)');
    await expectBackLinks(page, baseURL!, startedFrom);
    await axe();
    await login.signInAs(catalog.users[0]);

    const consent = new SandboxConsentPage(page);
    await consent.expectShown();
    expect(await background()).toBe('rgb(13, 17, 23)');
    await expectBackLinks(page, baseURL!, startedFrom);
    await axe();
  });

  test("shows the device pages in the reader's dark colour scheme: enter the code, confirm, done (axe on each)", async ({
    sandboxPage,
    issuer,
    axe,
  }) => {
    const page = await sandboxPage();
    const catalog = await catalogFrom(page, issuer);
    // The TV's request (RFC 8628 §3.1), sent from the page as the device would send it.
    const device = await page.evaluate(async (url) => {
      const response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({client_id: 'tv-app', scope: 'openid'}),
      });
      return (await response.json()) as {user_code: string; verification_uri: string};
    }, `${issuer}/device_authorization`);
    await page.emulateMedia({colorScheme: 'dark'});
    await page.goto(device.verification_uri);
    await expect(page.getByRole('heading', {level: 1, name: 'Connect a device'})).toBeVisible();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
    await axe();
    // RFC 8628 §6.1: typed in lower case without its dash, the code still matches.
    await page.getByLabel('Code shown on your device').fill(device.user_code.replace('-', '').toLowerCase());
    await page.getByRole('button', {name: 'Continue'}).click();
    await new SandboxLoginPage(page).signInAs(catalog.users[0]);

    // RFC 8628 §5.4: the client and the code are named, and the user is asked whether they started this.
    await expect(page.getByRole('heading', {name: 'Did you start this on a device in front of you?'})).toBeVisible();
    await expect(page.getByRole('main')).toContainText(device.user_code);
    await axe();
    await page.getByRole('button', {name: 'Yes, I started it'}).click();
    await new SandboxConsentPage(page).expectShown();
    await page.getByRole('button', {name: 'Allow'}).click();
    await expect(page.getByRole('heading', {name: 'Your device is connected'})).toBeVisible();
    await axe();
  });

  test.describe('with an unknown client_id', () => {
    // The browser logs the HTTP 400 of the error page itself; that status is the point of the test.
    test.use({expectedConsoleErrors: [/status of 400/]});

    test('shows its own error page instead of redirecting', async ({sandboxPage, issuer, baseURL, axe}) => {
      const page = await sandboxPage();
      const redirectUri = new URL('/callback', issuer).href;
      const authorize = `${issuer}/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'no-such-client',
        redirect_uri: redirectUri,
        state: 'unused',
      })}`;
      const response = await page.goto(authorize);
      expect(response?.status()).toBe(400);
      // RFC 6749 §4.1.2.1: never redirect to an unverified redirect URI.
      expect(page.url()).toBe(authorize);
      await new SandboxErrorPage(page).expectError('invalid_request');
      await axe();
      // RFC 9700 §4.1: the unvalidated redirect URI is never offered as a link.
      const back = page.getByRole('navigation', {name: 'Back to the guide'}).getByRole('link');
      await expect(back).toHaveCount(1);
      await expect(back).toHaveAttribute('href', baseURL!);
      await page.emulateMedia({colorScheme: 'dark'});
      await axe();
    });
  });
});

test('an auto-submitting form on another site cannot reset the sandbox in the worker', async ({
  page,
  context,
  sandboxPage,
  issuer,
}) => {
  await sandboxPage();
  const kid = async () =>
    (await fetchJsonFromPage<{keys: Array<{kid: string}>}>(page, `${issuer}/jwks`)).body.keys[0].kid;
  const before = await kid();
  // Another site: the same server under another host name is another origin and another site.
  const attacker = await context.newPage();
  await attacker.goto(new URL('/', issuer.replace('//localhost', '//127.0.0.1')).href);
  await attacker.setContent(
    `<form method="post" action="${issuer}/reset" enctype="text/plain"><input name="x" value="1"></form>`,
  );
  const answered = attacker.waitForResponse(`${issuer}/reset`);
  await attacker.evaluate(() => document.forms[0].submit());
  const response = await answered;
  expect(response.status(), 'the worker refuses the cross-site reset').toBe(403);
  expect(await response.json()).toMatchObject({error: 'access_denied'});
  await attacker.close();
  expect(await kid(), 'the signing key survived').toBe(before);
});

test('an auto-submitting form on another site cannot sign the reader in with a leaked CSRF value in the worker', async ({
  page,
  sandboxPage,
  issuer,
}) => {
  await sandboxPage();
  const catalog = await catalogFrom(page, issuer);
  const client = spaClient(catalog);
  const [victim, attackerAccount] = catalog.users;
  const authorizeUrl = spaAuthorizeUrl(issuer, client, {scope: 'openid profile'});
  await page.goto(authorizeUrl);
  const login = new SandboxLoginPage(page);
  await login.expectShown();
  // Suppose the login form's action and CSRF value leaked to another site.
  const form = page.locator('form');
  const action = await form.getAttribute('action');
  const csrf = await form.locator('input[name="csrf"]').inputValue();
  expect(action).toMatch(/\/interaction\/[^/]+\/login$/);

  // Another site (the same server under another host name is another origin and another site) posts
  // the form with the attacker's credentials, sending neither a referrer nor an origin.
  const attacker = await page.context().newPage();
  await attacker.goto(new URL('/', issuer.replace('//localhost', '//127.0.0.1')).href);
  await attacker.setContent(
    `<meta name="referrer" content="no-referrer"><form method="post" action="${action}">
      <input name="csrf" value="${csrf}"><input name="username" value="${attackerAccount.username}"><input name="password" value="${attackerAccount.password}">
    </form>`,
  );
  const answered = attacker.waitForResponse((response) => response.url() === action);
  await attacker.evaluate(() => document.forms[0].submit());
  const response = await answered;
  expect(response.status(), 'the worker refuses the cross-site sign-in').toBe(400);
  await new SandboxErrorPage(attacker).expectError('the form was not sent by this sign-in page');
  await attacker.close();

  // Nobody was signed in: the reader's own sign-in still asks who they are, and works.
  await page.goto(authorizeUrl);
  await login.expectShown();
  await login.signInAs(victim);
  await new SandboxConsentPage(page).expectShown();
});

test('in the worker, sign-in pauses after too many wrong passwords, and stays paused when the worker restarts', async ({
  page,
  sandboxPage,
  issuer,
}) => {
  await sandboxPage();
  const catalog = await catalogFrom(page, issuer);
  const client = spaClient(catalog);
  const user = catalog.users[0];
  await page.goto(spaAuthorizeUrl(issuer, client));
  const login = new SandboxLoginPage(page);
  // RFC 6749 §10.10: five wrong passwords for one user within the window.
  for (let attempt = 0; attempt < 5; attempt++) {
    await login.signInAs({username: user.username, password: 'not-the-password'});
    await expect(login.error).toHaveText('Wrong username or password.');
  }
  // The count is in IndexedDB: a restarted worker still refuses, the right password too.
  await stopServiceWorkers(page);
  await login.signInAs(user);
  await expect(login.error).toHaveText(
    /^Too many wrong passwords\. For your safety, sign-in is paused: try again in \d+ minutes?\.$/,
  );
  await login.expectShown();
});

test.describe('concurrent requests in the worker', () => {
  // The refused refreshes (400) and the revoked tokens at the API (401) are the point of the test.
  test.use({expectedConsoleErrors: [/status of 40[01]/]});

  test('in the worker, two simultaneous refreshes with one token: the reuse is detected and the whole family revoked', async ({
    page,
    sandboxPage,
    issuer,
  }) => {
    await sandboxPage();
    const catalog = await catalogFrom(page, issuer);
    const client = catalog.clients.find((candidate) => candidate.guide_case === 'trusted-first-party')!;
    const user = catalog.users[0];
    const outcomes = await page.evaluate(
      async ({issuer, client, user, rounds}) => {
        const post = async (body: Record<string, string>) => {
          const response = await fetch(`${issuer}/token`, {
            method: 'POST',
            headers: {'content-type': 'application/x-www-form-urlencoded'},
            body: new URLSearchParams({...body, client_id: client.client_id, client_secret: client.client_secret!}),
          });
          return (await response.json()) as {access_token?: string; refresh_token?: string; error?: string};
        };
        const apiStatus = async (token: string) =>
          (await fetch(`${issuer}/api/calendar/events`, {headers: {authorization: `Bearer ${token}`}})).status;
        const results = [];
        for (let round = 0; round < rounds; round += 1) {
          const first = await post({
            grant_type: 'password',
            username: user.username,
            password: user.password,
            scope: 'openid offline_access calendar:read',
            resource: `${issuer}/api/calendar`,
          });
          const racing = await Promise.all(
            [1, 2].map(() => post({grant_type: 'refresh_token', refresh_token: first.refresh_token!})),
          );
          const winners = racing.filter((answer) => answer.access_token);
          results.push({
            errors: racing.filter((answer) => answer.error).map((answer) => answer.error),
            winnerApi: await Promise.all(winners.map((winner) => apiStatus(winner.access_token!))),
            winnerRefresh: await Promise.all(
              winners.map(
                async (winner) =>
                  (await post({grant_type: 'refresh_token', refresh_token: winner.refresh_token!})).error ?? 'ok',
              ),
            ),
          });
        }
        return results;
      },
      {issuer, client, user, rounds: 10},
    );
    for (const [round, outcome] of outcomes.entries()) {
      expect(outcome.errors.length, `round ${round}: the second use is refused`).toBeGreaterThanOrEqual(1);
      expect(outcome.errors.every((error) => error === 'invalid_grant')).toBe(true);
      expect(
        outcome.winnerApi.every((status) => status === 401),
        `round ${round}: the winner's access token is revoked`,
      ).toBe(true);
      expect(
        outcome.winnerRefresh.every((error) => error === 'invalid_grant'),
        `round ${round}: the winner's refresh token is revoked`,
      ).toBe(true);
    }
  });
});
