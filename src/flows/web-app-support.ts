/**
 * Demo-only pieces shared by the two server-side demo apps (`authorization-code.ts` and
 * `implicit-form-post.ts`): the app's browser session, the record of its back-channel calls, and its
 * HTML pages. No protocol logic lives here; it is in the two flow files.
 */
import type {Context} from 'hono';
import {getCookie, setCookie} from 'hono/cookie';
import {html, raw} from 'hono/html';
import {secureHeaders} from 'hono/secure-headers';
import type {HttpExchangeRecord} from '../lib/http-exchange';

/**
 * Headers on every answer of a web app, as its authorization server sends on its own pages: no other
 * site may show the app's pages in a frame, where a reader could be tricked into clicking "Sign in"
 * (clickjacking: CSP `frame-ancestors`, and RFC 7034's X-Frame-Options for older browsers); no answer
 * is run as another type than it says; and the URL of a page (the callback's carries the code and
 * state) goes in no Referer to another site (RFC 9700 §4.2.4).
 */
export function appSecurityHeaders() {
  return secureHeaders({
    xFrameOptions: 'DENY',
    contentSecurityPolicy: {frameAncestors: ["'none'"]},
    xContentTypeOptions: true,
    referrerPolicy: 'same-origin',
    // The others secureHeaders can set are left to the site that hosts the app.
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}

/** Where a demo app keeps its sessions: any key-value store with expiry (a database, Redis, memory). */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * How the app recognizes a browser. `cookie`: an HttpOnly session cookie, as any web app does.
 * `single-browser`: one session for the one browser there is, for a Service Worker, whose responses
 * cannot set cookies (browsers drop their Set-Cookie headers).
 */
export type SessionMode = 'cookie' | 'single-browser';

/** A fetch to reach the authorization server with (in a Service Worker: an in-process one). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** What the app's server holds after a sign-in, described for the browser; token values never leave the server. */
export interface HeldSession {
  /** The verified ID token's claims (OIDC Core §2). */
  idTokenClaims: Record<string, unknown>;
  /** The access token's description, when the app holds one. */
  accessToken: {audience: string | null; scope: string | null; expiresAt: number} | null;
  /** Whether the app holds a refresh token (OIDC Core §11: only with offline_access). */
  refreshToken: boolean;
}

/** What crossed the browser for the latest sign-in: the request it was sent with, and the answer it carried back. */
export interface FrontChannel {
  /** The authorization request URL the browser was redirected to. */
  authorizationRequest: string;
  /** The response as the redirect URI received it: in the query (code flow) or as a posted form (form_post). */
  response?: {method: 'GET' | 'POST'; parameters: Array<[string, string]>};
}

/** `GET {app}/back-channel`: what the app's server said to the authorization server for this browser's latest sign-in. */
export interface BackChannelReport {
  exchanges: HttpExchangeRecord[];
  session: HeldSession | null;
  frontChannel: FrontChannel | null;
  /** Why the latest sign-in failed, when it did. */
  failure: string | null;
}

/**
 * The `return_to` of a sign-in: only the app's own guide page is accepted, so the app can never be
 * used to send a browser somewhere else (an open redirector, RFC 9700 §4.11).
 */
export function returnTo(requested: string | undefined, guideUrl: string | undefined): string | undefined | Error {
  if (requested === undefined) return undefined;
  return requested === guideUrl ? requested : new Error("return_to may only name this app's guide page");
}

const SESSION_TTL = 8 * 60 * 60;
/** A session that only carries a sign-in in progress: longer than the sandbox's ten-minute sign-in. */
export const PENDING_SESSION_TTL = 15 * 60;

/** A demo app's sessions: one record per browser, found by cookie (or the single browser's key). */
export function browserSessions<T>(options: {
  store: KeyValueStore;
  name: string;
  path: string;
  mode: SessionMode;
  secure: boolean;
}) {
  const {store, name, mode} = options;
  const keyOf = (id: string) => `${name}:${id}`;
  const singleBrowserKey = keyOf('browser');
  const currentId = (c: Context) => {
    const id = getCookie(c, name);
    return id && /^[A-Za-z0-9_-]{20,64}$/.test(id) ? id : undefined;
  };
  const setSessionCookie = (c: Context, id: string) =>
    setCookie(c, name, id, {
      path: options.path,
      httpOnly: true,
      // Lax: the browser brings the cookie back on the redirect (a top-level GET) and on the form post
      // here, where the app and the authorization server share a site. An app on another site than its
      // authorization server needs SameSite=None; Secure for the form post to carry it.
      sameSite: 'Lax',
      secure: options.secure,
      maxAge: SESSION_TTL,
    });

  return {
    async get(c: Context): Promise<T | undefined> {
      if (mode === 'single-browser') return store.get<T>(singleBrowserKey);
      const id = currentId(c);
      return id ? store.get<T>(keyOf(id)) : undefined;
    },
    /** Saves the browser's session, starting one if it has none. */
    async save(c: Context, record: T): Promise<void> {
      if (mode === 'single-browser') return store.set(singleBrowserKey, record, SESSION_TTL);
      const current = currentId(c);
      const exists = current !== undefined && (await store.get<T>(keyOf(current))) !== undefined;
      const id = current ?? randomId();
      // A session started here carries only a sign-in in progress, so it lasts as long as one may take;
      // it gets the full lifetime once signed in (renew). Every request without a cookie starts one, so
      // a flood of them must not keep the store full for hours.
      await store.set(keyOf(id), record, exists ? SESSION_TTL : PENDING_SESSION_TTL);
      setSessionCookie(c, id);
    },
    /** Saves the session under a new id, e.g. after a sign-in, so an id planted before it is worth nothing. */
    async renew(c: Context, record: T): Promise<void> {
      if (mode === 'single-browser') return store.set(singleBrowserKey, record, SESSION_TTL);
      const previous = currentId(c);
      if (previous) await store.delete(keyOf(previous));
      const id = randomId();
      await store.set(keyOf(id), record, SESSION_TTL);
      setSessionCookie(c, id);
    },
  };
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** An error as one line for the failure page: the RFC error code and description when there is one. */
export function describeFailure(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'error' in error && typeof error.error === 'string') {
    const description =
      'error_description' in error && typeof error.error_description === 'string' ? error.error_description : '';
    return `${error.error}: ${description}`;
  }
  return error instanceof Error ? error.message : 'unexpected error';
}

// Contrast: body text #1b1f24 on #ffffff (16:1), muted text #4a5361 (7.6:1), links #1d4ed8 (6.7:1),
// error text #9b1c1c on #fdecec (7:1).
const STYLES = raw(`
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f3f5f8; }
  main { max-width: 36rem; margin: 2rem auto; padding: 1.5rem; background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; }
  @media (max-width: 38rem) { main { margin: 0; border-radius: 0; border-width: 0 0 1px; } }
  h1 { font-size: 1.4rem; line-height: 1.3; margin: 0 0 0.5rem; }
  h2 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
  p, ul { margin: 0 0 1rem; }
  a { color: #1d4ed8; }
  a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  .muted { color: #4a5361; font-size: 0.9rem; }
  .alert { color: #9b1c1c; background: #fdecec; border: 1px solid #e5a3a3; border-radius: 6px; padding: 0.5rem 0.75rem; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
  pre { margin: 0 0 1rem; padding: 0.75rem; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85rem; }
`);

type Content = ReturnType<typeof html>;

function page(title: string, body: Content): Content {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <link rel="icon" href="data:," />
        <title>${title}</title>
        <style>
          ${STYLES}
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}

/** What every demo app page says about itself, and the way back to the guide. */
export interface AppPageContext {
  appName: string;
  loginUrl: string;
  guideUrl?: string | undefined;
}

const intro = (appName: string) =>
  html`<p class="muted">
    This page comes from the server side of the demo app <strong>${appName}</strong>, the code the guide shows, running
    beside the sandbox.
  </p>`;

const backToGuide = (guideUrl: string | undefined) =>
  guideUrl ? html`<p><a href="${guideUrl}">Back to the guide</a></p>` : '';

/** The app's home page: who is signed in, and what the server (not the browser) holds. */
export function homePage(context: AppPageContext, session: HeldSession | null): Content {
  const {appName, loginUrl, guideUrl} = context;
  if (!session) {
    return page(
      appName,
      html`<h1>Not signed in</h1>
        ${intro(appName)}
        <p><a href="${loginUrl}">Sign in with the sandbox</a></p>
        ${backToGuide(guideUrl)}`,
    );
  }
  const claims = session.idTokenClaims;
  const access = session.accessToken;
  return page(
    appName,
    html`<h1>Signed in as ${String(claims.name ?? claims.sub)}</h1>
      ${intro(appName)}
      ${
        access
          ? html`<h2>What the server holds</h2>
              <p>
                The tokens went from the token endpoint straight to this server. They never reached the browser, so this
                page describes them instead of showing them.
              </p>
              <ul>
                <li>
                  An access
                  token${access.audience ? html` for <code>${access.audience}</code>` : ''}${
                    access.scope ? html` with scope <code>${access.scope}</code>` : ''
                  },
                  valid until ${new Date(access.expiresAt * 1000).toISOString()}
                </li>
                <li>
                  ${session.refreshToken ? 'A refresh token, to get new access tokens without the user' : 'No refresh token (offline_access was not granted)'}
                </li>
              </ul>`
          : html`<p>Only an ID token was asked for: the app knows who you are and holds no access token.</p>`
      }
      <h2>ID token claims (verified)</h2>
      <pre tabindex="0"><code>${JSON.stringify(claims, null, 2)}</code></pre>
      <p><a href="${loginUrl}">Sign in again</a></p>
      ${backToGuide(guideUrl)}`,
  );
}

/** The app's page for a sign-in that did not complete. */
export function failurePage(context: AppPageContext, error: string): Content {
  return page(
    context.appName,
    html`<h1>Sign-in failed</h1>
      ${intro(context.appName)}
      <p class="alert" role="alert">${error}</p>
      <p><a href="${context.loginUrl}">Start the sign-in again</a></p>
      ${backToGuide(context.guideUrl)}`,
  );
}
