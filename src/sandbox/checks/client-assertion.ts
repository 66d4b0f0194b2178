import {createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload} from 'jose';
import {findClient, type CatalogClient} from '../catalog';
import {epochSeconds, type Sandbox} from '../context';
import {InvalidClient, TemporarilyUnavailable} from '../errors';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The algorithms client assertions may be signed with (`token_endpoint_auth_signing_alg_values_supported`). */
export const ASSERTION_ALGS = ['ES256', 'PS256', 'RS256'];
/**
 * The longest an assertion may live, from now to its `exp`: a client makes one per request, so a short
 * lifetime is enough, and it bounds how long each `jti` must be remembered (RFC 7523 §3 rule 4 lets the
 * server limit it).
 */
export const MAX_ASSERTION_LIFETIME = 300;
/** Leeway for clocks that differ a little, in seconds, for `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE = 5;
/** How many unexpired assertions of one client are remembered at once; past it, new ones wait (503). */
export const MAX_REMEMBERED_ASSERTIONS = 1000;
const MAX_JTI_LENGTH = 256;

/**
 * Authenticates a client by a JWT assertion (RFC 7523 §2.2, OIDC Core §9 `private_key_jwt`). The checks
 * are RFC 7523 §3's: `iss` and `sub` are the client_id; `aud` names the issuer, the token endpoint or the
 * endpoint receiving it; `exp` is required and not past; the signature verifies with one of the client's
 * registered keys, with an algorithm of ASSERTION_ALGS; `jti` is required and used once (§3 rule 7, OIDC
 * Core §9). Any failure is invalid_client (RFC 7521 §4.2.1), saying which check failed.
 */
export async function authenticateByAssertion(
  sandbox: Sandbox,
  assertion: string,
  assertionType: string,
  bodyClientId: string | undefined,
  endpointUrl: string,
): Promise<CatalogClient> {
  // RFC 7521 §4.2: the only assertion type the sandbox knows; another is an authentication it cannot do.
  if (assertionType !== JWT_BEARER_ASSERTION)
    throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    unverified = decodeJwt(assertion);
  } catch {
    throw new InvalidClient('client_assertion is not a signed JWT');
  }
  // RFC 7523 §3 rule 1: iss is the client_id (and, rule 2, so is sub: checked with the signature below).
  const clientId = unverified.iss;
  if (typeof clientId !== 'string') throw new InvalidClient('client_assertion has no iss (it must be the client_id)');
  // RFC 7521 §4.2: a client_id sent beside the assertion must name the same client.
  if (bodyClientId !== undefined && bodyClientId !== clientId)
    throw new InvalidClient('client_id differs from the client_assertion iss');
  const client = findClient(sandbox.catalog, clientId);
  if (!client) throw new InvalidClient('client authentication failed');
  if (client.token_endpoint_auth_method !== 'private_key_jwt')
    throw new InvalidClient(
      `client ${clientId} is registered for ${client.token_endpoint_auth_method}, not private_key_jwt`,
    );
  const allowed = client.token_endpoint_auth_signing_alg ? [client.token_endpoint_auth_signing_alg] : ASSERTION_ALGS;
  if (typeof header.alg !== 'string' || !allowed.includes(header.alg))
    throw new InvalidClient(`client_assertion alg must be one of ${allowed.join(', ')}`);

  const keys = createLocalJWKSet({keys: await sandbox.clientKeys.publicKeys(clientId)});
  const now = epochSeconds(sandbox);
  let payload: JWTPayload;
  try {
    ({payload} = await jwtVerify(assertion, keys, {
      algorithms: allowed,
      issuer: clientId,
      subject: clientId,
      // RFC 7523 §3 rule 3; OIDC Core §9: the issuer or the token endpoint, and RFC 9126 §2 names the
      // issuer for PAR as well; the URL of the endpoint receiving the assertion is accepted too.
      audience: [...new Set([sandbox.issuer, sandbox.endpoints.token, endpointUrl])],
      requiredClaims: ['exp', 'jti'],
      currentDate: new Date(sandbox.now()),
      clockTolerance: CLOCK_TOLERANCE,
    }));
  } catch (error) {
    throw new InvalidClient(`client_assertion refused: ${whyRefused(error)}`);
  }
  const exp = payload.exp!;
  // RFC 7523 §3 rule 4: "The authorization server MAY reject JWTs with an exp claim value that is
  // unreasonably far in the future"; a bounded lifetime also bounds the jti cache below.
  if (exp - now > MAX_ASSERTION_LIFETIME)
    throw new InvalidClient(`client_assertion lives too long: exp may be at most ${MAX_ASSERTION_LIFETIME} s away`);
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH)
    throw new InvalidClient(`client_assertion jti must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  await rememberJti(sandbox, clientId, jti, exp);
  return client;
}

/** Why jose refused the assertion, in words a developer can act on. */
function whyRefused(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired (exp is past)';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'aud must be the issuer or the token endpoint URL';
    if (error.claim === 'sub') return 'sub must be the client_id';
    if (error.claim === 'iss') return 'iss must be the client_id';
    if (error.reason === 'missing') return `the ${error.claim} claim is required`;
    return `the ${error.claim} claim is not acceptable (${error.message})`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the client's jwks matches";
  if (error instanceof errors.JWTInvalid) return 'it is not a valid JWT';
  return 'it could not be verified';
}

interface RememberedJtis {
  /** [jti, its assertion's exp], unexpired ones only. */
  seen: Array<[string, number]>;
}

/**
 * RFC 7523 §3 rule 7 and OIDC Core §9: a jti is used once. Each client's used jtis are kept in one Store
 * record until their assertions expire (the record itself lives as long as the longest), so the cache is
 * bounded by MAX_ASSERTION_LIFETIME in time and MAX_REMEMBERED_ASSERTIONS in size. The update is atomic:
 * of two requests with the same assertion, one gets through.
 */
async function rememberJti(sandbox: Sandbox, clientId: string, jti: string, exp: number): Promise<void> {
  const now = epochSeconds(sandbox);
  let outcome = 'ok' as 'ok' | 'replayed' | 'full';
  await sandbox.store.update<RememberedJtis>(
    `assertion-jti:${clientId}`,
    (current) => {
      const seen = (current?.seen ?? []).filter(([, until]) => until + CLOCK_TOLERANCE >= now);
      if (seen.some(([used]) => used === jti)) outcome = 'replayed';
      else if (seen.length >= MAX_REMEMBERED_ASSERTIONS) outcome = 'full';
      else seen.push([jti, exp]);
      return {seen};
    },
    MAX_ASSERTION_LIFETIME + CLOCK_TOLERANCE,
  );
  if (outcome === 'replayed') throw new InvalidClient('client_assertion was used before: its jti must be new');
  if (outcome === 'full')
    throw new TemporarilyUnavailable('too many client assertions of this client are in use; try again in a minute');
}
