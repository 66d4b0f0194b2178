import {base64url} from 'jose';
import {InvalidGrant, InvalidRequest} from '../errors';

/** RFC 7636 §4.1 / §4.2: 43 to 128 characters from the unreserved set. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Validates an authorization code request's challenge, which every client must send: RFC 9700 §2.1.1
 * makes PKCE a MUST for public clients and recommends it for confidential ones, where it also stops
 * authorization code injection; the sandbox requires it of both. Only S256 is accepted: RFC 9700
 * §2.1.1 says `plain` must not be used, and the sandbox advertises `["S256"]` only.
 */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): void {
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method without code_challenge');
    throw new InvalidRequest('the authorization code flow needs a PKCE code_challenge (S256)');
  }
  // RFC 7636 §4.3 defaults a missing method to plain, which is refused.
  if (method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  if (!PKCE_VALUE.test(challenge))
    throw new InvalidRequest('code_challenge must be 43-128 unreserved characters (RFC 7636 §4.2)');
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url.encode(new Uint8Array(digest));
}

/** RFC 7636 §4.6: the verifier must hash to the stored challenge, else invalid_grant. */
export async function verifyCodeVerifier(verifier: string | undefined, challenge: string | undefined): Promise<void> {
  if (challenge === undefined) {
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge signals a downgrade attack.
    if (verifier !== undefined)
      throw new InvalidGrant('code_verifier sent but the authorization request had no code_challenge');
    return;
  }
  if (verifier === undefined) throw new InvalidGrant('code_verifier is required');
  if (!PKCE_VALUE.test(verifier))
    throw new InvalidGrant('code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)');
  if ((await s256(verifier)) !== challenge) throw new InvalidGrant('code_verifier does not match the code_challenge');
}
