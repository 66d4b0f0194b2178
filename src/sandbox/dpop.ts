/**
 * DPoP, RFC 9449: the proofs a client sends in the `DPoP` header (§4), the thumbprint of the key that
 * binds its tokens (§6, RFC 7638), and the server nonces that keep proofs fresh (§8, §9). The token
 * endpoint and the protected resources call these; errors are thrown as the token endpoint's (400), and a
 * resource turns them into its 401 with a `WWW-Authenticate: DPoP` challenge (§7.1).
 *
 * Everything is kept in the Store, so the Service Worker, Node and in-process transports behave alike and a
 * restarted worker still knows which nonces it gave and which proofs it saw.
 */
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  jwtVerify,
  errors as joseErrors,
  type JWK,
  type JWTPayload,
} from 'jose';
import {epochSeconds, type Sandbox} from './context';
import {InvalidDpopProof, TemporarilyUnavailable, UseDpopNonce} from './errors';
import {randomToken, sha256} from './tokens';

/** RFC 9449 §5.1 `dpop_signing_alg_values_supported`: asymmetric algorithms only (§4.3 check 5). */
export const DPOP_SIGNING_ALGS = ['ES256', 'PS256', 'RS256'];

/** RFC 9449 §4.3 check 11: how far, in seconds, a proof's `iat` may be from the server's clock, either way. */
export const DPOP_IAT_WINDOW = 60;

/** RFC 9449 §11.1: how many proofs' `jti` the server remembers at once; past it, proofs are refused until some age out. */
export const DPOP_JTI_CACHE_SIZE = 1000;

/** RFC 9449 §8.2: how often the server nonce changes, in seconds. The previous one is still accepted. */
export const DPOP_NONCE_ROTATION = 60;

/** The longest proof read: a proof carries one public key, so even an RSA one is far shorter. */
const MAX_PROOF_LENGTH = 8 * 1024;

/** Members only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A checked proof: the thumbprint of its key (RFC 7638), to bind or match tokens, and its nonce. */
export interface DpopProof {
  jkt: string;
  jti: string;
  nonce?: string;
}

/** What a proof must match at the endpoint that received it. */
export interface ProofExpectations {
  /** The request's method (§4.3 check 8). */
  method: string;
  /** The request's URL; its query and fragment are ignored (§4.3 check 9). */
  url: string;
  /** At a protected resource: the access token presented with the proof, for `ath` (§4.3 check 10, §7.1). */
  accessToken?: string;
  /** At a protected resource: the key the access token is bound to (§7.1). */
  jkt?: string;
  /** Whether the proof must carry a server nonce (§8, §9): the client's `dpop_nonce_required`. */
  nonceRequired: boolean;
}

/**
 * The `DPoP` request header, or undefined when there is none. RFC 9449 §4.3 check 1: there must be exactly
 * one. A Fetch `Headers` joins repeated headers with ", ", and a compact JWS has neither, so a comma means
 * the header was sent more than once.
 */
export function dpopHeader(headers: Headers): string | undefined {
  const value = headers.get('dpop');
  if (value === null) return undefined;
  if (value.includes(',')) throw new InvalidDpopProof('send exactly one DPoP header (RFC 9449 section 4.3)');
  return value.trim();
}

/**
 * Checks a DPoP proof, RFC 9449 §4.3, in the order of the RFC's list, then the server nonce (§8, §9) and
 * the proof's one-time use (§11.1). Any failure is `invalid_dpop_proof`, except a missing, stale or unknown
 * nonce: `use_dpop_nonce` with a fresh nonce in a `DPoP-Nonce` header.
 */
export async function checkDpopProof(sandbox: Sandbox, proof: string, expected: ProofExpectations): Promise<DpopProof> {
  // §4.3 check 2: a well-formed JWT (a compact JWS: three base64url parts).
  if (proof.length > MAX_PROOF_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(proof)) {
    throw new InvalidDpopProof('the DPoP proof is not a JWT');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw new InvalidDpopProof('the DPoP proof header is not valid JSON');
  }
  // §4.3 check 4, §4.2: `typ` is dpop+jwt.
  if (header.typ !== 'dpop+jwt') throw new InvalidDpopProof('the DPoP proof typ must be dpop+jwt');
  // §4.3 check 5: an asymmetric algorithm the server supports, never `none` or a MAC.
  if (typeof header.alg !== 'string' || !DPOP_SIGNING_ALGS.includes(header.alg)) {
    throw new InvalidDpopProof(`the DPoP proof alg must be one of ${DPOP_SIGNING_ALGS.join(', ')}`);
  }
  // §4.3 check 7, §4.2: `jwk` is the public key, and must not hold a private one.
  const jwk: unknown = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new InvalidDpopProof('the DPoP proof header must carry the public key as jwk');
  }
  if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(jwk, member))) {
    throw new InvalidDpopProof('the DPoP proof jwk must be a public key: it carries private key material');
  }
  // §4.3 check 6: the signature, by the key in `jwk`.
  let payload: JWTPayload;
  try {
    ({payload} = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: DPOP_SIGNING_ALGS,
      typ: 'dpop+jwt',
      currentDate: new Date(sandbox.now()),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new InvalidDpopProof('the DPoP proof signature does not verify with its jwk');
    }
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
      throw new InvalidDpopProof('the DPoP proof is invalid: its jwk cannot verify it or its claims are malformed');
    }
    throw error;
  }
  // §4.2, §4.3 check 3: the claims every proof has.
  const {jti, htm, htu, iat} = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
    throw new InvalidDpopProof('the DPoP proof needs a jti of at most 256 characters');
  }
  // §4.3 check 8: `htm` is the request's method.
  if (htm !== expected.method) throw new InvalidDpopProof(`the DPoP proof htm must be ${expected.method}`);
  // §4.3 check 9: `htu` is the request's URL, query and fragment ignored (§4.2).
  if (typeof htu !== 'string' || !sameEndpoint(htu, expected.url)) {
    throw new InvalidDpopProof(`the DPoP proof htu must be ${withoutQuery(expected.url)}`);
  }
  // §4.3 check 11: a recent `iat`, within the window either way.
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new InvalidDpopProof('the DPoP proof needs an iat');
  if (Math.abs(epochSeconds(sandbox) - iat) > DPOP_IAT_WINDOW) {
    throw new InvalidDpopProof(`the DPoP proof iat is more than ${DPOP_IAT_WINDOW} seconds away from the server time`);
  }
  // §4.3 check 10, §7.1: at a resource, `ath` is the hash of the access token it comes with.
  if (expected.accessToken !== undefined && payload.ath !== (await sha256(expected.accessToken))) {
    throw new InvalidDpopProof('the DPoP proof ath is not the hash of the access token sent with it');
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  // §7.1: the proof is signed by the key the access token is bound to.
  if (expected.jkt !== undefined && jkt !== expected.jkt) {
    throw new InvalidDpopProof('the DPoP proof is signed by another key than the one the access token is bound to');
  }
  // §4.3 check 9 (nonce), §8, §9: a nonce, when the server asks for one, that it gave recently.
  const {nonce} = payload;
  if (nonce !== undefined && typeof nonce !== 'string')
    throw new InvalidDpopProof('the DPoP proof nonce must be a string');
  if (expected.nonceRequired || nonce !== undefined) {
    const nonces = await currentNonces(sandbox);
    if (nonce === undefined || !nonces.includes(nonce)) {
      const error = new UseDpopNonce(
        nonce === undefined
          ? 'this client must put the server nonce in its DPoP proofs: retry with the DPoP-Nonce this answer carries'
          : 'the DPoP proof nonce is unknown or expired: retry with the DPoP-Nonce this answer carries',
      );
      throw error.withHeader('DPoP-Nonce', nonces[0]!);
    }
  }
  // §11.1: a proof is used once. Its jti is remembered for as long as its iat is acceptable.
  await rememberJti(sandbox, `${jkt}.${jti}`, iat + DPOP_IAT_WINDOW + 1);
  return {jkt, jti, ...(nonce !== undefined ? {nonce} : {})};
}

/** The JWK thumbprint (RFC 7638, SHA-256) that `cnf.jkt` holds (RFC 9449 §6.1). */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** The hash a proof's `ath` must hold for an access token (RFC 9449 §4.2): base64url SHA-256 of its ASCII. */
export function accessTokenHash(accessToken: string): Promise<string> {
  return sha256(accessToken);
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * RFC 9449 §4.3 check 9: `htu` names the request's URL, compared after the normalisation of RFC 3986 §6.2.2
 * and §6.2.3 (the WHATWG URL parser lowercases scheme and host, drops a default port, and decodes what need
 * not be encoded), query and fragment left out.
 */
function sameEndpoint(htu: string, requestUrl: string): boolean {
  if (!URL.canParse(htu)) return false;
  return withoutQuery(htu) === withoutQuery(requestUrl);
}

interface NonceState {
  current: string;
  previous?: string;
  /** Epoch seconds when `current` was made. */
  since: number;
}

const NONCE_KEY = 'dpop:nonce';

/**
 * The server nonces a proof may carry (RFC 9449 §8, §9): the current one first, then the one it replaced.
 * A new one is made every DPOP_NONCE_ROTATION seconds (§8.2), so a nonce works for one to two periods.
 * The sandbox uses one nonce for its token endpoint and its resources alike: they share an origin, which is
 * how clients keep nonces (§8.2 lets the servers decide).
 */
export async function currentNonces(sandbox: Sandbox): Promise<string[]> {
  const now = epochSeconds(sandbox);
  const fresh = (state: NonceState | undefined) => state !== undefined && now - state.since < DPOP_NONCE_ROTATION;
  const stored = await sandbox.store.get<NonceState>(NONCE_KEY);
  let state = stored;
  if (!fresh(stored)) {
    let made: NonceState | undefined;
    const before = await sandbox.store.update<NonceState>(
      NONCE_KEY,
      (existing) => {
        if (fresh(existing)) return undefined;
        const keep = existing !== undefined && now - existing.since < 2 * DPOP_NONCE_ROTATION;
        made = {current: randomToken(16), since: now, ...(keep ? {previous: existing.current} : {})};
        return made;
      },
      2 * DPOP_NONCE_ROTATION,
    );
    state = made ?? before;
  }
  return state ? [state.current, ...(state.previous !== undefined ? [state.previous] : [])] : [];
}

/** The nonce to send in a `DPoP-Nonce` header now (RFC 9449 §8.1). */
export async function nonceToSend(sandbox: Sandbox): Promise<string> {
  return (await currentNonces(sandbox))[0]!;
}

const JTI_KEY = 'dpop:jti';

/**
 * Records a proof as used, RFC 9449 §11.1: a second proof with the same key and `jti` is a replay. The cache is
 * one Store entry updated atomically (so two concurrent uses cannot both pass), holding the hashes of at most
 * DPOP_JTI_CACHE_SIZE proofs, each until its `iat` is too old to be accepted anyway. When it is full the proof
 * is refused as `temporarily_unavailable`: forgetting a proof still within its window would let it be replayed.
 */
async function rememberJti(sandbox: Sandbox, id: string, until: number): Promise<void> {
  const hash = await sha256(id);
  const now = epochSeconds(sandbox);
  let outcome = 'fresh' as 'fresh' | 'replay' | 'full';
  await sandbox.store.update<[string, number][]>(
    JTI_KEY,
    (seen = []) => {
      const live = seen.filter(([, expires]) => expires > now);
      if (live.some(([known]) => known === hash)) {
        outcome = 'replay';
        return live;
      }
      if (live.length >= DPOP_JTI_CACHE_SIZE) {
        outcome = 'full';
        return live;
      }
      outcome = 'fresh';
      return [...live, [hash, until]];
    },
    2 * DPOP_IAT_WINDOW + 2,
  );
  if (outcome === 'replay') throw new InvalidDpopProof('the DPoP proof was already used: make a new one per request');
  if (outcome === 'full') {
    throw new TemporarilyUnavailable('too many DPoP proofs in the last two minutes; try again shortly');
  }
}
