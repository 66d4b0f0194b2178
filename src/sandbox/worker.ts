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
import type {TransportFacts} from './context';
import {withRelyingParties} from './relying-parties';
import {createIdbStore} from './store/idb';

declare const self: ServiceWorkerGlobalScope;

/** `${origin}${baseUrl}sandbox`, without a trailing slash, like every issuer we publish. */
const issuer = new URL('sandbox', self.registration.scope).href.replace(/\/$/, '');

type Handler = (request: Request, facts?: TransportFacts) => Promise<Response>;

let handler: Handler | undefined;
// One database for both, so resetting the sandbox also signs the demo apps out.
const store = createIdbStore();
/**
 * Expired state is swept each time the worker starts: browsers stop idle workers, so this runs on
 * activation and again before the first request a restarted worker answers (later sweeps ride on writes).
 */
let startSweep: Promise<unknown> | undefined;
const sweepOnStart = () =>
  (startSweep ??= store
    .sweep()
    .catch((error: unknown) => console.warn('Sandbox worker could not sweep expired state', error)));

/** The sandbox, with the demo web apps mounted beside it. */
function sandboxHandler(): Handler {
  if (handler) return handler;
  // Browsers drop Set-Cookie from worker responses, so the one browser's sessions
  // are kept in the store instead of cookies.
  const sandboxApp = createSandbox({issuer, store, session: 'store'});
  handler = withRelyingParties((request, facts) => sandboxApp.fetch(request, facts), {
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
  event.waitUntil(Promise.all([self.clients.claim(), sweepOnStart()]));
});

self.addEventListener('message', (event) => {
  // A page loaded with a forced reload starts uncontrolled; it asks to be claimed.
  if (isClaimRequest(event.data)) event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  if (!isSandboxRequest(event.request.url)) return;
  event.respondWith(answer(event));
});

function isClaimRequest(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as {type?: unknown}).type === 'sandbox:claim';
}

/**
 * Whether a page of this origin sent the request. A worker sees no Sec-Fetch-Site, and a form posted by
 * another site may carry `Origin: null` (or, in some browsers, no Origin at all in the worker), so the
 * sandbox's login and consent forms would have only their CSRF value to stand on (see
 * endpoints/interaction.ts). Two facts no other site can forge, either of which is proof:
 * - the request's referrer is a URL of this origin (the sandbox pages send it to their own origin only,
 *   under `Referrer-Policy: same-origin`; another site can send none or its own, never ours);
 * - the client that started the request is one of ours: `clients.get()` finds only same-origin
 *   clients, and Chromium names a navigation's initiating client in `clientId` even when the page
 *   withheld its referrer.
 * Cookies cannot help: a worker never sees the request's Cookie header.
 */
async function sentFromSameOrigin(event: FetchEvent): Promise<boolean> {
  if (originOf(event.request.referrer) === self.location.origin) return true;
  return event.clientId !== '' && (await self.clients.get(event.clientId)) !== undefined;
}

/** A URL's origin; a request's referrer is a URL, `about:client` or empty. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

async function answer(event: FetchEvent): Promise<Response> {
  const {request} = event;
  try {
    // Only what changes state needs the proof; a GET or HEAD is answered without looking.
    const facts: TransportFacts =
      request.method === 'GET' || request.method === 'HEAD'
        ? {}
        : {sentFromSameOrigin: await sentFromSameOrigin(event)};
    await sweepOnStart();
    return await sandboxHandler()(request, facts);
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
