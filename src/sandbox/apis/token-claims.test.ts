import assert from 'node:assert/strict';
import {test} from 'node:test';
import {SignJWT} from 'jose';
import {createKeyring, SIGNING_ALG} from '../keys';
import {createMemoryStore} from '../store/memory';
import {createTestSandbox} from '../test-fixture';

/**
 * A token signed with the sandbox's own key, so the signature checks out and only its claims are
 * wrong: what a bug in a minting path, or someone holding the key, would produce.
 */
async function sandboxWithSigner() {
  const store = createMemoryStore();
  const sandbox = await createTestSandbox({store});
  const keys = createKeyring(store);
  // Record<string, unknown>: these tests sign claims that JWTPayload's types rightly forbid.
  const sign = async (claims: Record<string, unknown>) => {
    const key = await keys.signingKey();
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: sandbox.issuer,
      sub: 'user-alice',
      client_id: 'spa',
      jti: crypto.randomUUID(),
      iat,
      exp: iat + 300,
      ...claims,
    })
      .setProtectedHeader({alg: SIGNING_ALG, typ: 'at+jwt', kid: key.kid})
      .sign(key.privateKey);
  };
  return {sandbox, sign};
}

const protectedEndpoints = (issuer: string) => [
  {url: `${issuer}/api/calendar/events`, aud: `${issuer}/api/calendar`, method: 'GET'},
  {url: `${issuer}/api/calendar/events`, aud: `${issuer}/api/calendar`, method: 'POST'},
  {url: `${issuer}/api/contacts/people`, aud: `${issuer}/api/contacts`, method: 'GET'},
  {url: `${issuer}/userinfo`, aud: `${issuer}/userinfo`, method: 'GET'},
  {url: `${issuer}/userinfo`, aud: `${issuer}/userinfo`, method: 'POST'},
];

test('RFC 6750 §3.1: a validly signed token whose scope is not a string is 401 invalid_token at every protected endpoint', async () => {
  const {sandbox, sign} = await sandboxWithSigner();
  for (const endpoint of protectedEndpoints(sandbox.issuer)) {
    for (const scope of [42, ['openid', 'calendar:read'], {openid: true}, null, true]) {
      const token = await sign({aud: endpoint.aud, scope});
      const response = await sandbox.fetch(endpoint.url, {
        method: endpoint.method,
        headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
        ...(endpoint.method === 'POST' ? {body: JSON.stringify({title: 'x', start: '2026-01-01T10:00:00Z'})} : {}),
      });
      const label = `${endpoint.method} ${endpoint.url} with scope ${JSON.stringify(scope)}`;
      assert.equal(response.status, 401, label);
      assert.match(
        response.headers.get('www-authenticate') ?? '',
        /^Bearer realm="[^"]+", error="invalid_token"/,
        label,
      );
      assert.equal(((await response.json()) as {error: string}).error, 'invalid_token', label);
    }
  }
});

test('RFC 9068 §2.2: a validly signed token whose sub, client_id or jti is not a string is 401 invalid_token', async () => {
  const {sandbox, sign} = await sandboxWithSigner();
  for (const claims of [{sub: 7}, {client_id: ['spa']}, {jti: {id: 1}}, {auth_time: 'yesterday'}]) {
    const token = await sign({aud: `${sandbox.issuer}/api/calendar`, scope: 'calendar:read', ...claims});
    const response = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
      headers: {authorization: `Bearer ${token}`},
    });
    assert.equal(response.status, 401, JSON.stringify(claims));
    assert.equal(((await response.json()) as {error: string}).error, 'invalid_token');
  }
});

test('RFC 7662 §2.2: introspecting a validly signed token with a malformed scope says active:false', async () => {
  const {sandbox, sign} = await sandboxWithSigner();
  const token = await sign({aud: `${sandbox.issuer}/api/calendar`, scope: ['calendar:read']});
  const api = sandbox.client('calendar-api');
  const response = await sandbox.fetch(`${sandbox.issuer}/introspect`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${api.client_id}:${api.client_secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({token}).toString(),
  });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {active: false});
});

test('A well-formed token signed the same way is accepted, so the refusals above are about the claims', async () => {
  const {sandbox, sign} = await sandboxWithSigner();
  const token = await sign({aud: `${sandbox.issuer}/api/calendar`, scope: 'calendar:read'});
  const response = await sandbox.fetch(`${sandbox.issuer}/api/calendar/events`, {
    headers: {authorization: `Bearer ${token}`},
  });
  assert.equal(response.status, 200);
});
