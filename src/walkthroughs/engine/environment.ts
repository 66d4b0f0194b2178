import siteConfig from '@generated/docusaurus.config';
import {getCatalog, sandboxReady} from '@site/src/lib/sandbox';
import type {Catalog, CatalogApi, CatalogClient} from '@site/src/contract/catalog';
import {isLoopback, type ProviderSettings} from './provider';
import type {WalkthroughEnv, WalkthroughMeta} from './types';

/**
 * Waits for the sandbox and reads, from its catalog, the demo client of the walkthrough's guide
 * case and the API it asks for first.
 */
export async function prepareEnvironment(meta: WalkthroughMeta, provider?: ProviderSettings): Promise<WalkthroughEnv> {
  if (provider) return ownProviderEnvironment(meta, provider);
  const {issuer} = await sandboxReady();
  return sandboxEnvironment(meta, {
    issuer,
    catalog: await getCatalog(),
    pageUrl: `${window.location.origin}${window.location.pathname}`,
  });
}

/**
 * The demo world of a walkthrough, from a sandbox's issuer and catalog: the client of its guide case and
 * the API it asks for first. `pageUrl` is the page the walkthrough runs in (in a browser, this page).
 */
export function sandboxEnvironment(
  meta: WalkthroughMeta,
  sandbox: {issuer: string; catalog: Catalog; pageUrl: string},
): WalkthroughEnv {
  const {issuer, catalog, pageUrl} = sandbox;
  const client = catalog.clients.find((candidate) =>
    meta.clientId ? candidate.client_id === meta.clientId : candidate.guide_case === meta.guideCase,
  );
  if (!client) throw new Error(`The sandbox catalog has no client for the "${meta.guideCase}" case.`);
  const apiId = meta.api ?? 'calendar';
  const api = catalog.apis.find((candidate) => candidate.id === apiId);
  if (!api) throw new Error(`The sandbox catalog has no ${apiId} API.`);
  const issuerUrl = new URL(issuer);
  return {
    issuer,
    siteUrl: new URL('.', issuerUrl).href,
    pageUrl,
    catalog,
    client,
    api,
    users: catalog.users,
    // A development server on http://localhost; an https site never sets this.
    allowInsecureRequests: issuerUrl.protocol === 'http:' && isLoopback(issuerUrl),
  };
}

/**
 * The reader's own provider: no sandbox, no catalog. The client is the reader's registration as this
 * page needs it (public, PKCE, this page as redirect URI); the provider itself is learnt by discovery.
 * There are no demo users or demo APIs: `users` and the catalog are empty, and `api` throws, so a
 * step written for the sandbox's APIs fails in words instead of calling something that is not there.
 */
function ownProviderEnvironment(meta: WalkthroughMeta, provider: ProviderSettings): WalkthroughEnv {
  const pageUrl = `${window.location.origin}${window.location.pathname}`;
  const client: CatalogClient = {
    client_id: provider.clientId,
    client_name: 'Your client',
    type: 'public',
    guide_case: meta.guideCase,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [pageUrl],
    token_endpoint_auth_method: 'none',
    require_pkce: true,
  };
  const issuerUrl = new URL(provider.issuer);
  const siteUrl = `${window.location.origin}${siteConfig.baseUrl}`;
  return {
    issuer: provider.issuer,
    siteUrl,
    pageUrl,
    catalog: {issuer: provider.issuer, clients: [client], users: [], apis: [], oidc_scopes: []},
    client,
    get api(): CatalogApi {
      throw new Error(`This step calls a demo API of the sandbox, which ${provider.issuer} does not have.`);
    },
    users: [],
    // RFC 6749 §3.1 and §3.2: TLS everywhere but on the reader's own machine.
    allowInsecureRequests: issuerUrl.protocol === 'http:' && isLoopback(issuerUrl),
    provider,
  };
}

/**
 * The redirect URI must match a registered one exactly (RFC 6749 §3.1.2.3): a walkthrough that
 * comes back to its page checks that the page is one, so a drift fails with words, not at /authorize.
 */
export function assertPageIsRedirectUri(env: WalkthroughEnv): string {
  if (!env.client.redirect_uris.includes(env.pageUrl)) {
    throw new Error(
      `This page (${env.pageUrl}) is not a registered redirect URI of ${env.client.client_id}: ${env.client.redirect_uris.join(', ')}.`,
    );
  }
  return env.pageUrl;
}

/** One of the demo APIs, by id: for walkthroughs that call more than one. */
export function apiById(env: WalkthroughEnv, id: CatalogApi['id']): CatalogApi {
  const api = env.catalog.apis.find((candidate) => candidate.id === id);
  if (!api) throw new Error(`The sandbox catalog has no ${id} API.`);
  return api;
}

/**
 * The demo client's secret, for a walkthrough where this page plays a confidential client's server.
 * The sandbox's secrets are public demo values; a real secret never reaches a browser (RFC 6749 §2.1).
 */
export function assertClientSecret(env: WalkthroughEnv): string {
  if (!env.client.client_secret)
    throw new Error(`${env.client.client_id} is a public client: it has no secret to authenticate with.`);
  return env.client.client_secret;
}
