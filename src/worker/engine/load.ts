// The load phase: probe (WebGPU or WASM, and why) -> manifest -> download (per-file byte progress, sha256
// verified, only verified files cached; a cached copy that fails its check is dropped and fetched again) ->
// session (onnxruntime; a WebGPU session that fails falls back to WASM) -> warm-up (one forward) -> ready.
import { DecodeCancelledError, featureGroups } from '../../core';
import { loadVerified, ModelFileError } from '../../runtime/files';
import { type DllmManifest, ManifestError, manifestFilters } from '../../runtime/manifest';
import { type LoadedModel, loadModel, readManifest } from '../../runtime/model';
import { OrtKvCache } from '../../runtime/ort-kv';
import type { LoadOptions, LoadWatch } from '../api';
import type { Backend, ModelInfo, TrainedFilterFile } from '../protocol';
import type { EngineDeps, EngineLoader, EngineOrt } from './deps';

/** A loaded model and what the engine knows of it. */
export interface ActiveModel {
  loaded: LoadedModel;
  info: ModelInfo;
  ort: EngineOrt;
  options: LoadOptions;
  /** Why the GPU device went away; the next job rebuilds the sessions. */
  lost: string | null;
  /** Where the model's files come from: the KV-cache graphs are fetched from it when a run first asks for a cache. */
  source: EngineLoader;
  /** Filters trained in this browser and added to `loaded.filters` (train.ts), by name, with how to release each. */
  trained: Map<string, { file: TrainedFilterFile; release(): Promise<void> }>;
}

/**
 * Loads the variant's KV-cache graphs (spec §7) into the active model the first time a run asks for a cache: they
 * are 4.3 MB a visitor who never turns the cache on should not download. Verified and cached like every model file;
 * a variant without them is left as is (the decode then refuses the cache, naming the missing graphs).
 */
export async function ensureKv(active: ActiveModel): Promise<void> {
  const { denoiser, manifest } = active.loaded;
  const kv = manifest.variants[active.info.variant]?.kv;
  if (denoiser.kv !== undefined || kv === undefined) return;
  const fetchFile = async (file: string) => {
    const bytes = await loadVerified(manifest, file, active.source.load);
    if (!(active.source.fromCache?.(file) ?? false)) await active.source.cacheVerified?.(file, bytes);
    return bytes;
  };
  denoiser.kv = await OrtKvCache.create(active.ort, await fetchFile(kv.full), await fetchFile(kv.window));
}

export interface LoadContext {
  deps: EngineDeps;
  now: () => number;
  /** A counted onnxruntime adapter for the backend (the engine counts every tensor it makes). */
  ortFor(backend: Backend): EngineOrt;
}

interface BackendChoice {
  backend: Backend;
  adapter: string | null;
  fallbackReason: string | null;
}

async function chooseBackend(
  deps: EngineDeps,
  options: LoadOptions,
  phase: NonNullable<LoadWatch['onPhase']>,
): Promise<BackendChoice> {
  if (options.backend === 'wasm') {
    phase('probe', 'WASM was chosen: WebGPU not probed');
    return { backend: 'wasm', adapter: null, fallbackReason: null };
  }
  phase('probe', 'looking for a WebGPU adapter');
  const probe = await deps.probe();
  if (probe.kind !== 'webgpu') return { backend: 'wasm', adapter: null, fallbackReason: probe.reason };
  // 'auto' passes over a software adapter (SwiftShader): its forwards are many times slower than WASM's. An
  // explicit 'webgpu' still gets it.
  if (probe.isFallback && options.backend === 'auto') {
    return {
      backend: 'wasm',
      adapter: null,
      fallbackReason: `the only WebGPU adapter here is a software fallback (${probe.adapter}), far slower than WASM; choose WebGPU to use it anyway`,
    };
  }
  return { backend: 'webgpu', adapter: probe.adapter, fallbackReason: null };
}

/** The folder's loader with the load's signal on every download, and dllm.json read once (then from memory). */
function signalledLoader(
  source: EngineLoader,
  signal: AbortSignal,
): { loader: EngineLoader; manifestBytes(): Uint8Array | null } {
  let manifestBytes: Uint8Array | null = null;
  const loader: EngineLoader = {
    ...source,
    load: async (path, onProgress) => {
      if (path !== 'dllm.json') return source.load(path, onProgress, signal);
      manifestBytes ??= await source.load(path, onProgress, signal);
      return manifestBytes;
    },
  };
  return { loader, manifestBytes: () => manifestBytes };
}

function filesOf(manifest: DllmManifest, variant: string): string[] {
  const entry = manifest.variants[variant];
  if (!entry)
    throw new ManifestError(
      `model ${manifest.id} has no variant "${variant}" (has ${Object.keys(manifest.variants).join(', ')})`,
    );
  return ['tokenizer.json', 'tokenizer_config.json', entry.file, ...manifestFilters(manifest).map((f) => f.file)];
}

/** One forward at the default block length and one call of each filter, so the first step does not compile kernels. */
async function warmUp(loaded: LoadedModel): Promise<void> {
  const { manifest } = loaded;
  const warm = new Int32Array(2 + manifest.defaults.blockLength).fill(manifest.maskId);
  warm.set(loaded.tokenizer.encodePrompt(''));
  await loaded.denoiser.forward(warm);
  for (const { filter } of loaded.filters) {
    if (filter.kind !== 'slot')
      await filter.logits(new Float32Array(filter.blockLength * featureGroups(filter.features)));
  }
}

/** Loads the model of `options`; `watch` hears each phase and each file's progress (a quiet rebuild passes none). */
export async function loadPhases(
  ctx: LoadContext,
  options: LoadOptions,
  watch: LoadWatch,
  signal: AbortSignal,
): Promise<ActiveModel> {
  const { deps, now } = ctx;
  const phase = watch.onPhase ?? (() => undefined);
  const checkAbort = () => {
    if (signal.aborted) throw new DecodeCancelledError(signal.reason);
  };
  const t0 = now();
  const choice = await chooseBackend(deps, options, phase);
  checkAbort();
  const threads = deps.threads(options.threads ?? null);
  deps.startRuntime?.(choice.backend);
  const source = deps.loaderFor(options.modelUrl);
  const { loader, manifestBytes } = signalledLoader(source, signal);
  phase('manifest', 'reading dllm.json');
  const manifest = await readManifest(loader.load);
  const bytesOfManifest = manifestBytes();
  if (bytesOfManifest !== null && !(source.fromCache?.('dllm.json') ?? false))
    await source.cacheVerified?.('dllm.json', bytesOfManifest);
  const variant = options.variant ?? manifest.defaultVariant;
  const files = filesOf(manifest, variant);
  const bytes = files.reduce((s, f) => s + (manifest.files[f]?.bytes ?? 0), 0);
  checkAbort();
  phase('download', `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
  for (const file of files)
    watch.onFile?.({ file, loaded: 0, total: manifest.files[file]?.bytes ?? null, verified: false, cached: false });

  const attempt = async (on: Backend): Promise<{ loaded: LoadedModel; ort: EngineOrt }> => {
    const ort = ctx.ortFor(on);
    let verified = 0;
    const lastSent = new Map<string, number>();
    const loaded = await loadModel(loader.load, ort, {
      variant,
      onProgress: (file, done, total) => {
        // Throttled to about 1% steps so a big file does not flood the UI thread.
        const size = total ?? manifest.files[file]?.bytes ?? 0;
        const prev = lastSent.get(file) ?? -Infinity;
        if (watch.onFile === undefined || (done - prev < size / 100 && done !== size)) return;
        lastSent.set(file, done);
        watch.onFile({
          file,
          loaded: done,
          total: total ?? null,
          verified: false,
          cached: loader.fromCache?.(file) ?? false,
        });
      },
      onVerified: async (file, data) => {
        const cached = loader.fromCache?.(file) ?? false;
        if (!cached) await loader.cacheVerified?.(file, data);
        watch.onFile?.({ file, loaded: data.byteLength, total: data.byteLength, verified: true, cached });
        verified++;
        if (verified === files.length) phase('session', `creating the onnxruntime sessions (${on})`);
      },
    });
    return { loaded, ort };
  };

  // A cached copy that fails its check (an older model version, or storage corruption) is dropped and fetched
  // again; a model update may have changed every file, so each may need it once. A WebGPU session that fails falls
  // back to WASM once.
  let result: { loaded: LoadedModel; ort: EngineOrt } | null = null;
  const refetched = new Set<string>(); // evicted and downloaded again: not "from the cache", whatever a retry reads
  for (let evicted = 0; result === null; ) {
    try {
      result = await attempt(choice.backend);
    } catch (error) {
      checkAbort();
      if (error instanceof ModelFileError && loader.fromCache?.(error.file) && evicted < files.length) {
        await loader.evict?.(error.file);
        refetched.add(error.file);
        evicted++;
      } else if (
        choice.backend === 'webgpu' &&
        !(error instanceof ModelFileError) &&
        !(error instanceof ManifestError)
      ) {
        choice.fallbackReason = `the WebGPU session failed (${error instanceof Error ? error.message : String(error)})`;
        choice.backend = 'wasm';
        choice.adapter = null;
      } else {
        throw error;
      }
    }
  }
  const { loaded, ort } = result;
  if (signal.aborted) {
    await loaded.release();
    throw new DecodeCancelledError(signal.reason);
  }

  phase('warmup', 'one forward to compile kernels');
  const w0 = now();
  await warmUp(loaded);
  const warmupMs = now() - w0;
  const info: ModelInfo = {
    id: manifest.id,
    name: manifest.name,
    variant,
    variants: Object.keys(manifest.variants),
    ...choice,
    threads: choice.backend === 'wasm' ? threads : 1,
    runtime: deps.runtimeBuild?.() ?? null,
    runtimeFiles: deps.runtimeFiles?.() ?? [],
    extras: [...loaded.denoiser.extras],
    modelSha256: manifest.files[manifest.variants[variant].file].sha256,
    kvCache: manifest.variants[variant]?.kv !== undefined,
    maskId: manifest.maskId,
    eosId: manifest.eosId,
    maxPromptTokens: manifest.maxPromptTokens,
    defaults: { ...manifest.defaults },
    filters: manifestFilters(manifest).map(({ name, kind, blockLength, tauFilter }) => ({
      name,
      kind,
      blockLength,
      tauFilter,
    })),
    defaultFilters: Object.entries(manifest.defaultFilters).map(([b, name]) => ({ blockLength: Number(b), name })),
    vocab: Array.from({ length: loaded.tokenizer.vocabSize }, (_, id) => loaded.tokenizer.tokenText(id)),
    loadMs: now() - t0,
    warmupMs,
    cachedFiles: files.filter((f) => !refetched.has(f) && (loader.fromCache?.(f) ?? false)).length,
    totalFiles: files.length,
  };
  return { loaded, info, ort, options, lost: null, source, trained: new Map() };
}
