import { createStore, delMany, entries, set, type UseStore } from "idb-keyval";

/** The few storage operations the queue needs; async because IndexedDB is. */
export interface Store {
  entries(): Promise<Array<[string, unknown]>>;
  set(key: string, value: unknown): Promise<void>;
  delMany(keys: string[]): Promise<void>;
}

export function memoryStore(): Store {
  const map = new Map<string, unknown>();
  return {
    entries: async () => [...map.entries()],
    set: async (key, value) => {
      map.set(key, value);
    },
    delMany: async (keys) => {
      for (const key of keys) map.delete(key);
    },
  };
}

/**
 * IndexedDB through idb-keyval. Private windows, blocked storage and quota errors must not
 * break the shop: on the first failure we switch, silently and for good, to memory (events then
 * only survive as long as the page).
 */
export function idbStore(dbName: string): Store {
  let backing: UseStore | null = null;
  const fallback = memoryStore();
  let failed = false;
  try {
    if (typeof indexedDB === "undefined") failed = true;
    else backing = createStore(dbName, "kv");
  } catch {
    failed = true;
  }
  async function attempt<T>(run: (db: UseStore) => Promise<T>, orElse: () => Promise<T>): Promise<T> {
    if (failed || backing === null) return orElse();
    try {
      return await run(backing);
    } catch {
      failed = true;
      return orElse();
    }
  }
  return {
    entries: () =>
      attempt(
        async (db) => (await entries<string, unknown>(db)).map(([k, v]): [string, unknown] => [String(k), v]),
        fallback.entries,
      ),
    set: (key, value) =>
      attempt(
        (db) => set(key, value, db),
        () => fallback.set(key, value),
      ),
    delMany: (keys) =>
      attempt(
        (db) => delMany(keys, db),
        () => fallback.delMany(keys),
      ),
  };
}
