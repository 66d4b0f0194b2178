import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import type {BackChannelReport} from '../../src/flows/web-app-support';
import {basicAuthorization, browserStorageOf, catalogFrom, clientFor, expectFlowPage, fetchFromPage, postFormFromPage} from './support';

const PAGE = 'flows/authorization-code';

test.describe('the Authorization Code page, run against the sandbox', () => {
  test('describes the registered confidential web app client', async ({sandboxPage, issuer, axe}) => {
    const page = await sandboxPage(PAGE);
    const client = clientFor(await catalogFrom(page, issuer), 'regular-web-app');
    await expectFlowPage(page, 'Authorization Code flow', client.client_id);
    expect(client).toMatchObject({
      client_id: 'regular-web-app',
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${issuer}/webapp/callback`],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    await axe();
  });

  test.describe('signing in through the demo web app', () => {
    // Chromium logs the HTTP 400 of the replayed code; that refusal is part of the test.
    test.use({expectedConsoleErrors: [/status of 400/]});

    test('lands on the app signed in, with the tokens kept out of the browser', async ({sandboxPage, issuer, axe}) => {
      const page = await sandboxPage(PAGE);
      const catalog = await catalogFrom(page, issuer);
      const client = clientFor(catalog, 'regular-web-app');
      const user = catalog.users[0]!;
      const redirectUri = client.redirect_uris[0]!;
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));

      await page.goto(`${issuer}/webapp/login`);
      await signInAndConsent(page, user, {clientName: client.client_name});

      // The web app's server side redeemed the code, then sent the browser to its home page (no code in the URL).
      await page.waitForURL(`${issuer}/webapp`);
      await expect(page.getByRole('heading', {level: 1, name: `Signed in as ${user.name}`})).toBeVisible();
      await expect(page.getByRole('heading', {level: 2, name: 'What the server holds'})).toBeVisible();
      await expect(page.getByRole('heading', {level: 2, name: 'ID token claims (verified)'})).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);

      // The backend asked for a code with PKCE (RFC 9700 §2.1.1), state and nonce, as the page says.
      const authorize = requested.map((url) => new URL(url)).find((url) => url.href.startsWith(`${issuer}/authorize?`));
      expect(authorize, 'the browser went through /authorize').toBeDefined();
      expect(Object.fromEntries(authorize!.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        code_challenge_method: 'S256',
      });
      for (const name of ['state', 'nonce', 'code_challenge']) expect(authorize!.searchParams.get(name), name).toBeTruthy();

      // Only the code came through the browser (RFC 6749 §4.1.2, RFC 9207 §2).
      const callbackUrl = requested.find((url) => url.startsWith(`${redirectUri}?`));
      expect(callbackUrl, 'the browser brought the code to the redirect URI').toBeDefined();
      const callback = new URL(callbackUrl!);
      expect(callback.searchParams.get('iss')).toBe(issuer);
      expect(callback.searchParams.get('state')).toBe(authorize!.searchParams.get('state'));
      const code = callback.searchParams.get('code');
      expect(code).toBeTruthy();
      // The tokens went from the token endpoint to the app's server side, never through a browser URL or storage.
      for (const url of requested) expect(url).not.toMatch(/[?&#](access_token|id_token|refresh_token)=/);
      expect(await browserStorageOf(page)).not.toMatch(/eyJ[\w-]+\.eyJ/);
      // Nor did the client secret reach the browser through the app's pages.
      expect(await page.content()).not.toContain(client.client_secret!);
      await expect(page.getByRole('link', {name: 'Back to the guide'})).toHaveAttribute('href', new URL(PAGE, new URL('.', issuer)).href);

      // The app's server records what it said to the authorization server, for the page to show next to the
      // front channel: discovery and the token request, with the token values replaced by a note.
      const backChannel = await fetchFromPage<BackChannelReport>(page, `${issuer}/webapp/back-channel`);
      expect(backChannel.status).toBe(200);
      expect(backChannel.body.exchanges.map(({request}) => `${request.method} ${request.url}`)).toEqual([
        `GET ${issuer}/.well-known/openid-configuration`,
        `POST ${issuer}/token`,
      ]);
      expect(JSON.parse(backChannel.body.exchanges[1]!.response!.body)).toMatchObject({
        access_token: expect.stringMatching(/^<access token kept on the server: \d+ characters>$/),
        token_type: 'Bearer',
      });
      expect(JSON.stringify(backChannel.body)).not.toMatch(/eyJ[\w-]+\.eyJ/);
      expect(backChannel.body.session).toMatchObject({idTokenClaims: {sub: user.sub}, refreshToken: true});

      await axe();

      // The code the browser carried is already spent: a replay is invalid_grant (RFC 6749 §4.1.2, §10.5).
      const replay = await postFormFromPage(
        page,
        `${issuer}/token`,
        {grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri},
        {authorization: basicAuthorization(client.client_id, client.client_secret!)},
      );
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
    });
  });
});
