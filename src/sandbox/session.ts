import type {Context} from 'hono';
import {getCookie, setCookie} from 'hono/cookie';
import type {Sandbox} from './context';
import {randomToken} from './tokens';

/** The single sign-on session: who logged in at the sandbox, and when (OIDC Core §2 auth_time). */
export interface SessionRecord {
  sub: string;
  /** Seconds since the epoch. */
  authTime: number;
}

/** A browser session of one party (the authorization server, or a demo app's server side). */
export interface Sessions<T> {
  get(c: Context): Promise<T | undefined>;
  /** A name for the browser's session, when it has one: a key for per-browser limits. */
  browser(c: Context): Promise<string | undefined>;
  /** Starts a session, replacing any previous one under a new id (no session fixation). */
  start(c: Context, record: T): Promise<void>;
}

const SESSION_TTL = 8 * 60 * 60;

/**
 * Sessions kept in the Store, found by an HttpOnly cookie (Node), or, in 'store' mode, one per party,
 * because a Service Worker serves a single browser and browsers drop its Set-Cookie headers.
 */
export function createSessions<T>(sandbox: Sandbox, options: {name: string; path: string}): Sessions<T> {
  const browserKey = `${options.name}:browser`;
  const keyOf = (id: string) => `${options.name}:${id}`;
  const cookiePath = new URL(options.path).pathname;

  return {
    async get(c) {
      if (sandbox.session === 'store') return sandbox.store.get<T>(browserKey);
      const id = getCookie(c, options.name);
      return id && /^[A-Za-z0-9_-]{20,64}$/.test(id) ? sandbox.store.get<T>(keyOf(id)) : undefined;
    },
    async browser(c) {
      if (sandbox.session === 'store') return 'browser';
      const id = getCookie(c, options.name);
      // Only a session that exists names a browser: made-up cookie values create nothing.
      return id && /^[A-Za-z0-9_-]{20,64}$/.test(id) && (await sandbox.store.get<T>(keyOf(id))) !== undefined
        ? id
        : undefined;
    },
    async start(c, record) {
      if (sandbox.session === 'store') {
        await sandbox.store.set(browserKey, record, SESSION_TTL);
        return;
      }
      const previous = getCookie(c, options.name);
      if (previous) await sandbox.store.delete(keyOf(previous));
      const id = randomToken(24);
      await sandbox.store.set(keyOf(id), record, SESSION_TTL);
      setCookie(c, options.name, id, {
        path: cookiePath,
        httpOnly: true,
        sameSite: 'Lax',
        secure: sandbox.issuer.startsWith('https:'),
        maxAge: SESSION_TTL,
      });
    },
  };
}

const ssoSessions = (sandbox: Sandbox) =>
  createSessions<SessionRecord>(sandbox, {name: 'sandbox_session', path: sandbox.issuer});

/** Reads the current single sign-on session. */
export async function getSession(sandbox: Sandbox, c: Context): Promise<SessionRecord | undefined> {
  return ssoSessions(sandbox).get(c);
}

/** Starts a single sign-on session after a successful login. */
export async function startSession(sandbox: Sandbox, c: Context, record: SessionRecord): Promise<void> {
  return ssoSessions(sandbox).start(c, record);
}

/** The browser's single sign-on session id, when it has one (see Sessions.browser). */
export async function browserOf(sandbox: Sandbox, c: Context): Promise<string | undefined> {
  return ssoSessions(sandbox).browser(c);
}
