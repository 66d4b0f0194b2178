import assert from 'node:assert/strict';
import {test} from 'node:test';
import {generateKeyPair, importJWK, SignJWT, type JWTPayload} from 'jose';
import * as oauth from 'oauth4webapi';
import {createMemoryStore} from '../store/memory';
import {createTestSandbox, type TestSandbox} from '../test-fixture';
import {JWT_BEARER_ASSERTION, MAX_REMEMBERED_ASSERTIONS} from './client-assertion';

const CLIENT_ID = 'm2m-private-key-jwt';

/** The demo client's private key, as a walkthrough takes it from the catalog. */
async function privateKeyOf(sandbox: TestSandbox): Promise<oauth.PrivateKey> {
  const jwk = sandbox.client(CLIENT_ID).private_jwk!;
  return {key: (await importJWK(jwk, 'ES256')) as CryptoKey, kid: jwk.kid};
}

/** A client assertion as RFC 7523 §3 describes it, with any claim overridden (undefined removes it). */
async function assertion(
  sandbox: TestSandbox,
  claims: Partial<Record<keyof JWTPayload, unknown>> = {},
  key?: CryptoKey,
): Promise<string> {
  const now = Math.floor(sandbox.now() / 1000);
  const payload = Object.fromEntries(
    Object.entries({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: sandbox.issuer,
      jti: crypto.randomUUID(),
      iat: now,
      exp: now + 60,
      ...claims,
    }).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(payload)
    .setProtectedHeader({alg: 'ES256', kid: sandbox.client(CLIENT_ID).private_jwk!.kid})
    .sign(key ?? (await privateKeyOf(sandbox)).key);
}

async function token(sandbox: TestSandbox, fields: Record<string, string>, init: RequestInit = {}) {
  const response = await sandbox.fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    ...init,
    headers: {'content-type': 'application/x-www-form-urlencoded', ...(init.headers as Record<string, string>)},
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      audience: `${sandbox.issuer}/api/calendar`,
      ...fields,
    }).toString(),
  });
  return {status: response.status, body: (await response.json()) as Record<string, string>};
}

const withAssertion = (clientAssertion: string) => ({
  client_assertion_type: JWT_BEARER_ASSERTION,
  client_assertion: clientAssertion,
});

test('RFC 7591 §2: the catalog publishes the private_key_jwt client with its jwks and, for the sandbox, its private key', async () => {
  const sandbox = await createTestSandbox();
  const client = sandbox.client(CLIENT_ID);
  assert.equal(client.token_endpoint_auth_method, 'private_key_jwt');
  assert.equal(client.client_secret, undefined);
  assert.equal(client.jwks?.keys.length, 1);
  const [publicJwk] = client.jwks?.keys ?? [];
  assert.ok(publicJwk);
  assert.deepEqual(Object.keys(publicJwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  assert.equal(publicJwk.alg, 'ES256');
  assert.deepEqual({...client.private_jwk, d: undefined}, {...publicJwk, d: undefined});
  // Kept in the Store: the same key on the next read, and in another app over the same Store (a restart).
  const again = (await (await sandbox.fetch(`${sandbox.issuer}/catalog`)).json()) as typeof sandbox.catalog;
  assert.deepEqual(again.clients.find((candidate) => candidate.client_id === CLIENT_ID)!.jwks, client.jwks);
  const restarted = await createTestSandbox({store: sandbox.store});
  assert.deepEqual(restarted.client(CLIENT_ID).jwks, client.jwks);
  // A reset makes a new one; another sandbox has its own.
  await sandbox.fetch(`${sandbox.issuer}/reset`, {method: 'POST', headers: {'Sandbox-Reset': 'confirm'}});
  const afterReset = (await (await sandbox.fetch(`${sandbox.issuer}/catalog`)).json()) as typeof sandbox.catalog;
  assert.notDeepEqual(afterReset.clients.find((candidate) => candidate.client_id === CLIENT_ID)!.jwks, client.jwks);
  assert.notDeepEqual((await createTestSandbox()).client(CLIENT_ID).jwks, client.jwks);
});

test('RFC 8414 §2: discovery lists private_key_jwt and the assertion signing algorithms', async () => {
  const {as} = await createTestSandbox();
  assert.ok(as.token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
  assert.deepEqual(as.token_endpoint_auth_signing_alg_values_supported, ['ES256', 'PS256', 'RS256']);
  assert.ok(as.introspection_endpoint_auth_methods_supported?.includes('private_key_jwt'));
  assert.ok(as.revocation_endpoint_auth_methods_supported?.includes('private_key_jwt'));
});

test('RFC 7523 §2.2: oauth4webapi as the client, PrivateKeyJwt, gets a client_credentials token', async () => {
  const sandbox = await createTestSandbox();
  const client: oauth.Client = {client_id: CLIENT_ID};
  const audience = `${sandbox.issuer}/api/calendar`;
  const response = await oauth.clientCredentialsGrantRequest(
    sandbox.as,
    client,
    oauth.PrivateKeyJwt(await privateKeyOf(sandbox)),
    {audience, scope: 'calendar:read'},
    sandbox.options,
  );
  const tokens = await oauth.processClientCredentialsResponse(sandbox.as, client, response);
  const claims = await oauth.validateJwtAccessToken(
    sandbox.as,
    new Request(`${audience}/events`, {headers: {authorization: `Bearer ${tokens.access_token}`}}),
    audience,
    sandbox.options,
  );
  assert.equal(claims.client_id, CLIENT_ID);
  assert.equal(claims.sub, CLIENT_ID);
});

test('RFC 7523 §3: aud may be the issuer, the token endpoint or the endpoint receiving it; any other is invalid_client', async () => {
  const sandbox = await createTestSandbox();
  for (const aud of [sandbox.issuer, `${sandbox.issuer}/token`, [`${sandbox.issuer}/token`, 'https://other.test']]) {
    const {status} = await token(sandbox, withAssertion(await assertion(sandbox, {aud})));
    assert.equal(status, 200, JSON.stringify(aud));
  }
  const intro = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      token: 'not-a-token',
      ...withAssertion(await assertion(sandbox, {aud: `${sandbox.issuer}/introspect`})),
    }).toString(),
  });
  assert.equal(intro.status, 200, 'introspection accepts its own URL as aud');
  for (const aud of ['https://other.test', `${sandbox.issuer}/introspect`, undefined]) {
    const {status, body} = await token(sandbox, withAssertion(await assertion(sandbox, {aud})));
    assert.equal(status, 401, String(aud));
    assert.equal(body.error, 'invalid_client');
  }
  const wrong = await token(sandbox, withAssertion(await assertion(sandbox, {aud: 'https://other.test'})));
  assert.match(wrong.body.error_description!, /aud must be the issuer or the token endpoint URL/);
});

test('RFC 7523 §3: an expired assertion, one without exp, or one living too long is invalid_client', async () => {
  const sandbox = await createTestSandbox();
  const now = Math.floor(sandbox.now() / 1000);
  const expired = await token(sandbox, withAssertion(await assertion(sandbox, {iat: now - 120, exp: now - 60})));
  assert.deepEqual(expired, {
    status: 401,
    body: {error: 'invalid_client', error_description: 'client_assertion refused: it has expired (exp is past)'},
  });
  // Made now, sent after it expired.
  const later = await assertion(sandbox);
  sandbox.advance(120);
  assert.equal((await token(sandbox, withAssertion(later))).body.error, 'invalid_client');
  const noExp = await token(sandbox, withAssertion(await assertion(sandbox, {exp: undefined})));
  assert.match(noExp.body.error_description!, /the exp claim is required/);
  const farFuture = await token(sandbox, withAssertion(await assertion(sandbox, {exp: now + 120 + 3600})));
  assert.match(farFuture.body.error_description!, /lives too long/);
});

test('RFC 7523 §3, OIDC Core §9: a jti is used once; a replayed assertion is invalid_client, even concurrently', async () => {
  const sandbox = await createTestSandbox();
  const once = await assertion(sandbox);
  assert.equal((await token(sandbox, withAssertion(once))).status, 200);
  const replay = await token(sandbox, withAssertion(once));
  assert.deepEqual(replay, {
    status: 401,
    body: {error: 'invalid_client', error_description: 'client_assertion was used before: its jti must be new'},
  });
  // The same jti in a new assertion is a replay too.
  const jti = 'fixed-jti';
  assert.equal((await token(sandbox, withAssertion(await assertion(sandbox, {jti})))).status, 200);
  assert.equal((await token(sandbox, withAssertion(await assertion(sandbox, {jti})))).status, 401);
  const twice = await assertion(sandbox);
  const statuses = await Promise.all([1, 2, 3].map(async () => (await token(sandbox, withAssertion(twice))).status));
  assert.deepEqual(statuses.sort(), [200, 401, 401]);
  const noJti = await token(sandbox, withAssertion(await assertion(sandbox, {jti: undefined})));
  assert.match(noJti.body.error_description!, /the jti claim is required/);
});

test('RFC 7523 §3: the jti cache forgets expired assertions and is bounded in size', async () => {
  const store = createMemoryStore();
  const sandbox = await createTestSandbox({store});
  // Fill the cache up to the bound, straight through the Store, as many assertions would.
  const now = Math.floor(sandbox.now() / 1000);
  const seen = Array.from({length: MAX_REMEMBERED_ASSERTIONS}, (_, index) => [`jti-${index}`, now + 60]);
  await store.set(`assertion-jti:${CLIENT_ID}`, {seen}, 300);
  const full = await token(sandbox, withAssertion(await assertion(sandbox)));
  assert.equal(full.status, 503);
  assert.equal(full.body.error, 'temporarily_unavailable');
  // Once those assertions expired, their jtis are forgotten and new assertions go through.
  await store.set(`assertion-jti:${CLIENT_ID}`, {seen: seen.map(([jti]) => [jti, now - 60])}, 300);
  assert.equal((await token(sandbox, withAssertion(await assertion(sandbox)))).status, 200);
  const record = await store.get<{seen: unknown[]}>(`assertion-jti:${CLIENT_ID}`);
  assert.equal(record?.seen.length, 1);
});

test('RFC 7523 §3: iss and sub must be the client_id; the signature must verify with its registered key', async () => {
  const sandbox = await createTestSandbox();
  const sub = await token(sandbox, withAssertion(await assertion(sandbox, {sub: 'someone-else'})));
  assert.match(sub.body.error_description!, /sub must be the client_id/);
  const iss = await token(sandbox, withAssertion(await assertion(sandbox, {iss: 'm2m-cron', sub: 'm2m-cron'})));
  assert.deepEqual(iss, {
    status: 401,
    body: {
      error: 'invalid_client',
      error_description: 'client m2m-cron is registered for client_secret_basic, not private_key_jwt',
    },
  });
  const {privateKey} = await generateKeyPair('ES256');
  const foreign = await token(sandbox, withAssertion(await assertion(sandbox, {}, privateKey)));
  assert.match(foreign.body.error_description!, /the signature does not verify/);
  // alg none and HS256 (a shared secret) are not among the supported algorithms.
  const payload = (await assertion(sandbox)).split('.')[1];
  const none = `${Buffer.from(JSON.stringify({alg: 'none'})).toString('base64url')}.${payload}.`;
  assert.match((await token(sandbox, withAssertion(none))).body.error_description!, /alg must be one of ES256/);
  const unknown = await token(sandbox, withAssertion(await assertion(sandbox, {iss: 'nobody', sub: 'nobody'})));
  assert.equal(unknown.status, 401);
  const garbage = await token(sandbox, withAssertion('not.a.jwt'));
  assert.deepEqual(garbage.body, {error: 'invalid_client', error_description: 'client_assertion is not a signed JWT'});
  const wrongId = await token(sandbox, {...withAssertion(await assertion(sandbox)), client_id: 'm2m-cron'});
  assert.match(wrongId.body.error_description!, /client_id differs/);
});

test('RFC 6749 §2.3: one method per request; a client registered for another method is invalid_client, saying so', async () => {
  const sandbox = await createTestSandbox();
  const both = await token(sandbox, {...withAssertion(await assertion(sandbox)), client_secret: 'x'});
  assert.deepEqual(both.status, 400);
  assert.equal(both.body.error, 'invalid_request');
  const basic = await token(sandbox, withAssertion(await assertion(sandbox)), {
    headers: {authorization: `Basic ${btoa('m2m-cron:m2m-cron-secret-5bd1e8')}`},
  });
  assert.equal(basic.body.error, 'invalid_request');
  const typeOnly = await token(sandbox, {client_assertion_type: JWT_BEARER_ASSERTION, client_id: CLIENT_ID});
  assert.equal(typeOnly.body.error, 'invalid_request');
  const otherType = await token(sandbox, {
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
    client_assertion: await assertion(sandbox),
  });
  assert.equal(otherType.status, 401);
  // The reverse: the private_key_jwt client with a secret, or with nothing.
  const secret = await token(sandbox, {client_id: CLIENT_ID, client_secret: 'guess'});
  assert.equal(secret.status, 401);
  assert.match(secret.body.error_description!, /registered for private_key_jwt/);
  const viaBasic = await token(sandbox, {}, {headers: {authorization: `Basic ${btoa(`${CLIENT_ID}:guess`)}`}});
  assert.equal(viaBasic.status, 401);
  assert.match(viaBasic.body.error_description!, /registered for private_key_jwt/);
  const bare = await token(sandbox, {client_id: CLIENT_ID});
  assert.match(bare.body.error_description!, /registered for private_key_jwt/);
});
