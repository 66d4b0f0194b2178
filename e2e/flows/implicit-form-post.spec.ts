import type {Page} from '@playwright/test';
import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import type {BackChannelReport} from '../../src/flows/web-app-support';
import {catalogFrom, clientFor, expectFlowPage, fetchFromPage, verifyJwt} from './support';

const PAGE = 'flows/implicit-form-post';

async function openPage(sandboxPage: (path?: string) => Promise<Page>, issuer: string) {
  const page = await sandboxPage(PAGE);
  const catalog = await catalogFrom(page, issuer);
  return {page, client: clientFor(catalog, 'spa-id-token-only'), user: catalog.users[0]!};
}

/**
 * Starts the demo app's sign-in (`{issuer}/webapp/form-post/login`) and returns the authorization
 * request its server side sent the browser to, with the state and nonce it keeps for the callback.
 */
async function startDemoSignIn(page: Page, issuer: string, responseType: 'id_token' | 'id_token token'): Promise<URL> {
  const authorizeRequest = page.waitForRequest((request) => request.url().startsWith(`${issuer}/authorize?`));
  await page.goto(`${issuer}/webapp/form-post/login?${new URLSearchParams({response_type: responseType})}`);
  return new URL((await authorizeRequest).url());
}

test.describe('the Implicit with Form Post page, run against the sandbox', () => {
  test('describes the registered form-post client', async ({sandboxPage, issuer, axe}) => {
    const {page, client} = await openPage(sandboxPage, issuer);
    await expectFlowPage(page, 'Implicit flow with Form Post', client.client_id);
    expect(client).toMatchObject({
      client_id: 'form-post-app',
      type: 'public',
      grant_types: ['implicit'],
      response_types: ['id_token', 'id_token token'],
      redirect_uris: [`${issuer}/webapp/form-post/callback`],
      token_endpoint_auth_method: 'none',
    });
    await axe();
  });

  test('posts a nonce-bound ID token to the app, which signs the user in', async ({sandboxPage, issuer, axe}) => {
    const {page, client, user} = await openPage(sandboxPage, issuer);
    const redirectUri = client.redirect_uris[0]!;
    const authorize = await startDemoSignIn(page, issuer, 'id_token');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'id_token',
      response_mode: 'form_post',
      client_id: client.client_id,
      redirect_uri: redirectUri,
    });
    const nonce = authorize.searchParams.get('nonce');
    expect(nonce, 'the app sends a nonce (OIDC Core §3.2.2.1)').toBeTruthy();

    const posted = page.waitForRequest((request) => request.url() === redirectUri && request.method() === 'POST');
    await signInAndConsent(page, user);

    // Form Post Response Mode §2: the parameters arrive in a POST body, not in the URL.
    const form = new URLSearchParams((await posted).postData() ?? '');
    // The app's server side verified it and signed the user in; the URL carries nothing.
    await expect(page.getByRole('heading', {level: 1, name: `Signed in as ${user.name}`})).toBeVisible();
    expect(form.get('state')).toBe(authorize.searchParams.get('state'));
    expect(form.get('iss')).toBe(issuer);
    expect(form.has('access_token'), 'response_type=id_token issues no access token').toBe(false);
    const {payload} = await verifyJwt(page, issuer, form.get('id_token') ?? '');
    // OIDC Core §3.2.2.11: addressed to this client and bound to this login's nonce.
    expect(payload).toMatchObject({iss: issuer, aud: client.client_id, sub: user.sub, nonce});
    await expect(page.getByRole('heading', {level: 2, name: 'ID token claims (verified)'})).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    // After the post, the app sends the browser to its own page (303), which the reload button cannot resubmit.
    expect(page.url()).toBe(`${issuer}/webapp/form-post`);
    // The app's server fetched the issuer's metadata and JWKS to verify the ID token, and recorded both.
    const backChannel = await fetchFromPage<BackChannelReport>(page, `${issuer}/webapp/form-post/back-channel`);
    expect(backChannel.body.exchanges.map(({request, response}) => `${request.method} ${request.url} ${response?.status}`)).toEqual([
      `GET ${issuer}/.well-known/openid-configuration 200`,
      `GET ${issuer}/jwks 200`,
    ]);
    expect(backChannel.body.session).toMatchObject({idTokenClaims: {sub: user.sub, nonce}, accessToken: null});
    await axe();
  });

  test.describe('a request the page warns against', () => {
    test.describe('without a nonce', () => {
      // The app's result page answers the refused sign-in with HTTP 400, which Chromium logs.
      test.use({expectedConsoleErrors: [/status of 400/]});

      test('is refused with invalid_request, posted back to the app, which shows it', async ({sandboxPage, issuer, axe}) => {
        const {page, client} = await openPage(sandboxPage, issuer);
        // The app's own request, whose state it still holds, replayed without the nonce.
        const authorize = await startDemoSignIn(page, issuer, 'id_token');
        authorize.searchParams.delete('nonce');
        await page.goto(authorize.href);
        // OIDC Core §3.2.2.1: nonce is required for response types with id_token; the error goes back by form_post.
        await expect(page.getByRole('heading', {level: 1, name: 'Sign-in failed'})).toBeVisible();
        await expect(page.getByRole('alert')).toContainText('invalid_request');
        await expect(page.getByRole('alert')).toContainText('nonce');
        await expect(page.getByRole('heading', {name: /^ID token claims/})).toHaveCount(0);
        expect(page.url()).toBe(client.redirect_uris[0]);
        await axe();
      });
    });

    test.describe('with response_mode=query', () => {
      // The app's callback answers the refused sign-in with HTTP 400, which Chromium logs.
      test.use({expectedConsoleErrors: [/status of 400/]});

      test('is refused with invalid_request in the fragment, never the query, and no ID token', async ({sandboxPage, issuer, axe}) => {
        const {page, client} = await openPage(sandboxPage, issuer);
        const authorize = await startDemoSignIn(page, issuer, 'id_token');
        const state = authorize.searchParams.get('state');
        authorize.searchParams.set('response_mode', 'query');
        await page.goto(authorize.href);
        // Multiple Response Types §2.1: responses of id_token types must not use the query; the error goes
        // to the registered redirect URI in the fragment, with state and iss (RFC 6749 §4.2.2.1, RFC 9207 §2).
        await page.waitForURL((url) => url.href.startsWith(`${client.redirect_uris[0]}#`));
        const response = new URLSearchParams(new URL(page.url()).hash.slice(1));
        expect(response.get('error')).toBe('invalid_request');
        expect(response.get('error_description')).toContain('form_post');
        expect(response.get('state')).toBe(state);
        expect(response.get('iss')).toBe(issuer);
        expect(response.has('id_token')).toBe(false);
        expect(new URL(page.url()).search).toBe('');
        // The app's server never sees a fragment: it says what it expected instead of failing blankly.
        await expect(page.getByRole('heading', {level: 1, name: 'Sign-in failed'})).toBeVisible();
        await axe();
      });
    });
  });
});
