import {calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK} from 'jose';
import type {PrivateJwk, PublicJwk} from '../contract/catalog';
import type {Store} from './store/store';

/** The algorithm of the demo clients' key pairs, one of `token_endpoint_auth_signing_alg_values_supported`. */
export const CLIENT_KEY_ALG = 'ES256';

/** A demo client's key pair as the Store keeps it: both halves as JWKs, since the catalog publishes both. */
interface StoredClientKey {
  publicJwk: PublicJwk;
  privateJwk: PrivateJwk;
}

const storeKey = (clientId: string) => `keys:client:${clientId}`;

/**
 * The key pairs of the demo clients that authenticate with `private_key_jwt` (RFC 7523 §2.2). Each sandbox
 * makes its own, the first time it is asked, and keeps it in the Store beside its signing key (without an
 * expiry), so every transport and a restart agree on it and a `/reset` makes a new one. The private half is
 * extractable on purpose: the catalog publishes it, so a walkthrough can sign as the client.
 */
export function createClientKeys(store: Store) {
  const generating = new Map<string, Promise<StoredClientKey>>();

  async function generate(clientId: string): Promise<StoredClientKey> {
    const {privateKey} = await generateKeyPair(CLIENT_KEY_ALG, {extractable: true});
    const jwk = await exportJWK(privateKey);
    // RFC 7638 thumbprint as kid, as for the sandbox's own key.
    const kid = await calculateJwkThumbprint(jwk);
    const {kty, crv, x, y, d} = jwk as Required<Pick<JWK, 'kty' | 'crv' | 'x' | 'y' | 'd'>>;
    const publicJwk = {kty, crv, x, y, kid, alg: CLIENT_KEY_ALG, use: 'sig'};
    const stored = {publicJwk, privateJwk: {...publicJwk, d}};
    // Another request may have stored one meanwhile (two workers, say): the first one stored wins.
    const before = await store.update<StoredClientKey>(storeKey(clientId), (current) => current ?? stored);
    return before ?? stored;
  }

  async function keyPair(clientId: string): Promise<StoredClientKey> {
    const existing = await store.get<StoredClientKey>(storeKey(clientId));
    if (existing) return existing;
    // Single flight: concurrent first requests must not each generate a key.
    let pending = generating.get(clientId);
    if (!pending) {
      pending = generate(clientId).finally(() => generating.delete(clientId));
      generating.set(clientId, pending);
    }
    return pending;
  }

  return {
    keyPair,
    /** The client's public keys, its `jwks` (RFC 7591 §2). */
    async publicKeys(clientId: string): Promise<PublicJwk[]> {
      return [(await keyPair(clientId)).publicJwk];
    },
  };
}

export type ClientKeys = ReturnType<typeof createClientKeys>;
