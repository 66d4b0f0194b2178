import {calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK} from 'jose';
import type {Store} from './store/store';

const SIGNING_KEY = 'keys:signing';
/** OIDC Core §15.1: RS256 is the algorithm every relying party supports. */
export const SIGNING_ALG = 'RS256';

/**
 * The signing key as the Store keeps it: the private half as a non-extractable CryptoKey (IndexedDB
 * keeps CryptoKeys by structured clone, so its bytes never appear in the database as data), the
 * public half as the JWK the JWKS publishes. Why this is still no defence against a script of the
 * same origin is in the guide, docs/concepts/trust-model.mdx.
 */
interface StoredKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** How earlier versions kept the key: the whole private JWK, readable by anything that reads the database. */
interface LegacyStoredKey {
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
 * (which clears the Store) is followed by a fresh key.
 */
export function createKeyring(store: Store): Keyring {
  let generating: Promise<StoredKey> | undefined;

  async function storedKey(): Promise<StoredKey> {
    const existing = await store.get<StoredKey | LegacyStoredKey>(SIGNING_KEY);
    if (existing && 'privateJwk' in existing) return migrate(existing);
    if (existing) return existing;
    // Single flight: concurrent first requests must not each generate (and overwrite) a key.
    generating ??= generate().finally(() => {
      generating = undefined;
    });
    return generating;
  }

  async function generate(): Promise<StoredKey> {
    // The private key cannot be exported, not even by the sandbox (docs/concepts/trust-model.mdx).
    const {privateKey, publicKey} = await generateKeyPair(SIGNING_ALG, {extractable: false});
    const jwk = await exportJWK(publicKey);
    // RFC 7638 thumbprint as kid: stable, derived from the key itself.
    const kid = await calculateJwkThumbprint(jwk);
    const stored = {kid, privateKey, publicJwk: publicJwkOf(jwk, kid)};
    await store.set(SIGNING_KEY, stored);
    return stored;
  }

  /**
   * A key stored by an earlier version as a private JWK becomes a non-extractable CryptoKey; the JWK is
   * overwritten. The key itself, and so its kid and every token it signed, stays the same.
   */
  async function migrate(legacy: LegacyStoredKey): Promise<StoredKey> {
    const privateKey = (await importJWK(legacy.privateJwk, SIGNING_ALG, {extractable: false})) as CryptoKey;
    const stored = {kid: legacy.kid, privateKey, publicJwk: publicJwkOf(legacy.privateJwk, legacy.kid)};
    await store.set(SIGNING_KEY, stored);
    return stored;
  }

  async function signingKey(): Promise<SigningKey> {
    const {kid, privateKey, publicJwk} = await storedKey();
    return {kid, privateKey, publicJwk};
  }

  return {
    signingKey,
    async jwks() {
      return {keys: [(await signingKey()).publicJwk]};
    },
  };
}

/** The public members of an RSA JWK (RFC 7518 §6.3.1), labelled for signing. */
function publicJwkOf({kty, n, e}: JWK, kid: string): JWK {
  return {kty, n, e, kid, alg: SIGNING_ALG, use: 'sig'};
}
