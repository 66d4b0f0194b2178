/**
 * DPoP proofs for tests, made the way a client makes them (RFC 9449 §4.2), with any part overridable so a
 * test can make each mistake on purpose.
 */
import {base64url, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTHeaderParameters} from 'jose';
import {sha256} from './tokens';

export interface ProofKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  alg: string;
}

export async function proofKey(alg = 'ES256'): Promise<ProofKey> {
  const {privateKey, publicKey} = await generateKeyPair(alg, {extractable: true});
  return {privateKey, publicJwk: await exportJWK(publicKey), alg};
}

export interface ProofInput {
  htm: string;
  htu: string;
  /** Seconds since the epoch; defaults to now. */
  iat?: number;
  accessToken?: string;
  nonce?: string;
  jti?: string;
  /** Extra or replaced claims, `undefined` removing one. */
  claims?: Record<string, unknown>;
  /** Extra or replaced header parameters, `undefined` removing one. */
  header?: Record<string, unknown>;
}

export async function makeProof(key: ProofKey, input: ProofInput): Promise<string> {
  const payload = defined({
    jti: input.jti ?? base64url.encode(crypto.getRandomValues(new Uint8Array(16))),
    htm: input.htm,
    htu: input.htu,
    iat: input.iat ?? Math.floor(Date.now() / 1000),
    ...(input.accessToken !== undefined ? {ath: await sha256(input.accessToken)} : {}),
    ...(input.nonce !== undefined ? {nonce: input.nonce} : {}),
    ...input.claims,
  });
  const header = defined({alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...input.header});
  return new SignJWT(payload).setProtectedHeader(header as JWTHeaderParameters).sign(key.privateKey);
}

/** The members whose value is not undefined. */
function defined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** A compact JWS put together by hand, for proofs no library would sign (alg none, a MAC, a wrong signature). */
export function handMadeJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature = 'c2ln',
): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.${signature}`;
}
