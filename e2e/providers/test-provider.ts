/**
 * Where the end-to-end tests' own OpenID provider runs (e2e/providers/oidc-provider.mjs): next to the
 * site under test, on E2E_PROVIDER_PORT or the site's port + 100, with the PKCE page and the endpoint
 * explorer's page as redirect URIs.
 * Read by playwright.config.ts (to start it) and by the specs (to point the page at it).
 */
const sitePort = Number(process.env.E2E_PORT ?? 3210);
const basePath = withSlashes(process.env.BASE_URL ?? '/');

function withSlashes(path: string): string {
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

export const TEST_PROVIDER = {
  port: Number(process.env.E2E_PROVIDER_PORT ?? sitePort + 100),
  get issuer(): string {
    return `http://localhost:${this.port}`;
  },
  /** The PKCE walkthrough's page: a redirect URI both clients register. */
  redirectUri: `http://localhost:${sitePort}${basePath}flows/authorization-code-pkce`,
  /** The endpoint explorer's page ("Try the endpoints"): the other redirect URI both clients register. */
  explorerRedirectUri: `http://localhost:${sitePort}${basePath}concepts/try-the-endpoints`,
  /** A public client whose requests from the site's origin the provider allows cross-origin. */
  clientId: 'walkthrough-spa',
  /** A public client whose token requests the provider refuses cross-origin. */
  corsRefusedClientId: 'no-cors-spa',
};
