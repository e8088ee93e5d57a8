// Where the Train view keeps what it made across visits: each collection (its prompts, its header and each prompt's
// sample lines, saved as they arrive, so a tab closed mid-collection loses nothing) and each filter trained here (its
// file, what it was trained on, its report). In the browser that is IndexedDB, through idb-keyval (a small,
// well-kept wrapper: one database, keys with a prefix per kind); elsewhere (tests) a Map.
import { createStore, delMany, get, getMany, keys, set, type UseStore } from 'idb-keyval';
import type { StoredCollection, StoredFilter, TrainStore } from './store/train-types';

const COLLECTION = 'collection:';
const PROMPT = 'prompt:';
const FILTER = 'filter:';

/** The store over a key-value API (IndexedDB's or a Map's): the keys are the same either way. */
interface KeyValue {
  get(key: string): Promise<unknown>;
  getMany(keys: string[]): Promise<unknown[]>;
  set(key: string, value: unknown): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  keys(): Promise<string[]>;
}

function keyed(kv: KeyValue): TrainStore {
  // The keys first, then only the values of one kind (a collection's sample lines can be megabytes).
  const ofKind = async <T>(prefix: string) =>
    (await kv.getMany((await kv.keys()).filter((k) => k.startsWith(prefix)))) as T[];
  return {
    putCollection: (c) => kv.set(`${COLLECTION}${c.id}`, c),
    putPrompt: (id, index, lines) => kv.set(`${PROMPT}${id}:${index}`, lines),
    async promptLines(id, count) {
      const all = await kv.getMany(Array.from({ length: count }, (_, i) => `${PROMPT}${id}:${i}`));
      const lines: string[][] = [];
      for (let i = 0; i < count; i++) {
        const saved = all[i];
        if (!Array.isArray(saved))
          throw new Error(`prompt ${i + 1} of the collection is missing from the browser's storage`);
        lines.push(saved.filter((l): l is string => typeof l === 'string'));
      }
      return lines;
    },
    collections: () => ofKind<StoredCollection>(COLLECTION),
    async deleteCollection(id) {
      const c = (await kv.get(`${COLLECTION}${id}`)) as StoredCollection | undefined;
      const prompts = Array.from({ length: c?.prompts.length ?? 0 }, (_, i) => `${PROMPT}${id}:${i}`);
      await kv.delMany([...prompts, `${COLLECTION}${id}`]);
    },
    putFilter: (f) => kv.set(`${FILTER}${f.file.name}`, f),
    filters: () => ofKind<StoredFilter>(FILTER),
    deleteFilter: (name) => kv.delMany([`${FILTER}${name}`]),
  };
}

/** A Map as the key-value API (structured clones in and out, as IndexedDB's). */
function mapKeyValue(): KeyValue {
  const map = new Map<string, unknown>();
  return {
    get: async (k) => structuredClone(map.get(k)),
    getMany: async (ks) => ks.map((k) => structuredClone(map.get(k))),
    set: async (k, v) => void map.set(k, structuredClone(v)),
    delMany: async (ks) => {
      for (const k of ks) map.delete(k);
    },
    keys: async () => [...map.keys()],
  };
}

/**
 * The browser's store: IndexedDB database "learn2pd-train". Where it cannot be opened (some private modes refuse
 * it), the first failure switches the store to the page's memory for good, and `onFallback` says why.
 */
export function idbTrainStore(onFallback: (why: string) => void = () => undefined): TrainStore {
  let db: UseStore | null = null;
  let memory: KeyValue | null = null;
  const idb: KeyValue = {
    get: (k) => get(k, (db ??= createStore('learn2pd-train', 'kv'))),
    getMany: (ks) => getMany(ks, (db ??= createStore('learn2pd-train', 'kv'))),
    set: (k, v) => set(k, v, (db ??= createStore('learn2pd-train', 'kv'))),
    delMany: (ks) => delMany(ks, (db ??= createStore('learn2pd-train', 'kv'))),
    keys: async () => (await keys((db ??= createStore('learn2pd-train', 'kv')))).map(String),
  };
  const either =
    <A extends unknown[], R>(op: (kv: KeyValue, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (memory !== null) return op(memory, ...args);
      try {
        return await op(idb, ...args);
      } catch (error) {
        memory = mapKeyValue();
        onFallback(error instanceof Error ? error.message : String(error));
        return op(memory, ...args);
      }
    };
  return keyed({
    get: either((kv, k: string) => kv.get(k)),
    getMany: either((kv, ks: string[]) => kv.getMany(ks)),
    set: either((kv, k: string, v: unknown) => kv.set(k, v)),
    delMany: either((kv, ks: string[]) => kv.delMany(ks)),
    keys: either((kv) => kv.keys()),
  });
}

/** A store that lasts as long as the page (tests, and browsers without IndexedDB). */
export function memoryTrainStore(): TrainStore {
  return keyed(mapKeyValue());
}
