import {openDB, type IDBPDatabase} from 'idb';
import {entryFor, isExpired, type Store, type StoredEntry} from './store';

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
    }));

  return {
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
  };
}
