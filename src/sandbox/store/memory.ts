import {entryFor, isExpired, type Store, type StoredEntry} from './store';

/**
 * An in-memory Store. Values are copied on the way in and out by structured clone, as IndexedDB
 * copies them, so callers can never mutate stored state by accident and a CryptoKey (the signing key)
 * is kept as the key object it is.
 */
export function createMemoryStore(clock: () => number = Date.now): Store {
  const entries = new Map<string, StoredEntry>();
  const copy = <T>(value: T): T => structuredClone(value);

  function read<T>(key: string): T | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (isExpired(entry, clock())) {
      entries.delete(key);
      return undefined;
    }
    return copy(entry.value as T);
  }

  return {
    async get<T>(key: string) {
      return read<T>(key);
    },
    async set<T>(key: string, value: T, ttlSeconds?: number) {
      entries.set(key, entryFor(copy(value), ttlSeconds, clock()));
    },
    async delete(key: string) {
      entries.delete(key);
    },
    async take<T>(key: string) {
      // Single-threaded: read and delete happen with no await in between.
      const value = read<T>(key);
      entries.delete(key);
      return value;
    },
    async update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number) {
      // Single-threaded: read, change and write happen with no await in between.
      const before = read<T>(key);
      const after = change(copy(before));
      if (after !== undefined) entries.set(key, entryFor(copy(after), ttlSeconds, clock()));
      return before;
    },
    async clear() {
      entries.clear();
    },
  };
}
