/**
 * Serves the sandbox from Node: `npm run sandbox -- --port 4000 --site-url http://localhost:3000/`,
 * issuer http://localhost:<port>/sandbox, in-memory state, cookie sessions, CORS for the docs site and
 * any other localhost origin. The demo web apps run beside it at {issuer}/webapp and {issuer}/webapp/form-post.
 */
import {serve} from '@hono/node-server';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {createSandbox} from './app';
import {buildCatalog, type Catalog} from './catalog';
import {withRelyingParties} from './relying-parties';
import {createMemoryStore} from './store/memory';
import type {Store} from './store/store';

export interface NodeSandbox {
  issuer: string;
  /** The docs site the `spa` and `native-app` page redirect URIs point at. */
  siteUrl: string;
  close(): Promise<void>;
}

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
export const DEFAULT_SITE_URL = 'http://localhost:3000/';
/** How often the Node server sweeps expired state from its store, besides the sweeps that writes trigger. */
export const SWEEP_INTERVAL_MS = 60_000;

/**
 * Starts the sandbox on `port` (0 picks a free one) and resolves once it listens. `siteUrl` is where the
 * docs (or your own app) are served: the `spa` and `native-app` clients accept redirect URIs on its pages.
 */
export async function startNodeSandbox({
  port = 4000,
  siteUrl = DEFAULT_SITE_URL,
}: {port?: number; siteUrl?: string} = {}): Promise<NodeSandbox> {
  const site = withTrailingSlash(siteUrl);
  // eslint-disable-next-line prefer-const -- the server's fetch reads it; it is assigned once the issuer is known
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const server = serve({port, hostname: '127.0.0.1', fetch: (request) => handler!(request)});
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  // The issuer needs the real port (port 0 picks one); no request can arrive before this line runs.
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}/sandbox`;
  const siteOrigin = new URL(site).origin;
  const store = createMemoryStore();
  const sweeper = sweepPeriodically(store, SWEEP_INTERVAL_MS);
  const sandboxApp = createSandbox({
    issuer,
    siteUrl: site,
    store,
    session: 'cookie',
    corsOrigins: (origin) => origin === siteOrigin || LOCALHOST_ORIGIN.test(origin),
  });
  handler = withRelyingParties((request) => sandboxApp.fetch(request), {
    issuer,
    siteUrl: site,
    // In-process, as in the Service Worker: the apps still speak HTTP requests and responses to the
    // sandbox, but need no loopback socket (and so nothing depends on how this machine resolves localhost).
    fetch: async (url, init) => sandboxApp.fetch(new Request(url, init)),
    store,
    sessionMode: 'cookie',
  });
  return {
    issuer,
    siteUrl: site,
    close: () => {
      clearInterval(sweeper);
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * Sweeps the store every `intervalMs`, so expired entries go even when no request comes to trigger a
 * sweep. The timer is unref'd: it never keeps the process alive on its own.
 */
export function sweepPeriodically(store: Store, intervalMs: number): NodeJS.Timeout {
  const timer = setInterval(() => void store.sweep(), intervalMs);
  timer.unref();
  return timer;
}

function withTrailingSlash(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`--site-url must be an http(s) URL, not ${url}`);
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

/** What the command prints at start: where the sandbox is, and each demo client with its redirect URIs. */
export function describeSandbox(issuer: string, catalog: Catalog): string {
  const lines = [
    `OAuth sandbox issuer:  ${issuer}`,
    `Discovery:             ${issuer}/.well-known/openid-configuration`,
    `Demo world (catalog):  ${issuer}/catalog`,
    '',
    'Demo clients:',
  ];
  const width = Math.max(...catalog.clients.map((client) => client.client_id.length)) + 2;
  for (const client of catalog.clients) {
    lines.push(`  ${client.client_id.padEnd(width)}${client.type.padEnd(14)}${client.client_name}`);
    for (const uri of client.redirect_uris) {
      // RFC 8252 §7.3: a loopback redirect URI matches on any port.
      const note = /^http:\/\/(127\.0\.0\.1|\[::1\])\//.test(uri) ? '  (any port)' : '';
      lines.push(`  ${''.padEnd(width)}redirect_uri  ${uri}${note}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      port: {type: 'string', default: '4000'},
      'site-url': {type: 'string', default: DEFAULT_SITE_URL},
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const sandbox = await startNodeSandbox({port, siteUrl: values['site-url']});
  console.log(describeSandbox(sandbox.issuer, buildCatalog(sandbox.issuer, sandbox.siteUrl)));
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
