import {expect, test} from './fixtures';
import {EndpointExplorer} from './pages/explorer';
import {TEST_PROVIDER} from './providers/test-provider';
import {answerProviderFonts, closedPort, providerQuery, signInAtProvider} from './providers/at-provider';

test.beforeEach(async ({page}) => answerProviderFonts(page));

test.describe('the endpoint explorer against your own provider (node-oidc-provider)', () => {
  test('discovery, JWKS, an authorization round trip, the code exchange and userinfo', async ({page, baseURL, axe}) => {
    // The target switch offers the provider; its form writes the settings into the page's query.
    const sandbox = await EndpointExplorer.open(page);
    await sandbox.root.getByRole('radio', {name: 'Your own provider'}).check();
    const form = sandbox.root.getByRole('form', {name: 'Your own provider'});
    const configure = sandbox.root.getByLabel('What to configure at your provider');
    await expect(configure).toContainText(TEST_PROVIDER.explorerRedirectUri);
    await expect(configure).toContainText(new URL(baseURL!).origin);
    await axe();
    await form.getByLabel('Issuer URL').fill(TEST_PROVIDER.issuer);
    await form.getByLabel('Client ID').fill(TEST_PROVIDER.clientId);
    await form.getByRole('button', {name: 'Explore your provider'}).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get('issuer') === TEST_PROVIDER.issuer &&
        url.searchParams.get('client_id') === TEST_PROVIDER.clientId,
    );

    const explorer = new EndpointExplorer(page);
    await expect(explorer.root.getByText('Connected to')).toContainText(TEST_PROVIDER.issuer, {timeout: 20_000});
    await expect(explorer.root.getByRole('radio', {name: 'Your own provider'})).toBeChecked();
    // The standard endpoints the provider announces; nothing of the sandbox's own (catalog, reset, demo APIs).
    const offered = await explorer.endpoint.getByRole('option').allTextContents();
    expect(offered.some((label) => label.startsWith('GET /jwks:'))).toBe(true);
    expect(offered.some((label) => label.startsWith('POST /token:'))).toBe(true);
    expect(offered.filter((label) => /catalog|reset|\/api\/|interaction|openapi/i.test(label))).toEqual([]);

    // Discovery: the provider's own document, at its issuer.
    await expect(explorer.endpoint).toHaveValue('getOpenidConfiguration');
    const discovery = await explorer.sendRequest();
    await expect(discovery).toContainText(`${TEST_PROVIDER.issuer}/.well-known/openid-configuration`);
    await expect(discovery).toContainText('200 OK');
    const metadata = await explorer.responseJson();
    expect(metadata.issuer).toBe(TEST_PROVIDER.issuer);

    // JWKS at the provider's jwks_uri.
    await explorer.choose(/^GET \/jwks:/);
    const jwks = await explorer.sendRequest();
    await expect(jwks).toContainText(String(metadata.jwks_uri));
    await expect(jwks).toContainText('200 OK');
    expect(((await explorer.responseJson()).keys as unknown[]).length).toBeGreaterThan(0);

    // The token endpoint offers the grants the provider supports, and the RFC's meaning of each parameter.
    await explorer.choose(/^POST \/token:/);
    const grants = await explorer.grant.getByRole('option').allTextContents();
    expect(grants).toEqual((metadata.grant_types_supported as string[]).filter((grant) => grant !== 'implicit'));
    await expect(explorer.client).toHaveValue(TEST_PROVIDER.clientId);
    // A confidential client's secret may be typed in; it never reaches the address or the link.
    await explorer.root.getByRole('radio', {name: 'client_secret_post'}).check();
    await explorer.clientSecret.fill('typed-secret-5e1f');
    await expect.poll(() => decodeURIComponent(page.url())).toContain('auth=client_secret_post');
    expect(page.url()).not.toContain('typed-secret-5e1f');
    expect(await explorer.root.getByLabel('Shareable link').inputValue()).not.toContain('typed-secret-5e1f');

    // The authorization request: PKCE, state and nonce made here, this page as redirect URI.
    await explorer.choose(/^GET \/authorize:/);
    await expect(explorer.field('client_id')).toHaveValue(TEST_PROVIDER.clientId);
    await expect(explorer.field('redirect_uri')).toHaveValue(TEST_PROVIDER.explorerRedirectUri);
    await expect(explorer.field('scope')).toHaveValue('openid profile');
    await expect(explorer.field('code_challenge')).toHaveValue(/^[A-Za-z0-9_-]{43}$/);
    await expect(explorer.root.getByLabel('Authorization URL')).toHaveValue(
      new RegExp(`^${String(metadata.authorization_endpoint)}\\?`),
    );
    await axe();
    await explorer.root.getByRole('button', {name: 'Open the authorization request'}).click();
    await signInAtProvider(page, 'reader-3');

    await page.waitForURL((url) => url.pathname.endsWith('/concepts/try-the-endpoints'));
    const back = new EndpointExplorer(page);
    await expect(back.root.getByText('Back from the sign-in page with an authorization code')).toBeVisible({
      timeout: 20_000,
    });
    // The code left the address; the provider settings came back (saved in this tab across the round trip).
    expect(new URL(page.url()).search).toBe(providerQuery(TEST_PROVIDER.clientId));
    await expect(back.root.getByText('Connected to')).toContainText(TEST_PROVIDER.issuer);
    await expect(back.grant).toHaveValue('authorization_code');
    await expect(back.field('code')).not.toHaveValue('');
    await expect(back.field('redirect_uri')).toHaveValue(TEST_PROVIDER.explorerRedirectUri);
    const exchange = await back.sendRequest();
    await expect(exchange).toContainText(String(metadata.token_endpoint));
    await expect(exchange.getByLabel('Form body')).toContainText('code_verifier');
    const tokens = await back.responseJson();
    expect(tokens).toMatchObject({token_type: 'Bearer'});
    // The ID token verified against the keys the provider publishes at its jwks_uri.
    const idToken = back.root.getByRole('region', {name: 'ID token'});
    await expect(idToken.getByRole('row', {name: /^Signature/})).toContainText('Passed', {timeout: 15_000});
    await expect(idToken.getByRole('row', {name: /^Issuer/})).toContainText('Passed');
    await expect(idToken.getByRole('row', {name: /^Audience/})).toContainText('Passed');
    await expect(idToken.getByRole('row', {name: /Failed/})).toHaveCount(0);

    // UserInfo with the access token just obtained, pre-filled.
    await back.choose(/^GET \/userinfo:/);
    await expect(back.bearer).toHaveValue(String(tokens.access_token));
    const userinfo = await back.sendRequest();
    await expect(userinfo).toContainText(String(metadata.userinfo_endpoint));
    await expect(userinfo).toContainText('200 OK');
    expect(await back.responseJson()).toMatchObject({sub: 'reader-3', name: 'Test reader-3'});
    await expect(back.refusal).toHaveCount(0);
    await page.emulateMedia({colorScheme: 'dark'});
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await axe();
  });
});

test.describe('the endpoint explorer and an unreachable provider', () => {
  // Nothing listens at the issuer: Chromium reports the refused connection, which the explorer explains.
  test.use({expectedConsoleErrors: [/net::ERR_CONNECTION_REFUSED/]});

  test('says in words what to configure, not a bare network error', async ({page, baseURL, axe}) => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    await page.goto(`${EndpointExplorer.PAGE}${providerQuery('my-spa', issuer)}`);
    const explorer = new EndpointExplorer(page);
    await page.getByRole('heading', {level: 2, name: 'Explore the endpoints'}).scrollIntoViewIfNeeded();
    const origin = new URL(baseURL!).origin;
    await expect(explorer.refusal).toContainText(`This page could not read an answer from ${issuer}`, {
      timeout: 20_000,
    });
    await expect(explorer.refusal).toContainText(`allow the origin ${origin} for cross-origin requests`);
    await expect(explorer.refusal).toContainText(`register ${TEST_PROVIDER.explorerRedirectUri} as a redirect URI`);
    // The form holds the settings, to correct them; the sandbox is one choice away.
    const form = explorer.root.getByRole('form', {name: 'Your own provider'});
    await expect(form.getByLabel('Issuer URL')).toHaveValue(issuer);
    await expect(form.getByLabel('Client ID')).toHaveValue('my-spa');
    await axe();
    await explorer.root.getByRole('radio', {name: 'The sandbox in this browser'}).check();
    await expect(explorer.root.getByText('Connected to')).toContainText('/sandbox', {timeout: 20_000});
    await expect(explorer.refusal).toHaveCount(0);
  });
});

test.describe("the endpoint explorer and a provider that refuses the page's origin", () => {
  // Chromium reports the refused cross-origin token response in the console; that refusal is the point.
  test.use({expectedConsoleErrors: [/blocked by CORS policy|net::ERR_FAILED/]});

  test('a token request the provider refuses cross-origin says what to configure', async ({page, baseURL}) => {
    // Discovery and the sign-in work for any origin; this client's token requests are refused cross-origin.
    const explorer = await EndpointExplorer.open(
      page,
      `${EndpointExplorer.PAGE}${providerQuery(TEST_PROVIDER.corsRefusedClientId)}`,
    );
    await expect(explorer.root.getByText('Connected to')).toContainText(TEST_PROVIDER.issuer);
    await explorer.choose(/^GET \/authorize:/);
    await expect(explorer.field('client_id')).toHaveValue(TEST_PROVIDER.corsRefusedClientId);
    await explorer.root.getByRole('button', {name: 'Open the authorization request'}).click();
    await signInAtProvider(page, 'reader-4');
    await page.waitForURL((url) => url.pathname.endsWith('/concepts/try-the-endpoints'));
    const back = new EndpointExplorer(page);
    await expect(back.root.getByText('Back from the sign-in page with an authorization code')).toBeVisible({
      timeout: 20_000,
    });

    await back.send.click();
    await expect(back.refusal).toContainText(`This page could not read an answer from ${TEST_PROVIDER.issuer}`, {
      timeout: 20_000,
    });
    await expect(back.refusal).toContainText(`allow the origin ${new URL(baseURL!).origin} for cross-origin requests`);
    await expect(back.refusal).toContainText(`register ${TEST_PROVIDER.explorerRedirectUri} as a redirect URI`);
    await expect(back.refusal).toContainText('make the client public (no client secret');
  });
});
