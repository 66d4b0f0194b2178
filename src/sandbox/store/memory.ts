import {
  createSweepSchedule,
  DEFAULT_SWEEP,
  entryFor,
  isExpired,
  type Store,
  type StoredEntry,
  type SweepOptions,
} from './store';

/**
 * An in-memory Store. Values are copied on the way in and out by structured clone, as IndexedDB
 * copies them, so callers can never mutate stored state by accident and a CryptoKey (the signing key)
 * is kept as the key object it is. Expired entries are swept every `sweep.everyWrites` writes or
 * `sweep.everyMs` milliseconds (one scan of the map, amortized over the writes in between), and
 * whenever `sweep()` is called (the Node server calls it on a timer).
 */
export function createMemoryStore(clock: () => number = Date.now, options: {sweep?: SweepOptions} = {}): Store {
  const entries = new Map<string, StoredEntry>();
  const copy = <T>(value: T): T => structuredClone(value);
  const schedule = createSweepSchedule(options.sweep ?? DEFAULT_SWEEP, clock);

  function read(key: string): unknown {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (isExpired(entry, clock())) {
      entries.delete(key);
      return undefined;
    }
    return copy(entry.value);
  }

  function sweepNow(): number {
    const now = clock();
    let deleted = 0;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, entry] of entries) {
      if (isExpired(entry, now)) {
        entries.delete(key);
        deleted += 1;
      }
    }
    schedule.swept();
    return deleted;
  }

  function write(key: string, entry: StoredEntry): void {
    entries.set(key, entry);
    if (schedule.wrote()) sweepNow();
  }

  return {
    async get<T>(key: string) {
      return read(key) as T | undefined;
    },
    async set(key: string, value: unknown, ttlSeconds?: number) {
      write(key, entryFor(copy(value), ttlSeconds, clock()));
    },
    async delete(key: string) {
      entries.delete(key);
    },
    async take<T>(key: string) {
      // Single-threaded: read and delete happen with no await in between.
      const value = read(key) as T | undefined;
      entries.delete(key);
      return value;
    },
    async update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number) {
      // Single-threaded: read, change and write happen with no await in between.
      const before = read(key) as T | undefined;
      const after = change(copy(before));
      if (after !== undefined) write(key, entryFor(copy(after), ttlSeconds, clock()));
      return before;
    },
    async clear() {
      entries.clear();
    },
    async sweep() {
      return sweepNow();
    },
    async size() {
      return entries.size;
    },
  };
}
