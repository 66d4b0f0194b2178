/**
 * The only places where the authorization server leaves a defence out. Each predicate is true for one
 * kind of security-lab client and false for every other client: a client without a `lab` field in the
 * catalog can never reach a weakened path (labs.test.ts checks every one of them).
 */
import type {CatalogClient, LabWeakness} from './catalog';

function hasWeakness(client: CatalogClient, weakness: LabWeakness): boolean {
  return client.lab !== undefined && client.lab.weakness === weakness;
}

/** The code-interception lab's victim app may send an authorization request without PKCE (RFC 9700 §2.1.1 waived). */
export function mayOmitPkce(client: CatalogClient): boolean {
  return hasWeakness(client, 'pkce-optional');
}

/** The refresh-token-theft lab's weak app keeps one refresh token for its whole life (RFC 9700 §4.14.2 waived). */
export function skipsRefreshRotation(client: CatalogClient): boolean {
  return hasWeakness(client, 'refresh-not-rotated');
}

/**
 * The loose-redirect-uri lab's weak app: a requested redirect URI passes when it merely starts with a
 * registered one, the check RFC 9700 §4.1.3 forbids (exact string matching is the rule). Returns the
 * requested URI when it passes this way, undefined for every other client and URI.
 */
export function prefixMatchedRedirectUri(client: CatalogClient, requested: string): string | undefined {
  if (!hasWeakness(client, 'redirect-uri-prefix-match')) return undefined;
  // RFC 6749 §3.1.2: still an absolute URI without a fragment; the loose part is the comparison only.
  try {
    new URL(requested);
  } catch {
    return undefined;
  }
  if (requested.includes('#')) return undefined;
  return client.redirect_uris.some((registered) => requested.startsWith(registered)) ? requested : undefined;
}

/** The tokens-in-url lab's implicit app may get its access token in the redirect's fragment (RFC 9700 §2.1.2 waived). */
export function mayReceiveTokenInUrl(client: CatalogClient): boolean {
  return hasWeakness(client, 'implicit-token-response');
}

/**
 * The device-code phishing lab's weak TV app: the user approves without the step that names the app and asks
 * whether they started this on a device in front of them (RFC 8628 §5.4 not applied).
 */
export function skipsDeviceConfirmation(client: CatalogClient): boolean {
  return hasWeakness(client, 'device-no-confirmation');
}
