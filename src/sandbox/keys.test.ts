import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createLocalJWKSet, exportJWK, generateKeyPair, calculateJwkThumbprint, jwtVerify, SignJWT} from 'jose';
import {createKeyring, SIGNING_ALG} from './keys';
import {createMemoryStore} from './store/memory';

test('the signing key is kept as a non-extractable CryptoKey: nothing in the Store holds its private members', async () => {
  const store = createMemoryStore();
  const keyring = createKeyring(store);
  const {kid, privateKey} = await keyring.signingKey();
  const stored = (await store.get<Record<string, unknown>>('keys:signing'))!;
  assert.deepEqual(Object.keys(stored).sort(), ['kid', 'privateKey', 'publicJwk']);
  assert.ok(stored.privateKey instanceof CryptoKey);
  assert.equal(stored.privateKey.extractable, false);
  assert.equal(privateKey.extractable, false);
  await assert.rejects(exportJWK(privateKey), 'not even the sandbox can export it');
  // RFC 7517 §9.1 / RFC 7518 §6.3.2: no private RSA member is published, or stored as data.
  const published = (await keyring.jwks()).keys[0]!;
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
    assert.equal(member in published, false, member);
    assert.equal(member in (stored.publicJwk as object), false, member);
  }
  assert.equal(published.kid, kid);
  assert.equal(kid, await calculateJwkThumbprint(published));
  // The same key on every use, and usable for signing.
  assert.equal((await keyring.signingKey()).kid, kid);
  const token = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: SIGNING_ALG, kid}).sign(privateKey);
  await jwtVerify(token, createLocalJWKSet(await keyring.jwks()));
});

test('a key stored by an earlier version as a private JWK is migrated to a non-extractable CryptoKey, same kid, old tokens still valid', async () => {
  const store = createMemoryStore();
  const {privateKey: legacyKey} = await generateKeyPair(SIGNING_ALG, {extractable: true});
  const privateJwk = await exportJWK(legacyKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  await store.set('keys:signing', {kid, privateJwk: {...privateJwk, kid, alg: SIGNING_ALG, use: 'sig'}});
  const before = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: SIGNING_ALG, kid}).sign(legacyKey);

  const keyring = createKeyring(store);
  const migrated = await keyring.signingKey();
  assert.equal(migrated.kid, kid);
  assert.equal(migrated.privateKey.extractable, false);
  const stored = (await store.get<Record<string, unknown>>('keys:signing'))!;
  assert.equal('privateJwk' in stored, false, 'the private JWK is gone from the Store');
  assert.ok(stored.privateKey instanceof CryptoKey);
  const jwks = createLocalJWKSet(await keyring.jwks());
  await jwtVerify(before, jwks);
  const after = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: SIGNING_ALG, kid}).sign(migrated.privateKey);
  await jwtVerify(after, jwks);
});

test('after a reset (the Store cleared) the keyring makes a new key', async () => {
  const store = createMemoryStore();
  const keyring = createKeyring(store);
  const first = await keyring.signingKey();
  await store.clear();
  const second = await keyring.signingKey();
  assert.notEqual(second.kid, first.kid);
});
