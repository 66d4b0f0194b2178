import assert from 'node:assert/strict';
import {test} from 'node:test';
import {calculateJwkThumbprint, decodeProtectedHeader} from 'jose';
import * as oauth from 'oauth4webapi';
import {createSandbox} from '../app';
import {createMemoryStore} from '../store/memory';
import {createTestSandbox} from '../test-fixture';
import {TEST_ISSUER} from '../testing';

test('OIDC Discovery §4 / RFC 8414 §3: both metadata documents validate with oauth4webapi', async () => {
  const sandbox = await createTestSandbox();
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    const response = await oauth.discoveryRequest(new URL(TEST_ISSUER), {...sandbox.options, algorithm});
    const as = await oauth.processDiscoveryResponse(new URL(TEST_ISSUER), response);
    assert.equal(as.issuer, TEST_ISSUER);
  }
});

test('RFC 8414 §2: the metadata advertises exactly what is supported', async () => {
  const {as} = await createTestSandbox();
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(as.response_types_supported, ['code', 'id_token', 'id_token token']);
  assert.deepEqual(as.response_modes_supported, ['query', 'fragment', 'form_post']);
  assert.deepEqual([...as.grant_types_supported!].sort(), [
    'authorization_code',
    'client_credentials',
    'implicit',
    'password',
    'refresh_token',
    'urn:ietf:params:oauth:grant-type:device_code',
  ]);
  assert.deepEqual(as.token_endpoint_auth_methods_supported, [
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'none',
  ]);
  // RFC 8414 §2, RFC 7523 §3
  assert.deepEqual(as.token_endpoint_auth_signing_alg_values_supported, ['ES256', 'PS256', 'RS256']);
  // RFC 9126 §5: PAR is offered, and required only of the clients registered so (§6).
  assert.equal(as.pushed_authorization_request_endpoint, `${TEST_ISSUER}/par`);
  assert.equal(as.require_pushed_authorization_requests, false);
  assert.deepEqual(as.id_token_signing_alg_values_supported, ['RS256']);
  assert.equal(as.authorization_response_iss_parameter_supported, true);
  assert.equal(as.userinfo_endpoint, `${TEST_ISSUER}/userinfo`);
  assert.equal(as.revocation_endpoint, `${TEST_ISSUER}/revoke`);
  assert.equal(as.introspection_endpoint, `${TEST_ISSUER}/introspect`);
  // RFC 8628 §4
  assert.equal(as.device_authorization_endpoint, `${TEST_ISSUER}/device_authorization`);
  assert.ok(as.scopes_supported?.includes('calendar:read'));
});

test('RFC 7517 §5 / RFC 7638: the JWKS holds one RS256 key whose kid is its thumbprint, and tokens name it', async () => {
  const sandbox = await createTestSandbox();
  const {keys} = (await (await sandbox.fetch(`${TEST_ISSUER}/jwks`)).json()) as {keys: Record<string, string>[]};
  assert.equal(keys.length, 1);
  const [key] = keys;
  assert.equal(key!.alg, 'RS256');
  assert.equal(key!.d, undefined, 'no private parts');
  assert.equal(key!.kid, await calculateJwkThumbprint({kty: key!.kty!, n: key!.n!, e: key!.e!}));
  const token = await sandbox.fetch(`${TEST_ISSUER}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa('m2m-cron:m2m-cron-secret-5bd1e8')}`,
    },
    body: `grant_type=client_credentials&audience=${encodeURIComponent(`${TEST_ISSUER}/api/calendar`)}`,
  });
  const {access_token} = (await token.json()) as {access_token: string};
  assert.deepEqual(decodeProtectedHeader(access_token), {alg: 'RS256', typ: 'at+jwt', kid: key!.kid});
});

test('Signing keys persist in the Store across app restarts and are regenerated after /reset', async () => {
  const store = createMemoryStore();
  const jwks = async (app: ReturnType<typeof createSandbox>) =>
    ((await (await app.request(`${TEST_ISSUER}/jwks`)).json()) as {keys: {kid: string}[]}).keys[0]!.kid;
  const first = createSandbox({issuer: TEST_ISSUER, store});
  const kid = await jwks(first);
  const restarted = createSandbox({issuer: TEST_ISSUER, store});
  assert.equal(await jwks(restarted), kid);
  const reset = await restarted.request(`${TEST_ISSUER}/reset`, {
    method: 'POST',
    headers: {'sandbox-reset': 'confirm'},
  });
  assert.equal(reset.status, 200);
  assert.notEqual(await jwks(restarted), kid);
});

test('Concurrent first requests share one generated key', async () => {
  const app = createSandbox({issuer: TEST_ISSUER, store: createMemoryStore()});
  const kids = await Promise.all(
    Array.from(
      {length: 4},
      async () => ((await (await app.request(`${TEST_ISSUER}/jwks`)).json()) as {keys: {kid: string}[]}).keys[0]!.kid,
    ),
  );
  assert.equal(new Set(kids).size, 1);
});

test('GET /catalog describes the demo world with RFC 7591 metadata names', async () => {
  const {catalog} = await createTestSandbox();
  assert.deepEqual(
    catalog.clients.filter((client) => client.lab === undefined).map((client) => client.client_id),
    [
      'm2m-cron',
      'regular-web-app',
      'trusted-first-party',
      'spa',
      'spa-dpop',
      'spa-dpop-nonce',
      'native-app',
      'form-post-app',
      'calendar-api',
      'tv-app',
      'tv-app-quick-expiry',
      'meeting-room-display',
      'web-app-par',
      'm2m-private-key-jwt',
    ],
  );
  // The security labs' clients come after the demo clients, each naming its lab (labs.test.ts checks them).
  assert.deepEqual(
    catalog.clients.filter((client) => client.lab !== undefined).map((client) => client.client_id),
    [
      'lab-notes-app',
      'lab-flashlight-app',
      'lab-spa-no-rotation',
      'lab-spa-rotation',
      'lab-trip-planner',
      'lab-notes-web-prefix',
      'lab-notes-web-exact',
      'lab-spa-implicit',
      'lab-spa-code',
      'lab-planner',
      'lab-members-app',
      'lab-tv-unconfirmed',
      'lab-tv-confirmed',
    ],
  );
  // RFC 8628: every client of the device grant says how long its codes live and how often it may poll.
  for (const client of catalog.clients) {
    const device = client.grant_types.includes('urn:ietf:params:oauth:grant-type:device_code');
    assert.equal(client.device_flow !== undefined, device, client.client_id);
  }
  const spa = catalog.clients.find((client) => client.client_id === 'spa')!;
  assert.equal(spa.token_endpoint_auth_method, 'none');
  assert.equal(spa.client_secret, undefined);
  assert.deepEqual(spa.redirect_uris, [
    'https://docs.test/flows/authorization-code-pkce',
    'https://docs.test/concepts/multiple-audiences',
    'https://docs.test/concepts/refresh-tokens',
    'https://docs.test/concepts/try-the-endpoints',
  ]);
  assert.deepEqual(
    catalog.users.map((user) => [user.username, user.password]),
    [
      ['alice', 'wonderland-42'],
      ['bob', 'builder-7'],
    ],
  );
  // RFC 9700 §2.1.1: every client of the code flow, public or confidential, is flagged as needing PKCE,
  // but for the code-interception lab's victim app, whose lab turns PKCE off (sandbox/labs.ts).
  for (const client of catalog.clients.filter((candidate) => candidate.grant_types.includes('authorization_code'))) {
    assert.equal(client.require_pkce, client.lab?.weakness !== 'pkce-optional', client.client_id);
  }
  assert.deepEqual(
    catalog.apis.map((api) => api.identifier),
    [`${TEST_ISSUER}/api/calendar`, `${TEST_ISSUER}/api/contacts`],
  );
});

test('siteUrl defaults to the issuer minus its last path segment', async () => {
  const app = createSandbox({issuer: 'https://example.test/docs/sandbox', store: createMemoryStore()});
  const catalog = (await (await app.request('https://example.test/docs/sandbox/catalog')).json()) as {
    clients: {client_id: string; redirect_uris: string[]}[];
  };
  assert.equal(
    catalog.clients.find((client) => client.client_id === 'spa')!.redirect_uris[0],
    'https://example.test/docs/flows/authorization-code-pkce',
  );
});

test('CORS: allowed origins get the headers, with WWW-Authenticate exposed; others do not', async () => {
  const sandbox = await createTestSandbox({corsOrigins: ['https://docs.test']});
  const allowed = await sandbox.fetch(`${TEST_ISSUER}/.well-known/openid-configuration`, {
    headers: {origin: 'https://docs.test'},
  });
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://docs.test');
  assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
  const other = await sandbox.fetch(`${TEST_ISSUER}/.well-known/openid-configuration`, {
    headers: {origin: 'https://evil.test'},
  });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  const preflight = await sandbox.fetch(`${TEST_ISSUER}/token`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://docs.test',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://docs.test');
});

test('POST /reset refuses a post the browser marks as cross-site, and any post without its header (what a form cannot send)', async () => {
  const app = createSandbox({issuer: TEST_ISSUER, store: createMemoryStore()});
  const confirm = {'sandbox-reset': 'confirm'};
  const crossSite = await app.request(`${TEST_ISSUER}/reset`, {
    method: 'POST',
    headers: {...confirm, 'sec-fetch-site': 'cross-site'},
  });
  assert.equal(crossSite.status, 403);
  // What an auto-submitting text/plain form on another site sends; a Service Worker sees no Sec-Fetch-Site.
  const form = await app.request(`${TEST_ISSUER}/reset`, {
    method: 'POST',
    headers: {'content-type': 'text/plain'},
    body: 'x=1',
  });
  assert.equal(form.status, 403);
  assert.equal(((await form.json()) as {error: string}).error, 'access_denied');
  const sameSite = await app.request(`${TEST_ISSUER}/reset`, {
    method: 'POST',
    headers: {...confirm, 'sec-fetch-site': 'same-site'},
  });
  assert.equal(sameSite.status, 200);
});
