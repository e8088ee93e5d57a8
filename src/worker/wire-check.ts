// The checks of everything that crosses the worker boundary: one reader per request and message of protocol.ts,
// field by field with fields.ts (no casts), so each side trusts only what it has read. A failed check throws
// SchemaError naming the field ("request.canvas.genLength").
import { DECODER_NAMES, FILTER_KINDS, HEAD_EXTRAS, KNOB_RANGES } from '../core';
import { Fields, itemFields, itemOneOf, itemString } from './fields';
import {
  BACKEND_CHOICES,
  BACKENDS,
  type BenchPrompt,
  type BenchReport,
  ERROR_NAMES,
  type FileProgress,
  LOAD_PHASES,
  type LoadRequest,
  MAX_BENCH_PROMPTS,
  MAX_BENCH_SPECS,
  MAX_CLOCK_RUNS,
  MAX_GEN_LENGTH,
  MAX_PANES,
  MAX_PROMPT_CHARS,
  MAX_TRAIN_EPOCHS,
  MAX_TRAIN_PROMPTS,
  MAX_TRAJECTORY_CHARS,
  MAX_WASM_THREADS,
  MESSAGE_TYPES,
  type ModelInfo,
  REQUEST_TYPES,
  type WireError,
  type WireResult,
  type WireStep,
  type WorkerMemory,
  type WorkerMessage,
  type WorkerRequest,
} from './protocol';
import { readFilterName, readTrainEpoch, readTrainedFilter, readTrainReport } from './train-wire';
import { readCanvas, readDecoderSpec, readWindow } from './wire-spec';

export { SchemaError } from './fields';
export { readDecoderSpec } from './wire-spec';

const runIdOf = (f: Fields) => f.string('runId', 200);

function readBenchPrompt(f: Fields): BenchPrompt {
  return {
    prompt: f.string('prompt', MAX_PROMPT_CHARS),
    family: f.nullableString('family', 100),
    answer: f.nullableString('answer', 10_000),
  };
}

/** Checks an incoming request; throws SchemaError naming the first bad field. */
export function parseRequest(data: unknown): WorkerRequest {
  const f = Fields.of(data, 'request');
  const type = f.oneOf('type', REQUEST_TYPES);
  switch (type) {
    case 'load': {
      const load: LoadRequest = {
        type,
        runId: runIdOf(f),
        modelUrl: f.string('modelUrl', 2000),
        backend: f.oneOf('backend', BACKEND_CHOICES),
        variant: f.nullableString('variant', 100),
      };
      const threads = f.optionalInt('threads', { min: 1, max: MAX_WASM_THREADS });
      return threads === undefined ? load : { ...load, threads };
    }
    case 'tokenize':
      return { type, runId: runIdOf(f), prompt: f.string('prompt', MAX_PROMPT_CHARS) };
    case 'compare':
      return {
        type,
        runId: runIdOf(f),
        prompt: f.string('prompt', MAX_PROMPT_CHARS),
        canvas: f.object('canvas', readCanvas),
        panes: f.array('panes', itemFields(readDecoderSpec), MAX_PANES),
        reference: f.boolean('reference'),
        clockRuns: f.int('clockRuns', { min: 1, max: MAX_CLOCK_RUNS }),
      };
    case 'bench':
      return {
        type,
        runId: runIdOf(f),
        prompts: f.array('prompts', itemFields(readBenchPrompt), MAX_BENCH_PROMPTS),
        canvas: f.object('canvas', readCanvas),
        specs: f.array('specs', itemFields(readDecoderSpec), MAX_BENCH_SPECS),
      };
    case 'collect': {
      const prompts = f.array('prompts', itemString(MAX_PROMPT_CHARS), MAX_TRAIN_PROMPTS);
      return {
        type,
        runId: runIdOf(f),
        prompts,
        canvas: f.object('canvas', readCanvas),
        split: f.oneOf('split', ['train', 'typed'] as const),
        first: f.int('first', { min: 0, max: prompts.length }),
      };
    }
    case 'train': {
      const train = {
        type,
        runId: runIdOf(f),
        trajectory: f.string('trajectory', MAX_TRAJECTORY_CHARS),
        variant: readFilterName(f, 'variant'),
        name: readFilterName(f, 'name'),
        tauFilter: f.number('tauFilter', KNOB_RANGES.tauFilter),
        seed: f.int('seed', { min: 0, max: 2 ** 32 - 1 }),
      };
      const maxEpochs = f.optionalInt('maxEpochs', { min: 1, max: MAX_TRAIN_EPOCHS });
      return maxEpochs === undefined ? train : { ...train, maxEpochs };
    }
    case 'add-filter':
      return { type, runId: runIdOf(f), filter: f.object('filter', (g) => readTrainedFilter(g, MAX_GEN_LENGTH)) };
    case 'remove-filter':
      return { type, runId: runIdOf(f), name: readFilterName(f, 'name') };
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
    runtimeFiles: f.array('runtimeFiles', itemString(2000), 8),
    extras: f.array('extras', itemOneOf(HEAD_EXTRAS), HEAD_EXTRAS.length),
    modelSha256: f.string('modelSha256', 64),
    kvCache: f.boolean('kvCache'),
    maskId: f.int('maskId', { min: 0 }),
    eosId: f.int('eosId', { min: 0 }),
    maxPromptTokens: f.int('maxPromptTokens', { min: 1 }),
    defaults: f.object('defaults', readCanvas),
    filters: f.array(
      'filters',
      itemFields((g) => {
        const filter = {
          name: g.string('name', 100),
          kind: g.oneOf('kind', FILTER_KINDS),
          blockLength: g.int('blockLength', { min: 1 }),
          tauFilter: g.number('tauFilter', KNOB_RANGES.tauFilter),
        };
        const trainedOn = g.optionalInt('trainedOn', { min: 0 });
        return trainedOn === undefined ? filter : { ...filter, trainedOn };
      }),
      100,
    ),
    defaultFilters: f.array(
      'defaultFilters',
      itemFields((g) => ({ blockLength: g.int('blockLength', { min: 1 }), name: g.string('name', 100) })),
      100,
    ),
    vocab: f.array('vocab', itemString(1000), 1_000_000),
    loadMs: f.number('loadMs', { min: 0 }),
    warmupMs: f.number('warmupMs', { min: 0 }),
    cachedFiles: f.int('cachedFiles', { min: 0 }),
    totalFiles: f.int('totalFiles', { min: 0 }),
  };
}

function readFileProgress(f: Fields): FileProgress {
  return {
    file: f.string('file', 1000),
    loaded: f.int('loaded', { min: 0 }),
    total: f.nullableInt('total', { min: 0 }),
    verified: f.boolean('verified'),
    cached: f.boolean('cached'),
  };
}

function readStep(f: Fields): WireStep {
  return {
    step: f.int('step', { min: 0 }),
    blockStart: f.int('blockStart', { min: 0 }),
    committed: f.array(
      'committed',
      itemFields((g) => ({ pos: g.int('pos', { min: 0 }), token: g.int('token', { min: 0 }) })),
      MAX_GEN_LENGTH,
    ),
    guesses: f.int32Array('guesses'),
    conf: f.float32Array('conf'),
    cutAt: f.nullableInt('cutAt', { min: 0 }),
    forward: f.oneOf('forward', ['full', 'window'] as const),
    window: f.raw('window') === null ? null : readWindow(f),
    positions: f.int('positions', { min: 1 }),
    ms: f.number('ms', { min: 0 }),
    forwardMs: f.number('forwardMs', { min: 0 }),
    readbackMs: f.number('readbackMs', { min: 0 }),
    filterMs: f.number('filterMs', { min: 0 }),
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
  return { name: f.oneOf('name', ERROR_NAMES), message: f.string('message', 100_000) };
}

const paneOf = (f: Fields) => f.int('pane', { min: 0, max: MAX_PANES - 1 });

/** Checks a message from the worker (the client trusts nothing it did not check either). */
export function parseMessage(data: unknown): WorkerMessage {
  const f = Fields.of(data, 'message');
  const type = f.oneOf('type', MESSAGE_TYPES);
  switch (type) {
    case 'load-phase':
      return { type, runId: runIdOf(f), phase: f.oneOf('phase', LOAD_PHASES), detail: f.string('detail') };
    case 'load-file':
      return { type, runId: runIdOf(f), progress: f.object('progress', readFileProgress) };
    case 'ready':
    case 'model':
      return { type, runId: runIdOf(f), info: f.object('info', readModelInfo) };
    case 'token-count':
      return {
        type,
        runId: runIdOf(f),
        count: f.object('count', (g) => ({ tokens: g.int('tokens', { min: 0 }), max: g.int('max', { min: 0 }) })),
      };
    case 'pane-start':
      return { type, runId: runIdOf(f), pane: paneOf(f) };
    case 'step':
      return { type, runId: runIdOf(f), pane: paneOf(f), event: f.object('event', readStep) };
    case 'pane-done':
      return { type, runId: runIdOf(f), pane: paneOf(f), result: f.object('result', readResult) };
    case 'pane-error':
      return { type, runId: runIdOf(f), pane: paneOf(f), error: f.object('error', readWireError) };
    case 'clock':
      return { type, runId: runIdOf(f), pane: paneOf(f), ms: f.number('ms', { min: 0 }) };
    case 'reference':
      return { type, runId: runIdOf(f), result: f.object('result', readResult) };
    case 'compare-done':
      return { type, runId: runIdOf(f) };
    case 'bench-progress':
      return { type, runId: runIdOf(f), done: f.int('done', { min: 0 }), total: f.int('total', { min: 0 }) };
    case 'bench-done':
      return {
        type,
        runId: runIdOf(f),
        result: f.object('result', (g) => ({
          reference: g.object('reference', readBenchReport),
          reports: g.array('reports', itemFields(readBenchReport), 100),
          ms: g.number('ms', { min: 0 }),
        })),
      };
    case 'collect-header':
      return { type, runId: runIdOf(f), header: f.string('header', 10_000) };
    case 'collect-prompt':
      return {
        type,
        runId: runIdOf(f),
        index: f.int('index', { min: 0, max: MAX_TRAIN_PROMPTS - 1 }),
        lines: f.array('lines', itemString(1_000_000), 100_000),
        nfe: f.int('nfe', { min: 0 }),
      };
    case 'collect-done':
      return { type, runId: runIdOf(f) };
    case 'train-epoch':
      return { type, runId: runIdOf(f), epoch: f.object('epoch', readTrainEpoch) };
    case 'train-done':
      return { type, runId: runIdOf(f), report: f.object('report', (g) => readTrainReport(g, MAX_GEN_LENGTH)) };
    case 'filters':
      return { type, runId: runIdOf(f), info: f.object('info', readModelInfo) };
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

/** The runId of data that failed its check, when it still has a readable one (so the error can name the job). */
export function salvageRunId(data: unknown): string | null {
  try {
    const id = Fields.of(data, 'request').raw('runId');
    return typeof id === 'string' && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}
