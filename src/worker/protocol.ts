// Every message between the UI and the model worker: requests (UI -> worker) and messages (worker -> UI), each
// ONE discriminated union on `type`, with a reader that checks untrusted data field by field (no casts).
//
// Rules of the protocol:
// - Every request names a job by `runId` (chosen by the client, unique per client); every message about that job
//   carries the same `runId`, so streams of different runs never cross. `cancel` names the job to stop.
// - Only plain data and typed arrays cross. The worker transfers (not copies) the buffers of `step` and `done`
//   messages: see `transferablesOf`.
// - Errors cross as `{ name, message }`; `name` is the error class (ConfigError, PromptTooLongError,
//   ModelFileError, DecodeCancelledError...), so the UI can tell a bad setting from a broken download.
// - A request that fails its check is answered with an `error` message (name SchemaError), never a throw.
import type { DecoderName } from '../core';
import type { DecoderSpec } from '../runtime/evaluate';
import { Fields, itemFields, itemString } from './fields';

export { SchemaError } from './fields';
export type { DecoderSpec } from '../runtime/evaluate';

export const BACKENDS = ['webgpu', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];
export const BACKEND_CHOICES = ['auto', 'webgpu', 'wasm'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const DECODER_NAMES: readonly DecoderName[] = ['low_confidence', 'threshold', 'factor', 'learn2pd', 'egp_oracle'];

/** The longest prompt text a request may carry; the model's own limit (in tokens) is far lower. */
export const MAX_PROMPT_CHARS = 20_000;
/** Canvas bounds every request is checked against before the core's own validation. */
export const MAX_GEN_LENGTH = 512;
export const MAX_BENCH_PROMPTS = 200;

export interface WireError {
  name: string;
  message: string;
}

export interface Canvas {
  genLength: number; // slots after the prompt, a multiple of blockLength
  blockLength: number;
}

// ---------------------------------------------------------------- requests (UI -> worker)

export interface LoadRequest {
  type: 'load';
  runId: string;
  /** Absolute URL of the model folder (the worker's own URL is not the page's, so relative URLs would mislead). */
  modelUrl: string;
  backend: BackendChoice;
  variant: string | null; // null: the manifest's defaultVariant
}

export interface TokenizeRequest {
  type: 'tokenize';
  runId: string;
  prompt: string;
}

export interface RunRequest {
  type: 'run';
  runId: string;
  prompt: string;
  canvas: Canvas;
  decoder: DecoderSpec;
  /** false: no `step` messages, only `done` (the untimed reference check). */
  stream: boolean;
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

export type WorkerRequest = LoadRequest | TokenizeRequest | RunRequest | BenchRequest | CancelRequest;
export const REQUEST_TYPES = ['load', 'tokenize', 'run', 'bench', 'cancel'] as const satisfies readonly WorkerRequest['type'][];

// ---------------------------------------------------------------- messages (worker -> UI)

export const LOAD_PHASES = ['probe', 'manifest', 'download', 'session', 'warmup'] as const;
export type LoadPhase = (typeof LOAD_PHASES)[number];

export interface FilterInfo {
  blockLength: number;
  tauFilter: number;
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
  maskId: number;
  eosId: number;
  maxPromptTokens: number;
  defaults: Canvas;
  filters: FilterInfo[];
  /** How each token id reads on its own (index = id), for drawing canvas slots. */
  vocab: string[];
  loadMs: number;
  warmupMs: number;
  cachedFiles: number; // files that came from the browser cache
  totalFiles: number;
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
  | { type: 'load-file'; runId: string; file: string; loaded: number; total: number | null; verified: boolean; cached: boolean }
  | { type: 'ready'; runId: string; info: ModelInfo }
  | { type: 'token-count'; runId: string; tokens: number; max: number }
  | { type: 'step'; runId: string; event: WireStep }
  | { type: 'done'; runId: string; result: WireResult }
  | { type: 'bench-progress'; runId: string; done: number; total: number }
  | { type: 'bench-done'; runId: string; result: BenchResult }
  | { type: 'cancelled'; runId: string }
  | { type: 'error'; runId: string | null; error: WireError };
export const MESSAGE_TYPES = [
  'load-phase',
  'load-file',
  'ready',
  'token-count',
  'step',
  'done',
  'bench-progress',
  'bench-done',
  'cancelled',
  'error',
] as const satisfies readonly WorkerMessage['type'][];

/** The buffers a message hands over instead of copying (the sender must not use them afterwards). */
export function transferablesOf(message: WorkerMessage): ArrayBuffer[] {
  const own = (a: Int32Array | Float32Array): ArrayBuffer[] => (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? [a.buffer] : []);
  switch (message.type) {
    case 'step':
      return [...own(message.event.guesses), ...own(message.event.conf)];
    case 'done':
      return own(message.result.answerIds);
    default:
      return [];
  }
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message };
  if (typeof error === 'string') return { name: 'Error', message: error };
  return { name: 'Error', message: `unexpected failure: ${String(error)}` };
}

/** An error that crossed the thread boundary, rebuilt with its original name. */
export class WorkerError extends Error {
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
}

// ---------------------------------------------------------------- readers

const runIdOf = (f: Fields) => f.string('runId', 200);

function readCanvas(f: Fields): Canvas {
  return { genLength: f.int('genLength', { min: 1, max: MAX_GEN_LENGTH }), blockLength: f.int('blockLength', { min: 1, max: MAX_GEN_LENGTH }) };
}

export function readDecoderSpec(f: Fields): DecoderSpec {
  const decoder = f.oneOf('decoder', DECODER_NAMES);
  switch (decoder) {
    case 'low_confidence': {
      const steps = f.optionalInt('steps', { min: 1, max: MAX_GEN_LENGTH });
      return steps === undefined ? { decoder, eotp: f.boolean('eotp') } : { decoder, eotp: f.boolean('eotp'), steps };
    }
    case 'threshold':
      return { decoder, eotp: f.boolean('eotp'), tau: f.number('tau', { min: Number.MIN_VALUE, max: 2 }) };
    case 'factor':
      return { decoder, eotp: f.boolean('eotp'), factor: f.number('factor', { min: Number.MIN_VALUE, max: 1000 }) };
    case 'learn2pd':
      return { decoder, eotp: f.boolean('eotp'), tauFilter: f.number('tauFilter', { min: 0, max: 1 }) };
    case 'egp_oracle':
      return { decoder, eotp: f.literal('eotp', false) };
    default: {
      const exhaustive: never = decoder;
      return exhaustive;
    }
  }
}

function readBenchPrompt(f: Fields): BenchPrompt {
  return { prompt: f.string('prompt', MAX_PROMPT_CHARS), family: f.nullableString('family', 100), answer: f.nullableString('answer', 10_000) };
}

/** Checks an incoming request; throws SchemaError naming the first bad field. */
export function parseRequest(data: unknown): WorkerRequest {
  const f = Fields.of(data, 'request');
  const type = f.oneOf('type', REQUEST_TYPES);
  switch (type) {
    case 'load':
      return { type, runId: runIdOf(f), modelUrl: f.string('modelUrl', 2000), backend: f.oneOf('backend', BACKEND_CHOICES), variant: f.nullableString('variant', 100) };
    case 'tokenize':
      return { type, runId: runIdOf(f), prompt: f.string('prompt', MAX_PROMPT_CHARS) };
    case 'run':
      return {
        type,
        runId: runIdOf(f),
        prompt: f.string('prompt', MAX_PROMPT_CHARS),
        canvas: f.object('canvas', readCanvas),
        decoder: f.object('decoder', readDecoderSpec),
        stream: f.boolean('stream'),
      };
    case 'bench':
      return {
        type,
        runId: runIdOf(f),
        prompts: f.array('prompts', itemFields(readBenchPrompt), MAX_BENCH_PROMPTS),
        canvas: f.object('canvas', readCanvas),
        specs: f.array('specs', itemFields(readDecoderSpec), 50),
      };
    case 'cancel':
      return { type, runId: runIdOf(f) };
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

function readModelInfo(f: Fields): ModelInfo {
  return {
    id: f.string('id'),
    name: f.string('name'),
    variant: f.string('variant'),
    variants: f.array('variants', itemString(100), 100),
    backend: f.oneOf('backend', BACKENDS),
    adapter: f.nullableString('adapter'),
    fallbackReason: f.nullableString('fallbackReason'),
    threads: f.int('threads', { min: 1 }),
    runtime: f.raw('runtime') === null ? null : f.oneOf('runtime', BACKENDS),
    maskId: f.int('maskId', { min: 0 }),
    eosId: f.int('eosId', { min: 0 }),
    maxPromptTokens: f.int('maxPromptTokens', { min: 1 }),
    defaults: f.object('defaults', readCanvas),
    filters: f.array('filters', itemFields((g) => ({ blockLength: g.int('blockLength', { min: 1 }), tauFilter: g.number('tauFilter', { min: 0, max: 1 }) })), 100),
    vocab: f.array('vocab', itemString(1000), 1_000_000),
    loadMs: f.number('loadMs', { min: 0 }),
    warmupMs: f.number('warmupMs', { min: 0 }),
    cachedFiles: f.int('cachedFiles', { min: 0 }),
    totalFiles: f.int('totalFiles', { min: 0 }),
  };
}

function readStep(f: Fields): WireStep {
  return {
    step: f.int('step', { min: 0 }),
    blockStart: f.int('blockStart', { min: 0 }),
    committed: f.array('committed', itemFields((g) => ({ pos: g.int('pos', { min: 0 }), token: g.int('token', { min: 0 }) })), MAX_GEN_LENGTH),
    guesses: f.int32Array('guesses'),
    conf: f.float32Array('conf'),
    cutAt: f.nullableInt('cutAt', { min: 0 }),
    ms: f.number('ms', { min: 0 }),
    forwardMs: f.number('forwardMs', { min: 0 }),
    readbackMs: f.number('readbackMs', { min: 0 }),
    filterMs: f.number('filterMs', { min: 0 }),
  };
}

function readResult(f: Fields): WireResult {
  return {
    answerIds: f.int32Array('answerIds'),
    answerText: f.string('answerText', 100_000),
    nfe: f.int('nfe', { min: 0 }),
    ms: f.number('ms', { min: 0 }),
    forwardMs: f.number('forwardMs', { min: 0 }),
    readbackMs: f.number('readbackMs', { min: 0 }),
    filterMs: f.number('filterMs', { min: 0 }),
    promptTokens: f.int('promptTokens', { min: 0 }),
    canvasLength: f.int('canvasLength', { min: 0 }),
    cached: f.boolean('cached'),
    memory: f.object('memory', readMemory),
  };
}

function readMemory(f: Fields): WorkerMemory {
  return {
    createdTensors: f.int('createdTensors', { min: 0 }),
    liveTensors: f.int('liveTensors', { min: 0 }),
    jsHeapBytes: f.nullableNumber('jsHeapBytes', { min: 0 }),
    wasmBytes: f.nullableNumber('wasmBytes', { min: 0 }),
  };
}

function readBenchReport(f: Fields): BenchReport {
  return {
    label: f.string('label'),
    decoder: f.oneOf('decoder', DECODER_NAMES),
    spec: f.object('spec', readDecoderSpec),
    n: f.int('n', { min: 0 }),
    checked: f.int('checked', { min: 0 }),
    accuracy: f.nullableNumber('accuracy', { min: 0, max: 1 }),
    agreement: f.number('agreement', { min: 0, max: 1 }),
    meanNfe: f.number('meanNfe', { min: 0 }),
    tokensPerSecond: f.number('tokensPerSecond', { min: 0 }),
    msPerStep: f.number('msPerStep', { min: 0 }),
    nfeSpeedup: f.number('nfeSpeedup', { min: 0 }),
  };
}

function readWireError(f: Fields): WireError {
  return { name: f.string('name', 200), message: f.string('message', 100_000) };
}

/** Checks a message from the worker (the client trusts nothing it did not check either). */
export function parseMessage(data: unknown): WorkerMessage {
  const f = Fields.of(data, 'message');
  const type = f.oneOf('type', MESSAGE_TYPES);
  switch (type) {
    case 'load-phase':
      return { type, runId: runIdOf(f), phase: f.oneOf('phase', LOAD_PHASES), detail: f.string('detail') };
    case 'load-file':
      return {
        type,
        runId: runIdOf(f),
        file: f.string('file', 1000),
        loaded: f.int('loaded', { min: 0 }),
        total: f.nullableInt('total', { min: 0 }),
        verified: f.boolean('verified'),
        cached: f.boolean('cached'),
      };
    case 'ready':
      return { type, runId: runIdOf(f), info: f.object('info', readModelInfo) };
    case 'token-count':
      return { type, runId: runIdOf(f), tokens: f.int('tokens', { min: 0 }), max: f.int('max', { min: 0 }) };
    case 'step':
      return { type, runId: runIdOf(f), event: f.object('event', readStep) };
    case 'done':
      return { type, runId: runIdOf(f), result: f.object('result', readResult) };
    case 'bench-progress':
      return { type, runId: runIdOf(f), done: f.int('done', { min: 0 }), total: f.int('total', { min: 0 }) };
    case 'bench-done':
      return {
        type,
        runId: runIdOf(f),
        result: f.object('result', (g) => ({ reference: g.object('reference', readBenchReport), reports: g.array('reports', itemFields(readBenchReport), 100), ms: g.number('ms', { min: 0 }) })),
      };
    case 'cancelled':
      return { type, runId: runIdOf(f) };
    case 'error':
      return { type, runId: f.nullableString('runId', 200), error: f.object('error', readWireError) };
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

/** The runId of a message that failed its check, when it still has a readable one (so the error can name it). */
export function salvageRunId(data: unknown): string | null {
  try {
    const id = Fields.of(data, 'request').raw('runId');
    return typeof id === 'string' && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

