/**
 * Every live walkthrough, keyed by its slug. Light on purpose: the MDX embed reads it on every page,
 * so each definition (with its flow module, oauth4webapi and jose) stays in its own lazy chunk.
 * A unit test checks that each entry has its page, its spec, and a client that accepts its redirects.
 */
import type {WalkthroughDefinition, WalkthroughMeta, WalkthroughSteps} from './engine/types';

export interface RegistryEntry extends Omit<WalkthroughMeta, 'slug'> {
  /** The docs page that embeds it, relative to the site's base URL. */
  page: string;
  /** The files the page shows as "the code this walkthrough runs". */
  sources: string[];
  /** Whether the browser comes back to the page itself from the authorization server (its URL is a redirect URI). */
  returnsToPage: boolean;
  /**
   * The definition, and for a walkthrough that can run against the reader's own provider (the page
   * opened with `?issuer=…&client_id=…`), the definition that does.
   */
  load: () => Promise<{default: WalkthroughDefinition; ownProvider?: WalkthroughDefinition}>;
}

const SPA_LANES = {browser: 'Browser', client: 'SPA (page)', as: 'Auth server', api: 'Calendar API'};

/** A registry entry as declared: its definition module, which holds the steps but not the identity. */
interface DeclaredEntry extends Omit<RegistryEntry, 'load'> {
  define: () => Promise<{default: WalkthroughSteps; ownProvider?: WalkthroughSteps}>;
}

const declared = {
  'authorization-code': {
    title: 'Live walkthrough: a server-side web app signs you in',
    page: 'flows/authorization-code',
    sources: ['src/flows/authorization-code.ts'],
    guideCase: 'regular-web-app',
    api: 'calendar',
    lanes: {browser: 'Browser', backend: 'Web app server', as: 'Auth server', api: 'Calendar API'},
    // The browser comes back to the app's own callback; the app then sends it here.
    returnsToPage: false,
    define: () => import('./definitions/authorization-code'),
  },
  'authorization-code-pkce': {
    title: 'Live walkthrough: Authorization Code flow with PKCE',
    page: 'flows/authorization-code-pkce',
    sources: ['src/flows/authorization-code-pkce.ts'],
    guideCase: 'single-page-app',
    api: 'calendar',
    lanes: SPA_LANES,
    returnsToPage: true,
    define: () => import('./definitions/authorization-code-pkce'),
  },
  'implicit-form-post': {
    title: "Live walkthrough: an ID token posted to the app's server",
    page: 'flows/implicit-form-post',
    sources: ['src/flows/implicit-form-post.ts'],
    guideCase: 'spa-id-token-only',
    lanes: {browser: 'Browser', backend: 'App server', as: 'Auth server'},
    returnsToPage: false,
    define: () => import('./definitions/implicit-form-post'),
  },
  'native-apps': {
    title: "Live walkthrough: a native app's sign-in, with this page as its loopback listener",
    page: 'flows/native-apps',
    sources: ['src/flows/native-apps.ts', 'src/flows/native-apps-cli.ts'],
    guideCase: 'native-app',
    api: 'calendar',
    lanes: {browser: 'Browser', client: 'App (page)', as: 'Auth server'},
    returnsToPage: true,
    define: () => import('./definitions/native-apps'),
  },
  'device-authorization': {
    title: 'Live walkthrough: a TV signs in with a code, the user approves on the phone',
    page: 'flows/device-authorization',
    sources: ['src/flows/device-authorization.ts', 'src/flows/device-authorization-cli.ts'],
    guideCase: 'device',
    api: 'calendar',
    lanes: {browser: 'Phone', client: 'TV (page)', as: 'Auth server', api: 'Calendar API'},
    // No redirect at all: the device polls, and the user's pages are framed beside it.
    returnsToPage: false,
    define: () => import('./definitions/device-authorization'),
  },
  'multiple-audiences': {
    title: 'Live walkthrough: one app, two APIs, two access tokens',
    page: 'concepts/multiple-audiences',
    sources: ['src/flows/multiple-audiences.ts'],
    guideCase: 'single-page-app',
    api: 'calendar',
    lanes: {...SPA_LANES, api2: 'Contacts API'},
    returnsToPage: true,
    define: () => import('./definitions/multiple-audiences'),
  },
  'refresh-tokens': {
    title: 'Live walkthrough: a refresh token rotated, reused, revoked and introspected',
    page: 'concepts/refresh-tokens',
    sources: ['src/flows/refresh-tokens.ts'],
    guideCase: 'single-page-app',
    api: 'calendar',
    lanes: SPA_LANES,
    returnsToPage: true,
    define: () => import('./definitions/refresh-tokens'),
  },
  'code-interception': {
    title: 'Security lab: a stolen authorization code, with and without PKCE',
    page: 'security/code-interception',
    sources: ['src/flows/labs/code-interception.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-notes-app',
    api: 'calendar',
    lanes: {browser: 'Browser', client: 'Notes app', backend: 'Attacker app', as: 'Auth server', api: 'Calendar API'},
    returnsToPage: true,
    define: () => import('./definitions/code-interception'),
  },
  'refresh-token-theft': {
    title: 'Security lab: a stolen refresh token, with and without rotation',
    page: 'security/refresh-token-theft',
    sources: ['src/flows/labs/refresh-token-theft.ts', 'src/flows/authorization-code-pkce.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-spa-no-rotation',
    api: 'calendar',
    lanes: {browser: 'Attacker', client: 'SPA (page)', as: 'Auth server', api: 'Calendar API'},
    returnsToPage: true,
    define: () => import('./definitions/refresh-token-theft'),
  },
  'client-credentials': {
    title: 'Live walkthrough: a job gets a token with its own credentials',
    page: 'flows/client-credentials',
    sources: ['src/flows/client-credentials.ts'],
    guideCase: 'machine-to-machine',
    api: 'calendar',
    lanes: {client: 'Job (page)', as: 'Auth server', api: 'Calendar API'},
    returnsToPage: false,
    define: () => import('./definitions/client-credentials'),
  },
  'resource-owner-password': {
    title: 'Live walkthrough: a first-party app trades a password for tokens',
    page: 'flows/resource-owner-password',
    sources: ['src/flows/resource-owner-password.ts'],
    guideCase: 'trusted-first-party',
    api: 'calendar',
    lanes: {browser: 'Login form', client: 'App backend', as: 'Auth server', api: 'Calendar API'},
    returnsToPage: false,
    define: () => import('./definitions/resource-owner-password'),
  },
  'mix-up': {
    title: 'Security lab: a code sent to the wrong server, with and without the iss check',
    page: 'security/mix-up',
    sources: ['src/flows/labs/mix-up.ts', 'src/sandbox/mix-up-attacker.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-trip-planner',
    api: 'calendar',
    lanes: {browser: 'Browser', client: 'Trip Planner', backend: 'Attacker AS', as: 'Sandbox AS', api: 'Calendar API'},
    returnsToPage: true,
    define: () => import('./definitions/mix-up'),
  },
  'loose-redirect-uri': {
    title: "Security lab: a code sent to the attacker's page, with prefix and with exact redirect URI matching",
    page: 'security/loose-redirect-uri',
    sources: ['src/flows/labs/loose-redirect-uri.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-notes-web-prefix',
    api: 'calendar',
    lanes: {browser: "Victim's browser", backend: 'Attacker', as: 'Auth server', api: 'Calendar API'},
    // The browser comes back to this page only through the attacker's crafted redirect URI, which is
    // registered for no client: the page plays the attacker's page, not a client's callback.
    returnsToPage: false,
    define: () => import('./definitions/loose-redirect-uri'),
  },
  'tokens-in-url': {
    title: 'Security lab: an access token in the URL, and a code flow that keeps it out',
    page: 'security/tokens-in-url',
    sources: ['src/flows/labs/tokens-in-url.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-spa-implicit',
    api: 'calendar',
    lanes: {browser: 'Browser (+ script)', client: 'SPA (page)', as: 'Auth server', api: 'Calendar API'},
    returnsToPage: true,
    define: () => import('./definitions/tokens-in-url'),
  },
  'login-csrf': {
    title: 'Security lab: a planted sign-in response, with and without state',
    page: 'security/login-csrf',
    sources: ['src/flows/labs/login-csrf.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-planner',
    api: 'calendar',
    lanes: {browser: 'Browser', client: 'Planner', backend: 'Attacker', as: 'Auth server', api: 'Calendar API'},
    returnsToPage: true,
    define: () => import('./definitions/login-csrf'),
  },
  'id-token-replay': {
    title: 'Security lab: a replayed ID token, with and without the nonce check',
    page: 'security/id-token-replay',
    sources: ['src/flows/labs/id-token-replay.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-members-app',
    lanes: {browser: 'Victim', client: 'Attacker', backend: 'Members', as: 'Auth server'},
    // The browser comes back to the app's callback; the app then sends it here.
    returnsToPage: false,
    define: () => import('./definitions/id-token-replay'),
  },
  'device-code-phishing': {
    title: "Security lab: a device code phished, with and without the server's confirmation",
    page: 'security/device-code-phishing',
    sources: ['src/flows/labs/device-code-phishing.ts', 'src/flows/device-authorization.ts'],
    guideCase: 'attack-lab',
    clientId: 'lab-tv-unconfirmed',
    api: 'calendar',
    lanes: {browser: 'Victim (phone)', backend: 'Attacker', as: 'Auth server', api: 'Calendar API'},
    // No redirect in this flow: the phone panel shows the server's pages, and the page polls.
    returnsToPage: false,
    define: () => import('./definitions/device-code-phishing'),
  },
} satisfies Record<string, DeclaredEntry>;

/** Every registered slug: one docs page, one definition, one e2e spec each. */
export type WalkthroughSlug = keyof typeof declared;

/** A definition's identity, from its registry entry: written once, here. */
function metaOf(slug: WalkthroughSlug, entry: Omit<RegistryEntry, 'load'>): WalkthroughMeta {
  const {title, guideCase, clientId, api, lanes} = entry;
  return {slug, title, guideCase, ...(clientId ? {clientId} : {}), ...(api ? {api} : {}), lanes};
}

function joined(meta: WalkthroughMeta, {lanes, ...steps}: WalkthroughSteps): WalkthroughDefinition {
  return {...meta, ...steps, lanes: lanes ?? meta.lanes};
}

export const walkthroughs = Object.fromEntries(
  Object.entries(declared as Record<WalkthroughSlug, DeclaredEntry>).map(([slug, {define, ...entry}]) => {
    const meta = metaOf(slug as WalkthroughSlug, entry);
    const load = async () => {
      const module = await define();
      return {
        default: joined(meta, module.default),
        ...(module.ownProvider ? {ownProvider: joined(meta, module.ownProvider)} : {}),
      };
    };
    return [slug, {...entry, load}];
  }),
) as Record<WalkthroughSlug, RegistryEntry>;

/**
 * The flow pages: the pages under `flows/` that run a walkthrough of their own. Any other page there
 * accompanies one of them and is named after it, `flows/<flow>-<topic>` (the PKCE flow's requests one
 * by one); the chooser reaches the flow pages, and the flow page links to its companion.
 */
export function flowPages(): string[] {
  return Object.values(walkthroughs)
    .map((entry) => entry.page)
    .filter((page) => page.startsWith('flows/'));
}

export function isWalkthroughSlug(slug: string): slug is WalkthroughSlug {
  return Object.hasOwn(walkthroughs, slug);
}
