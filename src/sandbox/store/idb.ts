import {openDB, type IDBPDatabase} from 'idb';
import {entryFor, isExpired, StorageError, type Store, type StoredEntry} from './store';

const OBJECT_STORE = 'entries';

/**
 * A Store in IndexedDB, for the Service Worker: browsers stop idle workers at any time,
 * so every piece of state must live here rather than in memory.
 */
export function createIdbStore(dbName = 'oauth-sandbox'): Store {
  let db: Promise<IDBPDatabase> | undefined;
  const open = () =>
    (db ??= openDB(dbName, 1, {
      upgrade(database) {
        database.createObjectStore(OBJECT_STORE);
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

  return guarded({
    async get<T>(key: string) {
      const entry = (await (await open()).get(OBJECT_STORE, key)) as StoredEntry | undefined;
      if (!entry) return undefined;
      if (isExpired(entry, Date.now())) {
        await (await open()).delete(OBJECT_STORE, key);
        return undefined;
      }
      return entry.value as T;
    },
    async set<T>(key: string, value: T, ttlSeconds?: number) {
      await (await open()).put(OBJECT_STORE, entryFor(value, ttlSeconds, Date.now()), key);
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
      if (!entry || isExpired(entry, Date.now())) return undefined;
      return entry.value as T;
    },
    async update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number) {
      // One readwrite transaction, and `change` is synchronous, so no other write to the store can come
      // between the read and the write (IndexedDB serializes overlapping readwrite transactions).
      const tx = (await open()).transaction(OBJECT_STORE, 'readwrite');
      const entry = (await tx.store.get(key)) as StoredEntry | undefined;
      const before = entry && !isExpired(entry, Date.now()) ? (entry.value as T) : undefined;
      const after = change(before);
      if (after !== undefined) await tx.store.put(entryFor(after, ttlSeconds, Date.now()), key);
      await tx.done;
      return before;
    },
    async clear() {
      await (await open()).clear(OBJECT_STORE);
    },
  });
}

/** IndexedDB's DOMException names that mean "try again" rather than "broken": the work was cut short. */
const INTERRUPTED = new Set(['AbortError', 'TransactionInactiveError', 'InvalidStateError', 'UnknownError', 'VersionError']);

/** What IndexedDB threw, as a StorageError the app can answer with; anything else is passed on. */
function storageErrorFor(error: unknown): unknown {
  if (!(error instanceof DOMException)) return error;
  if (error.name === 'QuotaExceededError') {
    return new StorageError('full', `the browser's storage for this site is full (${error.name})`, {cause: error});
  }
  if (INTERRUPTED.has(error.name)) {
    return new StorageError('interrupted', `a storage transaction was cut short (${error.name}: ${error.message})`, {cause: error});
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
  } as Store;
}
