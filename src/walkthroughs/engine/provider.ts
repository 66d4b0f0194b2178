/**
 * The reader's own authorization server: a walkthrough page opened with `?issuer=…&client_id=…`
 * (and optionally `audience`, `scope`) runs against it instead of the built-in sandbox.
 *
 * The settings come from the page's query, and are kept with the walkthrough's saved progress,
 * because the provider sends the browser back to the bare redirect URI without them.
 */

/** Which authorization server and client a walkthrough runs as, when it is not the sandbox. */
export interface ProviderSettings {
  /** The issuer identifier; its discovery document is read from `{issuer}/.well-known/…`. */
  issuer: string;
  /** The reader's public client, registered with this page as its redirect URI. */
  clientId: string;
  /** The API to ask a token for (RFC 8707 `resource`), when the reader names one. */
  audience?: string;
  /** The scopes to ask for (default: `openid profile`). */
  scope?: string;
}

/** The query parameter names, as the form on the page writes them. */
export const PROVIDER_PARAMETERS = {
  issuer: 'issuer',
  clientId: 'client_id',
  audience: 'audience',
  scope: 'scope',
} as const;

/** The scopes asked for when the reader names none: sign-in and the profile claims. */
export const DEFAULT_PROVIDER_SCOPE = 'openid profile';

export function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/** A refusal of the settings in the page's query, in words. */
export class ProviderSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderSettingsError';
  }
}

function trimmed(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)?.trim();
  return value ? value : undefined;
}

/**
 * Reads provider settings from a page's query. Undefined when the query names no issuer (the
 * sandbox runs); throws `ProviderSettingsError` when it names one that cannot be used.
 *
 * An issuer must be an https URL without query or fragment (RFC 8414 §2); plain http is accepted for
 * a loopback host only, a development server on the reader's machine (RFC 6749 §3.1 and §3.2 require
 * TLS for the authorization and token endpoints).
 */
export function providerFromQuery(query: URLSearchParams): ProviderSettings | undefined {
  const issuer = trimmed(query, PROVIDER_PARAMETERS.issuer);
  if (!issuer) return undefined;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ProviderSettingsError(
      `The issuer "${issuer}" is not a URL. Enter it as your provider shows it, e.g. https://example.eu.auth0.com/.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new ProviderSettingsError(
      `The issuer must use https (RFC 6749 §3.1, §3.2); plain http is accepted only for localhost. Got ${issuer}.`,
    );
  }
  if (url.search || url.hash)
    throw new ProviderSettingsError(`An issuer has no query or fragment (RFC 8414 §2). Got ${issuer}.`);
  const clientId = trimmed(query, PROVIDER_PARAMETERS.clientId);
  if (!clientId)
    throw new ProviderSettingsError(
      'A client_id is needed with the issuer: the public client you registered for this page.',
    );
  const settings: ProviderSettings = {issuer, clientId};
  const audience = trimmed(query, PROVIDER_PARAMETERS.audience);
  if (audience) settings.audience = audience;
  const scope = trimmed(query, PROVIDER_PARAMETERS.scope);
  if (scope) settings.scope = scope.split(/\s+/).join(' ');
  return settings;
}

/** The query that selects these settings, e.g. `?issuer=…&client_id=…`: what a reload keeps in the address bar. */
export function providerQuery(settings: ProviderSettings): string {
  const query = new URLSearchParams({
    [PROVIDER_PARAMETERS.issuer]: settings.issuer,
    [PROVIDER_PARAMETERS.clientId]: settings.clientId,
  });
  if (settings.audience) query.set(PROVIDER_PARAMETERS.audience, settings.audience);
  if (settings.scope) query.set(PROVIDER_PARAMETERS.scope, settings.scope);
  return `?${query.toString()}`;
}

export function sameProvider(a: ProviderSettings | undefined, b: ProviderSettings | undefined): boolean {
  if (!a || !b) return a === b;
  return a.issuer === b.issuer && a.clientId === b.clientId && a.audience === b.audience && a.scope === b.scope;
}

/**
 * Which provider a page load runs against. The query decides; when the browser comes back from the
 * provider to the bare redirect URI (a response to a request this tab saved as awaiting it), the
 * saved settings do, so the response is checked against the provider that was asked (RFC 9207 §2.4).
 */
export function resolveProvider(
  query: URLSearchParams,
  saved: {provider?: ProviderSettings; awaitingReturn?: number},
): ProviderSettings | undefined {
  const fromQuery = providerFromQuery(query);
  if (fromQuery) return fromQuery;
  // RFC 6749 §4.1.2 and §4.1.2.1: the response carries `state`, and `code` or `error`.
  const isResponse = query.has('state') || query.has('error');
  return isResponse && saved.awaitingReturn !== undefined ? saved.provider : undefined;
}
