// Every message between the UI and the model worker: requests (UI -> worker) and messages (worker -> UI), each
// ONE discriminated union on `type`; wire-check.ts reads untrusted data into them field by field (no casts).
//
// Rules of the protocol:
// - Every request names a job by `runId` (chosen by the client, unique per client); every message about that job
//   carries the same `runId`, so streams of different jobs never cross. `cancel` names the job to stop.
// - A comparison is one request: the prompt once, with the specs of its panes (run one after the other on the same
//   canvas); its messages name the pane by its index in `panes`.
// - Only plain data and typed arrays cross. The worker transfers (not copies) the buffers of `step` and result
//   messages: see `transferablesOf`.
// - Errors cross as `{ name, message }`, `name` one of ERROR_NAMES, so the UI can tell a bad setting from a
//   broken download. A request that fails its check is answered with an `error` message (SchemaError), never a throw.
import type { Canvas, DecoderName, DecoderSpec, FilterListing, HeadExtra } from '../core';

export type { Canvas, DecoderSpec } from '../core';

export const BACKENDS = ['webgpu', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];
export const BACKEND_CHOICES = ['auto', 'webgpu', 'wasm'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export * from './limits';
export * from './train-wire';
export * from './wire-errors';

import type { TrainEpoch, TrainedFilterFile, TrainReport } from './train-wire';
import type { WireError } from './wire-errors';

// ---------------------------------------------------------------- requests (UI -> worker)

export interface LoadRequest {
  type: 'load';
  runId: string;
  /** Absolute URL of the model folder (the worker's own URL is not the page's, so relative URLs would mislead). */
  modelUrl: string;
  backend: BackendChoice;
  variant: string | null; // null: the manifest's defaultVariant
  /** WebAssembly threads; absent: wasmThreads' rule. A worker's first load decides for the worker's life. */
  threads?: number;
}

export interface TokenizeRequest {
  type: 'tokenize';
  runId: string;
  prompt: string;
}

export interface CompareRequest {
  type: 'compare';
  runId: string;
  prompt: string;
  canvas: Canvas;
  /** One decoder per pane, run in this order on the same tokenized prompt and canvas. */
  panes: DecoderSpec[];
  /** Also answer with the one-token-per-step reference (decoded once, untimed) to check each pane against. */
  reference: boolean;
  /**
   * How many times each finished pane's decode is timed (1 to MAX_CLOCK_RUNS): the streamed run, then again without
   * streaming, the panes taking turns, so a clock ratio comes with its spread (one run's clock is noise).
   */
  clockRuns: number;
}

export interface BenchPrompt {
  prompt: string;
  family: string | null;
  answer: string | null;
}

export interface BenchRequest {
  type: 'bench';
  runId: string;
  prompts: BenchPrompt[];
  canvas: Canvas;
  specs: DecoderSpec[];
}

/**
 * Filter training data (spec §3 steps 1-2, issue 23): for each prompt from index `first` on, the one-token-per-step
 * reference and the EGP oracle replayed against it, one `collect-prompt` per prompt (its trajectory lines, as
 * `npm run collect` writes them), after one `collect-header` (the file's first line). `first` > 0 resumes a
 * collection whose first prompts are already saved. `split` names where the prompts come from in the header:
 * 'train' (the task split's first prompts, as collect reads them) or 'typed'.
 */
export interface CollectRequest {
  type: 'collect';
  runId: string;
  prompts: string[];
  canvas: Canvas;
  split: 'train' | 'typed';
  first: number;
}

/**
 * Trains a filter of the named variant (core's FILTER_VARIANTS) on a trajectory file's text, as
 * `npm run train-filter` does (the same recipe, split and seed); `name` is what the trained filter will be called.
 * Answers `train-epoch` now and then and `train-done` with the filter's file.
 */
export interface TrainRequest {
  type: 'train';
  runId: string;
  trajectory: string;
  variant: string;
  name: string;
  tauFilter: number;
  seed: number;
  /** At most this many epochs (absent: the variant's own budget). */
  maxEpochs?: number;
}

/** Makes a trained filter selectable (it joins the model's filters until the next load); answers `filters`. */
export interface AddFilterRequest {
  type: 'add-filter';
  runId: string;
  filter: TrainedFilterFile;
}

/** Removes a filter added by add-filter; answers `filters`. */
export interface RemoveFilterRequest {
  type: 'remove-filter';
  runId: string;
  name: string;
}

export interface CancelRequest {
  type: 'cancel';
  runId: string; // the job to cancel
}

export type WorkerRequest =
  | LoadRequest
  | TokenizeRequest
  | CompareRequest
  | BenchRequest
  | CollectRequest
  | TrainRequest
  | AddFilterRequest
  | RemoveFilterRequest
  | CancelRequest;
export const REQUEST_TYPES = [
  'load',
  'tokenize',
  'compare',
  'bench',
  'collect',
  'train',
  'add-filter',
  'remove-filter',
  'cancel',
] as const satisfies readonly WorkerRequest['type'][];

// ---------------------------------------------------------------- messages (worker -> UI)

export const LOAD_PHASES = ['probe', 'manifest', 'download', 'session', 'warmup'] as const;
export type LoadPhase = (typeof LOAD_PHASES)[number];

/** One model file's download: bytes so far, and whether its sha256 matched (and it came from the cache). */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number | null;
  verified: boolean;
  cached: boolean;
}

/**
 * A learned filter of the model (core's FilterListing: name, kind, the block length it was trained for, tauFilter);
 * `trainedOn`: trained in this browser on that many samples (absent for those the model ships).
 */
export interface FilterInfo extends FilterListing {
  trainedOn?: number;
}

export interface ModelInfo {
  id: string;
  name: string;
  variant: string;
  variants: string[];
  backend: Backend;
  adapter: string | null; // the WebGPU adapter's name; null on WASM
  /** Why the worker runs on WASM although WebGPU was wanted; null when it runs what was asked. */
  fallbackReason: string | null;
  threads: number; // WASM threads (1 unless the page is cross-origin isolated)
  /**
   * The onnxruntime WebAssembly build this worker started, once per worker: 'webgpu' (runs both EPs) or 'wasm'
   * (the WASM EP only); null where the platform has one runtime (Node). The client decides by it whether a
   * backend switch needs a new worker.
   */
  runtime: Backend | null;
  /** The files of that build (absolute URLs), which the page asks its service worker to keep for offline visits. */
  runtimeFiles: string[];
  /** The head outputs beyond top1/conf this variant gives (spec §8): a decoder that reads others is not offered. */
  extras: HeadExtra[];
  /** The sha256 of the variant's graph: what a trajectory file and a filter trained here are tied to. */
  modelSha256: string;
  /** Whether the variant has the KV-cache graphs (spec §7; loaded when a run first asks for a cache). */
  kvCache: boolean;
  maskId: number;
  eosId: number;
  maxPromptTokens: number;
  defaults: Canvas;
  filters: FilterInfo[];
  /** The filter a Learn2PD pane uses per block length when none is asked for (dllm.json defaultFilters). */
  defaultFilters: { blockLength: number; name: string }[];
  /** How each token id reads on its own (index = id), for drawing canvas slots. */
  vocab: string[];
  loadMs: number;
  warmupMs: number;
  cachedFiles: number; // files that came from the browser cache
  totalFiles: number;
}

export interface TokenCount {
  tokens: number;
  max: number;
}

export interface Commit {
  pos: number; // canvas position (0 = first slot after the prompt)
  token: number;
}

/** The core's StepEvent as it crosses, with the time split of the step. */
export interface WireStep {
  step: number; // 0-based NFE index
  blockStart: number;
  committed: Commit[];
  guesses: Int32Array; // [canvas length before this step's cut]
  conf: Float32Array; // [same]
  cutAt: number | null;
  /** Spec §7: 'full' or a KV-cache 'window' over canvas positions [window[0], window[1]) (null for a full one). */
  forward: 'full' | 'window';
  window: [number, number] | null;
  positions: number;
  ms: number; // the whole step: forward + filter + decoder bookkeeping
  forwardMs: number; // session.run, readback included
  readbackMs: number; // of forwardMs: copying top1/conf off the GPU (0 on WASM)
  filterMs: number; // the Learn2PD filter's session (0 for other decoders)
}

export interface WireResult {
  answerIds: Int32Array; // canvas tokens before the first EOS
  answerText: string;
  nfe: number;
  ms: number; // sum of the steps' ms
  forwardMs: number;
  readbackMs: number;
  filterMs: number;
  promptTokens: number;
  canvasLength: number; // after any EoTP cut
  cached: boolean; // the reference came from the worker's cache (no forward ran)
  memory: WorkerMemory; // measured after the run, for soak tests and the curious
}

/** The worker's memory after a run. */
export interface WorkerMemory {
  createdTensors: number; // onnxruntime tensors made since the worker started (inputs and outputs)
  liveTensors: number; // of those, not yet disposed: 0 unless something leaks
  jsHeapBytes: number | null; // the worker's JS heap in use, where the browser reports it
  wasmBytes: number | null; // onnxruntime's WebAssembly memory (it grows, never shrinks: a plateau is healthy)
}

export interface BenchReport {
  label: string;
  decoder: DecoderName;
  spec: DecoderSpec;
  n: number;
  checked: number;
  accuracy: number | null;
  agreement: number;
  meanNfe: number;
  tokensPerSecond: number;
  msPerStep: number;
  nfeSpeedup: number;
}

export interface BenchResult {
  reference: BenchReport;
  reports: BenchReport[];
  ms: number;
}

export type WorkerMessage =
  | { type: 'load-phase'; runId: string; phase: LoadPhase; detail: string }
  | { type: 'load-file'; runId: string; progress: FileProgress }
  | { type: 'ready'; runId: string; info: ModelInfo }
  | { type: 'model'; runId: string; info: ModelInfo }
  | { type: 'token-count'; runId: string; count: TokenCount }
  | { type: 'pane-start'; runId: string; pane: number }
  | { type: 'step'; runId: string; pane: number; event: WireStep }
  | { type: 'pane-done'; runId: string; pane: number; result: WireResult }
  | { type: 'pane-error'; runId: string; pane: number; error: WireError }
  | { type: 'clock'; runId: string; pane: number; ms: number }
  | { type: 'reference'; runId: string; result: WireResult }
  | { type: 'compare-done'; runId: string }
  | { type: 'bench-progress'; runId: string; done: number; total: number }
  | { type: 'bench-done'; runId: string; result: BenchResult }
  | { type: 'collect-header'; runId: string; header: string }
  | { type: 'collect-prompt'; runId: string; index: number; lines: string[]; nfe: number }
  | { type: 'collect-done'; runId: string }
  | { type: 'train-epoch'; runId: string; epoch: TrainEpoch }
  | { type: 'train-done'; runId: string; report: TrainReport }
  | { type: 'filters'; runId: string; info: ModelInfo }
  | { type: 'cancelled'; runId: string }
  | { type: 'error'; runId: string | null; error: WireError };
export const MESSAGE_TYPES = [
  'load-phase',
  'load-file',
  'ready',
  'model',
  'token-count',
  'pane-start',
  'step',
  'pane-done',
  'pane-error',
  'clock',
  'reference',
  'compare-done',
  'bench-progress',
  'bench-done',
  'collect-header',
  'collect-prompt',
  'collect-done',
  'train-epoch',
  'train-done',
  'filters',
  'cancelled',
  'error',
] as const satisfies readonly WorkerMessage['type'][];

/** The buffers a message hands over instead of copying (the sender must not use them afterwards). */
export function transferablesOf(message: WorkerMessage): ArrayBuffer[] {
  const own = (a: Int32Array | Float32Array): ArrayBuffer[] =>
    a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? [a.buffer] : [];
  switch (message.type) {
    case 'step':
      return [...own(message.event.guesses), ...own(message.event.conf)];
    case 'pane-done':
    case 'reference':
      return own(message.result.answerIds);
    default:
      return [];
  }
}
