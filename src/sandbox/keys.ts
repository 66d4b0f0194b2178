import {calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK} from 'jose';
import type {Store} from './store/store';

const SIGNING_KEY = 'keys:signing';
/** OIDC Core §15.1: RS256 is the algorithm every relying party supports. */
export const SIGNING_ALG = 'RS256';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Signing keys, generated once and kept in the Store so tokens outlive a restarted worker. */
export interface Keyring {
  signingKey(): Promise<SigningKey>;
  /** The public JWK Set, RFC 7517 §5. */
  jwks(): Promise<{keys: JWK[]}>;
}

/**
 * Creates the keyring over a Store. The key is read from the Store on every use, so a `/reset`
 * (which clears the Store) is followed by a fresh key; the imported CryptoKey is cached by kid.
 */
export function createKeyring(store: Store): Keyring {
  let cached: SigningKey | undefined;
  let generating: Promise<StoredKey> | undefined;

  async function storedKey(): Promise<StoredKey> {
    const existing = await store.get<StoredKey>(SIGNING_KEY);
    if (existing) return existing;
    // Single flight: concurrent first requests must not each generate (and overwrite) a key.
    generating ??= generate().finally(() => {
      generating = undefined;
    });
    return generating;
  }

  async function generate(): Promise<StoredKey> {
    const {privateKey} = await generateKeyPair(SIGNING_ALG, {extractable: true});
    const privateJwk = await exportJWK(privateKey);
    // RFC 7638 thumbprint as kid: stable, derived from the key itself.
    const kid = await calculateJwkThumbprint(privateJwk);
    const stored = {kid, privateJwk: {...privateJwk, kid, alg: SIGNING_ALG, use: 'sig'}};
    await store.set(SIGNING_KEY, stored);
    return stored;
  }

  async function signingKey(): Promise<SigningKey> {
    const stored = await storedKey();
    if (cached?.kid === stored.kid) return cached;
    const privateKey = (await importJWK(stored.privateJwk, SIGNING_ALG)) as CryptoKey;
    const {kty, n, e} = stored.privateJwk;
    cached = {kid: stored.kid, privateKey, publicJwk: {kty, n, e, kid: stored.kid, alg: SIGNING_ALG, use: 'sig'}};
    return cached;
  }

  return {
    signingKey,
    async jwks() {
      return {keys: [(await signingKey()).publicJwk]};
    },
  };
}
