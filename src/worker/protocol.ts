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

// ---------------------------------------------------------------- limits (the app offers no more than these)

/** The longest prompt text a request may carry (and the app sends or a link holds); the model's own limit, in
 * tokens, is far lower and checked by the worker. */
export const MAX_PROMPT_CHARS = 2000;
/** The longest canvas a request may ask for. */
export const MAX_GEN_LENGTH = 256;
/** Panes of one comparison: threshold, Learn2PD and an optional third, with room for one more. */
export const MAX_PANES = 4;
export const MAX_BENCH_PROMPTS = 200;
export const MAX_BENCH_SPECS = 50;
export const MAX_CLOCK_RUNS = 5;
/** The most WebAssembly threads a load may ask for. */
export const MAX_WASM_THREADS = 8;

/**
 * The threads onnxruntime-web's WASM backend runs on: one unless the page is cross-origin isolated (threads need
 * SharedArrayBuffer); then what the load asked for, else onnxruntime's own default, half the cores (at most 4),
 * which leaves the page a core. On this project's 2-core machine 2 threads ran at 0.80x the speed of 1
 * (docs/bench/threads.md), so half the cores is also what we measured.
 */
export function wasmThreads(asked: number | null, isolated: boolean, cores: number): number {
  if (!isolated) return 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, asked ?? Math.min(4, Math.ceil(cores / 2))));
}

// ---------------------------------------------------------------- errors

/** Every error name that crosses: the classes of core, runtime, eval and worker that a job can end with. */
export const ERROR_NAMES = [
  'SchemaError', // a request or message failed its check
  'PromptError', // an empty prompt
  'PromptTooLongError', // more tokens than the model was trained with
  'ConfigError', // a canvas or decoder setting the spec does not allow
  'NoFilterError', // no Learn2PD filter serves the block length
  'NotReadyError', // no model is loaded
  'ModelFileError', // a model file could not be fetched or failed its size / sha256 check
  'ManifestError', // dllm.json is malformed or lacks what was asked for
  'RuntimeError', // an onnxruntime session refused the graph or the input
  'ModelOutputError', // the model answered with the wrong shape
  'DeviceLostError', // the GPU device went away mid-run
  'DuplicateRunIdError', // a runId already in use
  'DecodeCancelledError', // the job was cancelled
  'WorkerCrashedError', // the worker died (set by the client, which starts a new one)
  'WorkerUnreachableError', // the worker's script did not load, or it keeps crashing: no new one until asked
  'InternalError', // anything else; the message keeps the original name
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

export interface WireError {
  name: ErrorName;
  message: string;
}

function isErrorName(name: string): name is ErrorName {
  return ERROR_NAMES.some((n) => n === name);
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error)
    return isErrorName(error.name)
      ? { name: error.name, message: error.message }
      : { name: 'InternalError', message: `${error.name || 'Error'}: ${error.message}` };
  if (typeof error === 'string') return { name: 'InternalError', message: error };
  return { name: 'InternalError', message: `unexpected failure: ${String(error)}` };
}

/** An error that crossed the thread boundary, rebuilt with its original name. */
export class WorkerError extends Error {
  override readonly name: ErrorName;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
}

/** Whether a job ended because it was cancelled (on either side of the boundary). */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'DecodeCancelledError';
}

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

export interface CancelRequest {
  type: 'cancel';
  runId: string; // the job to cancel
}

export type WorkerRequest = LoadRequest | TokenizeRequest | CompareRequest | BenchRequest | CancelRequest;
export const REQUEST_TYPES = [
  'load',
  'tokenize',
  'compare',
  'bench',
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

/** A learned filter the model ships (core's FilterListing: name, kind, the block length it was trained for, tauFilter). */
export type FilterInfo = FilterListing;

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
