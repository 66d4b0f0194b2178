/**
 * What a client checks in the tokens it receives, as pure functions over the
 * decoded token (plus one over the signature), so the token inspector only
 * renders their verdicts.
 *
 * @see OpenID Connect Core 1.0 §3.1.3.7 (ID token validation)
 * @see RFC 9068 §4 (JWT access token validation)
 */
import * as jose from 'jose';

export type TokenKind = 'id_token' | 'access_token' | 'refresh_token';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface Check {
  id: 'signature' | 'typ' | 'iss' | 'aud' | 'exp' | 'iat' | 'nonce' | 'at_hash' | 'azp' | 'client_id';
  label: string;
  status: CheckStatus;
  reason: string;
}

/** What the app expects of a token. Omitted expectations skip their checks. */
export interface TokenExpectations {
  issuer: string;
  /** The API identifier an access token must name, or the client_id an ID token must name. */
  audience?: string;
  clientId?: string;
  nonce?: string;
  /** The access token issued alongside an ID token, to check `at_hash`. */
  accessToken?: string;
  /** Allowed clock difference in seconds (OIDC Core §3.1.3.7 items 9-10); CLOCK_TOLERANCE_SECONDS when omitted. */
  clockToleranceSeconds?: number;
}

export interface DecodedJwt {
  header: jose.ProtectedHeaderParameters;
  claims: jose.JWTPayload;
}

/**
 * How far this device's clock may differ from the issuer's before a token's times are refused: five
 * minutes, the skew clients commonly allow. The reader's clock is not the sandbox's to set.
 */
export const CLOCK_TOLERANCE_SECONDS = 300;

/** Decodes a JWT without trusting it; undefined when the token is not a JWT (e.g. an opaque refresh token). */

/** A claim's value as a sentence shows it: a string as it is, anything else as JSON, a missing one as absent. */
function shown(value: unknown): string {
  if (value === undefined) return 'absent';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
export function decodeToken(token: string): DecodedJwt | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return {header: jose.decodeProtectedHeader(token), claims: jose.decodeJwt(token)};
  } catch {
    return undefined;
  }
}

const HASH_FOR_ALG_SUFFIX: Record<string, string> = {'256': 'SHA-256', '384': 'SHA-384', '512': 'SHA-512'};

/**
 * `at_hash`: base64url of the left half of the hash of the ASCII access token,
 * the hash being the one of the ID token's `alg` (SHA-256 for RS256/ES256/PS256).
 *
 * @see OpenID Connect Core 1.0 §3.1.3.6
 */
export async function computeAtHash(accessToken: string, alg: string): Promise<string> {
  const hash = alg === 'EdDSA' || alg === 'Ed25519' ? 'SHA-512' : HASH_FOR_ALG_SUFFIX[alg.slice(-3)];
  if (!hash) throw new Error(`No at_hash hash function is defined for alg ${alg}.`);
  const digest = new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(accessToken)));
  return jose.base64url.encode(digest.slice(0, digest.length / 2));
}

function audiences(claims: jose.JWTPayload): string[] {
  if (claims.aud === undefined) return [];
  return Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}

function check(id: Check['id'], label: string, passed: boolean, reason: string): Check {
  return {id, label, status: passed ? 'passed' : 'failed', reason};
}

/**
 * Checks the claims and header of a decoded token against what the app
 * expects. `nowSeconds` is the current time in seconds since the epoch.
 */
export function checkClaims(
  kind: TokenKind,
  decoded: DecodedJwt,
  expected: TokenExpectations,
  nowSeconds: number,
): Check[] {
  const {header, claims} = decoded;
  const tolerance = expected.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS;
  const checks: Check[] = [];

  if (kind === 'access_token') {
    // RFC 9068 §2.1 and §4: a JWT access token is typed "at+jwt".
    const typ = header.typ?.toLowerCase();
    checks.push(
      check(
        'typ',
        'Type (typ)',
        typ === 'at+jwt' || typ === 'application/at+jwt',
        `typ is ${header.typ ?? 'absent'}; RFC 9068 requires at+jwt so an ID token cannot pass for an access token.`,
      ),
    );
  } else if (header.typ !== undefined) {
    checks.push(
      check(
        'typ',
        'Type (typ)',
        header.typ.toUpperCase() === 'JWT',
        `typ is ${header.typ}; an ID token is a plain JWT, not an access token.`,
      ),
    );
  }

  // OIDC Core §3.1.3.7 item 2, RFC 9068 §4: the issuer must match exactly.
  checks.push(
    check(
      'iss',
      'Issuer (iss)',
      claims.iss === expected.issuer,
      `iss is ${claims.iss ?? 'absent'}, expected ${expected.issuer}.`,
    ),
  );

  if (expected.audience !== undefined) {
    // OIDC Core §3.1.3.7 item 3, RFC 9068 §4: the audience must include the recipient.
    const aud = audiences(claims);
    checks.push(
      check(
        'aud',
        'Audience (aud)',
        aud.includes(expected.audience),
        `aud is ${aud.join(', ') || 'absent'}, expected it to include ${expected.audience}.`,
      ),
    );
  }

  // OIDC Core §3.1.3.7 item 9, RFC 9068 §4: the token must not be expired.
  if (typeof claims.exp === 'number') {
    const reason =
      claims.exp > nowSeconds
        ? 'Not expired yet.'
        : claims.exp + tolerance > nowSeconds
          ? `Expired ${nowSeconds - claims.exp} s ago by this device's clock, within the ${tolerance} s allowed for clocks that differ.`
          : `The token has expired, ${nowSeconds - claims.exp} s ago by this device's clock. If it was just issued, this device's clock is off: set it right and start over.`;
    checks.push(check('exp', 'Expiry (exp)', claims.exp + tolerance > nowSeconds, reason));
  } else {
    checks.push(check('exp', 'Expiry (exp)', false, 'The token has no exp claim.'));
  }
  // OIDC Core §3.1.3.7 item 10: iat must be present and not in the future.
  if (typeof claims.iat === 'number') {
    const reason =
      claims.iat <= nowSeconds
        ? 'Issued in the past.'
        : claims.iat - tolerance <= nowSeconds
          ? `Issued ${claims.iat - nowSeconds} s in the future by this device's clock: the clocks differ by about that much, within the ${tolerance} s allowed.`
          : `Issued ${claims.iat - nowSeconds} s in the future by this device's clock, more than the ${tolerance} s allowed: this device's clock and the issuer's disagree. Set the clock right and start over.`;
    checks.push(check('iat', 'Issued at (iat)', claims.iat - tolerance <= nowSeconds, reason));
  } else {
    checks.push(check('iat', 'Issued at (iat)', false, 'The token has no iat claim.'));
  }

  if (kind === 'id_token') {
    if (expected.nonce !== undefined) {
      // OIDC Core §3.1.3.7 item 11: nonce must equal the value sent in the authorization request.
      checks.push(
        check(
          'nonce',
          'Nonce',
          claims.nonce === expected.nonce,
          claims.nonce === expected.nonce
            ? 'Matches the nonce this browser sent.'
            : `nonce is ${shown(claims.nonce)}, expected ${expected.nonce}.`,
        ),
      );
    }
    // OIDC Core §3.1.3.7 items 4-5: with several audiences azp is required; when present it names this client.
    const aud = audiences(claims);
    if (claims.azp !== undefined || aud.length > 1) {
      checks.push(
        check(
          'azp',
          'Authorized party (azp)',
          claims.azp === expected.clientId,
          `azp is ${shown(claims.azp)}, expected ${expected.clientId ?? 'the client_id'}.`,
        ),
      );
    }
  } else if (kind === 'access_token' && expected.clientId !== undefined) {
    // RFC 9068 §2.2: client_id names the client the token was issued to.
    checks.push(
      check(
        'client_id',
        'Client (client_id)',
        claims.client_id === expected.clientId,
        `client_id is ${shown(claims.client_id)}, expected ${expected.clientId}.`,
      ),
    );
  }
  return checks;
}

/** Checks an ID token's `at_hash` against the access token issued with it (OIDC Core §3.1.3.8 for the code flow: optional). */
export async function checkAtHash(decoded: DecodedJwt, accessToken: string): Promise<Check> {
  const actual = decoded.claims.at_hash;
  if (typeof actual !== 'string') {
    return {
      id: 'at_hash',
      label: 'Access token hash (at_hash)',
      status: 'skipped',
      reason: 'No at_hash claim; it is optional in the code flow.',
    };
  }
  const computed = await computeAtHash(accessToken, decoded.header.alg ?? '');
  return check(
    'at_hash',
    'Access token hash (at_hash)',
    computed === actual,
    computed === actual
      ? 'Matches the access token issued with it.'
      : `Computed ${computed} from the access token, the token says ${actual}.`,
  );
}

/**
 * Verifies the token's signature with the issuer's published keys, and only
 * the signature (claims are checked separately so each verdict stands alone).
 *
 * @see RFC 7515 §5.2, OIDC Core §3.1.3.7 item 6
 */
export async function checkSignature(token: string, jwks: jose.JSONWebKeySet): Promise<Check> {
  try {
    const {protectedHeader} = await jose.compactVerify(token, jose.createLocalJWKSet(jwks));
    return check(
      'signature',
      'Signature',
      true,
      `Verified with key ${protectedHeader.kid ?? '(no kid)'} (${protectedHeader.alg}) from the issuer's JWKS.`,
    );
  } catch (error) {
    return check('signature', 'Signature', false, error instanceof Error ? error.message : String(error));
  }
}

/** A NumericDate (seconds) as ISO 8601 and as "in 9 minutes" / "3 seconds ago". */
export function describeTime(seconds: number, nowMs: number): {iso: string; relative: string} {
  const deltaSeconds = Math.round(seconds - nowMs / 1000);
  const format = new Intl.RelativeTimeFormat('en', {numeric: 'auto'});
  const absolute = Math.abs(deltaSeconds);
  const relative =
    absolute < 60
      ? format.format(deltaSeconds, 'second')
      : absolute < 3600
        ? format.format(Math.round(deltaSeconds / 60), 'minute')
        : absolute < 86400
          ? format.format(Math.round(deltaSeconds / 3600), 'hour')
          : format.format(Math.round(deltaSeconds / 86400), 'day');
  return {iso: new Date(seconds * 1000).toISOString(), relative};
}
