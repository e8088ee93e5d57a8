// Loading model files with integrity checks. The loader is injected (Node: the file system; browser: fetch with
// progress and the Cache API), the sha256 check is shared: Web Crypto exists in Node 20+ and in browsers.

import type { DllmManifest } from './manifest';

export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads one file of a model folder. `onProgress` reports bytes so far (and the total when known). */
/** Reads one file of a model folder; `signal` (optional) stops a download when the load is cancelled. */
export type FileLoader = (
  path: string,
  onProgress?: (loaded: number, total: number | undefined) => void,
  signal?: AbortSignal,
) => Promise<Uint8Array>;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Loads `path` and checks its size and sha256 against the manifest; throws ModelFileError whose message starts
 * with the file and says the cause in words (e.g. "onnx/model.onnx: the server answered HTTP 500").
 */
export async function loadVerified(
  manifest: DllmManifest,
  path: string,
  loader: FileLoader,
  onProgress?: (loaded: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const entry = manifest.files[path];
  if (!entry) throw new ModelFileError(path, `${path} is not listed in dllm.json`);
  let bytes: Uint8Array;
  try {
    bytes = await loader(path, onProgress);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(path, `${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.byteLength < entry.bytes) {
    throw new ModelFileError(
      path,
      `${path} has ${count(bytes.byteLength)} bytes of the ${count(entry.bytes)} dllm.json lists: it is truncated`,
    );
  }
  if (bytes.byteLength > entry.bytes) {
    throw new ModelFileError(
      path,
      `${path} has ${count(bytes.byteLength)} bytes, dllm.json says ${count(entry.bytes)} (a different version of the file?)`,
    );
  }
  const actual = await sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw new ModelFileError(
      path,
      `${path} is corrupt: its sha256 ${actual.slice(0, 12)}… does not match ${entry.sha256.slice(0, 12)}… in dllm.json`,
    );
  }
  return bytes;
}
