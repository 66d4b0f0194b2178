/**
 * Sandbox request latency from Node, two transports: in-process (`app.fetch`, what unit tests use) and
 * Node HTTP (`npm run sandbox`'s server on a free port). Two requests each: discovery (a GET that reads
 * no state) and a client_credentials token request (client authentication, a signed JWT, a store write).
 * Prints JSON for scripts/bench/index.mjs: {transport: {request: {cold, median, p95}}} in milliseconds.
 *
 *   npx tsx scripts/bench/sandbox-latency.ts [--requests 50]
 */
import {parseArgs} from 'node:util';
import {createSandbox} from '../../src/sandbox/app';
import type {Catalog, CatalogClient} from '../../src/sandbox/catalog';
import {startNodeSandbox} from '../../src/sandbox/node';
import {createMemoryStore} from '../../src/sandbox/store/memory';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
interface Timing {
  cold: number;
  median: number;
  p95: number;
}

const {values} = parseArgs({options: {requests: {type: 'string', default: '50'}}});
const REQUESTS = Number(values.requests);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function time(fetchIt: Fetch, url: string, init: () => RequestInit | undefined): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i <= REQUESTS; i++) {
    const started = performance.now();
    const response = await fetchIt(url, init());
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    samples.push(performance.now() - started);
  }
  const [cold = Number.NaN, ...warm] = samples;
  warm.sort((a, b) => a - b);
  return {cold, median: percentile(warm, 0.5), p95: percentile(warm, 0.95)};
}

/** RFC 6749 §4.4.2 token request for the first client allowed the client_credentials grant, authenticated as registered. */
function tokenRequest(client: CatalogClient, resource: string): () => RequestInit {
  // RFC 8707 §2: the API the token is for.
  const body = new URLSearchParams({grant_type: 'client_credentials', resource});
  const headers: Record<string, string> = {'content-type': 'application/x-www-form-urlencoded'};
  if (client.token_endpoint_auth_method === 'client_secret_post') {
    body.set('client_id', client.client_id);
    body.set('client_secret', client.client_secret ?? '');
  } else {
    // RFC 6749 §2.3.1: client_secret_basic, form-urlencoded id and secret.
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret ?? '')}`)}`;
  }
  return () => ({method: 'POST', headers, body: body.toString()});
}

async function measure(fetchIt: Fetch, issuer: string): Promise<Record<string, Timing>> {
  const discovery = await time(fetchIt, `${issuer}/.well-known/openid-configuration`, () => undefined);
  const catalog = (await (await fetchIt(`${issuer}/catalog`)).json()) as Catalog;
  const client = catalog.clients.find(
    (candidate) => candidate.grant_types.includes('client_credentials') && candidate.client_secret,
  );
  if (!client) throw new Error('the catalog lists no client_credentials client');
  const api = catalog.apis.at(0);
  if (!api) throw new Error('the catalog lists no API');
  const token = await time(fetchIt, `${issuer}/token`, tokenRequest(client, api.identifier));
  return {discovery, token};
}

async function main(): Promise<void> {
  const issuer = 'http://localhost/sandbox';
  const app = createSandbox({issuer, siteUrl: 'http://localhost/', store: createMemoryStore()});
  const inProcess = await measure(async (url, init) => app.fetch(new Request(url, init)), issuer);

  const node = await startNodeSandbox({port: 0});
  let http: Record<string, Timing>;
  try {
    http = await measure((url, init) => fetch(url.replace('//localhost:', '//127.0.0.1:'), init), node.issuer);
  } finally {
    await node.close();
  }
  console.log(JSON.stringify({'in-process (app.fetch)': inProcess, 'Node HTTP': http}));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
