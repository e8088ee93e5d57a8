// Browser file loader for a model folder: fetch with byte progress, and the Cache API so a second visit loads
// offline. A file enters the cache only after its size and sha256 match the manifest (loadVerified checks what
// this returns; `cacheVerified` stores it afterwards), so a cut-off or corrupt download is never cached.
import type { FileLoader } from './files';

const CACHE_NAME = 'learn2pd-models-v1';
/** Files read from the network first and from the cache only when the network fails. */
const NETWORK_FIRST = new Set(['dllm.json']);

async function readWithProgress(response: Response, onProgress?: (loaded: number, total: number | undefined) => void): Promise<Uint8Array> {
  const header = response.headers.get('content-length');
  const total = header ? Number(header) : undefined;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.byteLength, total);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(CACHE_NAME);
  } catch {
    return undefined; // e.g. an opaque origin or storage disabled: load from the network every time
  }
}

export interface FetchLoader {
  load: FileLoader;
  /** Stores a verified file so the next visit loads it from the cache. */
  cacheVerified(path: string, bytes: Uint8Array): Promise<void>;
  /** Drops a cached file (used when a cached copy fails verification). */
  evict(path: string): Promise<void>;
  /** Whether the last load of `path` came from the cache. */
  fromCache(path: string): boolean;
}

/** A loader for the model folder at `baseUrl` (absolute, or relative to the page). */
export function fetchLoader(baseUrl: string, fetchImpl: typeof fetch = fetch): FetchLoader {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = (path: string) => new URL(path, new URL(base, globalThis.location?.href)).href;
  const cachedPaths = new Set<string>();
  return {
    async load(path, onProgress) {
      const cache = await openCache();
      if (NETWORK_FIRST.has(path)) {
        // The manifest decides which files are current, so it comes from the network when there is one; the cached
        // copy (stored by the caller once it parsed) lets a second visit load offline.
        let response: Response;
        try {
          response = await fetchImpl(url(path));
        } catch (error) {
          const hit = await cache?.match(url(path));
          if (!hit) throw error;
          cachedPaths.add(path);
          return readWithProgress(hit, onProgress);
        }
        cachedPaths.delete(path);
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
        return readWithProgress(response, onProgress);
      }
      const hit = await cache?.match(url(path));
      if (hit) {
        cachedPaths.add(path);
        return readWithProgress(hit, onProgress);
      }
      cachedPaths.delete(path);
      const response = await fetchImpl(url(path));
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      return readWithProgress(response, onProgress);
    },
    async cacheVerified(path, bytes) {
      const cache = await openCache();
      await cache?.put(url(path), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.byteLength) } }));
    },
    async evict(path) {
      const cache = await openCache();
      await cache?.delete(url(path));
      cachedPaths.delete(path);
    },
    fromCache: (path) => cachedPaths.has(path),
  };
}
