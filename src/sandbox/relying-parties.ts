/**
 * The two demo relying parties, and the ID token replay lab's app, mounted beside the sandbox by each
 * transport (worker.ts, node.ts). They are client code (src/flows/): they know the authorization server
 * only by its issuer URL and reach it over HTTP, through the `fetch` the transport hands them. Their
 * public URLs sit under the issuer (`{issuer}/webapp`, `{issuer}/webapp/form-post`,
 * `{issuer}/webapp/lab/id-token-replay`) because the Service Worker only answers there; the catalog
 * registers their redirect URIs at those places.
 */
import {demoAppUrl} from '../contract/demo-apps';
import {createWebApp} from '../flows/authorization-code';
import {createFormPostApp} from '../flows/implicit-form-post';
import {createReplayLabApp} from '../flows/labs/id-token-replay';
import type {FetchFunction, KeyValueStore, SessionMode} from '../flows/web-app-support';
import {buildCatalog, findClient, type Catalog, type CatalogClient} from './catalog';
import type {TransportFacts} from './context';

type FetchHandler = (request: Request, facts?: TransportFacts) => Response | Promise<Response>;

export interface RelyingPartiesOptions {
  /** The sandbox's issuer, no trailing slash. */
  issuer: string;
  /** The docs site, with a trailing slash: the apps' pages link back to their guide page. */
  siteUrl: string;
  /** How the relying parties reach the authorization server. */
  fetch: FetchFunction;
  /** Where the relying parties keep their sessions. */
  store: KeyValueStore;
  sessionMode: SessionMode;
}

/**
 * Returns a handler that answers the demo apps' URLs with the apps and every other request with the
 * sandbox. The apps' configuration is their catalog registration.
 */
export function withRelyingParties(
  sandbox: FetchHandler,
  options: RelyingPartiesOptions,
): (request: Request, facts?: TransportFacts) => Promise<Response> {
  const {issuer, siteUrl} = options;
  const catalog = buildCatalog(issuer, siteUrl);
  const webAppUrl = demoAppUrl(issuer, 'webApp');
  const formPostAppUrl = demoAppUrl(issuer, 'formPost');
  const webAppClient = registered(findClient(catalog, 'regular-web-app'), `${webAppUrl}/callback`);
  const formPostClient = registered(findClient(catalog, 'form-post-app'), `${formPostAppUrl}/callback`);
  const common = {
    issuer,
    sessions: options.store,
    sessionMode: options.sessionMode,
    fetch: options.fetch,
    // Only the Node transport has an http: issuer (localhost); the site and the tests use https:.
    allowInsecureRequests: issuer.startsWith('http:'),
  };
  const webApp = createWebApp({
    ...common,
    clientId: webAppClient.client_id,
    clientSecret: webAppClient.client_secret!,
    appUrl: webAppUrl,
    appName: webAppClient.client_name,
    guideUrl: `${siteUrl}flows/authorization-code`,
    api: calendarApi(catalog),
  });
  const formPostApp = createFormPostApp({
    ...common,
    clientId: formPostClient.client_id,
    appUrl: formPostAppUrl,
    appName: formPostClient.client_name,
    guideUrl: `${siteUrl}flows/implicit-form-post`,
  });
  // The ID token replay lab's app (docs/security/id-token-replay): it can skip its own nonce check.
  const replayLabAppUrl = demoAppUrl(issuer, 'idTokenReplayLab');
  const replayLabClient = registered(findClient(catalog, 'lab-members-app'), `${replayLabAppUrl}/callback`);
  const replayLabApp = createReplayLabApp({
    ...common,
    clientId: replayLabClient.client_id,
    appUrl: replayLabAppUrl,
    appName: replayLabClient.client_name,
    guideUrl: `${siteUrl}security/id-token-replay`,
  });

  return async (request, facts) => {
    const {origin, pathname} = new URL(request.url);
    const path = origin + pathname;
    const under = (base: string) => path === base || path.startsWith(`${base}/`);
    if (under(formPostAppUrl)) return formPostApp.fetch(request);
    if (under(replayLabAppUrl)) return replayLabApp.fetch(request);
    if (under(webAppUrl)) return webApp.fetch(request);
    return sandbox(request, facts);
  };
}

/** The API the web app calls for its users: the calendar. */
function calendarApi(catalog: Catalog): {identifier: string; baseUrl: string; scope: string} {
  const api = catalog.apis.find((candidate) => candidate.id === 'calendar');
  if (!api) throw new Error('no calendar API in the catalog');
  return {identifier: api.identifier, baseUrl: api.base_url, scope: 'calendar:read'};
}

/** The catalog client, checked to be registered for the redirect URI its app serves. */
function registered(client: CatalogClient | undefined, redirectUri: string): CatalogClient {
  if (!client?.redirect_uris.includes(redirectUri)) throw new Error(`no demo client registered for ${redirectUri}`);
  return client;
}
