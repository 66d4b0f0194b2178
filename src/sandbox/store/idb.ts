import {openDB, type IDBPDatabase} from 'idb';
import {
  createSweepSchedule,
  DEFAULT_SWEEP,
  entryFor,
  isExpired,
  StorageError,
  type Store,
  type StoredEntry,
  type SweepOptions,
} from './store';

const OBJECT_STORE = 'entries';
/** An index of the entries by `expiresAt`; entries that never expire (the signing key) are not in it. */
const BY_EXPIRY = 'by-expiry';
/**
 * Version 1: the entries. Version 2: the expiry index, added to an existing database in place, so
 * an upgraded worker keeps its signing key, sessions and grants.
 */
export const IDB_VERSION = 2;

/**
 * A Store in IndexedDB, for the Service Worker: browsers stop idle workers at any time,
 * so every piece of state must live here rather than in memory. Expired entries are deleted through
 * the expiry index (`IDBKeyRange.upperBound(now)` visits only them), on the first write after the
 * worker starts and then every `sweep.everyWrites` writes or `sweep.everyMs` milliseconds.
 */
export function createIdbStore(
  dbName = 'oauth-sandbox',
  options: {clock?: () => number; sweep?: SweepOptions} = {},
): Store {
  const clock = options.clock ?? Date.now;
  const schedule = createSweepSchedule(options.sweep ?? {...DEFAULT_SWEEP, everyWrites: 200}, clock);
  let db: Promise<IDBPDatabase> | undefined;
  const open = () =>
    (db ??= openDB(dbName, IDB_VERSION, {
      upgrade(database, oldVersion, _newVersion, transaction) {
        if (oldVersion < 1) database.createObjectStore(OBJECT_STORE);
        // Creating the index indexes the entries already there.
        if (oldVersion < 2) transaction.objectStore(OBJECT_STORE).createIndex(BY_EXPIRY, 'expiresAt');
      },
      // Someone wants the database gone or upgraded: the reader clearing site data, or a newer worker.
      // An open connection would block them forever, so close it; the next request opens afresh.
      blocking(_currentVersion, _blockedVersion, event) {
        (event.target as IDBDatabase).close();
        db = undefined;
      },
      // The browser closed the connection itself (storage cleared, disk error): reopen next time.
      terminated() {
        db = undefined;
      },
    }).catch((error: unknown) => {
      db = undefined;
      throw error;
    }));

  async function sweep(): Promise<number> {
    schedule.swept();
    const tx = (await open()).transaction(OBJECT_STORE, 'readwrite');
    let deleted = 0;
    let cursor = await tx.store.index(BY_EXPIRY).openCursor(IDBKeyRange.upperBound(clock()));
    while (cursor) {
      await cursor.delete();
      deleted += 1;
      cursor = await cursor.continue();
    }
    await tx.done;
    return deleted;
  }

  /** After a write: sweeps when one is due (see createSweepSchedule). */
  async function wrote(): Promise<void> {
    if (schedule.wrote()) await sweep();
  }

  return guarded({
    async get<T>(key: string) {
      const entry = (await (await open()).get(OBJECT_STORE, key)) as StoredEntry | undefined;
      if (!entry) return undefined;
      if (isExpired(entry, clock())) {
        await (await open()).delete(OBJECT_STORE, key);
        return undefined;
      }
      return entry.value as T;
    },
    async set(key: string, value: unknown, ttlSeconds?: number) {
      await (await open()).put(OBJECT_STORE, entryFor(value, ttlSeconds, clock()), key);
      await wrote();
    },
    async delete(key: string) {
      await (await open()).delete(OBJECT_STORE, key);
    },
    async take<T>(key: string) {
      // One readwrite transaction: IndexedDB serializes overlapping readwrite transactions,
      // so two concurrent takes cannot both see the value.
      const tx = (await open()).transaction(OBJECT_STORE, 'readwrite');
      const entry = (await tx.store.get(key)) as StoredEntry | undefined;
      if (entry) await tx.store.delete(key);
      await tx.done;
      if (!entry || isExpired(entry, clock())) return undefined;
      return entry.value as T;
    },
    async update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number) {
      // One readwrite transaction, and `change` is synchronous, so no other write to the store can come
      // between the read and the write (IndexedDB serializes overlapping readwrite transactions).
      const tx = (await open()).transaction(OBJECT_STORE, 'readwrite');
      const entry = (await tx.store.get(key)) as StoredEntry | undefined;
      const before = entry && !isExpired(entry, clock()) ? (entry.value as T) : undefined;
      const after = change(before);
      if (after !== undefined) await tx.store.put(entryFor(after, ttlSeconds, clock()), key);
      await tx.done;
      if (after !== undefined) await wrote();
      return before;
    },
    async clear() {
      await (await open()).clear(OBJECT_STORE);
    },
    sweep,
    async size() {
      return (await open()).count(OBJECT_STORE);
    },
  });
}

/** IndexedDB's DOMException names that mean "try again" rather than "broken": the work was cut short. */
const INTERRUPTED = new Set([
  'AbortError',
  'TransactionInactiveError',
  'InvalidStateError',
  'UnknownError',
  'VersionError',
]);

/** What IndexedDB threw, as a StorageError the app can answer with; anything else is passed on. */
function storageErrorFor(error: unknown): unknown {
  if (!(error instanceof DOMException)) return error;
  if (error.name === 'QuotaExceededError') {
    return new StorageError('full', `the browser's storage for this site is full (${error.name})`, {cause: error});
  }
  if (INTERRUPTED.has(error.name)) {
    return new StorageError('interrupted', `a storage transaction was cut short (${error.name}: ${error.message})`, {
      cause: error,
    });
  }
  return error;
}

/** The same store, its failures raised as StorageError. */
function guarded(store: Store): Store {
  const wrap =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } catch (error) {
        throw storageErrorFor(error);
      }
    };
  return {
    get: wrap(store.get),
    set: wrap(store.set),
    delete: wrap(store.delete),
    take: wrap(store.take),
    update: wrap(store.update),
    clear: wrap(store.clear),
    sweep: wrap(store.sweep),
    size: wrap(store.size),
  } as Store;
}
