/**
 * Key-value persistence for all sandbox state (sessions, interactions, codes, grants, keys).
 * Two implementations: in memory (Node, tests) and IndexedDB (the Service Worker).
 *
 * Both are bounded: every entry but the signing key has an expiry, and expired entries are not only
 * hidden from reads but deleted, by `sweep()`, which each store also runs by itself now and then as
 * it is written to (see `SweepSchedule`), so state left behind by abandoned flows does not pile up.
 */
// Members are function properties, not methods: no implementation uses `this`, so they may be passed around.
export interface Store {
  get: <T>(key: string) => Promise<T | undefined>;
  /** Stores a JSON-compatible value; it disappears after `ttlSeconds` when given. */
  set: (key: string, value: unknown, ttlSeconds?: number) => Promise<void>;
  delete: (key: string) => Promise<void>;
  /** Atomic read-and-delete: of two concurrent takes, only one gets the value. */
  take: <T>(key: string) => Promise<T | undefined>;
  /**
   * Atomic read-modify-write: `change` gets the current value (undefined when absent) and returns the
   * new one (undefined leaves it as it is). Concurrent updates of a key are applied one after the other.
   * Resolves to the value as it was before.
   */
  update: <T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlSeconds?: number,
  ) => Promise<T | undefined>;
  clear: () => Promise<void>;
  /** Deletes every expired entry now; resolves to how many were deleted. */
  sweep: () => Promise<number>;
  /** How many entries the store holds, expired ones not yet swept included. */
  size: () => Promise<number>;
}

/** A stored value with its expiry (ms since epoch), shared by both implementations. */
export interface StoredEntry {
  value: unknown;
  expiresAt?: number;
}

export function isExpired(entry: StoredEntry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

export function entryFor(value: unknown, ttlSeconds: number | undefined, now: number): StoredEntry {
  // Structured clone, in IndexedDB and in memory, keeps both stores copy-on-write.
  return ttlSeconds === undefined ? {value} : {value, expiresAt: now + ttlSeconds * 1000};
}

/** When a store sweeps by itself: after this many writes, or this long after the last sweep. */
export interface SweepOptions {
  everyWrites: number;
  everyMs: number;
}

export const DEFAULT_SWEEP: SweepOptions = {everyWrites: 1000, everyMs: 60_000};

/**
 * Decides, on each write, whether the store should sweep now: at most once per `everyWrites` writes
 * or `everyMs` milliseconds, so the cost of a sweep is spread over many requests instead of every
 * request paying for a scan. A fresh schedule is due on its first write (a restarted worker sweeps
 * what piled up while it was stopped).
 */
export function createSweepSchedule(options: SweepOptions, clock: () => number) {
  let writes = 0;
  let last: number | undefined;
  return {
    /** Counts a write; true when a sweep is due. */
    wrote(): boolean {
      writes += 1;
      const now = clock();
      if (last !== undefined && writes < options.everyWrites && now - last < options.everyMs) return false;
      writes = 0;
      last = now;
      return true;
    },
    /** Records a sweep made for another reason (a timer, a worker start). */
    swept(): void {
      writes = 0;
      last = clock();
    },
  };
}

/**
 * The store could not read or write. `full`: the browser refused to keep more for this site (its
 * storage quota is used up); `interrupted`: the transaction was aborted or the database closed under it
 * (the reader cleared site data, another version of the worker took over). Implementations raise this
 * instead of their own errors, so the app can answer with an OAuth error rather than a crash.
 */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly kind: 'full' | 'interrupted',
    message: string,
    options: {cause?: unknown} = {},
  ) {
    super(message, options);
  }
}
