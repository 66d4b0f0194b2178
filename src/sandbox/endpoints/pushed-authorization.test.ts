import assert from 'node:assert/strict';
import {test} from 'node:test';
import {importJWK, SignJWT} from 'jose';
import * as oauth from 'oauth4webapi';
import {JWT_BEARER_ASSERTION} from '../checks/client-assertion';
import {MAX_PENDING_PUSHED_REQUESTS} from '../par';
import {clientAuthFor, createTestSandbox, type TestSandbox} from '../test-fixture';

const WEB_APP = 'web-app-par';

/** A code + PKCE request's parameters for a client, as it would push them. */
async function requestParams(sandbox: TestSandbox, clientId = WEB_APP, extra: Record<string, string> = {}) {
  const client = sandbox.client(clientId);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const params = {
    response_type: 'code',
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid profile calendar:read',
    audience: `${sandbox.issuer}/api/calendar`,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  };
  return {client, codeVerifier, state, params};
}

/** Pushes with oauth4webapi (RFC 9126 §2) and returns the validated response. */
async function push(sandbox: TestSandbox, clientId = WEB_APP, extra: Record<string, string> = {}) {
  const flow = await requestParams(sandbox, clientId, extra);
  const oauthClient: oauth.Client = {client_id: clientId};
  const response = await oauth.pushedAuthorizationRequest(
    sandbox.as,
    oauthClient,
    clientAuthFor(flow.client),
    flow.params,
    sandbox.options,
  );
  const pushed = await oauth.processPushedAuthorizationResponse(sandbox.as, oauthClient, response);
  return {...flow, oauthClient, response, pushed};
}

/** The front-channel URL: client_id and request_uri only (RFC 9126 §4). */
function authorizationUrl(
  sandbox: TestSandbox,
  clientId: string,
  requestUri: string,
  extra: Record<string, string> = {},
) {
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({client_id: clientId, request_uri: requestUri, ...extra}).toString();
  return url;
}

async function authorize(sandbox: TestSandbox, url: URL) {
  return sandbox.browser.authorize(url, {username: 'alice', password: 'wonderland-42'});
}

/** POST /par by hand, for the refusals oauth4webapi would not send. */
async function pushRaw(sandbox: TestSandbox, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await sandbox.fetch(`${sandbox.issuer}/par`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded', ...headers},
    body: new URLSearchParams(fields).toString(),
  });
  return {status: response.status, body: (await response.json()) as Record<string, string>};
}

const basic = (id: string, secret: string) => ({authorization: `Basic ${btoa(`${id}:${secret}`)}`});
const webAppAuth = (sandbox: TestSandbox) => basic(WEB_APP, sandbox.client(WEB_APP).client_secret!);

test('RFC 9126: oauth4webapi pushes, the browser carries only the request_uri, and the code is exchanged', async () => {
  const sandbox = await createTestSandbox();
  const flow = await push(sandbox);
  assert.equal(flow.response.status, 201);
  assert.equal(flow.response.headers.get('cache-control'), 'no-store');
  assert.match(flow.pushed.request_uri, /^urn:ietf:params:oauth:request_uri:[\w-]{43}$/);
  assert.equal(flow.pushed.expires_in, 60);
  const url = authorizationUrl(sandbox, WEB_APP, flow.pushed.request_uri);
  assert.deepEqual([...url.searchParams.keys()], ['client_id', 'request_uri'], 'nothing else in the URL');
  const outcome = await authorize(sandbox, url);
  assert.ok(outcome.callbackUrl, `came back: ${outcome.response.status}`);
  assert.equal(`${outcome.callbackUrl.origin}${outcome.callbackUrl.pathname}`, flow.client.redirect_uris[0]);
  const params = oauth.validateAuthResponse(sandbox.as, flow.oauthClient, outcome.callbackUrl, flow.state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    sandbox.as,
    flow.oauthClient,
    await oauth.authorizationCodeGrantRequest(
      sandbox.as,
      flow.oauthClient,
      clientAuthFor(flow.client),
      params,
      flow.client.redirect_uris[0]!,
      flow.codeVerifier,
      sandbox.options,
    ),
    {requireIdToken: true},
  );
  assert.equal(tokens.scope, 'openid profile calendar:read');
});

test('RFC 9126 §4: a request_uri is used once; a second use is invalid_request_uri, on the sandbox page', async () => {
  const sandbox = await createTestSandbox();
  const {pushed} = await push(sandbox);
  const url = authorizationUrl(sandbox, WEB_APP, pushed.request_uri);
  assert.ok((await authorize(sandbox, url)).callbackUrl);
  const again = await sandbox.fetch(url);
  assert.equal(again.status, 400);
  assert.equal(again.headers.get('location'), null, 'never redirected');
  assert.match(
    await again.text(),
    /<code>invalid_request_uri<\/code>: the request_uri is unknown, has expired or was used/,
  );
  // Two at once: one gets it.
  const twice = authorizationUrl(sandbox, WEB_APP, (await push(sandbox)).pushed.request_uri);
  const statuses = await Promise.all([1, 2].map(async () => (await sandbox.fetch(twice)).status));
  assert.deepEqual(statuses.sort(), [303, 400]);
});

test('RFC 9126 §2.2, §4: an expired or unknown request_uri is invalid_request_uri', async () => {
  const sandbox = await createTestSandbox();
  const {pushed} = await push(sandbox);
  sandbox.advance(61);
  const expired = await sandbox.fetch(authorizationUrl(sandbox, WEB_APP, pushed.request_uri));
  assert.equal(expired.status, 400);
  assert.match(await expired.text(), /invalid_request_uri/);
  for (const requestUri of ['urn:ietf:params:oauth:request_uri:nope', 'https://client.test/request.jwt', 'x']) {
    const unknown = await sandbox.fetch(authorizationUrl(sandbox, WEB_APP, requestUri));
    assert.equal(unknown.status, 400, requestUri);
    assert.match(await unknown.text(), /invalid_request_uri/, requestUri);
  }
  const noClient = await sandbox.fetch(
    `${sandbox.issuer}/authorize?request_uri=${encodeURIComponent(pushed.request_uri)}`,
  );
  assert.equal(noClient.status, 400);
  assert.match(await noClient.text(), /client_id is missing/);
});

test("RFC 9126 §4: another client's request_uri is refused, and stays usable by its own client", async () => {
  const sandbox = await createTestSandbox();
  const {pushed} = await push(sandbox);
  const stolen = await sandbox.fetch(authorizationUrl(sandbox, 'regular-web-app', pushed.request_uri));
  assert.equal(stolen.status, 400);
  assert.equal(stolen.headers.get('location'), null);
  assert.match(await stolen.text(), /invalid_request_uri<\/code>: the request_uri was pushed by another client/);
  assert.ok((await authorize(sandbox, authorizationUrl(sandbox, WEB_APP, pushed.request_uri))).callbackUrl);
});

test('RFC 9126 §4: only the pushed parameters count; others in the front channel are ignored', async () => {
  const sandbox = await createTestSandbox();
  const flow = await push(sandbox);
  const url = authorizationUrl(sandbox, WEB_APP, flow.pushed.request_uri, {
    state: 'from-the-url',
    redirect_uri: 'https://attacker.test/cb',
    scope: 'openid contacts:read',
  });
  const outcome = await authorize(sandbox, url);
  assert.ok(outcome.callbackUrl);
  assert.equal(outcome.callbackUrl.origin, new URL(flow.client.redirect_uris[0]!).origin);
  assert.equal(outcome.callbackUrl.searchParams.get('state'), flow.state);
});

test('RFC 9126 §6: a client registered with require_pushed_authorization_requests cannot send a plain request', async () => {
  const sandbox = await createTestSandbox();
  assert.equal(sandbox.client(WEB_APP).require_pushed_authorization_requests, true);
  const {params} = await requestParams(sandbox);
  const url = new URL(sandbox.as.authorization_endpoint!);
  url.search = new URLSearchParams({client_id: WEB_APP, ...params}).toString();
  const response = await sandbox.fetch(url);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null, 'not redirected: nothing was verified');
  assert.match(
    await response.text(),
    /invalid_request<\/code>: client web-app-par must push its authorization requests/,
  );
  // Clients without the flag may still send plain requests, or push them.
  const plain = await requestParams(sandbox, 'regular-web-app');
  url.search = new URLSearchParams({client_id: 'regular-web-app', ...plain.params}).toString();
  assert.ok((await authorize(sandbox, url)).callbackUrl);
  const pushed = await push(sandbox, 'regular-web-app');
  assert.ok(
    (await authorize(sandbox, authorizationUrl(sandbox, 'regular-web-app', pushed.pushed.request_uri))).callbackUrl,
  );
});

test('RFC 9126 §2: a public client pushes with its client_id; the parameters are checked as at /authorize', async () => {
  const sandbox = await createTestSandbox();
  const spa = await push(sandbox, 'spa');
  assert.ok((await authorize(sandbox, authorizationUrl(sandbox, 'spa', spa.pushed.request_uri))).callbackUrl);
  const {params} = await requestParams(sandbox);
  const auth = webAppAuth(sandbox);
  // §2.1: request_uri must not be pushed.
  assert.deepEqual(await pushRaw(sandbox, {...params, request_uri: 'urn:x'}, auth), {
    status: 400,
    body: {error: 'invalid_request', error_description: 'request_uri must not be pushed (RFC 9126 section 2.1)'},
  });
  // §2.3: the authorization endpoint's checks, answered as JSON errors; nothing is redirected.
  const unregistered = await pushRaw(sandbox, {...params, redirect_uri: 'https://attacker.test/cb'}, auth);
  assert.equal(unregistered.status, 400);
  assert.equal(unregistered.body.error, 'invalid_request');
  assert.match(unregistered.body.error_description!, /is not registered/);
  const {code_challenge: _challenge, ...withoutPkce} = params;
  assert.equal((await pushRaw(sandbox, withoutPkce, auth)).body.error, 'invalid_request');
  assert.equal(
    (await pushRaw(sandbox, {...params, response_type: 'token'}, auth)).body.error,
    'unsupported_response_type',
  );
  assert.equal((await pushRaw(sandbox, {...params, scope: 'openid nope'}, auth)).body.error, 'invalid_scope');
  // Client authentication as at the token endpoint (RFC 9126 §2, RFC 6749 §2.3).
  const wrongSecret = await pushRaw(sandbox, params, basic(WEB_APP, 'wrong'));
  assert.equal(wrongSecret.status, 401);
  assert.equal(wrongSecret.body.error, 'invalid_client');
  assert.equal(
    (await pushRaw(sandbox, {...params, client_id: WEB_APP})).status,
    401,
    'confidential: must authenticate',
  );
  assert.equal((await pushRaw(sandbox, params)).status, 401, 'no client at all');
});

test('RFC 9126 §2 with RFC 7523 §2.2: a private_key_jwt client authenticates its push with an assertion for the PAR URL', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client('m2m-private-key-jwt');
  const key = await importJWK(client.private_jwk!, 'ES256');
  const now = Math.floor(sandbox.now() / 1000);
  const assertion = await new SignJWT({jti: crypto.randomUUID()})
    .setProtectedHeader({alg: 'ES256', kid: client.private_jwk!.kid})
    .setIssuer(client.client_id)
    .setSubject(client.client_id)
    .setAudience(`${sandbox.issuer}/par`)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(key);
  const {params} = await requestParams(sandbox);
  const fields = {
    ...params,
    client_id: client.client_id,
    client_assertion_type: JWT_BEARER_ASSERTION,
    client_assertion: assertion,
  };
  // Authenticated; refused only because this job has no redirect URI (it has no authorization code grant).
  const refused = await pushRaw(sandbox, fields);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'invalid_request');
  assert.match(refused.body.error_description!, /is not registered for m2m-private-key-jwt/);
  // The assertion's jti is spent, at this endpoint as at any other.
  assert.equal((await pushRaw(sandbox, fields)).body.error, 'invalid_client');
});

test('RFC 9126 §2: pending pushed requests are capped, then forgotten as they expire', async () => {
  const sandbox = await createTestSandbox();
  const now = Math.floor(sandbox.now() / 1000);
  await sandbox.store.set(
    'par:pending',
    {expiries: Array.from({length: MAX_PENDING_PUSHED_REQUESTS}, () => now + 60)},
    60,
  );
  const {params} = await requestParams(sandbox);
  const full = await pushRaw(sandbox, params, webAppAuth(sandbox));
  assert.equal(full.status, 503);
  assert.equal(full.body.error, 'temporarily_unavailable');
  sandbox.advance(61);
  await sandbox.store.set(
    'par:pending',
    {expiries: Array.from({length: MAX_PENDING_PUSHED_REQUESTS}, () => now + 60)},
    600,
  );
  assert.equal((await pushRaw(sandbox, params, webAppAuth(sandbox))).status, 201);
});

test('RFC 9126 §5: discovery names the endpoint, which oauth4webapi uses', async () => {
  const {as, issuer} = await createTestSandbox();
  assert.equal(as.pushed_authorization_request_endpoint, `${issuer}/par`);
  assert.equal(as.require_pushed_authorization_requests, false);
});

test('the endpoints description states the request_uri prefix and lifetime the endpoint uses', async () => {
  const described = await import('../endpoints-description/pushed-authorization');
  const used = await import('../par');
  assert.equal(described.REQUEST_URI_PREFIX, used.REQUEST_URI_PREFIX);
  assert.equal(described.PUSHED_REQUEST_LIFETIME, used.PUSHED_REQUEST_LIFETIME);
});
