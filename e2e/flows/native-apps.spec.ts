import type {Page} from '@playwright/test';
import type {CatalogClient} from '../../src/sandbox/catalog';
import {expect, test, waitForSandboxWorker} from '../fixtures';
import {SandboxErrorPage, SandboxLoginPage, signInAndConsent} from '../pages/sandbox';
import {catalogFrom, clientFor, expectFlowPage, fetchFromPage, pkcePairInPage, postFormFromPage, randomValueInPage, verifyJwt} from './support';

const PAGE = 'flows/native-apps';

async function openPage(sandboxPage: (path?: string) => Promise<Page>, issuer: string) {
  const page = await sandboxPage(PAGE);
  const catalog = await catalogFrom(page, issuer);
  return {page, catalog, client: clientFor(catalog, 'native-app')};
}

/** An authorization request URL (RFC 6749 §4.1.1), with PKCE when a challenge is given (RFC 7636 §4.3). */
function authorizeUrl(issuer: string, client: CatalogClient, redirectUri: string, extra: Record<string, string>): string {
  const url = new URL(`${issuer}/authorize`);
  url.search = new URLSearchParams({response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, ...extra}).toString();
  return url.href;
}

/** A free-looking ephemeral port, as a native app's loopback listener would get from the OS. */
function randomPort(): number {
  return 49152 + Math.floor(Math.random() * 16000);
}

test.describe('the Native apps page, run against the sandbox', () => {
  test('describes the registered native-app client', async ({sandboxPage, issuer, baseURL, axe}) => {
    const {page, client} = await openPage(sandboxPage, issuer);
    await expectFlowPage(page, 'Native and mobile apps', client.client_id);
    expect(client).toMatchObject({
      client_id: 'native-app',
      type: 'public',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
    });
    expect(client).not.toHaveProperty('client_secret');
    expect(client.redirect_uris).toEqual(
      expect.arrayContaining(['http://127.0.0.1/callback', 'com.example.oauthflows:/callback', new URL(PAGE, baseURL).href]),
    );
    await axe();
  });

  test.describe('the code flow with PKCE, back to this page', () => {
    // Chromium logs the HTTP 400 of the code redeemed with a wrong verifier; that refusal is part of the test.
    test.use({expectedConsoleErrors: [/status of 400/]});

    test('signs in, exchanges the code as a public client and refuses it without PKCE', async ({sandboxPage, issuer, baseURL, axe}) => {
      const {page, catalog, client} = await openPage(sandboxPage, issuer);
      const user = catalog.users[0]!;
      const contacts = catalog.apis.find((api) => api.id === 'contacts')!;
      const redirectUri = new URL(PAGE, baseURL).href;
      const {verifier, challenge} = await pkcePairInPage(page);
      const state = await randomValueInPage(page);
      const nonce = await randomValueInPage(page);
      const scope = {scope: 'openid offline_access contacts:read', resource: contacts.identifier};

      await page.goto(
        authorizeUrl(issuer, client, redirectUri, {
          ...scope,
          state,
          nonce,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );
      await signInAndConsent(page, user);

      // RFC 6749 §4.1.2 and RFC 9207 §2: back at this page with code, state and iss.
      await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
      await waitForSandboxWorker(page);
      const response = new URL(page.url()).searchParams;
      expect(response.get('state')).toBe(state);
      expect(response.get('iss')).toBe(issuer);
      const code = response.get('code');
      expect(code).toBeTruthy();

      // RFC 8252 §8.5: no secret, the verifier proves the app that started the flow (RFC 7636 §4.5).
      const token = await postFormFromPage(page, `${issuer}/token`, {
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: redirectUri,
        client_id: client.client_id,
        code_verifier: verifier,
      });
      expect(token.status).toBe(200);
      expect(token.headers['cache-control']).toBe('no-store');
      expect(token.body.refresh_token).toEqual(expect.any(String));
      const access = await verifyJwt(page, issuer, token.body.access_token as string);
      expect(access.header.typ).toBe('at+jwt');
      expect(access.payload).toMatchObject({iss: issuer, sub: user.sub, aud: contacts.identifier, client_id: client.client_id});
      const id = await verifyJwt(page, issuer, token.body.id_token as string);
      expect(id.payload).toMatchObject({iss: issuer, sub: user.sub, aud: client.client_id, nonce});
      const people = await fetchFromPage(page, `${contacts.base_url}/people`, {headers: {authorization: `Bearer ${token.body.access_token}`}});
      expect(people.status).toBe(200);
      await axe();

      // A second code (session and consent are remembered) redeemed with the wrong verifier is invalid_grant (RFC 7636 §4.6).
      const other = await pkcePairInPage(page);
      await page.goto(authorizeUrl(issuer, client, redirectUri, {...scope, state, code_challenge: other.challenge, code_challenge_method: 'S256'}));
      await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
      await waitForSandboxWorker(page);
      const refused = await postFormFromPage(page, `${issuer}/token`, {
        grant_type: 'authorization_code',
        code: new URL(page.url()).searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        client_id: client.client_id,
        code_verifier: verifier,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');

      // Without a code challenge the request itself is refused, back at the redirect URI (RFC 7636 §4.4.1).
      await page.goto(authorizeUrl(issuer, client, redirectUri, {...scope, state}));
      await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
      const withoutPkce = new URL(page.url()).searchParams;
      expect(withoutPkce.get('error')).toBe('invalid_request');
      expect(withoutPkce.get('state')).toBe(state);
      expect(withoutPkce.has('code')).toBe(false);
    });
  });

  test('accepts a loopback redirect on any port (RFC 8252 §7.3)', async ({sandboxPage, issuer, axe}) => {
    const {page, client} = await openPage(sandboxPage, issuer);
    const {challenge} = await pkcePairInPage(page);
    const redirectUri = `http://127.0.0.1:${randomPort()}/callback`;
    // The login page, not the error page: the port is ignored when matching. The test stops there.
    const response = await page.goto(
      authorizeUrl(issuer, client, redirectUri, {scope: 'openid', state: 'loopback', code_challenge: challenge, code_challenge_method: 'S256'}),
    );
    expect(response?.status()).toBe(200);
    await new SandboxLoginPage(page).expectShown();
    expect(page.url().startsWith(`${issuer}/`)).toBe(true);
    await axe();
  });

  test.describe('with a loopback redirect to an unregistered path', () => {
    // The browser logs the HTTP 400 of the error page itself; that status is the point of the test.
    test.use({expectedConsoleErrors: [/status of 400/]});

    test('shows the server’s error page and does not redirect', async ({sandboxPage, issuer, axe}) => {
      const {page, client} = await openPage(sandboxPage, issuer);
      const {challenge} = await pkcePairInPage(page);
      const redirectUri = `http://127.0.0.1:${randomPort()}/other`;
      const authorize = authorizeUrl(issuer, client, redirectUri, {scope: 'openid', state: 'loopback', code_challenge: challenge, code_challenge_method: 'S256'});
      const response = await page.goto(authorize);
      // RFC 6749 §4.1.2.1: an unregistered redirect URI is never redirected to; only the port may differ.
      expect(response?.status()).toBe(400);
      expect(page.url()).toBe(authorize);
      await new SandboxErrorPage(page).expectError('invalid_request');
      await expect(page.getByRole('alert')).toContainText('not registered');
      await axe();
    });
  });
});
