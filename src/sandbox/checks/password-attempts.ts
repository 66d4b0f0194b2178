import type {CatalogUser} from '../catalog';
import type {Sandbox} from '../context';

/**
 * Password checks with an attempt limit, for the login page and the password grant alike. RFC 6749
 * §10.10 (and §4.3.2 for the password grant): "the authorization server MUST protect the endpoint
 * against brute force attacks". Wrong passwords are counted per user and per client in a fixed window;
 * past the limit every attempt is refused, the right password too, until the window ends, so guessing
 * learns nothing more.
 *
 * The counts live in the Store, like every other piece of state, so the Service Worker keeps them
 * when the browser stops and restarts it. Memory stays bounded: one entry per catalog user and per
 * catalog client at most; a wrong username counts against the client only.
 */

/** The window wrong passwords are counted in, in seconds. */
export const ATTEMPT_WINDOW = 15 * 60;
/** Wrong passwords for one user within the window before that user's sign-in is refused. */
export const MAX_FAILURES_PER_USER = 5;
/** Wrong passwords through one client within the window (guessing across users) before it is refused. */
export const MAX_FAILURES_PER_CLIENT = 20;

interface FailureCount {
  failures: number;
  /** When the window that started with the first failure ends, ms since the epoch. */
  windowEnds: number;
}

export type PasswordCheck =
  | {outcome: 'signed-in'; user: CatalogUser}
  | {outcome: 'wrong'}
  /** Too many wrong passwords: refused without looking at this one, for `retryAfter` more seconds. */
  | {outcome: 'locked'; retryAfter: number};

const userKey = (user: CatalogUser) => `attempts:user:${user.sub}`;
const clientKey = (clientId: string) => `attempts:client:${clientId}`;

/**
 * Checks a username and password sent through a client, counting wrong ones and refusing past the limits.
 * Each attempt first takes its place in the counts in one atomic update per count, and only then is the
 * password compared: a burst of parallel guesses cannot all slip in under the limit. A right password
 * gives its place back.
 */
export async function checkPassword(
  sandbox: Sandbox,
  clientId: string,
  username: string,
  password: string | undefined,
): Promise<PasswordCheck> {
  const user = sandbox.catalog.users.find((candidate) => candidate.username === username);
  const limits: Array<[key: string, max: number]> = [[clientKey(clientId), MAX_FAILURES_PER_CLIENT]];
  if (user) limits.push([userKey(user), MAX_FAILURES_PER_USER]);

  const now = sandbox.now();
  const current = (count: FailureCount | undefined) => (count && count.windowEnds > now ? count : undefined);
  let lockedUntil = 0;
  for (const [key, max] of limits) {
    const before = current(
      await sandbox.store.update<FailureCount>(
        key,
        (count) => {
          const live = current(count);
          if (!live) return {failures: 1, windowEnds: now + ATTEMPT_WINDOW * 1000};
          // At the limit the count stays as it is, so the window is not stretched by refused attempts.
          return live.failures >= max ? undefined : {...live, failures: live.failures + 1};
        },
        ATTEMPT_WINDOW,
      ),
    );
    if (before && before.failures >= max) lockedUntil = Math.max(lockedUntil, before.windowEnds);
  }
  if (lockedUntil > 0) return {outcome: 'locked', retryAfter: Math.ceil((lockedUntil - now) / 1000)};

  if (user && password !== undefined && user.password === password) {
    // The user proved who they are: their own count starts again, and the client's gets this place back.
    await sandbox.store.delete(userKey(user));
    await sandbox.store.update<FailureCount>(
      clientKey(clientId),
      (count) => current(count) && {...count!, failures: Math.max(0, count!.failures - 1)},
      ATTEMPT_WINDOW,
    );
    return {outcome: 'signed-in', user};
  }
  return {outcome: 'wrong'};
}

/** "in 3 minutes", for a refusal's message. */
export function retryIn(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
