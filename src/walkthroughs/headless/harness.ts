/**
 * Runs the registry's walkthroughs headless in Node: each through the same runner the page uses, against
 * an in-process sandbox served as the site's Service Worker serves it (the sandbox with its sessions in the
 * store, the demo apps beside it, one browser), and a test browser that follows every navigation a step
 * starts: redirects, the sandbox's real login and consent pages, form posts, back to the walkthrough's page.
 */
import './node-stand-ins';
import {describe} from 'node:test';
import assert from 'node:assert/strict';
import {createSandbox} from '../../sandbox/app';
import type {Catalog, CatalogUser} from '../../contract/catalog';
import {withRelyingParties} from '../../sandbox/relying-parties';
import {createMemoryStore} from '../../sandbox/store/memory';
import {createTestBrowser} from '../../sandbox/testing';
import type {FetchFunction} from '../../lib/http-exchange';
import {sandboxEnvironment} from '../engine/environment';
import type {DescribedError} from '../engine/errors';
import {createRun, currentIndexOf, type RunSnapshot, type StepOutcome, type WalkthroughRun} from '../engine/runner';
import type {WalkthroughEnv} from '../engine/types';
import {isWalkthroughSlug, walkthroughs, type WalkthroughSlug} from '../registry';

/** The site and its sandbox on one origin, as in a browser: `<origin><baseUrl>sandbox`. */
const SITE_URL = 'https://docs.test/';
const ISSUER = `${SITE_URL}sandbox`;

/** The walkthrough's page: a static page of the site, whatever its query. */
const SITE_PAGE = '<!doctype html><title>A page of the site</title>';

type Handler = (request: Request) => Promise<Response>;

/**
 * The sandbox's signing key (kept in its store under this name, see sandbox/keys.ts), generated once per
 * test process and copied into each new world's store: generating an RSA key for every test costs more
 * than the test. A world whose store lacks it (the name changed) generates its own, as the sandbox does.
 */
const SIGNING_KEY = 'keys:signing';
let signingKey: unknown;

/** sessionStorage's methods over a Map. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => void items.set(name, value),
    removeItem: (name) => void items.delete(name),
    clear: () => items.clear(),
  };
}

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

/** What a world may be given: the sandbox's clock, for runs that let time pass (codes that expire). */
export interface WorldOptions {
  clock?: () => number;
}

/**
 * The browser of the reader: one sandbox (its sessions in the store, as in the Service Worker), the demo
 * apps beside it, one cookie jar. Its `fetch` is the page's; `visit` is the address bar.
 */
export async function createWorld(options: WorldOptions = {}) {
  const store = createMemoryStore();
  if (signingKey) await store.set(SIGNING_KEY, signingKey);
  const sandbox = createSandbox({issuer: ISSUER, siteUrl: SITE_URL, store, session: 'store', clock: options.clock});
  const served = withRelyingParties((request, facts) => sandbox.fetch(request, facts), {
    issuer: ISSUER,
    siteUrl: SITE_URL,
    fetch: async (url, init) => sandbox.fetch(new Request(url, init)),
    store,
    sessionMode: 'single-browser',
  });
  const handler: Handler = async (request) =>
    request.url === ISSUER || request.url.startsWith(`${ISSUER}/`) || request.url.startsWith(`${ISSUER}?`)
      ? served(request)
      : new Response(SITE_PAGE, {headers: {'content-type': 'text/html; charset=utf-8'}});
  // The sign-in helper of the flows' own tests: it fills in the sandbox's login and consent forms.
  const browser = createTestBrowser(handler, ISSUER);

  /** The page's fetch: follows redirects and keeps cookies, like a browser's. */
  const pageFetch: FetchFunction = async (url, init) => {
    let address = url;
    let response = await browser.request(address, init);
    let redirected = false;
    for (let hops = 0; init.redirect !== 'manual' && isRedirect(response.status) && hops < 10; hops++) {
      address = new URL(response.headers.get('location') ?? '', address).href;
      // RFC 9110 §15.4: 307 and 308 repeat the request; the others turn a POST into a GET.
      response = await browser.request(address, [307, 308].includes(response.status) ? init : {method: 'GET'});
      redirected = true;
    }
    Object.defineProperties(response, {url: {value: address}, redirected: {value: redirected}});
    return response;
  };

  /**
   * Opens `url` in the address bar and follows it, signing in as `user` and answering the consent page
   * with `consent`, until the browser is back at a page of the site: that URL, which the walkthrough reads.
   */
  async function visit(url: string, options: {user?: CatalogUser; consent?: 'allow' | 'deny'} = {}): Promise<string> {
    let next = url;
    for (let hops = 0; hops < 10; hops++) {
      if (!next.startsWith(`${ISSUER}/`)) return next;
      const {user, consent} = options;
      const outcome = await browser.authorize(next, {username: user?.username, password: user?.password, consent});
      if (outcome.callbackUrl) {
        next = outcome.callbackUrl.href;
        continue;
      }
      if (outcome.formPost) {
        // The form_post page submits itself (OAuth 2.0 Form Post Response Mode §2).
        const posted = await browser.request(outcome.formPost.action, {
          method: 'POST',
          headers: {'content-type': 'application/x-www-form-urlencoded'},
          body: outcome.formPost.fields.toString(),
        });
        const location = posted.headers.get('location');
        if (!isRedirect(posted.status) || !location) {
          throw new Error(`The form post to ${outcome.formPost.action} answered ${posted.status}`);
        }
        next = new URL(location, outcome.formPost.action).href;
        continue;
      }
      const {status} = outcome.response;
      throw new Error(`The browser stopped at ${next}: HTTP ${status}, after ${outcome.pages.join(', ') || 'no page'}`);
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  // The steps' own requests outside their recorded fetch (a resume reading a demo app's report) are the page's too.
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) =>
    pageFetch(input instanceof Request ? input.url : String(input), init ?? {});
  const catalog = (await (await pageFetch(`${ISSUER}/catalog`, {})).json()) as Catalog;
  if (!signingKey) {
    await pageFetch(`${ISSUER}/jwks`, {});
    signingKey = await store.get(SIGNING_KEY);
  }
  const [alice, bob] = catalog.users;
  assert.ok(alice && bob, 'the catalog has two demo users');
  return {issuer: ISSUER, catalog, alice, bob, pageFetch, visit, browser};
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/** Form data from plain fields, as the step's `before` view would submit them. */
export function formOf(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

export interface LeaveOptions {
  fields?: Record<string, string>;
  user?: CatalogUser;
  consent?: 'allow' | 'deny';
  /** Changes the URL the browser comes back with before the page reads it (an attacker's edit). */
  tamper?: (url: URL) => void;
}

/**
 * One walkthrough of the registry, open in a tab of `world`'s browser: its page's URL, its sessionStorage,
 * and the run that a page load of it creates.
 */
export async function openWalkthrough(world: World, slug: WalkthroughSlug) {
  const entry = walkthroughs[slug];
  const {default: definition} = await entry.load();
  const pageUrl = `${SITE_URL}${entry.page}`;
  const env: WalkthroughEnv = sandboxEnvironment(definition, {issuer: world.issuer, catalog: world.catalog, pageUrl});
  const storage = memoryStorage();
  // What steps read of the page itself: its address, and the tab's sessionStorage (an app's pending sign-in).
  const {origin, pathname} = new URL(pageUrl);
  (globalThis as {window?: unknown}).window = {sessionStorage: storage, location: {href: pageUrl, origin, pathname}};
  const load = (): WalkthroughRun =>
    createRun({
      definition,
      prepare: async () => env,
      storage,
      fetch: world.pageFetch,
      navigate: () => undefined,
      returnTo: pathname,
      resetSandbox: async () => {
        await world.pageFetch(`${world.issuer}/reset`, {method: 'POST', headers: {'Sandbox-Reset': 'confirm'}});
      },
    });
  let run = load();
  await run.start();

  const snapshot = (): RunSnapshot => run.getSnapshot();
  const describeOutcome = (outcome: StepOutcome) =>
    outcome.status === 'failed' ? `failed: ${outcome.error.message}` : outcome.status;
  const stepTitle = () => definition.steps[currentIndexOf(snapshot(), definition.steps.length) ?? 0]?.title;

  return {
    env,
    definition,
    storage,
    snapshot,
    run: () => run,
    /** Everything the steps have given so far. */
    state: (): Record<string, unknown> =>
      Object.assign({}, ...snapshot().saved.completed.map((done) => done.gives)) as Record<string, unknown>,
    /** Runs the next step, which must complete; returns what it gave. */
    async step(fields?: Record<string, string>): Promise<Record<string, unknown>> {
      const title = stepTitle();
      const outcome = await run.runNext(formOf(fields));
      assert.equal(outcome.status, 'done', `"${title}" ${describeOutcome(outcome)}`);
      return snapshot().saved.completed.at(-1)!.gives as Record<string, unknown>;
    },
    /** Runs the next step, which must fail; returns the error as the page shows it. */
    async fails(fields?: Record<string, string>): Promise<DescribedError> {
      const title = stepTitle();
      const outcome = await run.runNext(formOf(fields));
      assert.equal(outcome.status, 'failed', `"${title}" should fail, but ${describeOutcome(outcome)}`);
      return (outcome as {error: DescribedError}).error;
    },
    /**
     * Runs the next step, which sends the browser away; follows it to the page it comes back to, and
     * loads the walkthrough again there, from sessionStorage, as the page does. Returns the URL.
     */
    async leave(options: LeaveOptions = {}): Promise<string> {
      const title = stepTitle();
      const outcome = await run.runNext(formOf(options.fields));
      assert.equal(outcome.status, 'left', `"${title}" should leave the page, but ${describeOutcome(outcome)}`);
      const leftFor = (outcome as {url: string}).url;
      const url = new URL(await world.visit(leftFor, {user: options.user ?? world.alice, consent: options.consent}));
      options.tamper?.(url);
      const back = url.href;
      run = load();
      const resumed = run.resume(back);
      await run.start();
      await resumed;
      return back;
    },
  };
}

export type OpenWalkthrough = Awaited<ReturnType<typeof openWalkthrough>>;

/** A suite of headless runs of one registered walkthrough; the coverage test finds them by this call. */
export function headless(slug: WalkthroughSlug, body: () => void): void {
  assert.ok(isWalkthroughSlug(slug), `${slug} is registered`);
  describe(`${slug}, headless`, body);
}

/** Opens a fresh world (sandbox and browser) and the walkthrough in it. */
export async function fresh(
  slug: WalkthroughSlug,
  options: WorldOptions = {},
): Promise<OpenWalkthrough & {world: World}> {
  const world = await createWorld(options);
  return {...(await openWalkthrough(world, slug)), world};
}
