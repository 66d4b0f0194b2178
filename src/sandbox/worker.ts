/**
 * Service Worker entry: serves the sandbox authorization server, and the demo
 * web apps beside it, to the pages of the site. Registered by the site with
 * scope = baseUrl, it answers only requests under `${scope}sandbox` and leaves
 * every other request to the network.
 *
 * Browsers stop idle workers at will, so nothing lives in worker memory that the
 * next request needs: sessions, codes, tokens and signing keys are all kept in
 * IndexedDB, and the Hono app is rebuilt lazily after each restart.
 */
import {createSandbox} from './app';
import {withRelyingParties} from './relying_parties';
import {createIdbStore} from './store/idb';

declare const self: ServiceWorkerGlobalScope;

/** `${origin}${baseUrl}sandbox`, without a trailing slash, like every issuer we publish. */
const issuer = new URL('sandbox', self.registration.scope).href.replace(/\/$/, '');

let handler: ((request: Request) => Promise<Response>) | undefined;

/** The sandbox, with the demo web apps mounted beside it. */
function sandboxHandler(): (request: Request) => Promise<Response> {
  if (handler) return handler;
  // One database for both, so resetting the sandbox also signs the demo apps out.
  const store = createIdbStore();
  // Browsers drop Set-Cookie from worker responses, so the one browser's sessions
  // are kept in the store instead of cookies.
  const sandboxApp = createSandbox({issuer, store, session: 'store'});
  handler = withRelyingParties((request) => sandboxApp.fetch(request), {
    issuer,
    siteUrl: self.registration.scope,
    // A worker's own fetch() bypasses the worker and would go to the network, so the demo apps
    // reach the authorization server in-process: the same HTTP requests, answered by the same app.
    fetch: async (url, init) => sandboxApp.fetch(new Request(url, init)),
    store,
    sessionMode: 'single-browser',
  });
  return handler;
}

/** Only the sandbox's own URLs, and only from pages of this site: the trust model, docs/concepts/trust-model.mdx. */
function isSandboxRequest(url: string): boolean {
  const {origin, pathname} = new URL(url);
  const path = origin + pathname;
  return path === issuer || path.startsWith(`${issuer}/`);
}

self.addEventListener('install', (event) => {
  // A new version takes over at once: the sandbox keeps no state in memory that
  // an older worker could still need.
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  // Control pages that were opened before the worker existed, so a first visit
  // can run a flow without a reload.
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  // A page loaded with a forced reload starts uncontrolled; it asks to be claimed.
  if (isClaimRequest(event.data)) event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  if (!isSandboxRequest(event.request.url)) return;
  event.respondWith(answer(event.request));
});

function isClaimRequest(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as {type?: unknown}).type === 'sandbox:claim';
}

async function answer(request: Request): Promise<Response> {
  try {
    return await sandboxHandler()(request);
  } catch (error) {
    // The app maps its own errors to RFC error responses; this is the last
    // resort so that a page never waits on a request that will not be answered.
    console.error('Sandbox worker failed to answer', request.method, request.url, error);
    return Response.json(
      {error: 'server_error', error_description: 'The sandbox failed to answer this request.'},
      {status: 500, headers: {'cache-control': 'no-store'}},
    );
  }
}
