/**
 * Key-value persistence for all sandbox state (sessions, interactions, codes, grants, keys).
 * Two implementations: in memory (Node, tests) and IndexedDB (the Service Worker).
 */
export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON-compatible value; it disappears after `ttlSeconds` when given. */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomic read-and-delete: of two concurrent takes, only one gets the value. */
  take<T>(key: string): Promise<T | undefined>;
  /**
   * Atomic read-modify-write: `change` gets the current value (undefined when absent) and returns the
   * new one (undefined leaves it as it is). Concurrent updates of a key are applied one after the other.
   * Resolves to the value as it was before.
   */
  update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number): Promise<T | undefined>;
  clear(): Promise<void>;
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
