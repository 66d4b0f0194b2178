/**
 * The explorer's authorization requests: fresh PKCE, state and nonce values (from the SPA flow module,
 * which uses oauth4webapi), kept in this tab's sessionStorage while the browser visits the sign-in page,
 * and the checks on the way back (state, iss) before the code is offered for exchange.
 */
import {
  createAuthorizationSecrets,
  discover,
  validateCallback,
  type AuthorizationSecrets,
} from '../../flows/authorization-code-pkce';
import {providerQuery, type ProviderSettings} from '../../walkthroughs/engine/provider';
import type {Target} from './request';
import {PENDING_AUTHORIZATION_KEY as PENDING_KEY} from './storage-keys';

export {createAuthorizationSecrets, type AuthorizationSecrets};

/** What the page must remember until the browser comes back to the redirect URI. */
export interface PendingAuthorization {
  issuer: string;
  target: Target;
  nodeIssuer: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeVerifier: string;
  /** The reader's own provider, when the request went there: the redirect back carries no settings. */
  provider?: ProviderSettings;
}

export function savePending(pending: PendingAuthorization): void {
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
}

function loadPending(): PendingAuthorization | undefined {
  try {
    const text = window.sessionStorage.getItem(PENDING_KEY);
    return text ? (JSON.parse(text) as PendingAuthorization) : undefined;
  } catch {
    return undefined;
  }
}

/** The authorization request this page load answers, when the browser comes back from one the explorer sent. */
export function pendingReturn(): PendingAuthorization | undefined {
  const query = new URLSearchParams(window.location.search);
  return query.has('code') || query.has('error') ? loadPending() : undefined;
}

export type AuthorizationReturn =
  {ok: true; pending: PendingAuthorization; code: string} | {ok: false; pending: PendingAuthorization; error: unknown};

/**
 * Reads the authorization response from this page's URL, checks it and removes it from the address bar
 * (a code must not linger in history, RFC 9700 §4.2.4). The checks are oauth4webapi's: `state` equals the
 * one sent (RFC 6749 §10.12) and `iss` equals the issuer (RFC 9207 §2.4).
 */
export async function readAuthorizationReturn(): Promise<AuthorizationReturn | undefined> {
  const pending = loadPending();
  const current = new URL(window.location.href);
  if (!pending || !(current.searchParams.has('code') || current.searchParams.has('error'))) return undefined;
  window.sessionStorage.removeItem(PENDING_KEY);
  const cleaned = new URL(current);
  // Back at the bare redirect URI: the provider's settings return to the address, so a reload keeps them.
  cleaned.search = pending.provider ? providerQuery(pending.provider) : '';
  window.history.replaceState(window.history.state, '', cleaned.href);
  try {
    const config = {
      issuer: pending.issuer,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      scope: '',
      allowInsecureRequests: pending.issuer.startsWith('http:'),
    };
    const as = await discover(config);
    const parameters = validateCallback(as, config, current, pending.state);
    return {ok: true, pending, code: parameters.get('code') ?? ''};
  } catch (error) {
    return {ok: false, pending, error};
  }
}
