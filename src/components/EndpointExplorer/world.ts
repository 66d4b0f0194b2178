/**
 * The server the explorer talks to: the sandbox in this browser, `npm run sandbox`, or the reader's own
 * provider. Connecting reads its description (the forms), its catalog (the pre-fills) or its metadata,
 * and a failed connection is said in words.
 */
import {getIssuer, sandboxReady, type Catalog} from '../../lib/sandbox';
import {discover} from '../../flows/authorization-code-pkce';
import {adviceFor, describeError, type OwnProviderContext} from '../../walkthroughs/engine/errors';
import type {ProviderSettings} from '../../walkthroughs/engine/provider';
import {explorerOperations, providerOperations, type ExplorerOperation, type OpenApiDocument} from './model';
import type {Target} from './request';

export interface World {
  issuer: string;
  document: OpenApiDocument;
  operations: ExplorerOperation[];
  /** The sandbox's demo world; empty for the reader's own provider, whose clients this page cannot know. */
  catalog: Catalog;
  /** The key set that verifies this issuer's tokens. */
  jwksUri: string;
  tokenEndpoint: string;
  /** Set when the requests go to the reader's own provider. */
  provider?: ProviderSettings;
}

export type Loading =
  {status: 'loading'} | {status: 'idle'} | {status: 'ready'; world: World} | {status: 'failed'; message: string};

/** The server to connect to; a new attempt connects again to the same one. */
export interface Connection {
  target: Target;
  nodeIssuer: string;
  attempt: number;
}

/** The site's address, which `npm run sandbox -- --site-url` must name so CORS lets this page in. */
export function siteUrl(): string {
  return getIssuer().replace(/sandbox$/, '');
}

export function pageUrl(): string {
  const url = new URL(window.location.href);
  url.search = '';
  url.hash = '';
  return url.href;
}

/** What the reader's provider must be configured with for this page: its origin and this page as redirect URI. */
export function ownProviderContext(issuer: string): OwnProviderContext {
  return {issuer, siteOrigin: window.location.origin, redirectUri: pageUrl()};
}

/**
 * The reader's own provider: its metadata (oauth4webapi's discovery, which checks that `issuer` matches,
 * RFC 8414 §3.3), and the forms of the standard endpoints it announces, from the description of the
 * sandbox in this browser.
 */
async function loadProviderWorld(provider: ProviderSettings): Promise<World> {
  const sandbox = (await sandboxReady()).issuer;
  const response = await fetch(`${sandbox}/openapi.json`, {cache: 'no-store'});
  if (!response.ok) throw new Error(`${sandbox}/openapi.json answered HTTP ${response.status}.`);
  const document = (await response.json()) as OpenApiDocument;
  const metadata = await discover({
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: pageUrl(),
    scope: '',
    // Plain http only for a provider on this machine; providerFromQuery refused any other (RFC 6749 §3.1).
    allowInsecureRequests: new URL(provider.issuer).protocol === 'http:',
  });
  const operations = providerOperations(explorerOperations(document), metadata);
  return {
    issuer: metadata.issuer,
    document,
    operations,
    catalog: {issuer: metadata.issuer, clients: [], users: [], apis: [], oidc_scopes: []},
    jwksUri: metadata.jwks_uri ?? '',
    tokenEndpoint: metadata.token_endpoint ?? '',
    provider,
  };
}

export async function loadWorld(
  target: Target,
  nodeIssuer: string,
  provider: ProviderSettings | undefined,
): Promise<World> {
  if (target === 'provider') {
    if (!provider) throw new Error('No provider is set.');
    return loadProviderWorld(provider);
  }
  let issuer: string;
  if (target === 'browser') {
    issuer = (await sandboxReady()).issuer;
  } else {
    issuer = nodeIssuer.replace(/\/+$/, '');
  }
  const get = async (path: string) => {
    const response = await fetch(`${issuer}${path}`, {cache: 'no-store'});
    if (!response.ok) throw new Error(`${issuer}${path} answered HTTP ${response.status}.`);
    return response.json() as Promise<unknown>;
  };
  // The description is the one source of the forms (GET {issuer}/openapi.json); the catalog pre-fills them.
  const [document, catalog] = (await Promise.all([get('/openapi.json'), get('/catalog')])) as [
    OpenApiDocument,
    Catalog,
  ];
  return {
    issuer,
    document,
    operations: explorerOperations(document),
    catalog,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint: `${issuer}/token`,
  };
}

/** Why the connection failed, and what to do: configure the provider, or start the Node sandbox. */
export function connectionFailure(
  connection: Connection,
  provider: ProviderSettings | undefined,
  error: unknown,
): string {
  const described = describeError(error);
  const reason = described.message;
  if (connection.target === 'provider' && provider) {
    const advice = adviceFor(described, ownProviderContext(provider.issuer)).explanation;
    return described.network ? advice : `Could not use the provider at ${provider.issuer}: ${reason} ${advice}`;
  }
  if (connection.target === 'node') {
    return (
      `Could not reach the Node sandbox at ${connection.nodeIssuer} (${reason}). Start it from a checkout of this ` +
      `site with "npm run sandbox -- --site-url ${siteUrl()}", so that it answers and allows this page's origin, ` +
      'then connect again.'
    );
  }
  return `The sandbox in this browser is unavailable: ${reason}`;
}
