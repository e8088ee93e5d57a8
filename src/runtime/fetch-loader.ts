// Browser file loader for a model folder: fetch with byte progress, and the Cache API so a second visit loads
// offline. A file enters the cache only after its size and sha256 match the manifest (loadVerified checks what
// this returns; `cacheVerified` stores it afterwards), so a cut-off or corrupt download is never cached.
// dllm.json is cached once it parses, before the files it lists verify; that is safe because it is read from the
// network first (the cached copy serves only offline) and every file is still checked against it.
// Failures are DownloadErrors whose message says what went wrong in words (loadVerified prefixes the file).
import type { FileLoader } from './files';

export const CACHE_NAME = 'learn2pd-models-v1';
/** Files read from the network first and from the cache only when the network fails. */
const NETWORK_FIRST = new Set(['dllm.json']);

/** A download that failed before its bytes could be checked: an HTTP error status, or the network. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A fetch that threw: no response at all, or one cut before its headers. */
function unreachable(error: unknown): DownloadError {
  return new DownloadError(
    `the download failed: the server could not be reached or the connection was reset (${reason(error)})`,
  );
}

async function checkStatus(response: Response): Promise<Response> {
  if (response.ok) return response;
  await response.body?.cancel().catch(() => undefined);
  throw new DownloadError(`the server answered HTTP ${response.status} ${response.statusText}`.trim());
}

async function readWithProgress(
  response: Response,
  onProgress?: (loaded: number, total: number | undefined) => void,
): Promise<Uint8Array> {
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
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (error) {
      const of = total !== undefined ? ` of ${total.toLocaleString('en-US')}` : '';
      throw new DownloadError(
        `the download was cut off after ${loaded.toLocaleString('en-US')}${of} bytes (${reason(error)})`,
      );
    }
    const { done, value } = next;
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

async function openCache(storage: CacheStorage | undefined): Promise<Cache | undefined> {
  try {
    return storage === undefined ? undefined : await storage.open(CACHE_NAME);
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

/**
 * A loader for the model folder at `baseUrl` (absolute, or relative to the page). `storage` is the Cache API
 * (tests pass an in-memory one; undefined loads from the network every time).
 */
export function fetchLoader(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  storage: CacheStorage | undefined = typeof caches === 'undefined' ? undefined : caches,
): FetchLoader {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = (path: string) => new URL(path, new URL(base, globalThis.location?.href)).href;
  const cachedPaths = new Set<string>();
  return {
    async load(path, onProgress, signal) {
      const cache = await openCache(storage);
      if (NETWORK_FIRST.has(path)) {
        // The manifest decides which files are current, so it comes from the network when there is one; the cached
        // copy (stored by the caller once it parsed) lets a second visit load offline. A server that answers with
        // an error status is reachable, so that error is shown rather than a possibly stale copy.
        let response: Response;
        try {
          response = await fetchImpl(url(path), { signal });
        } catch (error) {
          if (signal?.aborted) throw error;
          const hit = await cache?.match(url(path));
          if (!hit) throw unreachable(error);
          cachedPaths.add(path);
          return readWithProgress(hit, onProgress);
        }
        cachedPaths.delete(path);
        return readWithProgress(await checkStatus(response), onProgress);
      }
      const hit = await cache?.match(url(path));
      if (hit) {
        cachedPaths.add(path);
        return readWithProgress(hit, onProgress);
      }
      cachedPaths.delete(path);
      let response: Response;
      try {
        response = await fetchImpl(url(path), { signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw unreachable(error);
      }
      return readWithProgress(await checkStatus(response), onProgress);
    },
    async cacheVerified(path, bytes) {
      // The cache only saves the next visit a download: a full or refused store must not fail this load.
      const cache = await openCache(storage);
      await cache
        ?.put(
          url(path),
          new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.byteLength) } }),
        )
        .catch(() => undefined);
    },
    async evict(path) {
      const cache = await openCache(storage);
      await cache?.delete(url(path));
      cachedPaths.delete(path);
    },
    fromCache: (path) => cachedPaths.has(path),
  };
}
