import type {Context} from 'hono';
import {deleteCookie, getCookie, setCookie} from 'hono/cookie';
import type {Sandbox} from './context';
import {randomToken} from './tokens';

/** The single sign-on session: who logged in at the sandbox, and when (OIDC Core §2 auth_time). */
export interface SessionRecord {
  sub: string;
  /** Seconds since the epoch. */
  authTime: number;
}

const SESSION_TTL = 8 * 60 * 60;
const COOKIE = 'sandbox_session';
/** 'store' mode: a Service Worker serves one browser, and browsers drop its Set-Cookie headers. */
const BROWSER_SESSION_KEY = 'session:browser';
const sessionKey = (id: string) => `session:${id}`;

/** Reads the current session, from the cookie (Node) or the Store (Service Worker). */
export async function getSession(sandbox: Sandbox, c: Context): Promise<SessionRecord | undefined> {
  if (sandbox.session === 'store') return sandbox.store.get<SessionRecord>(BROWSER_SESSION_KEY);
  const id = getCookie(c, COOKIE);
  return id && /^[A-Za-z0-9_-]{20,64}$/.test(id) ? sandbox.store.get<SessionRecord>(sessionKey(id)) : undefined;
}

/** Starts a session after a successful login, replacing any previous one (new id: no session fixation). */
export async function startSession(sandbox: Sandbox, c: Context, record: SessionRecord): Promise<void> {
  if (sandbox.session === 'store') {
    await sandbox.store.set(BROWSER_SESSION_KEY, record, SESSION_TTL);
    return;
  }
  const previous = getCookie(c, COOKIE);
  if (previous) await sandbox.store.delete(sessionKey(previous));
  const id = randomToken(24);
  await sandbox.store.set(sessionKey(id), record, SESSION_TTL);
  setCookie(c, COOKIE, id, {
    path: new URL(sandbox.issuer).pathname,
    httpOnly: true,
    sameSite: 'Lax',
    secure: sandbox.issuer.startsWith('https:'),
    maxAge: SESSION_TTL,
  });
}

/** Ends the session. */
export async function endSession(sandbox: Sandbox, c: Context): Promise<void> {
  if (sandbox.session === 'store') {
    await sandbox.store.delete(BROWSER_SESSION_KEY);
    return;
  }
  const id = getCookie(c, COOKIE);
  if (id) await sandbox.store.delete(sessionKey(id));
  deleteCookie(c, COOKIE, {path: new URL(sandbox.issuer).pathname});
}
