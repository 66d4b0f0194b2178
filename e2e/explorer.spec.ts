import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {join} from 'node:path';
import {expect, test} from './fixtures';
import {EndpointExplorer} from './pages/explorer';
import {SandboxConsentPage, SandboxLoginPage} from './pages/sandbox';
import {WalkthroughSection} from './pages/walkthrough';
import type {OpenApiDocument} from '../src/sandbox/openapi';
import type {Catalog} from '../src/sandbox/catalog';

/** The statuses the description documents for an operation. */
function documented(document: OpenApiDocument, method: 'get' | 'post', path: string): number[] {
  return Object.keys(document.paths[path]?.[method]?.responses ?? {}).map(Number);
}

test.describe('the endpoint explorer', () => {
  // Chromium reports each refused request's status in the console; the explorer shows those refusals on purpose.
  test.use({expectedConsoleErrors: [/status of 401/]});

  test('gets a client credentials token, verifies it, and reuses it to call the API; without a token the API challenges', async ({
    page,
    issuer,
    axe,
  }) => {
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^POST \/token:/, 'client_credentials');
    await expect(explorer.client).toHaveValue('m2m-cron');
    await expect(explorer.root.getByRole('radio', {name: 'client_secret_basic'})).toBeChecked();
    await expect(explorer.field('resource')).toHaveValue(`${issuer}/api/calendar`);
    // Each parameter says what it means and where the RFC says so.
    await expect(explorer.root.getByText('The API the token is for (RFC 8707 §2).').first()).toBeVisible();
    await explorer.root.getByRole('link', {name: 'RFC 8707 §2'}).first().isVisible();

    const exchange = await explorer.sendRequest();
    await expect(exchange.getByLabel('Form body')).toContainText('client_credentials');
    await expect(exchange.getByLabel('Request headers')).toContainText('Basic');
    await expect(exchange.getByText('200', {exact: true})).toBeVisible();
    const body = await explorer.responseJson();
    expect(body.token_type).toBe('Bearer');
    const accessToken = String(body.access_token);

    const inspector = explorer.root.getByRole('region', {name: 'Access token'});
    await expect(inspector.getByRole('row', {name: /^Signature/})).toContainText('Passed', {timeout: 15_000});
    await expect(inspector.getByRole('row', {name: /^Audience/})).toContainText('Passed');
    await expect(inspector.getByRole('row', {name: /Failed/})).toHaveCount(0);
    await axe();

    await explorer.choose(/^GET \/api\/calendar\/events:/);
    // The token just obtained is offered, and pre-filled for the API it is for.
    await expect(explorer.bearer).toHaveValue(accessToken);
    await explorer.bearer.fill('');
    await explorer.useToken('Use an access token obtained here', /access token of m2m-cron/);
    await expect(explorer.bearer).toHaveValue(accessToken);
    await explorer.sendRequest();
    await expect(explorer.exchange.getByLabel('Request headers')).toContainText(`Bearer ${accessToken}`);
    expect(await explorer.responseJson()).toMatchObject({caller: {client_id: 'm2m-cron'}});
    await expect(explorer.refusal).toHaveCount(0);

    // No token: 401 with a Bearer challenge and no error code (RFC 6750 §3.1), said in words.
    await explorer.bearer.fill('');
    await explorer.sendRequest();
    await expect(explorer.exchange.getByLabel('Response headers')).toContainText(/www-authenticate\s*Bearer/i);
    await expect(explorer.refusal).toContainText('HTTP 401');
    await expect(explorer.refusal).toContainText('carried no access token');
    await axe();
  });

  test('a wrong client secret is refused with invalid_client, in words', async ({page}) => {
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^POST \/token:/, 'client_credentials');
    await explorer.clientSecret.fill('not-the-secret');
    await explorer.sendRequest();
    await expect(explorer.refusal).toContainText('HTTP 401');
    await expect(explorer.refusal.getByText('invalid_client', {exact: true})).toBeVisible();
    await expect(explorer.refusal).toContainText('The client could not be authenticated');
  });
});

test.describe('the endpoint explorer, tokens in turn', () => {
  test('password grant with offline_access, refresh, userinfo, introspection and revocation', async ({page}) => {
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^POST \/token:/, 'password');
    await expect(explorer.client).toHaveValue('trusted-first-party');
    await expect(explorer.root.getByRole('radio', {name: 'client_secret_post'})).toBeChecked();
    await expect(explorer.field('username')).toHaveValue('alice');
    await expect(explorer.field('scope')).toHaveValue(/offline_access/);
    await explorer.sendRequest();
    const first = await explorer.responseJson();
    expect(first.refresh_token).toEqual(expect.any(String));
    await expect(
      explorer.root.getByRole('region', {name: 'ID token'}).getByRole('row', {name: /^Signature/}),
    ).toContainText('Passed', {timeout: 15_000});

    // Refresh: the refresh token just obtained is pre-filled, with the client it was issued to.
    await explorer.choose(/^POST \/token:/, 'refresh_token');
    await expect(explorer.field('refresh_token')).toHaveValue(String(first.refresh_token));
    await expect(explorer.client).toHaveValue('trusted-first-party');
    await explorer.sendRequest();
    const refreshed = await explorer.responseJson();
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);

    await explorer.choose(/^GET \/userinfo:/);
    await expect(explorer.bearer).toHaveValue(String(refreshed.access_token));
    await explorer.sendRequest();
    expect(await explorer.responseJson()).toMatchObject({sub: 'user-alice', name: 'Alice Liddell'});

    await explorer.choose(/^POST \/introspect:/);
    // RFC 7662 §4: the server answers a confidential client about the tokens issued to it; this one is for UserInfo, not an API.
    await expect(explorer.client).toHaveValue('trusted-first-party');
    await expect(explorer.field('token')).toHaveValue(String(refreshed.access_token));
    await explorer.sendRequest();
    expect(await explorer.responseJson()).toMatchObject({active: true, sub: 'user-alice'});

    await explorer.choose(/^POST \/revoke:/);
    await explorer.useToken('Use a token obtained here as token', /^access token of trusted-first-party/);
    await expect(explorer.field('token')).toHaveValue(String(refreshed.access_token));
    await expect(explorer.client).toHaveValue('trusted-first-party');
    await explorer.sendRequest();
    await expect(explorer.exchange.getByText('200', {exact: true})).toBeVisible();

    await explorer.choose(/^POST \/introspect:/);
    await explorer.sendRequest();
    expect(await explorer.responseJson()).toEqual({active: false});
  });
});

test.describe('the endpoint explorer, device authorization', () => {
  // The first poll is refused on purpose: authorization_pending (400) until the user approves.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('asks for a device code as tv-app, polls with it, and gets tokens once the user approves on the verification page', async ({
    page,
    context,
    issuer,
  }) => {
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^POST \/device_authorization:/);
    await expect(explorer.client).toHaveValue('tv-app');
    await expect(explorer.field('scope')).toHaveValue(/offline_access/);
    await explorer.sendRequest();
    const codes = await explorer.responseJson();
    expect(codes.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(codes.verification_uri).toBe(`${issuer}/device`);

    // RFC 8628 §3.4: the token request polls with the device code just obtained, as the client it was issued to.
    await explorer.choose(/^POST \/token:/, 'urn:ietf:params:oauth:grant-type:device_code');
    await expect(explorer.client).toHaveValue('tv-app');
    await expect(explorer.field('device_code')).toHaveValue(String(codes.device_code));
    await explorer.sendRequest();
    await expect(explorer.refusal.getByText('authorization_pending', {exact: true})).toBeVisible();
    await expect(explorer.refusal).toContainText('has not answered yet');
    const polledAt = Date.now();

    // The user, on another device: the verification page with the code filled in (RFC 8628 §3.3.1).
    const phone = await context.newPage();
    await phone.goto(String(codes.verification_uri_complete));
    await expect(phone.getByRole('textbox', {name: 'Code shown on your device'})).toHaveValue(String(codes.user_code));
    await phone.getByRole('button', {name: 'Continue'}).click();
    const user = await phone.evaluate(
      async (url) => ((await (await fetch(url)).json()) as Catalog).users[0],
      `${issuer}/catalog`,
    );
    await new SandboxLoginPage(phone).signInAs(user);
    await phone.getByRole('button', {name: 'Yes, I started it'}).click();
    await new SandboxConsentPage(phone).allow.click();
    await expect(phone.getByRole('heading', {name: 'Your device is connected'})).toBeVisible();
    await phone.close();

    // No sooner than the interval after the last poll (RFC 8628 §3.5).
    await page.waitForTimeout(Math.max(0, Number(codes.interval) * 1000 + 500 - (Date.now() - polledAt)));
    await explorer.sendRequest();
    await expect(explorer.refusal).toHaveCount(0);
    const tokens = await explorer.responseJson();
    expect(tokens.refresh_token).toEqual(expect.any(String));
    await expect(
      explorer.root.getByRole('region', {name: 'ID token'}).getByRole('row', {name: /^Signature/}),
    ).toContainText('Passed', {timeout: 15_000});
  });
});

test.describe('the endpoint explorer and the walkthroughs', () => {
  test('offers the token a walkthrough of this tab obtained', async ({page, axe}) => {
    const walkthrough = await WalkthroughSection.open(page, 'client-credentials');
    await walkthrough.run(1, 'Fetch the discovery document');
    await walkthrough.currentStep.getByRole('button', {name: 'Request a token'}).click();
    await expect(walkthrough.stepHeading(2)).toContainText('(done)', {timeout: 20_000});

    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^GET \/api\/calendar\/events:/);
    await expect(explorer.bearer).not.toHaveValue('');
    await expect(
      explorer.root
        .getByLabel('Use an access token obtained here')
        .getByRole('option', {name: /access token of m2m-cron for calendar.*from a walkthrough/}),
    ).toHaveCount(1);
    await explorer.sendRequest();
    expect(await explorer.responseJson()).toMatchObject({caller: {client_id: 'm2m-cron'}});
    await axe();
  });
});

test.describe('the endpoint explorer, shared and copied', () => {
  test('a shared link restores the form and carries no secret', async ({page, browser, baseURL}) => {
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^POST \/token:/, 'password');
    await explorer.field('username').fill('bob');
    await explorer.field('password').fill('builder-7');
    await explorer.field('scope').fill('openid email');
    await explorer.root.getByText('Custom parameters and headers').click();
    await explorer.root.getByRole('button', {name: 'Add extra header'}).click();
    await explorer.root.getByLabel('Extra header 1 name').fill('X-Request-Id');
    await explorer.root.getByLabel('Extra header 1 value').fill('abc');
    await explorer.root.getByRole('button', {name: 'Add extra header'}).click();
    await explorer.root.getByLabel('Extra header 2 name').fill('Authorization');
    await explorer.root.getByLabel('Extra header 2 value').fill('Bearer header-secret');
    await expect(page).toHaveURL(/v\.username=bob/);

    const secret = await explorer.clientSecret.inputValue();
    const shared = page.url();
    await explorer.root.getByText('Link to this request').click();
    await expect(explorer.root.getByLabel('Shareable link')).toHaveValue(shared);
    const decoded = decodeURIComponent(shared);
    for (const value of [secret, 'builder-7', 'header-secret']) expect(decoded).not.toContain(value);
    expect(decoded).toContain('X-Request-Id');

    // Another reader opens the link.
    const context = await browser.newContext({baseURL});
    const other = await context.newPage();
    const restored = await EndpointExplorer.open(other, shared.replace(baseURL!, ''));
    await expect(restored.endpoint).toHaveValue('postToken');
    await expect(restored.grant).toHaveValue('password');
    await expect(restored.client).toHaveValue('trusted-first-party');
    await expect(restored.field('username')).toHaveValue('bob');
    await expect(restored.field('scope')).toHaveValue('openid email');
    await expect(restored.field('password')).not.toHaveValue('builder-7');
    await restored.root.getByText('Custom parameters and headers').click();
    await expect(restored.root.getByLabel('Extra header 1 name')).toHaveValue('X-Request-Id');
    await expect(restored.root.getByLabel('Extra header 2 name')).toHaveCount(0);
    await context.close();
  });

  test('copies a request as curl and as fetch', async ({page, context, issuer}) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^POST \/token:/, 'client_credentials');
    const secret = await explorer.clientSecret.inputValue();
    const exchange = await explorer.sendRequest();
    const basic = `Basic ${Buffer.from(`m2m-cron:${secret}`).toString('base64')}`;

    await exchange.getByRole('button', {name: 'Copy as curl'}).click();
    await expect(exchange.getByRole('status').first()).toHaveText('Copied.');
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toBe(
      [
        "curl -i -X POST 'http://localhost:4000/sandbox/token'",
        `-H 'Authorization: ${basic}'`,
        "-H 'Content-Type: application/x-www-form-urlencoded'",
        "--data-urlencode 'grant_type=client_credentials'",
        "--data-urlencode 'scope=calendar:read'",
        "--data-urlencode 'resource=http://localhost:4000/sandbox/api/calendar'",
      ]
        .join(' \\\n  ')
        .replace(/Authorization/, 'authorization')
        .replace(/Content-Type/, 'content-type'),
    );

    await exchange.getByRole('button', {name: 'Copy as fetch'}).click();
    const fetchText = await page.evaluate(() => navigator.clipboard.readText());
    expect(fetchText).toContain(`const response = await fetch("${issuer}/token", {`);
    expect(fetchText).toContain(`"authorization": "${basic}",`);
    expect(fetchText).toContain('"grant_type": "client_credentials",');
    // The copied fetch runs in this page and gets a token.
    const status = await page.evaluate(async (code) => {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the snippet exactly as a reader pastes it
      const run = new Function(
        `return (async () => { ${code.replace('console.log(response.status, await response.text());', 'return response.status;')} })();`,
      ) as () => Promise<number>;
      return run();
    }, fetchText);
    expect(status).toBe(200);
    // The same text is shown on the page for readers without a clipboard.
    await exchange.getByText('Show as curl and fetch').click();
    await expect(exchange.getByText("--data-urlencode 'grant_type=client_credentials'")).toBeVisible();
  });
});

test.describe('the endpoint explorer, every operation', () => {
  // Refusals on purpose: the sign-in and consent pages of an unknown interaction (400).
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('runs every operation of the OpenAPI description and gets a documented, successful answer', async ({
    page,
    issuer,
  }) => {
    const explorer = await EndpointExplorer.open(page);
    const document = await page.evaluate(
      async (url) => (await fetch(url)).json() as Promise<OpenApiDocument>,
      `${issuer}/openapi.json`,
    );
    const catalog = await page.evaluate(
      async (url) => (await fetch(url)).json() as Promise<Catalog>,
      `${issuer}/catalog`,
    );
    const base = new URL(issuer).pathname;
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'post'] as const)
        .filter((method) => item[method])
        .map((method) => ({path, method, operation: item[method]!})),
    );
    // The list offers each operation of the description once; they are run in its order, the sandbox's reset last.
    const options = await explorer.endpoint.getByRole('option').allTextContents();
    const label = ({method, path, operation}: (typeof operations)[number]) =>
      `${method.toUpperCase()} ${path}: ${operation.summary}`;
    expect([...options].sort()).toEqual(operations.map(label).sort());
    operations.sort((a, b) => options.indexOf(label(a)) - options.indexOf(label(b)));

    // A reader first gets tokens for what needs one: the contacts API, and a user's token for UserInfo.
    await explorer.choose(/^POST \/token:/, 'client_credentials');
    await explorer.field('resource').selectOption(`${issuer}/api/contacts`);
    await explorer.field('scope').fill('contacts:read');
    await explorer.sendRequest();
    await expect(explorer.refusal).toHaveCount(0);
    await explorer.choose(/^POST \/token:/, 'password');
    await explorer.sendRequest();
    await expect(explorer.refusal).toHaveCount(0);

    for (const {path, method, operation} of operations) {
      await test.step(`${method.toUpperCase()} ${path}`, async () => {
        await explorer.choose(label({method, path, operation}));
        // The description shown is the operation's own, its Markdown links and code rendered.
        const plain = operation.description.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');
        await expect(explorer.root).toContainText(plain.slice(0, 60));
        if (operation.operationId === 'getAuthorize') {
          const url = explorer.root.getByLabel('Authorization URL');
          await expect(url).toHaveValue(/code_challenge_method=S256/);
          expect(new URL(await url.inputValue()).searchParams.get('redirect_uri')).toBe(
            `${new URL(issuer).origin}/concepts/try-the-endpoints`,
          );
          return;
        }
        if (path === `/.well-known/oauth-authorization-server${base}`) {
          // RFC 8414 §3.1's URL is at the origin, outside the worker's scope: the explorer says so.
          await expect(explorer.root.getByText('send it to the Node sandbox')).toBeVisible();
          return;
        }
        if (path.includes('{id}')) await explorer.field('id').fill('no-such-interaction');
        if (path.includes('{step}')) await explorer.field('step').selectOption('confirm');
        if (operation.operationId === 'postToken') {
          // The token endpoint's other grants are covered above; here, a calendar token that may also write.
          await explorer.grant.selectOption('client_credentials');
          await explorer.field('scope').fill('calendar:read calendar:write');
        }
        if (operation.operationId === 'postRevoke') {
          // The user's refresh token (its grant has served UserInfo already), not the calendar token the APIs still need.
          await explorer.useToken('Use a token obtained here as token', /^refresh token of trusted-first-party/);
        }
        await explorer.sendRequest();
        const status = Number(
          (
            await explorer.exchange
              .getByText(/^\d{3}\b/)
              .first()
              .textContent()
          )?.slice(0, 3),
        );
        expect(documented(document, method, path), `${method} ${path} answered ${status}`).toContain(status);
        // Everything succeeds with the pre-filled form, but the sign-in, consent and device steps of an interaction that does not exist.
        if (path.includes('{id}')) expect(status).toBe(400);
        else expect(status, `${method} ${path} succeeds`).toBeLessThan(300);
      });
    }
    expect(catalog.clients.length).toBeGreaterThan(0);
  });
});

test.describe('the endpoint explorer, authorization request', () => {
  test('opens the authorization request with PKCE, comes back with a code and redeems it', async ({
    page,
    issuer,
    axe,
  }) => {
    const explorer = await EndpointExplorer.open(page);
    await explorer.choose(/^GET \/authorize:/);
    await expect(explorer.field('client_id')).toHaveValue('spa');
    await expect(explorer.field('code_challenge')).toHaveValue(/^[A-Za-z0-9_-]{43}$/);
    await axe();
    await explorer.root.getByRole('button', {name: 'Open the authorization request'}).click();

    const user = await page.evaluate(
      async (url) => ((await (await fetch(url)).json()) as Catalog).users[0],
      `${issuer}/catalog`,
    );
    const login = new SandboxLoginPage(page);
    await login.expectShown();
    await login.signInAs(user);
    await new SandboxConsentPage(page).allow.click();

    await page.waitForURL(/concepts\/try-the-endpoints/);
    const back = new EndpointExplorer(page);
    await expect(back.root.getByText('Back from the sign-in page with an authorization code')).toBeVisible({
      timeout: 20_000,
    });
    // The code left the address bar; the form holds it, with the verifier this tab kept.
    expect(page.url()).not.toContain('code=');
    await expect(back.grant).toHaveValue('authorization_code');
    await expect(back.field('code')).not.toHaveValue('');
    await expect(back.field('code_verifier')).toHaveValue(/^[A-Za-z0-9._~-]{43,128}$/);
    await back.sendRequest();
    const tokens = await back.responseJson();
    expect(tokens).toMatchObject({token_type: 'Bearer'});
    await expect(
      back.root.getByRole('region', {name: 'ID token'}).getByRole('row', {name: /^Signature/}),
    ).toContainText('Passed', {timeout: 15_000});
    await axe();
  });
});

test.describe('the endpoint explorer, aimed at the Node sandbox', () => {
  // Once the Node sandbox is stopped, the browser reports the refused connection; the explorer explains it.
  test.use({expectedConsoleErrors: [/ERR_CONNECTION_REFUSED/]});

  test('sends cross-origin requests to npm run sandbox, and says what to run when it is not there', async ({
    page,
    baseURL,
  }) => {
    // `npm run sandbox -- --port 0 --site-url <this site>`, run with Node itself so the process stopped is the one listening.
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'src', 'sandbox', 'node.ts'), '--port', '0', '--site-url', baseURL!],
      {
        cwd: join(__dirname, '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(server, 'exit');
    try {
      let output = '';
      server.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      await expect
        .poll(() => /OAuth sandbox issuer:\s+(\S+)/.exec(output)?.[1], {timeout: 20_000})
        .toMatch(/^http:\/\/localhost:\d+\/sandbox$/);
      const nodeIssuer = /OAuth sandbox issuer:\s+(\S+)/.exec(output)![1];

      const explorer = await EndpointExplorer.open(page);
      await explorer.root.getByRole('radio', {name: /The Node sandbox on this machine/}).check();
      await explorer.root.getByLabel('Node sandbox issuer').fill(nodeIssuer);
      await explorer.root.getByRole('button', {name: 'Connect'}).click();
      await expect(explorer.root.getByText('Connected to')).toContainText(nodeIssuer);

      await explorer.choose(/^POST \/token:/, 'client_credentials');
      await expect(explorer.field('resource')).toHaveValue(`${nodeIssuer}/api/calendar`);
      await explorer.sendRequest();
      await expect(explorer.exchange).toContainText(`${nodeIssuer}/token`);
      const accessToken = String((await explorer.responseJson()).access_token);
      await expect(
        explorer.root.getByRole('region', {name: 'Access token'}).getByRole('row', {name: /^Signature/}),
      ).toContainText('Passed', {timeout: 15_000});

      await explorer.choose(/^GET \/api\/calendar\/events:/);
      await expect(explorer.bearer).toHaveValue(accessToken);
      await explorer.sendRequest();
      expect(await explorer.responseJson()).toMatchObject({caller: {client_id: 'm2m-cron'}});

      // Stopped: connecting again says what to run.
      server.kill('SIGTERM');
      await exited;
      await explorer.root.getByRole('button', {name: 'Connect'}).click();
      await expect(explorer.refusal).toContainText(`npm run sandbox -- --site-url ${baseURL}`);
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    }
  });
});
