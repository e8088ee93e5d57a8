// The model engine the worker runs: it owns the loaded model (onnxruntime sessions + tokenizer), answers each
// request of protocol.ts with messages, one job at a time, and never throws at its caller. Everything
// environment-specific is injected (the onnxruntime adapter, the file loader, the WebGPU probe), so the same engine
// runs in the Web Worker (worker.ts) and in Node tests with onnxruntime-node.
//
// Phases of a load: probe (WebGPU or WASM, and why) -> manifest -> download (per-file byte progress, sha256
// verified, only verified files cached) -> session (onnxruntime) -> warmup (one forward) -> ready.
// A run: tokenize -> decodeSteps, one `step` message per forward with its time split -> `done`.
import { DecodeCancelledError, decodeSteps, featureGroups, type DecodeResult, type Denoiser, type Filter } from '../core';
import { configFor, encodeChecked, evaluate, type Canvas as EvalCanvas, type DecoderReport, type EvalModel, type EvalPrompt } from '../runtime/evaluate';
import { ModelFileError, type FileLoader } from '../runtime/files';
import { ManifestError, type DllmManifest } from '../runtime/manifest';
import { loadModel, readManifest, type LoadedModel } from '../runtime/model';
import { countingOrt, type OrtApi, type TensorCounts } from '../runtime/ort';
import type { GpuProbe } from './probe';
import {
  parseRequest,
  salvageRunId,
  toWireError,
  transferablesOf,
  type Backend,
  type BenchReport,
  type BenchRequest,
  type Canvas,
  type LoadRequest,
  type ModelInfo,
  type RunRequest,
  type WireResult,
  type WireStep,
  type WorkerMemory,
  type WorkerMessage,
} from './protocol';

/** What the engine watches on a GPUDevice: its `lost` promise (a GPUDevice is one). */
export interface LosableDevice {
  readonly lost: Promise<{ readonly message: string; readonly reason: string | undefined }>;
}

/** The onnxruntime adapter, with the extras onnxruntime-web offers (absent in Node). */
export interface EngineOrt extends OrtApi {
  lastReadbackMs?(): number;
  gpuDevice?(): Promise<LosableDevice | null>;
}

/** A model-folder loader; the browser's also caches verified files (fetch-loader.ts). */
export interface EngineLoader {
  load: FileLoader;
  cacheVerified?(path: string, bytes: Uint8Array): Promise<void>;
  evict?(path: string): Promise<void>;
  fromCache?(path: string): boolean;
}

export interface EngineDeps {
  probe(): Promise<GpuProbe>;
  ortFor(backend: Backend): EngineOrt;
  /** Starts the runtime for the chosen backend early (the browser's onnxruntime-web; optional elsewhere). */
  startRuntime?(backend: Backend): void;
  /** The WebAssembly build the runtime started (the first startRuntime's backend); absent with one runtime. */
  runtimeBuild?(): Backend | null;
  loaderFor(modelUrl: string): EngineLoader;
  threads: number;
  now?: () => number;
  /** The worker's heap sizes where the platform tells them (reported with every result, for soak tests). */
  heap?: () => { jsHeapBytes: number | null; wasmBytes: number | null };
}

export type Post = (message: WorkerMessage, transfer: ArrayBuffer[]) => void;

export interface Engine {
  /** Handles one incoming message (checked here); answers go through `post`. */
  handle(data: unknown): void;
  /** Resolves when every queued job has finished (tests). */
  idle(): Promise<void>;
}

export class NotReadyError extends Error {
  override name = 'NotReadyError';
}
export class PromptError extends Error {
  override name = 'PromptError';
}
export class DuplicateRunIdError extends Error {
  override name = 'DuplicateRunIdError';
}
export class NoFilterError extends Error {
  override name = 'NoFilterError';
}
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

interface Active {
  loaded: LoadedModel;
  info: ModelInfo;
  ort: EngineOrt;
  request: LoadRequest;
  lost: string | null; // why the GPU device went away; the next job rebuilds the sessions
}

/** Time spent in the forward (and its readback) and in the filter since the last reset: one step's split. */
class StepTiming {
  forwardMs = 0;
  readbackMs = 0;
  filterMs = 0;
  totalForwardMs = 0;
  totalReadbackMs = 0;
  totalFilterMs = 0;
  take(): { forwardMs: number; readbackMs: number; filterMs: number } {
    const split = { forwardMs: this.forwardMs, readbackMs: this.readbackMs, filterMs: this.filterMs };
    this.totalForwardMs += this.forwardMs;
    this.totalReadbackMs += this.readbackMs;
    this.totalFilterMs += this.filterMs;
    this.forwardMs = this.readbackMs = this.filterMs = 0;
    return split;
  }
}

function isReferenceSpec(spec: RunRequest['decoder']): boolean {
  return spec.decoder === 'low_confidence' && !spec.eotp && spec.steps === undefined;
}

/** The filter for a block length: an exact one, else the smallest larger one (shorter blocks are zero-padded). */
export function pickFilter<F>(filters: ReadonlyMap<number, F>, blockLength: number): F | undefined {
  const sizes = [...filters.keys()].filter((b) => b >= blockLength).sort((a, b) => a - b);
  return sizes.length === 0 ? undefined : filters.get(sizes[0]);
}

function filesOf(manifest: DllmManifest, variant: string): string[] {
  const entry = manifest.variants[variant];
  if (!entry) throw new ManifestError(`model ${manifest.id} has no variant "${variant}" (has ${Object.keys(manifest.variants).join(', ')})`);
  return ['tokenizer.json', 'tokenizer_config.json', entry.file, ...Object.values(manifest.filters).map((f) => f.file)];
}

function trimReport(r: DecoderReport): BenchReport {
  return {
    label: r.label,
    decoder: r.spec.decoder,
    spec: r.spec,
    n: r.n,
    checked: r.checked,
    accuracy: r.accuracy,
    agreement: r.agreement,
    meanNfe: r.meanNfe,
    tokensPerSecond: r.tokensPerSecond,
    msPerStep: r.msPerStep,
    nfeSpeedup: r.nfeSpeedup,
  };
}

const REFERENCE_CACHE_SIZE = 8;

export function createEngine(deps: EngineDeps, post: Post): Engine {
  const now = deps.now ?? (() => performance.now());
  const jobs = new Map<string, AbortController>();
  let queue: Promise<void> = Promise.resolve();
  let active: Active | null = null;
  /** One-token-per-step reference results by prompt ids + canvas: the agreement check and the EGP oracle reuse them. */
  const references = new Map<string, DecodeResult>();
  /** Every onnxruntime adapter this engine made, counting the tensors made through it. */
  const tensorCounters: (() => TensorCounts)[] = [];

  function ortFor(backend: Backend): EngineOrt {
    const { ort, counts } = countingOrt(deps.ortFor(backend));
    tensorCounters.push(counts);
    return ort;
  }

  function memory(): WorkerMemory {
    let created = 0;
    let live = 0;
    for (const counts of tensorCounters) {
      const c = counts();
      created += c.created;
      live += c.live;
    }
    const heap = deps.heap?.() ?? { jsHeapBytes: null, wasmBytes: null };
    return { createdTensors: created, liveTensors: live, ...heap };
  }

  const send = (message: WorkerMessage) => post(message, transferablesOf(message));

  function enqueue(runId: string, job: (signal: AbortSignal) => Promise<void>): void {
    if (jobs.has(runId)) {
      send({ type: 'error', runId, error: toWireError(new DuplicateRunIdError(`runId ${runId} is already in use`)) });
      return;
    }
    const controller = new AbortController();
    jobs.set(runId, controller);
    queue = queue.then(async () => {
      try {
        if (controller.signal.aborted) throw new DecodeCancelledError(controller.signal.reason);
        await job(controller.signal);
      } catch (error) {
        if (error instanceof DecodeCancelledError || controller.signal.aborted) send({ type: 'cancelled', runId });
        else send({ type: 'error', runId, error: toWireError(error) });
      } finally {
        jobs.delete(runId);
      }
    });
  }

  // ------------------------------------------------------------------ load

  async function release(): Promise<void> {
    const old = active;
    active = null;
    references.clear();
    if (old) await old.loaded.release().catch(() => undefined);
  }

  async function load(request: LoadRequest, signal: AbortSignal, quiet = false): Promise<void> {
    const { runId } = request;
    const phase = (p: Extract<WorkerMessage, { type: 'load-phase' }>['phase'], detail: string) => {
      if (!quiet) send({ type: 'load-phase', runId, phase: p, detail });
    };
    const checkAbort = () => {
      if (signal.aborted) throw new DecodeCancelledError(signal.reason);
    };
    const t0 = now();
    await release();
    let backend: Backend = 'wasm';
    let adapter: string | null = null;
    let fallbackReason: string | null = null;
    if (request.backend !== 'wasm') {
      phase('probe', 'looking for a WebGPU adapter');
      const probe = await deps.probe();
      if (probe.kind === 'webgpu') {
        backend = 'webgpu';
        adapter = probe.adapter;
      } else {
        fallbackReason = probe.reason;
      }
    } else {
      phase('probe', 'WASM was chosen: WebGPU not probed');
    }
    checkAbort();
    deps.startRuntime?.(backend);
    const source = deps.loaderFor(request.modelUrl);
    // dllm.json is read once per load (then served from memory to loadModel) and cached once it parses.
    let manifestBytes: Uint8Array | null = null;
    const loader: EngineLoader = {
      ...source,
      // The load's signal stops downloads in flight when the load is cancelled.
      load: async (path, onProgress) => {
        if (path !== 'dllm.json') return source.load(path, onProgress, signal);
        manifestBytes ??= await source.load(path, onProgress, signal);
        return manifestBytes;
      },
    };
    phase('manifest', 'reading dllm.json');
    const manifest = await readManifest(loader.load);
    if (manifestBytes !== null && !(source.fromCache?.('dllm.json') ?? false)) await source.cacheVerified?.('dllm.json', manifestBytes);
    const variant = request.variant ?? manifest.defaultVariant;
    const files = filesOf(manifest, variant);
    const bytes = files.reduce((s, f) => s + (manifest.files[f]?.bytes ?? 0), 0);
    checkAbort();
    phase('download', `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
    if (!quiet) for (const file of files) send({ type: 'load-file', runId, file, loaded: 0, total: manifest.files[file]?.bytes ?? null, verified: false, cached: false });

    const attempt = async (on: Backend): Promise<{ loaded: LoadedModel; ort: EngineOrt }> => {
      const ort = ortFor(on);
      let verified = 0;
      const lastSent = new Map<string, number>();
      const loaded = await loadModel(loader.load, ort, {
        variant,
        onProgress: (file, done, total) => {
          // Throttled to about 1% steps so a big file does not flood the UI thread.
          const size = total ?? manifest.files[file]?.bytes ?? 0;
          const prev = lastSent.get(file) ?? -Infinity;
          if (quiet || (done - prev < size / 100 && done !== size)) return;
          lastSent.set(file, done);
          send({ type: 'load-file', runId, file, loaded: done, total: total ?? null, verified: false, cached: loader.fromCache?.(file) ?? false });
        },
        onVerified: async (file, data) => {
          const cached = loader.fromCache?.(file) ?? false;
          if (!cached) await loader.cacheVerified?.(file, data);
          if (!quiet) send({ type: 'load-file', runId, file, loaded: data.byteLength, total: data.byteLength, verified: true, cached });
          verified++;
          if (verified === files.length) phase('session', `creating the onnxruntime sessions (${on})`);
        },
      });
      return { loaded, ort };
    };

    let result: { loaded: LoadedModel; ort: EngineOrt };
    try {
      result = await attempt(backend);
    } catch (error) {
      checkAbort();
      if (error instanceof ModelFileError && loader.fromCache?.(error.file)) {
        // A cached copy failed its check (an older model version, or storage corruption): drop it, fetch again.
        await loader.evict?.(error.file);
        result = await attempt(backend);
      } else if (backend === 'webgpu' && !(error instanceof ModelFileError) && !(error instanceof ManifestError)) {
        fallbackReason = `the WebGPU session failed (${error instanceof Error ? error.message : String(error)})`;
        backend = 'wasm';
        adapter = null;
        result = await attempt(backend);
      } else {
        throw error;
      }
    }
    const { loaded, ort } = result;
    if (signal.aborted) {
      await loaded.release();
      throw new DecodeCancelledError(signal.reason);
    }

    phase('warmup', 'one forward to compile kernels');
    const w0 = now();
    const warm = new Int32Array(2 + manifest.defaults.blockLength).fill(manifest.maskId);
    warm.set(loaded.tokenizer.encodePrompt(''));
    await loaded.denoiser.forward(warm);
    for (const f of loaded.filters.values()) await f.logits(new Float32Array(f.blockLength * featureGroups(f.features)));
    const warmupMs = now() - w0;

    const vocab = Array.from({ length: loaded.tokenizer.vocabSize }, (_, id) => loaded.tokenizer.tokenText(id));
    const info: ModelInfo = {
      id: manifest.id,
      name: manifest.name,
      variant,
      variants: Object.keys(manifest.variants),
      backend,
      adapter,
      fallbackReason,
      threads: backend === 'wasm' ? deps.threads : 1,
      runtime: deps.runtimeBuild?.() ?? null,
      maskId: manifest.maskId,
      eosId: manifest.eosId,
      maxPromptTokens: manifest.maxPromptTokens,
      defaults: { ...manifest.defaults },
      filters: Object.entries(manifest.filters)
        .map(([b, f]) => ({ blockLength: Number(b), tauFilter: f.tauFilter }))
        .sort((a, b) => a.blockLength - b.blockLength),
      vocab,
      loadMs: now() - t0,
      warmupMs,
      cachedFiles: files.filter((f) => loader.fromCache?.(f) ?? false).length,
      totalFiles: files.length,
    };
    const current: Active = { loaded, info, ort, request, lost: null };
    active = current;
    if (backend === 'webgpu') {
      void ort.gpuDevice?.().then((device) =>
        device?.lost.then((lost) => {
          if (active === current) current.lost = lost.message || `device lost (${lost.reason})`;
        }),
      );
    }
    if (!quiet) send({ type: 'ready', runId, info });
  }

  /** The loaded model; rebuilt first (same request, no progress messages) when the GPU device was lost. */
  async function model(signal: AbortSignal): Promise<Active> {
    if (active === null) throw new NotReadyError('the model is not loaded yet');
    if (active.lost !== null) await load(active.request, signal, true);
    if (active === null) throw new NotReadyError('the model could not be rebuilt');
    return active;
  }

  function evalModel(m: Active, denoiser: Denoiser = m.loaded.denoiser): EvalModel {
    return {
      denoiser,
      tokenizer: m.loaded.tokenizer,
      maskId: m.info.maskId,
      eosId: m.info.eosId,
      maxPromptTokens: m.info.maxPromptTokens,
      filterFor: (blockLength) => pickFilter(m.loaded.filters, blockLength),
    };
  }

  function encode(m: Active, prompt: string): Int32Array {
    if (prompt.trim().length === 0) throw new PromptError('the prompt is empty: type a question or pick an example');
    return encodeChecked(evalModel(m), prompt);
  }

  // ------------------------------------------------------------------ runs

  async function reference(m: Active, ids: Int32Array, canvas: Canvas, signal: AbortSignal): Promise<{ result: DecodeResult; cached: boolean }> {
    const key = `${ids.join(',')}|${canvas.genLength}|${canvas.blockLength}`;
    const hit = references.get(key);
    if (hit) return { result: hit, cached: true };
    const config = configFor(evalModel(m), canvas, { decoder: 'low_confidence', eotp: false });
    const steps = decodeSteps(ids, config, m.loaded.denoiser, undefined, { signal });
    for (;;) {
      const next = await steps.next();
      if (next.done) {
        references.set(key, next.value);
        if (references.size > REFERENCE_CACHE_SIZE) references.delete(references.keys().next().value ?? key);
        return { result: next.value, cached: false };
      }
    }
  }

  function resultOf(m: Active, r: DecodeResult, timing: StepTiming, cached: boolean): WireResult {
    return {
      answerIds: r.answer.slice(),
      answerText: m.loaded.tokenizer.decodeAnswer(r.answer),
      nfe: r.nfe,
      ms: r.ms,
      forwardMs: timing.totalForwardMs,
      readbackMs: timing.totalReadbackMs,
      filterMs: timing.totalFilterMs,
      promptTokens: r.promptLength,
      canvasLength: r.output.length - r.promptLength,
      cached,
      memory: memory(),
    };
  }

  async function run(request: RunRequest, signal: AbortSignal): Promise<void> {
    const m = await model(signal);
    const { runId, canvas, decoder: spec } = request;
    const ids = encode(m, request.prompt);
    const timing = new StepTiming();
    if (isReferenceSpec(spec) && !request.stream) {
      const ref = await reference(m, ids, canvas, signal);
      send({ type: 'done', runId, result: resultOf(m, ref.result, timing, ref.cached) });
      return;
    }
    const refOutput = spec.decoder === 'egp_oracle' ? (await reference(m, ids, canvas, signal)).result.output : undefined;
    const config = configFor(evalModel(m), canvas, spec, refOutput);
    let filter: Filter | undefined;
    if (spec.decoder === 'learn2pd') {
      const inner = pickFilter(m.loaded.filters, canvas.blockLength);
      if (!inner) {
        const has = m.info.filters.map((f) => f.blockLength);
        throw new NoFilterError(has.length === 0 ? 'this model ships no Learn2PD filter yet (dllm.json lists none)' : `this model has no Learn2PD filter for block length ${canvas.blockLength} (it has ${has.join(', ')})`);
      }
      filter = {
        blockLength: inner.blockLength,
        features: inner.features,
        logits: async (conf) => {
          const t0 = now();
          const out = await inner.logits(conf);
          timing.filterMs += now() - t0;
          return out;
        },
      };
    }
    const denoiser: Denoiser = {
      forward: async (x) => {
        const out = await m.loaded.denoiser.forward(x);
        timing.forwardMs += m.loaded.denoiser.lastForwardMs;
        timing.readbackMs += m.ort.lastReadbackMs?.() ?? 0;
        return out;
      },
    };
    const steps = decodeSteps(ids, config, denoiser, filter, { signal, runId, now });
    for (;;) {
      if (m.lost !== null) throw new DeviceLostError(`the GPU device was lost: ${m.lost}. The next run rebuilds the model.`);
      const next = await steps.next();
      if (next.done) {
        if (isReferenceSpec(spec)) references.set(`${ids.join(',')}|${canvas.genLength}|${canvas.blockLength}`, next.value);
        send({ type: 'done', runId, result: resultOf(m, next.value, timing, false) });
        return;
      }
      const e = next.value;
      const split = timing.take();
      const event: WireStep = {
        step: e.step,
        blockStart: e.blockStart,
        committed: e.committed,
        guesses: e.guesses,
        conf: e.conf,
        cutAt: e.cutAt ?? null,
        ms: e.ms,
        forwardMs: split.forwardMs,
        readbackMs: split.readbackMs,
        filterMs: split.filterMs,
      };
      if (request.stream) send({ type: 'step', runId, event });
    }
  }

  async function bench(request: BenchRequest, signal: AbortSignal): Promise<void> {
    const m = await model(signal);
    const t0 = now();
    // evaluate() takes no signal: a denoiser that refuses to run once cancelled stops it between forwards.
    const denoiser: Denoiser = {
      forward: (x) => {
        if (signal.aborted) throw new DecodeCancelledError(signal.reason);
        return m.loaded.denoiser.forward(x);
      },
    };
    const prompts: EvalPrompt[] = request.prompts.map((p) => ({
      prompt: p.prompt,
      ...(p.family !== null ? { family: p.family } : {}),
      ...(p.answer !== null ? { answer: p.answer } : {}),
    }));
    const canvas: EvalCanvas = request.canvas;
    const { reference: ref, reports } = await evaluate(evalModel(m, denoiser), prompts, canvas, request.specs, {
      onProgress: (done, total) => send({ type: 'bench-progress', runId: request.runId, done, total }),
    });
    send({ type: 'bench-done', runId: request.runId, result: { reference: trimReport(ref), reports: reports.map(trimReport), ms: now() - t0 } });
  }

  return {
    handle(data) {
      let request;
      try {
        request = parseRequest(data);
      } catch (error) {
        send({ type: 'error', runId: salvageRunId(data), error: toWireError(error) });
        return;
      }
      switch (request.type) {
        case 'cancel':
          jobs.get(request.runId)?.abort(new DecodeCancelledError('cancelled by the user'));
          return;
        case 'tokenize': {
          const m = active;
          const { runId, prompt } = request;
          if (m === null) send({ type: 'error', runId, error: toWireError(new NotReadyError('the model is not loaded yet')) });
          else send({ type: 'token-count', runId, tokens: m.loaded.tokenizer.encodePrompt(prompt).length, max: m.info.maxPromptTokens });
          return;
        }
        case 'load': {
          // A new load supersedes everything queued or running.
          for (const controller of jobs.values()) controller.abort(new DecodeCancelledError('a new model load started'));
          enqueue(request.runId, (signal) => load(request, signal));
          return;
        }
        case 'run':
          enqueue(request.runId, (signal) => run(request, signal));
          return;
        case 'bench':
          enqueue(request.runId, (signal) => bench(request, signal));
          return;
        default: {
          const exhaustive: never = request;
          return exhaustive;
        }
      }
    },
    idle: () => queue,
  };
}
