import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import type {CatalogClient} from './catalog';
import {
  mayOmitPkce,
  mayReceiveTokenInUrl,
  prefixMatchedRedirectUri,
  skipsDeviceConfirmation,
  skipsRefreshRotation,
} from './labs';
import {
  authorizeWithPkce,
  clientAuthFor,
  createTestSandbox,
  loginWithDevice,
  loginWithPkce,
  type TestSandbox,
} from './test-fixture';

async function tokenError(promise: Promise<unknown>): Promise<{error: string; status: number}> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return {error: error.error, status: error.status};
    throw error;
  }
  assert.fail('expected an error response');
}

const nonLab = (sandbox: TestSandbox) => sandbox.catalog.clients.filter((client) => client.lab === undefined);

/** An authorization request with no PKCE challenge, as a client that leaves PKCE out would send it. */
async function authorizeWithoutPkce(sandbox: TestSandbox, client: CatalogClient, redirectUri: string) {
  const state = oauth.generateRandomState();
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    state,
  }).toString();
  const outcome = await sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  assert.ok(outcome.callbackUrl, `the authorization request of ${client.client_id} came back to its redirect URI`);
  return {callbackUrl: outcome.callbackUrl, state};
}

/** A refresh token for any client allowed the refresh_token grant, by the grant it signs in with. */
async function refreshTokenFor(sandbox: TestSandbox, client: CatalogClient): Promise<string> {
  const oauthClient: oauth.Client = {client_id: client.client_id};
  if (client.response_types.includes('code')) {
    const {tokens} = await loginWithPkce(sandbox, {
      clientId: client.client_id,
      scope: 'openid offline_access calendar:read',
    });
    return tokens.refresh_token!;
  }
  if (client.device_flow) {
    const {tokens} = await loginWithDevice(sandbox, {clientId: client.client_id, scope: 'openid offline_access'});
    return tokens.refresh_token!;
  }
  assert.ok(
    client.grant_types.includes('password'),
    `${client.client_id} gets tokens by the code, the device or the password grant`,
  );
  const response = await oauth.genericTokenEndpointRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(client),
    'password',
    {username: 'alice', password: 'wonderland-42', scope: 'openid offline_access'},
    sandbox.options,
  );
  return (await oauth.processGenericTokenEndpointResponse(sandbox.as, oauthClient, response)).refresh_token!;
}

test('catalog: only clients with a lab field can take a weakened path, and each lab client names its lab', async () => {
  const sandbox = await createTestSandbox();
  for (const client of nonLab(sandbox)) {
    assert.equal(mayOmitPkce(client), false, `${client.client_id} may not omit PKCE`);
    assert.equal(skipsRefreshRotation(client), false, `${client.client_id} has its refresh tokens rotated`);
    assert.equal(mayReceiveTokenInUrl(client), false, `${client.client_id} never gets a token in a URL`);
    assert.equal(skipsDeviceConfirmation(client), false, `${client.client_id} has its device approvals confirmed`);
    for (const uri of client.redirect_uris)
      assert.equal(
        prefixMatchedRedirectUri(client, `${uri}/../elsewhere`),
        undefined,
        `${client.client_id}: ${uri} matched exactly`,
      );
  }
  const lab = sandbox.catalog.clients.filter((client) => client.lab !== undefined);
  assert.deepEqual(
    lab.map((client) => [client.client_id, client.lab?.slug]),
    [
      ['lab-notes-app', 'code-interception'],
      ['lab-flashlight-app', 'code-interception'],
      ['lab-spa-no-rotation', 'refresh-token-theft'],
      ['lab-spa-rotation', 'refresh-token-theft'],
      ['lab-trip-planner', 'mix-up'],
      ['lab-notes-web-prefix', 'loose-redirect-uri'],
      ['lab-notes-web-exact', 'loose-redirect-uri'],
      ['lab-spa-implicit', 'tokens-in-url'],
      ['lab-spa-code', 'tokens-in-url'],
      ['lab-planner', 'login-csrf'],
      ['lab-members-app', 'id-token-replay'],
      ['lab-tv-unconfirmed', 'device-code-phishing'],
      ['lab-tv-confirmed', 'device-code-phishing'],
    ],
  );
  // `token` is a lab client's response type, and only the client whose weakness allows it lists it.
  for (const client of sandbox.catalog.clients.filter((candidate) => candidate.response_types.includes('token'))) {
    assert.ok(
      mayReceiveTokenInUrl(client),
      `${client.client_id} lists response_type token only as the tokens-in-url lab's client`,
    );
  }
  for (const client of lab) {
    assert.equal(client.guide_case, 'attack-lab');
    // A lab client's pages are the lab's page; none of the flow pages can use one.
    for (const uri of client.redirect_uris)
      assert.ok(!uri.includes('/flows/') && !uri.includes('/concepts/'), `${client.client_id}: ${uri}`);
  }
  // Public clients outside the labs must send PKCE (RFC 9700 §2.1.1); the one exception is a lab client.
  for (const client of sandbox.catalog.clients.filter(
    (candidate) => candidate.type === 'public' && candidate.response_types.includes('code') && !candidate.require_pkce,
  )) {
    assert.ok(mayOmitPkce(client), `${client.client_id} omits PKCE only as a lab client`);
  }
});

test('RFC 9700 §2.1.1: every non-lab client that requires PKCE is refused without it (invalid_request)', async () => {
  const sandbox = await createTestSandbox();
  // A client that must push its requests is refused at the PAR endpoint instead, before any redirect
  // (RFC 9126 §2.3; pushed-authorization.test.ts).
  const clients = nonLab(sandbox).filter(
    (client) =>
      client.response_types.includes('code') && client.require_pkce && !client.require_pushed_authorization_requests,
  );
  assert.ok(clients.length >= 2, 'the spa and the native app at least');
  for (const client of clients) {
    const {callbackUrl, state} = await authorizeWithoutPkce(sandbox, client, client.redirect_uris[0]!);
    assert.equal(callbackUrl.searchParams.get('error'), 'invalid_request', client.client_id);
    assert.equal(callbackUrl.searchParams.get('state'), state);
    assert.equal(callbackUrl.searchParams.get('code'), null);
  }
});

test('RFC 9700 §4.14.2: every non-lab client with refresh tokens has them rotated, and reuse revokes the family', async () => {
  const sandbox = await createTestSandbox();
  // The DPoP clients' refresh tokens need proofs: grants/dpop-token.test.ts makes the same checks for them.
  const clients = nonLab(sandbox).filter(
    (client) => client.grant_types.includes('refresh_token') && !client.dpop_bound_access_tokens,
  );
  assert.ok(clients.length >= 3);
  for (const client of clients) {
    const oauthClient: oauth.Client = {client_id: client.client_id};
    const first = await refreshTokenFor(sandbox, client);
    const rotated = await oauth.processRefreshTokenResponse(
      sandbox.as,
      oauthClient,
      await oauth.refreshTokenGrantRequest(sandbox.as, oauthClient, clientAuthFor(client), first, sandbox.options),
    );
    assert.ok(rotated.refresh_token && rotated.refresh_token !== first, `${client.client_id}: rotated`);
    const reuse = await oauth.refreshTokenGrantRequest(
      sandbox.as,
      oauthClient,
      clientAuthFor(client),
      first,
      sandbox.options,
    );
    assert.deepEqual(
      await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, reuse)),
      {error: 'invalid_grant', status: 400},
      client.client_id,
    );
    const newest = await oauth.refreshTokenGrantRequest(
      sandbox.as,
      oauthClient,
      clientAuthFor(client),
      rotated.refresh_token,
      sandbox.options,
    );
    assert.deepEqual(
      await tokenError(oauth.processRefreshTokenResponse(sandbox.as, oauthClient, newest)),
      {error: 'invalid_grant', status: 400},
      `${client.client_id}: family revoked`,
    );
  }
});

test('lab code-interception, defence off: a code issued without PKCE is redeemed by whoever intercepted it', async () => {
  const sandbox = await createTestSandbox();
  const victim = sandbox.client('lab-notes-app');
  const redirectUri = victim.redirect_uris[1]!;
  const {callbackUrl} = await authorizeWithoutPkce(sandbox, victim, redirectUri);
  const code = callbackUrl.searchParams.get('code');
  assert.ok(code, 'the lab client may leave PKCE out');
  // The malicious app holds only the code; the victim is a public client, so its client_id is all it needs.
  const stolen = await sandbox.fetch(sandbox.as.token_endpoint!, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: victim.client_id,
    }),
  });
  assert.equal(stolen.status, 200);
  const tokens = (await stolen.json()) as {access_token: string};
  const api = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    headers: {authorization: `Bearer ${tokens.access_token}`},
  });
  assert.equal(api.status, 200);
});

test('lab code-interception, defence on: the stolen code is refused without the verifier (RFC 7636 §4.6 invalid_grant)', async () => {
  const sandbox = await createTestSandbox();
  const victim = sandbox.client('lab-notes-app');
  const redirectUri = victim.redirect_uris[1]!;
  const flow = await authorizeWithPkce(sandbox, {
    clientId: victim.client_id,
    redirectUri,
    scope: 'openid calendar:read',
  });
  const code = flow.outcome.callbackUrl?.searchParams.get('code');
  assert.ok(code);
  const stolen = await sandbox.fetch(sandbox.as.token_endpoint!, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: victim.client_id,
    }),
  });
  assert.equal(stolen.status, 400);
  assert.equal(((await stolen.json()) as {error: string}).error, 'invalid_grant');
});

test('lab refresh-token-theft: without rotation a stolen refresh token keeps working; with it, reuse revokes the family', async () => {
  const sandbox = await createTestSandbox();
  const weak = sandbox.client('lab-spa-no-rotation');
  const weakClient: oauth.Client = {client_id: weak.client_id};
  const {tokens} = await loginWithPkce(sandbox, {
    clientId: weak.client_id,
    scope: 'openid offline_access calendar:read',
  });
  for (const holder of ['thief', 'app', 'thief']) {
    const refreshed = await oauth.processRefreshTokenResponse(
      sandbox.as,
      weakClient,
      await oauth.refreshTokenGrantRequest(
        sandbox.as,
        weakClient,
        oauth.None(),
        tokens.refresh_token!,
        sandbox.options,
      ),
    );
    assert.ok(refreshed.access_token, `${holder} refreshed`);
    assert.equal(refreshed.refresh_token, undefined, 'no new refresh token: the old one stays valid');
  }

  const strong = sandbox.client('lab-spa-rotation');
  const strongClient: oauth.Client = {client_id: strong.client_id};
  const login = await loginWithPkce(sandbox, {
    clientId: strong.client_id,
    scope: 'openid offline_access calendar:read',
  });
  const byThief = await oauth.processRefreshTokenResponse(
    sandbox.as,
    strongClient,
    await oauth.refreshTokenGrantRequest(
      sandbox.as,
      strongClient,
      oauth.None(),
      login.tokens.refresh_token!,
      sandbox.options,
    ),
  );
  const byApp = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    strongClient,
    oauth.None(),
    login.tokens.refresh_token!,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, strongClient, byApp)), {
    error: 'invalid_grant',
    status: 400,
  });
  const thiefAgain = await oauth.refreshTokenGrantRequest(
    sandbox.as,
    strongClient,
    oauth.None(),
    byThief.refresh_token!,
    sandbox.options,
  );
  assert.deepEqual(await tokenError(oauth.processRefreshTokenResponse(sandbox.as, strongClient, thiefAgain)), {
    error: 'invalid_grant',
    status: 400,
  });
});

/** An authorization request from `client` to `redirectUri`, with PKCE, answered without following the redirect. */
async function authorizeTo(
  sandbox: TestSandbox,
  client: CatalogClient,
  redirectUri: string,
  responseType = 'code',
): Promise<Response> {
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: responseType,
    redirect_uri: redirectUri,
    scope: 'calendar:read',
    resource: `${sandbox.issuer}/api/calendar`,
    state: 'some-state',
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
    code_challenge_method: 'S256',
  }).toString();
  return sandbox.fetch(url);
}

test('RFC 9700 §4.1.3: no non-lab client has its redirect URI matched by prefix; a longer URI gets the error page, never a redirect', async () => {
  const sandbox = await createTestSandbox();
  const clients = nonLab(sandbox).filter((client) => client.redirect_uris.length > 0);
  assert.ok(clients.length >= 4);
  for (const client of clients) {
    for (const registered of client.redirect_uris) {
      for (const longer of [
        `${registered}/../attacker`,
        `${registered}.attacker.example`,
        `${registered}?next=elsewhere`,
      ]) {
        const response = await authorizeTo(sandbox, client, longer, client.response_types[0]);
        assert.equal(response.status, 400, `${client.client_id}: ${longer}`);
        assert.equal(response.headers.get('location'), null);
        assert.match(await response.text(), /invalid_request/);
      }
    }
  }
});

test('RFC 6749 §4.2.2.1: no non-lab client gets response_type=token; the error goes back in the fragment, as before the labs', async () => {
  const sandbox = await createTestSandbox();
  // A client that must push its requests is refused at the PAR endpoint instead (pushed-authorization.test.ts).
  const clients = nonLab(sandbox).filter(
    (client) => client.redirect_uris.length > 0 && !client.require_pushed_authorization_requests,
  );
  for (const client of clients) {
    const response = await authorizeTo(sandbox, client, client.redirect_uris[0]!, 'token');
    const location = new URL(response.headers.get('location') ?? 'about:blank');
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.equal(fragment.get('error'), 'unsupported_response_type', client.client_id);
    assert.equal(fragment.has('access_token'), false);
  }
  // Neither does the strict client of the same lab, nor the lab's implicit client with the token in the query.
  const strict = await authorizeTo(
    sandbox,
    sandbox.client('lab-spa-code'),
    sandbox.client('lab-spa-code').redirect_uris[0]!,
    'token',
  );
  assert.equal(
    new URLSearchParams(new URL(strict.headers.get('location')!).hash.slice(1)).get('error'),
    'unsupported_response_type',
  );
  const implicit = sandbox.client('lab-spa-implicit');
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: implicit.client_id,
    response_type: 'token',
    response_mode: 'query',
    redirect_uri: implicit.redirect_uris[0]!,
    state: 's',
  }).toString();
  const inQuery = new URL((await sandbox.fetch(url)).headers.get('location')!);
  assert.equal(
    new URLSearchParams(inQuery.hash.slice(1)).get('error'),
    'invalid_request',
    'a token response is never put in the query',
  );
  // RFC 8414 §2: the metadata describes the issuer, which offers `token` to no client of its own.
  const metadata = (await (await sandbox.fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as {
    response_types_supported: string[];
  };
  assert.deepEqual(metadata.response_types_supported, ['code', 'id_token', 'id_token token']);
});

test('lab loose-redirect-uri: the prefix-matching client accepts `<registered>/../page`; its strict twin refuses it', async () => {
  const sandbox = await createTestSandbox();
  const weak = sandbox.client('lab-notes-web-prefix');
  const crafted = `${weak.redirect_uris[0]}/../../loose-redirect-uri`;
  const accepted = await authorizeTo(sandbox, weak, crafted);
  assert.equal(accepted.status, 303);
  assert.match(accepted.headers.get('location')!, /\/interaction\//, 'on to the sign-in page');
  const strict = sandbox.client('lab-notes-web-exact');
  const refused = await authorizeTo(sandbox, strict, crafted);
  assert.equal(refused.status, 400);
  assert.equal(refused.headers.get('location'), null);
  // Prefix matching still needs a registered prefix: any other URI is refused for the weak client too.
  const elsewhere = await authorizeTo(sandbox, weak, 'https://attacker.example/callback');
  assert.equal(elsewhere.status, 400);
});

test('lab id-token-replay: the server is not weakened for its client; a request without nonce is refused (OIDC Core §3.2.2.1)', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('lab-members-app');
  assert.deepEqual(client.lab, {slug: 'id-token-replay'});
  assert.equal(mayOmitPkce(client) || skipsRefreshRotation(client), false);
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'id_token',
    response_mode: 'form_post',
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid',
    state: oauth.generateRandomState(),
  }).toString();
  const outcome = await sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
  assert.equal(outcome.formPost?.fields.get('error'), 'invalid_request');
  assert.equal(outcome.formPost?.fields.get('id_token'), null);
});
