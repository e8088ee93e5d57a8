// Loads a model folder through its manifest: dllm.json, then every file it needs (sha256-verified), then the
// onnxruntime sessions and the tokenizer. The same function serves Node (folder loader, onnxruntime-node) and the
// worker (fetch loader, onnxruntime-web): only the FileLoader and the OrtApi differ.

import type { Filter } from '../core';
import { type FileLoader, loadVerified, ModelFileError } from './files';
import { type DllmManifest, ManifestError, type ManifestFilter, manifestFilters, parseManifest } from './manifest';
import { type OrtApi, OrtDenoiser, OrtFilter } from './ort';
import { OrtKvCache } from './ort-kv';
import { parseSlotFilter } from './slot-filter-file';
import { type DllmTokenizer, tokenizerFromBytes, tokenizerLibrary } from './tokenizer';

export interface LoadedModel {
  manifest: DllmManifest;
  variant: string;
  denoiser: OrtDenoiser;
  /** Every learned filter the manifest lists, each ready to run (pick one with core's pickFilter). */
  filters: LoadedFilter[];
  tokenizer: DllmTokenizer;
  release(): Promise<void>;
}

/** A filter of the manifest and the filter itself: the paper's kind on onnxruntime, a slot filter in TypeScript. */
export interface LoadedFilter extends ManifestFilter {
  filter: Filter;
}

export interface LoadOptions {
  /** Weight variant (a key of dllm.json `variants`); defaults to the manifest's defaultVariant. */
  variant?: string;
  /** Byte progress per file, for a progress bar. */
  onProgress?: (file: string, loaded: number, total: number | undefined) => void;
  /** Also load the variant's KV-cache graphs (spec §7), where dllm.json lists them (`variants.<name>.kv`). */
  kvCache?: boolean;
  /** Called with each file's bytes once verified (the browser caches them here). */
  onVerified?: (file: string, bytes: Uint8Array) => void | Promise<void>;
}

export async function readManifest(loader: FileLoader): Promise<DllmManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await loader('dllm.json');
  } catch (error) {
    throw new ModelFileError('dllm.json', `dllm.json: ${error instanceof Error ? error.message : String(error)}`); // worded as loadVerified words a file
  }
  return parseManifest(new TextDecoder().decode(bytes));
}

export async function loadModel(loader: FileLoader, ort: OrtApi, options: LoadOptions = {}): Promise<LoadedModel> {
  void tokenizerLibrary().catch(() => undefined); // starts the import now; a failure is reported by tokenizerFromBytes
  const manifest = await readManifest(loader);
  const variant = options.variant ?? manifest.defaultVariant;
  const entry = manifest.variants[variant];
  if (!entry)
    throw new ManifestError(
      `model ${manifest.id} has no variant "${variant}" (has ${Object.keys(manifest.variants).join(', ')})`,
    );

  const fetchFile = async (path: string) => {
    const bytes = await loadVerified(manifest, path, loader, (loaded, total) =>
      options.onProgress?.(path, loaded, total),
    );
    await options.onVerified?.(path, bytes);
    return bytes;
  };
  const listed = manifestFilters(manifest);
  const kv = options.kvCache ? entry.kv : undefined;
  const [tokJson, tokConfig, graph, kvFull, kvWindow, ...filterBytes] = await Promise.all([
    fetchFile('tokenizer.json'),
    fetchFile('tokenizer_config.json'),
    fetchFile(entry.file),
    kv === undefined ? undefined : fetchFile(kv.full),
    kv === undefined ? undefined : fetchFile(kv.window),
    ...listed.map((f) => fetchFile(f.file)),
  ]);
  const tokenizer = await tokenizerFromBytes(tokJson, tokConfig);
  const denoiser = await OrtDenoiser.create(ort, graph, entry.head);
  if (kvFull !== undefined && kvWindow !== undefined) {
    try {
      denoiser.kv = await OrtKvCache.create(ort, kvFull, kvWindow);
    } catch (error) {
      await denoiser.release();
      throw error;
    }
  }
  const filters: LoadedFilter[] = [];
  const sessions: OrtFilter[] = [];
  try {
    for (const [i, f] of listed.entries()) {
      if (f.kind === 'slot') {
        filters.push({ ...f, filter: parseSlotFilter(filterBytes[i], f.file) });
        continue;
      }
      if (filterBytes[i][0] === 0x7b)
        // '{': a slot filter's JSON
        throw new ManifestError(
          `dllm.json lists ${f.file} as a filter of the paper's kind (an ONNX graph), but it is JSON: a slot filter is listed with "kind": "slot"`,
        );
      const session = await OrtFilter.create(ort, filterBytes[i], f.blockLength, f.features);
      sessions.push(session);
      filters.push({ ...f, filter: session });
    }
  } catch (error) {
    await denoiser.release();
    for (const session of sessions) await session.release();
    throw error;
  }
  return {
    manifest,
    variant,
    denoiser,
    filters,
    tokenizer,
    async release() {
      await denoiser.release();
      for (const session of sessions) await session.release();
    },
  };
}
