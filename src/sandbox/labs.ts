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
