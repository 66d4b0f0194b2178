import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as oauth from 'oauth4webapi';
import {createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet} from 'jose';
import {authorizeWithPkce, createTestSandbox, loginWithPkce, type TestSandbox} from '../test-fixture';
import {halfHash} from '../tokens';

function authorizeUrl(sandbox: TestSandbox, params: Record<string, string>): URL {
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams(params).toString();
  return url;
}

const pkce = {code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256'};

test('RFC 6749 §4.1.2.1: an unknown client_id is an error page at the server, never a redirect', async () => {
  const sandbox = await createTestSandbox();
  const response = await sandbox.fetch(
    authorizeUrl(sandbox, {client_id: 'nobody', response_type: 'code', redirect_uri: 'https://evil.test/cb', ...pkce}),
  );
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(response.headers.get('content-type')!, /text\/html/);
  assert.match(await response.text(), /unknown client_id nobody/);
});

test('RFC 6749 §4.1.2.1: an unregistered redirect_uri is an error page, never a redirect', async () => {
  const sandbox = await createTestSandbox();
  for (const redirect_uri of ['https://evil.test/cb', `${sandbox.client('spa').redirect_uris[0]}/extra`, '']) {
    const response = await sandbox.fetch(
      authorizeUrl(sandbox, {client_id: 'spa', response_type: 'code', redirect_uri, ...pkce}),
    );
    assert.equal(response.status, 400, redirect_uri);
    assert.equal(response.headers.get('location'), null);
  }
});

test('RFC 6749 §3.1: a repeated redirect_uri is an error page; other repeated parameters go back as invalid_request', async () => {
  const sandbox = await createTestSandbox();
  const redirect = sandbox.client('spa').redirect_uris[0]!;
  const repeatedRedirect = await sandbox.fetch(
    `${sandbox.as.authorization_endpoint}?client_id=spa&redirect_uri=${encodeURIComponent(redirect)}&redirect_uri=${encodeURIComponent(redirect)}`,
  );
  assert.equal(repeatedRedirect.status, 400);
  const repeatedScope = await sandbox.fetch(
    `${sandbox.as.authorization_endpoint}?client_id=spa&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&scope=openid&scope=email&state=s1`,
  );
  assert.equal(repeatedScope.status, 303);
  const location = new URL(repeatedScope.headers.get('location')!);
  assert.equal(location.searchParams.get('error'), 'invalid_request');
  assert.equal(location.searchParams.get('state'), 's1');
  assert.equal(location.searchParams.get('iss'), sandbox.issuer, 'RFC 9207: iss on error responses too');
});

test('RFC 8252 §7.3: a loopback redirect URI matches on any port', async () => {
  const sandbox = await createTestSandbox();
  const {outcome} = await authorizeWithPkce(sandbox, {
    clientId: 'native-app',
    redirectUri: 'http://127.0.0.1:53127/callback',
  });
  assert.equal(outcome.callbackUrl?.origin, 'http://127.0.0.1:53127');
  assert.ok(outcome.callbackUrl?.searchParams.get('code'));
  const wrongPath = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'native-app',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:53127/other',
      ...pkce,
    }),
  );
  assert.equal(wrongPath.status, 400);
  const localhostName = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'native-app',
      response_type: 'code',
      redirect_uri: 'http://localhost:53127/callback',
      ...pkce,
    }),
  );
  assert.equal(localhostName.status, 400, 'RFC 8252 §8.3: loopback by IP literal only');
});

test('RFC 8252 §7.1: a private-use URI scheme redirect works for the native app', async () => {
  const sandbox = await createTestSandbox();
  const {outcome} = await authorizeWithPkce(sandbox, {
    clientId: 'native-app',
    redirectUri: 'com.example.oauthflows:/callback',
  });
  assert.equal(outcome.callbackUrl?.protocol, 'com.example.oauthflows:');
  assert.ok(outcome.callbackUrl?.searchParams.get('code'));
});

test('OIDC Core §3.1.2.6: prompt=none without a session is login_required', async () => {
  const sandbox = await createTestSandbox();
  const {outcome} = await authorizeWithPkce(sandbox, {extra: {prompt: 'none'}});
  assert.deepEqual(outcome.pages, []);
  assert.equal(outcome.callbackUrl?.searchParams.get('error'), 'login_required');
});

test('OIDC Core §3.1.2.6: prompt=none with a session but no consent is consent_required', async () => {
  const sandbox = await createTestSandbox();
  await loginWithPkce(sandbox, {scope: 'openid'});
  const {outcome} = await authorizeWithPkce(sandbox, {scope: 'openid email', extra: {prompt: 'none'}});
  assert.equal(outcome.callbackUrl?.searchParams.get('error'), 'consent_required');
});

test('OIDC Core §3.1.2.6: prompt=none with session and consent answers without any page', async () => {
  const sandbox = await createTestSandbox();
  await loginWithPkce(sandbox);
  const {outcome} = await authorizeWithPkce(sandbox, {extra: {prompt: 'none'}});
  assert.deepEqual(outcome.pages, []);
  assert.ok(outcome.callbackUrl?.searchParams.get('code'));
});

test('SSO: a second authorization skips the login page, and a remembered consent skips the consent page', async () => {
  const sandbox = await createTestSandbox();
  const first = await loginWithPkce(sandbox);
  assert.deepEqual(first.outcome.pages, ['login', 'consent']);
  const second = await loginWithPkce(sandbox);
  assert.deepEqual(second.outcome.pages, []);
  const wider = await loginWithPkce(sandbox, {scope: 'openid calendar:read calendar:write'});
  assert.deepEqual(wider.outcome.pages, ['consent'], 'new scopes need consent again');
  assert.equal(
    oauth.getValidatedIdTokenClaims(second.tokens)!.auth_time,
    oauth.getValidatedIdTokenClaims(first.tokens)!.auth_time,
  );
});

test("SSO in 'store' mode: the single browser session lives in the Store, no cookie needed", async () => {
  const sandbox = await createTestSandbox({session: 'store'});
  await loginWithPkce(sandbox);
  assert.equal(sandbox.browser.cookies.size, 0);
  const again = await loginWithPkce(sandbox);
  assert.deepEqual(again.outcome.pages, []);
});

test('OIDC Core §3.1.2.1: prompt=login forces the login page even with a session', async () => {
  const sandbox = await createTestSandbox();
  await loginWithPkce(sandbox);
  const {outcome} = await authorizeWithPkce(sandbox, {extra: {prompt: 'login'}});
  assert.deepEqual(outcome.pages, ['login']);
  assert.ok(outcome.callbackUrl?.searchParams.get('code'));
});

test('RFC 6749 §4.1.2.1: Deny on the consent page is access_denied, with state and iss', async () => {
  const sandbox = await createTestSandbox();
  const flow = await authorizeWithPkce(sandbox);
  assert.ok(flow.outcome.callbackUrl);
  const denied = await createTestSandbox();
  const url = flow.authorizationUrl.href.replace(sandbox.issuer, denied.issuer);
  const outcome = await denied.browser.authorize(url, {username: 'alice', password: 'wonderland-42', consent: 'deny'});
  assert.equal(outcome.callbackUrl?.searchParams.get('error'), 'access_denied');
  assert.equal(outcome.callbackUrl?.searchParams.get('state'), flow.state);
  assert.equal(outcome.callbackUrl?.searchParams.get('iss'), denied.issuer);
});

test('The login page refuses a wrong password and a forged form (CSRF value)', async () => {
  const sandbox = await createTestSandbox();
  const {outcome} = await authorizeWithPkce(sandbox, {password: 'wrong'});
  assert.equal(outcome.response.status, 200);
  assert.match(await outcome.response.text(), /role="alert">Wrong username or password/);
  const start = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: sandbox.client('spa').redirect_uris[0]!,
      ...pkce,
    }),
  );
  const loginUrl = start.headers.get('location')!;
  const forged = await sandbox.fetch(loginUrl, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({csrf: 'forged', username: 'alice', password: 'wonderland-42'}).toString(),
  });
  assert.equal(forged.status, 400);
});

test("CSRF on the login form: a post from another site is refused, even with the interaction's CSRF value (login CSRF)", async () => {
  const sandbox = await createTestSandbox();
  for (const headers of [{origin: 'https://evil.test'}, {'sec-fetch-site': 'cross-site'}] as Record<string, string>[]) {
    const start = await sandbox.fetch(
      authorizeUrl(sandbox, {
        client_id: 'spa',
        response_type: 'code',
        redirect_uri: sandbox.client('spa').redirect_uris[0]!,
        ...pkce,
      }),
    );
    const loginUrl = start.headers.get('location')!;
    // Whoever started the interaction knows its CSRF value, so that value alone cannot stop login CSRF.
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await sandbox.fetch(loginUrl)).text())![1]!;
    const forged = await sandbox.fetch(loginUrl, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded', ...headers},
      body: new URLSearchParams({csrf, username: 'alice', password: 'wonderland-42', action: 'login'}).toString(),
    });
    assert.equal(forged.status, 400, JSON.stringify(headers));
    assert.equal(forged.headers.get('set-cookie'), null, 'no session was started');
  }
  // A same-origin post (what a browser sends from the sandbox's own page) still works.
  const start = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: sandbox.client('spa').redirect_uris[0]!,
      ...pkce,
    }),
  );
  const loginUrl = start.headers.get('location')!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await sandbox.fetch(loginUrl)).text())![1]!;
  const own = await sandbox.fetch(loginUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(sandbox.issuer).origin,
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({csrf, username: 'alice', password: 'wonderland-42', action: 'login'}).toString(),
  });
  assert.equal(own.status, 303);
});

test("CSRF on the login and consent forms: a transport that says the post came from another origin is final (the worker's verdict)", async () => {
  const sandbox = await createTestSandbox();
  const start = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: sandbox.client('spa').redirect_uris[0]!,
      ...pkce,
    }),
  );
  const loginUrl = start.headers.get('location')!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await sandbox.fetch(loginUrl)).text())![1]!;
  const post = (facts: {sentFromSameOrigin?: boolean}) =>
    sandbox.app.request(
      loginUrl,
      {
        method: 'POST',
        // What a cross-site form under `no-referrer` shows a worker: `Origin: null`, no Sec-Fetch-Site.
        headers: {'content-type': 'application/x-www-form-urlencoded', origin: 'null'},
        body: new URLSearchParams({csrf, username: 'alice', password: 'wonderland-42', action: 'login'}).toString(),
      },
      facts,
    );
  const forged = await post({sentFromSameOrigin: false});
  assert.equal(forged.status, 400);
  assert.match(await forged.text(), /the form was not sent by this sign-in page/);
  const consentUrl = (await post({sentFromSameOrigin: true})).headers.get('location')!;
  assert.match(consentUrl, /\/consent$/);
  const consentCsrf = /name="csrf" value="([^"]+)"/.exec(await (await sandbox.fetch(consentUrl)).text())![1]!;
  const consent = (facts: {sentFromSameOrigin?: boolean}) =>
    sandbox.app.request(
      consentUrl,
      {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({csrf: consentCsrf, decision: 'allow'}).toString(),
      },
      facts,
    );
  assert.equal((await consent({sentFromSameOrigin: false})).status, 400);
  const allowed = await consent({sentFromSameOrigin: true});
  assert.equal(allowed.status, 303);
  assert.match(allowed.headers.get('location')!, /[?&]code=/);
});

test('A post that is not a form (text/plain from another site) is refused like a forged form and leaves the interaction alive', async () => {
  const sandbox = await createTestSandbox();
  const start = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: sandbox.client('spa').redirect_uris[0]!,
      ...pkce,
    }),
  );
  const loginUrl = start.headers.get('location')!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await sandbox.fetch(loginUrl)).text())![1]!;
  const plain = await sandbox.fetch(loginUrl, {
    method: 'POST',
    headers: {'content-type': 'text/plain'},
    body: `csrf=${csrf}&username=alice&password=wonderland-42`,
  });
  assert.equal(plain.status, 400, "the sandbox's own page, not a redirect to the client");
  assert.equal(plain.headers.get('location'), null, 'no error was sent to the client');
  // The interaction is still there: the real form still signs the user in.
  const own = await sandbox.fetch(loginUrl, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({csrf, username: 'alice', password: 'wonderland-42', action: 'login'}).toString(),
  });
  assert.equal(own.status, 303);
});

test('Pages: login and consent pages are complete HTML documents with labels and a main landmark', async () => {
  const sandbox = await createTestSandbox();
  const start = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: sandbox.client('spa').redirect_uris[0]!,
      scope: 'openid calendar:read',
      audience: `${sandbox.issuer}/api/calendar`,
      ...pkce,
    }),
  );
  const login = await (await sandbox.fetch(start.headers.get('location')!)).text();
  assert.match(login, /<html lang="en">/);
  assert.match(login, /<title>Sign in · OAuth sandbox<\/title>/);
  assert.match(login, /<main>/);
  assert.match(login, /<label for="username">Username<\/label>/);
  assert.match(login, /<label for="password">Password<\/label>/);
  assert.match(login, /Acme Single-Page App/);
  assert.match(login, /wonderland-42/, 'the demo credentials are shown');
});

test('RFC 9700 §4.16: the login and error pages refuse to be framed (clickjacking)', async () => {
  const sandbox = await createTestSandbox();
  const start = await sandbox.fetch(
    authorizeUrl(sandbox, {
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: sandbox.client('spa').redirect_uris[0]!,
      scope: 'openid',
      ...pkce,
    }),
  );
  const login = await sandbox.fetch(start.headers.get('location')!);
  const error = await sandbox.fetch(authorizeUrl(sandbox, {client_id: 'nobody'}));
  for (const page of [login, error]) {
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  }
});

test('OAuth 2.0 Form Post Response Mode: id_token token via form_post carries nonce and at_hash', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('form-post-app');
  const nonce = oauth.generateRandomNonce();
  const url = authorizeUrl(sandbox, {
    client_id: client.client_id,
    response_type: 'id_token token',
    response_mode: 'form_post',
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid profile',
    nonce,
    state: 'st-1',
  });
  const {formPost, response} = await sandbox.browser.authorize(url, {username: 'bob', password: 'builder-7'});
  assert.ok(formPost, 'a form_post page');
  const page = await response.text();
  assert.match(page, /document\.forms\[0\]\.submit\(\)/, 'submits itself with JS');
  assert.match(page, /<button type="submit">Continue<\/button>/, 'and has a button without JS');
  assert.equal(formPost.action, client.redirect_uris[0]);
  assert.equal(formPost.fields.get('state'), 'st-1');
  assert.equal(formPost.fields.get('iss'), sandbox.issuer);
  const idToken = formPost.fields.get('id_token')!;
  const accessToken = formPost.fields.get('access_token')!;
  const jwks = createLocalJWKSet((await (await sandbox.fetch(sandbox.as.jwks_uri!)).json()) as JSONWebKeySet);
  const {payload} = await jwtVerify(idToken, jwks, {issuer: sandbox.issuer, audience: client.client_id});
  assert.equal(payload.nonce, nonce);
  assert.equal(payload.at_hash, await halfHash(accessToken));
  assert.equal(decodeJwt(accessToken).sub, 'user-bob');
});

test('OIDC Core §3.2.2.1: the implicit flow requires a nonce and form_post', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('form-post-app');
  const base = {
    client_id: client.client_id,
    response_type: 'id_token',
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid',
    state: 's',
  };
  const noNonce = await sandbox.browser.authorize(authorizeUrl(sandbox, {...base, response_mode: 'form_post'}));
  assert.equal(noNonce.formPost?.fields.get('error'), 'invalid_request');
  const fragment = await sandbox.fetch(authorizeUrl(sandbox, {...base, nonce: 'n'}));
  const location = new URL(fragment.headers.get('location')!);
  assert.equal(
    new URLSearchParams(location.hash.slice(1)).get('error'),
    'invalid_request',
    'errors of token responses go in the fragment',
  );
});

test("One issuance path: the implicit access token is minted like the token endpoint's (RFC 9068) and introspects as active", async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('form-post-app');
  const url = authorizeUrl(sandbox, {
    client_id: client.client_id,
    response_type: 'id_token token',
    response_mode: 'form_post',
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid profile calendar:read',
    // For the calendar API, so that its resource server may introspect it (RFC 7662 §4).
    audience: `${sandbox.issuer}/api/calendar`,
    nonce: 'n-1',
    state: 's-1',
  });
  const {formPost} = await sandbox.browser.authorize(url, {username: 'bob', password: 'builder-7'});
  const accessToken = formPost!.fields.get('access_token')!;
  assert.equal(formPost!.fields.get('token_type'), 'Bearer');
  assert.equal(formPost!.fields.get('expires_in'), '600');
  assert.equal(formPost!.fields.get('refresh_token'), null, 'RFC 6749 §4.2.2: no refresh token');
  assert.equal(decodeProtectedHeader(accessToken).typ, 'at+jwt');
  const claims = decodeJwt(accessToken);
  assert.equal(claims.client_id, client.client_id);
  assert.equal(claims.scope, 'openid profile calendar:read');
  assert.ok(claims.auth_time, 'auth_time from the grant');
  const rs = sandbox.client('calendar-api');
  const introspection = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${rs.client_id}:${rs.client_secret}`)}`,
    },
    body: new URLSearchParams({token: accessToken}).toString(),
  });
  assert.equal(((await introspection.json()) as {active: boolean}).active, true);
});
