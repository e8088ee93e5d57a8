// Where the Train view keeps what it made across visits: each collection (its prompts, its header and each prompt's
// sample lines, saved as they arrive, so a tab closed mid-collection loses nothing) and each filter trained here (its
// file, what it was trained on, its report). In the browser that is IndexedDB, through idb-keyval (a small,
// well-kept wrapper: one database, keys with a prefix per kind); elsewhere (tests) a Map.
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import type { StoredCollection, StoredFilter, TrainStore } from './store/train-types';

const COLLECTION = 'collection:';
const PROMPT = 'prompt:';
const FILTER = 'filter:';

/** The store over a key-value API (IndexedDB's or a Map's): the keys are the same either way. */
function keyed(kv: {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  all(): Promise<[string, unknown][]>;
}): TrainStore {
  const ofKind = async <T>(prefix: string) =>
    (await kv.all()).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v as T);
  return {
    putCollection: (c) => kv.set(`${COLLECTION}${c.id}`, c),
    putPrompt: (id, index, lines) => kv.set(`${PROMPT}${id}:${index}`, lines),
    async promptLines(id, count) {
      const lines: string[][] = [];
      for (let i = 0; i < count; i++) {
        const saved = await kv.get(`${PROMPT}${id}:${i}`);
        if (!Array.isArray(saved))
          throw new Error(`prompt ${i + 1} of the collection is missing from the browser's storage`);
        lines.push(saved.filter((l): l is string => typeof l === 'string'));
      }
      return lines;
    },
    collections: () => ofKind<StoredCollection>(COLLECTION),
    async deleteCollection(id) {
      const c = (await kv.get(`${COLLECTION}${id}`)) as StoredCollection | undefined;
      for (let i = 0; i < (c?.prompts.length ?? 0); i++) await kv.del(`${PROMPT}${id}:${i}`);
      await kv.del(`${COLLECTION}${id}`);
    },
    putFilter: (f) => kv.set(`${FILTER}${f.file.name}`, f),
    filters: () => ofKind<StoredFilter>(FILTER),
    deleteFilter: (name) => kv.del(`${FILTER}${name}`),
  };
}

/** The browser's store: IndexedDB database "learn2pd-train". */
export function idbTrainStore(): TrainStore {
  const db: UseStore = createStore('learn2pd-train', 'kv');
  return keyed({
    get: (k) => get(k, db),
    set: (k, v) => set(k, v, db),
    del: (k) => del(k, db),
    all: async () => (await entries<string, unknown>(db)).map(([k, v]) => [String(k), v]),
  });
}

/** A store that lasts as long as the page (tests, and browsers without IndexedDB). */
export function memoryTrainStore(): TrainStore {
  const map = new Map<string, unknown>();
  return keyed({
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => void map.set(k, structuredClone(v)),
    del: async (k) => void map.delete(k),
    all: async () => [...map.entries()].map(([k, v]) => [k, structuredClone(v)]),
  });
}
