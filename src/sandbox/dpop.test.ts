import assert from 'node:assert/strict';
import {test} from 'node:test';
import {decodeJwt} from 'jose';
import type {Sandbox} from './context';
import {
  checkDpopProof,
  currentNonces,
  dpopHeader,
  DPOP_IAT_WINDOW,
  DPOP_JTI_CACHE_SIZE,
  DPOP_NONCE_ROTATION,
  jwkThumbprint,
  type ProofExpectations,
} from './dpop';
import {handMadeJws, makeProof, proofKey} from './dpop-test-helpers';
import {OAuthError} from './errors';
import {createMemoryStore} from './store/memory';
import {sha256} from './tokens';

const URL_ = 'https://sandbox.test/sandbox/token';

/** Just what the DPoP checks use of a sandbox: its store and clock. */
function testSandbox() {
  let now = Date.now();
  const clock = () => now;
  const sandbox = {store: createMemoryStore(clock), now: clock} as unknown as Sandbox;
  return {sandbox, advance: (seconds: number) => (now += seconds * 1000), seconds: () => Math.floor(now / 1000)};
}

const atToken: ProofExpectations = {method: 'POST', url: URL_, nonceRequired: false};

async function refusal(promise: Promise<unknown>): Promise<{code: string; status: number; nonce?: string}> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OAuthError) {
      return {
        code: error.code,
        status: error.status,
        ...(error.headers['DPoP-Nonce'] ? {nonce: error.headers['DPoP-Nonce']} : {}),
      };
    }
    throw error;
  }
  assert.fail('the proof was accepted');
}

test('RFC 9449 §4.3: a valid proof passes and gives the RFC 7638 thumbprint of its key', async () => {
  const {sandbox} = testSandbox();
  for (const alg of ['ES256', 'PS256', 'RS256']) {
    const key = await proofKey(alg);
    const proof = await checkDpopProof(sandbox, await makeProof(key, {htm: 'POST', htu: URL_}), atToken);
    assert.equal(proof.jkt, await jwkThumbprint(key.publicJwk), alg);
  }
});

test('RFC 9449 §4.3 check 9: htu is compared without query and fragment, after normalisation', async () => {
  const {sandbox} = testSandbox();
  const key = await proofKey();
  for (const htu of [`${URL_}?x=1#y`, 'HTTPS://Sandbox.TEST:443/sandbox/token']) {
    await checkDpopProof(sandbox, await makeProof(key, {htm: 'POST', htu}), {...atToken, url: `${URL_}?a=b`});
  }
});

test('RFC 9449 §4.3: each failed check is invalid_dpop_proof', async () => {
  const {sandbox, seconds} = testSandbox();
  const key = await proofKey();
  const other = await proofKey();
  const valid = {htm: 'POST', htu: URL_};
  const privateJwk = {...other.publicJwk, d: 'AAAA'};
  const cases: [string, () => Promise<string>, Partial<ProofExpectations>?][] = [
    ['not a JWT (check 2)', async () => 'not-a-jwt'],
    ['a header that is not JSON (check 2)', async () => 'e30x.e30.c2ln'],
    ['typ missing (check 4)', () => makeProof(key, {...valid, header: {typ: undefined}})],
    ['typ JWT (check 4)', () => makeProof(key, {...valid, header: {typ: 'JWT'}})],
    ['alg none (check 5)', async () => handMadeJws({alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk}, valid, '')],
    ['alg HS256 (check 5)', async () => handMadeJws({alg: 'HS256', typ: 'dpop+jwt', jwk: key.publicJwk}, valid)],
    [
      'alg ES384, not supported (check 5)',
      async () => handMadeJws({alg: 'ES384', typ: 'dpop+jwt', jwk: key.publicJwk}, valid),
    ],
    ['jwk missing (check 7)', () => makeProof(key, {...valid, header: {jwk: undefined}})],
    ['jwk an array (check 7)', () => makeProof(key, {...valid, header: {jwk: []}})],
    ['jwk with a private key (check 7)', () => makeProof(key, {...valid, header: {jwk: privateJwk}})],
    [
      'jwk of another key: the signature fails (check 6)',
      () => makeProof(key, {...valid, header: {jwk: other.publicJwk}}),
    ],
    ['a tampered signature (check 6)', async () => `${(await makeProof(key, valid)).slice(0, -4)}AAAA`],
    ['jti missing (check 3)', () => makeProof(key, {...valid, claims: {jti: undefined}})],
    ['jti a number (check 3)', () => makeProof(key, {...valid, claims: {jti: 7}})],
    ['htm missing (check 8)', () => makeProof(key, {...valid, claims: {htm: undefined}})],
    ['htm GET at a POST (check 8)', () => makeProof(key, {...valid, htm: 'GET'})],
    ['htu missing (check 9)', () => makeProof(key, {...valid, claims: {htu: undefined}})],
    [
      'htu of another endpoint (check 9)',
      () => makeProof(key, {...valid, htu: 'https://sandbox.test/sandbox/userinfo'}),
    ],
    ['htu over http (check 9)', () => makeProof(key, {...valid, htu: 'http://sandbox.test/sandbox/token'})],
    ['htu not a URL (check 9)', () => makeProof(key, {...valid, htu: 'token'})],
    ['iat missing (check 11)', () => makeProof(key, {...valid, claims: {iat: undefined}})],
    ['iat too old (check 11)', () => makeProof(key, {...valid, iat: seconds() - DPOP_IAT_WINDOW - 5})],
    ['iat in the future (check 11)', () => makeProof(key, {...valid, iat: seconds() + DPOP_IAT_WINDOW + 5})],
    ['nonce a number', () => makeProof(key, {...valid, claims: {nonce: 5}})],
    [
      'ath missing at a resource (check 10)',
      () => makeProof(key, {...valid, htm: 'GET'}),
      {method: 'GET', accessToken: 'at'},
    ],
    [
      'ath of another token (check 10)',
      () => makeProof(key, {...valid, htm: 'GET', accessToken: 'another'}),
      {method: 'GET', accessToken: 'at'},
    ],
    [
      'a key other than the token is bound to (§7.1)',
      () => makeProof(other, {...valid, htm: 'GET', accessToken: 'at'}),
      {method: 'GET', accessToken: 'at', jkt: 'bound-key-thumbprint'},
    ],
  ];
  for (const [name, proof, expected] of cases) {
    const refused = await refusal(checkDpopProof(sandbox, await proof(), {...atToken, ...expected}));
    assert.deepEqual(refused, {code: 'invalid_dpop_proof', status: 400}, name);
  }
});

test('RFC 9449 §4.3 check 10, §7.1: a resource proof carries the hash of its access token and the bound key', async () => {
  const {sandbox} = testSandbox();
  const key = await proofKey();
  const expected = {
    method: 'GET',
    url: 'https://sandbox.test/sandbox/api/calendar/events',
    accessToken: 'at',
    jkt: await jwkThumbprint(key.publicJwk),
    nonceRequired: false,
  };
  const proof = await makeProof(key, {htm: 'GET', htu: expected.url, accessToken: 'at'});
  assert.equal(decodeJwt(proof).ath, await sha256('at'));
  await checkDpopProof(sandbox, proof, expected);
});

test('RFC 9449 §11.1: a proof is used once; the same jti by another key is another proof', async () => {
  const {sandbox} = testSandbox();
  const key = await proofKey();
  const proof = await makeProof(key, {htm: 'POST', htu: URL_, jti: 'once'});
  await checkDpopProof(sandbox, proof, atToken);
  assert.deepEqual(await refusal(checkDpopProof(sandbox, proof, atToken)), {code: 'invalid_dpop_proof', status: 400});
  await checkDpopProof(sandbox, await makeProof(await proofKey(), {htm: 'POST', htu: URL_, jti: 'once'}), atToken);
});

test('RFC 9449 §11.1: concurrent uses of one proof: exactly one passes', async () => {
  const {sandbox} = testSandbox();
  const proof = await makeProof(await proofKey(), {htm: 'POST', htu: URL_});
  const results = await Promise.allSettled(Array.from({length: 5}, () => checkDpopProof(sandbox, proof, atToken)));
  assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
});

test('RFC 9449 §11.1: the jti cache is bounded: full, it refuses; proofs age out of it', async () => {
  const {sandbox, advance} = testSandbox();
  const key = await proofKey();
  const until = Math.floor(sandbox.now() / 1000) + 10;
  await sandbox.store.set(
    'dpop:jti',
    Array.from({length: DPOP_JTI_CACHE_SIZE}, (_, index) => [`seen-${index}`, until]),
  );
  const late = () => makeProof(key, {htm: 'POST', htu: URL_, iat: Math.floor(sandbox.now() / 1000)});
  assert.deepEqual(await refusal(checkDpopProof(sandbox, await late(), atToken)), {
    code: 'temporarily_unavailable',
    status: 503,
  });
  advance(11);
  await checkDpopProof(sandbox, await late(), atToken);
  assert.equal((await sandbox.store.get<unknown[]>('dpop:jti'))!.length, 1);
});

test('RFC 9449 §8: a client that must use a nonce gets use_dpop_nonce with one, then passes with it', async () => {
  const {sandbox} = testSandbox();
  const key = await proofKey();
  const expected = {...atToken, nonceRequired: true};
  const first = await refusal(checkDpopProof(sandbox, await makeProof(key, {htm: 'POST', htu: URL_}), expected));
  assert.equal(first.code, 'use_dpop_nonce');
  assert.equal(first.status, 400);
  assert.ok(first.nonce);
  const wrong = await refusal(
    checkDpopProof(sandbox, await makeProof(key, {htm: 'POST', htu: URL_, nonce: 'made-up'}), expected),
  );
  assert.deepEqual(wrong, {code: 'use_dpop_nonce', status: 400, nonce: first.nonce});
  const proof = await checkDpopProof(
    sandbox,
    await makeProof(key, {htm: 'POST', htu: URL_, nonce: first.nonce}),
    expected,
  );
  assert.equal(proof.nonce, first.nonce);
});

test('RFC 9449 §8.2: nonces rotate; the previous one still works, older ones do not', async () => {
  const {sandbox, advance, seconds} = testSandbox();
  const key = await proofKey();
  const expected = {...atToken, nonceRequired: true};
  const [first] = await currentNonces(sandbox);
  advance(DPOP_NONCE_ROTATION);
  const [second, previous] = await currentNonces(sandbox);
  assert.notEqual(second, first);
  assert.equal(previous, first);
  const proof = (nonce: string) => makeProof(key, {htm: 'POST', htu: URL_, nonce, iat: seconds()});
  await checkDpopProof(sandbox, await proof(first!), expected);
  advance(DPOP_NONCE_ROTATION);
  const stale = await refusal(checkDpopProof(sandbox, await proof(first!), expected));
  assert.equal(stale.code, 'use_dpop_nonce');
  assert.notEqual(stale.nonce, first);
  assert.notEqual(stale.nonce, second);
  await checkDpopProof(sandbox, await proof(second!), expected);
});

test('RFC 9449 §4.3 check 1: two DPoP headers are refused; none is undefined', () => {
  assert.equal(dpopHeader(new Headers()), undefined);
  assert.equal(dpopHeader(new Headers({dpop: 'a.b.c'})), 'a.b.c');
  const headers = new Headers();
  headers.append('DPoP', 'a.b.c');
  headers.append('DPoP', 'd.e.f');
  assert.throws(
    () => dpopHeader(headers),
    (error: OAuthError) => error.code === 'invalid_dpop_proof',
  );
});
