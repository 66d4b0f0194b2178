import {getCatalog, sandboxReady, type CatalogApi, type CatalogClient, type CatalogUser} from '@site/src/lib/sandbox';
import type {SpaConfig} from '@site/src/flows/authorization-code-pkce';

/** Everything the PKCE walkthrough's steps need, read from the sandbox's catalog. */
export interface PkceEnvironment {
  issuer: string;
  /** The docs site's base URL, with a trailing slash (the issuer minus "sandbox"). */
  siteUrl: string;
  client: CatalogClient;
  api: CatalogApi;
  users: CatalogUser[];
  /** The flow module's configuration, without a fetch (each step passes its own). */
  config: SpaConfig;
}

const GUIDE_CASE = 'single-page-app';

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/**
 * Waits for the sandbox and builds the SPA's configuration from the catalog:
 * the single-page-app client, this page as its redirect_uri, and the calendar
 * API as the audience.
 */
export async function preparePkceEnvironment(): Promise<PkceEnvironment> {
  const {issuer} = await sandboxReady();
  const catalog = await getCatalog();
  const client = catalog.clients.find((candidate) => candidate.guide_case === GUIDE_CASE);
  if (!client) throw new Error(`The sandbox catalog has no client for the "${GUIDE_CASE}" case.`);
  const api = catalog.apis.find((candidate) => candidate.id === 'calendar');
  if (!api) throw new Error('The sandbox catalog has no calendar API.');
  // The redirect_uri must match a registered one exactly (RFC 6749 §3.1.2.3): this page, without query or fragment.
  const redirectUri = `${window.location.origin}${window.location.pathname}`;
  if (!client.redirect_uris.includes(redirectUri)) {
    throw new Error(`This page (${redirectUri}) is not a registered redirect URI of ${client.client_id}: ${client.redirect_uris.join(', ')}.`);
  }
  const issuerUrl = new URL(issuer);
  return {
    issuer,
    siteUrl: new URL('.', issuerUrl).href,
    client,
    api,
    users: catalog.users,
    config: {
      issuer,
      clientId: client.client_id,
      redirectUri,
      scope: ['openid', 'profile', 'offline_access', ...api.scopes.filter((scope) => scope.value.endsWith(':read')).map((scope) => scope.value)].join(' '),
      audience: api.identifier,
      // A development server on http://localhost; an https site never sets this.
      allowInsecureRequests: issuerUrl.protocol === 'http:' && isLoopback(issuerUrl),
    },
  };
}
