// The engine over the browser's fetch loader, driven through the client: download faults (HTTP errors, cut-off and
// corrupt bodies, a malformed dllm.json, a corrupt cached copy, a full disk, cancels mid-download) with a fake fetch
// over the model folder and the Cache API in memory. Only verified bytes are ever cached.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_NAME, fetchLoader } from '../../src/runtime/fetch-loader';
import { sha256Hex } from '../../src/runtime/files';
import { manifestFilters, parseManifest } from '../../src/runtime/manifest';
import { nodeOrt } from '../../src/runtime/node';
import { DllmClient } from '../../src/worker/client';
import { inProcessPort } from '../../src/worker/in-process';
import { HAS_TEST_MODEL, TEST_MODEL_DIR } from './test-model';

const keyOf = (request: RequestInfo | URL) =>
  typeof request === 'string' ? request : request instanceof URL ? request.href : request.url;

/** The Cache API in memory: one cache per name, bodies stored as bytes. `refuseWrites` acts like a full disk. */
class MemoryCache implements Cache {
  readonly entries = new Map<string, Uint8Array>();
  constructor(private readonly refuseWrites = false) {}
  async add(): Promise<void> {
    throw new Error('not used');
  }
  async addAll(): Promise<void> {
    throw new Error('not used');
  }
  async delete(request: RequestInfo | URL) {
    return this.entries.delete(keyOf(request));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
  async match(request: RequestInfo | URL) {
    const bytes = this.entries.get(keyOf(request));
    return bytes && new Response(bytes.slice(), { headers: { 'content-length': String(bytes.byteLength) } });
  }
  async matchAll() {
    return [...this.entries.values()].map((bytes) => new Response(bytes.slice()));
  }
  async put(request: RequestInfo | URL, response: Response) {
    if (this.refuseWrites) throw new DOMException('the quota is exceeded', 'QuotaExceededError');
    this.entries.set(keyOf(request), new Uint8Array(await response.arrayBuffer()));
  }
}

class MemoryCaches implements CacheStorage {
  readonly caches = new Map<string, MemoryCache>();
  constructor(private readonly refuseWrites = false) {}
  async delete(name: string) {
    return this.caches.delete(name);
  }
  async has(name: string) {
    return this.caches.has(name);
  }
  async keys() {
    return [...this.caches.keys()];
  }
  async match(request: RequestInfo | URL) {
    for (const cache of this.caches.values()) {
      const hit = await cache.match(request);
      if (hit) return hit;
    }
    return undefined;
  }
  async open(name: string) {
    const cache = this.caches.get(name) ?? new MemoryCache(this.refuseWrites);
    this.caches.set(name, cache);
    return cache;
  }
  /** The model files held, as paths inside the model folder. */
  files(): string[] {
    return [...(this.caches.get(CACHE_NAME)?.entries.keys() ?? [])].map((url) => url.slice(MODEL_URL.length)).sort();
  }
}

const MODEL_URL = 'http://models.test/tiny/';

/** A fetch over the model folder; `fault` may answer a path instead (a Response) or return undefined to pass. */
function folderFetch(
  fault: (path: string) => Response | undefined | Promise<Response | undefined> = () => undefined,
): typeof fetch {
  return async (input) => {
    const path = keyOf(input).slice(MODEL_URL.length);
    const faulty = await fault(path);
    if (faulty) return faulty;
    const bytes = await readFile(join(TEST_MODEL_DIR, path)).catch(() => null);
    if (bytes === null) return new Response('not found', { status: 404, statusText: 'Not Found' });
    return new Response(bytes, { headers: { 'content-length': String(bytes.byteLength) } });
  };
}

function faultClient(fetchImpl: typeof fetch, storage: CacheStorage) {
  return new DllmClient(
    inProcessPort({
      probe: async () => ({ kind: 'none', reason: 'Node has no WebGPU' }),
      ortFor: () => nodeOrt,
      threads: () => 1,
      loaderFor: (url) => fetchLoader(url, fetchImpl, storage),
    }),
  );
}

const loadOptions = { modelUrl: MODEL_URL, backend: 'wasm', variant: null } as const;

describe.skipIf(!HAS_TEST_MODEL)('engine over the fetch loader: download faults', () => {
  const manifest = HAS_TEST_MODEL ? parseManifest(readFileSync(join(TEST_MODEL_DIR, 'dllm.json'), 'utf8')) : null;
  const graph = manifest ? manifest.variants[manifest.defaultVariant].file : '';
  const graphBytes = HAS_TEST_MODEL ? new Uint8Array(readFileSync(join(TEST_MODEL_DIR, graph))) : new Uint8Array();
  const count = (n: number) => n.toLocaleString('en-US');

  /** Every cached model file matches its sha256 in dllm.json (dllm.json itself is checked by parsing). */
  async function expectOnlyVerified(storage: MemoryCaches) {
    const cache = storage.caches.get(CACHE_NAME);
    for (const [url, bytes] of cache?.entries ?? []) {
      const path = url.slice(MODEL_URL.length);
      if (path !== 'dllm.json') expect(await sha256Hex(bytes), path).toBe(manifest?.files[path].sha256);
    }
  }

  it('an HTTP error names the file and the status, and the failed file is not cached', async () => {
    const storage = new MemoryCaches();
    const fetchImpl = folderFetch((path) =>
      path === graph ? new Response('boom', { status: 500, statusText: 'Internal Server Error' }) : undefined,
    );
    await expect(faultClient(fetchImpl, storage).load(loadOptions)).rejects.toMatchObject({
      name: 'ModelFileError',
      message: `${graph}: the server answered HTTP 500 Internal Server Error`,
    });
    expect(storage.files()).not.toContain(graph);
    await expectOnlyVerified(storage);
  });

  it('a body cut off after its headers says how much arrived, and nothing of it is cached', async () => {
    const storage = new MemoryCaches();
    const half = graphBytes.byteLength >> 1;
    const fetchImpl = folderFetch((path) => {
      if (path !== graph) return undefined;
      // The first read gets half the bytes, the second fails (an error in start() would drop the queued half).
      let reads = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (reads++ === 0) controller.enqueue(graphBytes.slice(0, half));
          else controller.error(new TypeError('network error'));
        },
      });
      return new Response(body, { headers: { 'content-length': String(graphBytes.byteLength) } });
    });
    await expect(faultClient(fetchImpl, storage).load(loadOptions)).rejects.toMatchObject({
      name: 'ModelFileError',
      message: `${graph}: the download was cut off after ${count(half)} of ${count(graphBytes.byteLength)} bytes (network error)`,
    });
    expect(storage.files()).not.toContain(graph);
  });

  it('a connection that fails before any answer says so, naming the file', async () => {
    const storage = new MemoryCaches();
    const fetchImpl = folderFetch((path) =>
      path === graph ? Promise.reject(new TypeError('fetch failed')) : undefined,
    );
    await expect(faultClient(fetchImpl, storage).load(loadOptions)).rejects.toMatchObject({
      message: `${graph}: the download failed: the server could not be reached or the connection was reset (fetch failed)`,
    });
  });

  it('a truncated body and a flipped byte are refused by size and by sha256, and not cached', async () => {
    const flipped = graphBytes.slice();
    flipped[flipped.byteLength >> 1] ^= 0xff;
    const cases = [
      {
        body: graphBytes.slice(0, 1000),
        message: `${graph} has 1,000 bytes of the ${count(graphBytes.byteLength)} dllm.json lists: it is truncated`,
      },
      {
        body: flipped,
        message: `${graph} is corrupt: its sha256 ${(await sha256Hex(flipped)).slice(0, 12)}… does not match ${manifest?.files[graph].sha256.slice(0, 12)}… in dllm.json`,
      },
    ];
    for (const { body, message } of cases) {
      const storage = new MemoryCaches();
      const fetchImpl = folderFetch((path) => (path === graph ? new Response(body.slice()) : undefined));
      await expect(faultClient(fetchImpl, storage).load(loadOptions)).rejects.toMatchObject({
        name: 'ModelFileError',
        message,
      });
      expect(storage.files()).not.toContain(graph);
    }
  });

  it('a malformed dllm.json is a ManifestError and is not cached', async () => {
    const storage = new MemoryCaches();
    const fetchImpl = folderFetch((path) => (path === 'dllm.json' ? new Response('{"id":') : undefined));
    await expect(faultClient(fetchImpl, storage).load(loadOptions)).rejects.toMatchObject({
      name: 'ManifestError',
      message: expect.stringMatching(/^dllm\.json is not valid JSON/),
    });
    expect(storage.files()).toEqual([]);
  });

  it('a corrupt copy in the cache is dropped and fetched again; the cache ends with the good bytes', async () => {
    const storage = new MemoryCaches();
    const bad = graphBytes.slice();
    bad[0] ^= 0xff;
    (await storage.open(CACHE_NAME)).entries.set(MODEL_URL + graph, bad);
    const fetched: string[] = [];
    const fetchImpl = folderFetch((path) => {
      fetched.push(path);
      return undefined;
    });
    const info = await faultClient(fetchImpl, storage).load(loadOptions);
    expect(fetched).toContain(graph);
    // The retry may take the small files from the cache (the failed first attempt may have verified and cached
    // them before the graph failed: a race), but never the graph.
    expect(info.cachedFiles).toBeLessThan(info.totalFiles);
    expect(storage.files()).toContain(graph);
    await expectOnlyVerified(storage);

    // The next load takes every file from the cache.
    const again = await faultClient(folderFetch(), storage).load(loadOptions);
    expect(again.cachedFiles).toBe(again.totalFiles);
  });

  it('a model update that changed every cached file loads cleanly: each stale copy is replaced, no error', async () => {
    const storage = new MemoryCaches();
    // A returning visitor's cache holds an older copy of every file the load reads.
    const cache = await storage.open(CACHE_NAME);
    for (const path of [
      'tokenizer.json',
      'tokenizer_config.json',
      graph,
      ...(manifest ? manifestFilters(manifest) : []).map((f) => f.file),
    ]) {
      const stale = new Uint8Array(readFileSync(join(TEST_MODEL_DIR, path)));
      stale[stale.byteLength >> 1] ^= 0x01;
      cache.entries.set(MODEL_URL + path, stale);
    }
    const info = await faultClient(folderFetch(), storage).load(loadOptions);
    expect(info.cachedFiles).toBe(0);
    await expectOnlyVerified(storage);
    expect((await faultClient(folderFetch(), storage).load(loadOptions)).cachedFiles).toBe(info.totalFiles);
  });

  it('a cache that refuses writes (a full disk) does not fail the load', async () => {
    const info = await faultClient(folderFetch(), new MemoryCaches(true)).load(loadOptions);
    expect(info.cachedFiles).toBe(0);
  });

  it('cancel while a file downloads answers cancelled; the next load reaches ready', async () => {
    let started: () => void = () => undefined;
    const graphRequested = new Promise<void>((resolve) => (started = resolve));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fetchImpl = folderFetch(async (path) => {
      if (path !== graph) return undefined;
      started();
      await held;
      return undefined;
    });
    const client = faultClient(fetchImpl, new MemoryCaches());
    const abort = new AbortController();
    const first = client.load(loadOptions, { signal: abort.signal });
    await graphRequested;
    abort.abort();
    release();
    await expect(first).rejects.toMatchObject({ name: 'DecodeCancelledError' });
    const info = await client.load(loadOptions);
    expect(info.id).toBe(manifest?.id);
  });

  it('cancel stops a download that would never finish (the fetch gets the load signal)', async () => {
    let started: () => void = () => undefined;
    const graphRequested = new Promise<void>((resolve) => (started = resolve));
    const inner = folderFetch();
    const fetchImpl: typeof fetch = (input, init) => {
      if (!keyOf(input).endsWith(graph)) return inner(input, init);
      started();
      // A server that never answers: only the abort signal ends this request.
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    };
    const client = faultClient(fetchImpl, new MemoryCaches());
    const abort = new AbortController();
    const first = client.load(loadOptions, { signal: abort.signal });
    await graphRequested;
    abort.abort();
    await expect(first).rejects.toMatchObject({ name: 'DecodeCancelledError' });
  });
});
