// A scripted engine for the store's tests: it records every job the store starts (options, callbacks, abort) and
// lets the test end it; a job's abort rejects it as the real engine does. Plus a model info and wire values.
import { DecodeCancelledError } from '../../../src/core';
import type {
  BenchOptions,
  BenchWatch,
  CollectOptions,
  CollectWatch,
  CompareOptions,
  CompareWatch,
  DllmEngine,
  LoadOptions,
  LoadWatch,
  TrainOptions,
  TrainWatch,
} from '../../../src/worker/api';
import {
  type BenchResult,
  type ModelInfo,
  type TrainedFilterFile,
  type TrainReport,
  type WireError,
  type WireResult,
  type WireStep,
} from '../../../src/worker/protocol';

/** One job the store started: what it asked, the callbacks it gave, and the test's hands on its end. */
export interface Job<O, W, T> {
  options: O;
  watch: W;
  aborted: boolean;
  resolve(value: T): void;
  reject(error: Error): void;
}

/** An engine whose worker is the test: it records each job, and a job's abort rejects it as the real one does. */
export class ScriptedEngine implements DllmEngine {
  loads: Job<LoadOptions, LoadWatch, ModelInfo>[] = [];
  compares: Job<CompareOptions, CompareWatch, void>[] = [];
  benches: Job<BenchOptions, BenchWatch, BenchResult>[] = [];
  collects: Job<CollectOptions, CollectWatch, void>[] = [];
  trains: Job<TrainOptions, TrainWatch, TrainReport>[] = [];
  added: Job<TrainedFilterFile, { signal?: AbortSignal }, ModelInfo>[] = [];
  removed: Job<string, { signal?: AbortSignal }, ModelInfo>[] = [];
  private incidents = new Set<(error: WireError) => void>();

  private job<O, W extends { signal?: AbortSignal }, T>(
    list: Job<O, W, T>[],
    options: O,
    watch: W | undefined,
  ): Promise<T> {
    if (watch === undefined) throw new Error('the store passes a watch with every job');
    return new Promise<T>((resolve, reject) => {
      const job: Job<O, W, T> = { options, watch, aborted: false, resolve, reject };
      watch.signal?.addEventListener('abort', () => {
        job.aborted = true;
        reject(new DecodeCancelledError('cancelled by the test'));
      });
      list.push(job);
    });
  }
  load(options: LoadOptions, watch?: LoadWatch) {
    return this.job(this.loads, options, watch);
  }
  countTokens() {
    return Promise.resolve({ tokens: 5, max: 56 });
  }
  compare(options: CompareOptions, watch?: CompareWatch) {
    return this.job(this.compares, options, watch);
  }
  bench(options: BenchOptions, watch?: BenchWatch) {
    return this.job(this.benches, options, watch);
  }
  collect(options: CollectOptions, watch?: CollectWatch) {
    return this.job(this.collects, options, watch);
  }
  train(options: TrainOptions, watch?: TrainWatch) {
    return this.job(this.trains, options, watch);
  }
  addFilter(filter: TrainedFilterFile) {
    return this.job(this.added, filter, {});
  }
  removeFilter(name: string) {
    return this.job(this.removed, name, {});
  }
  onIncident(listener: (error: WireError) => void) {
    this.incidents.add(listener);
    return () => this.incidents.delete(listener);
  }
  incident(error: WireError) {
    for (const l of this.incidents) l(error);
  }
  get lastLoad() {
    return this.loads[this.loads.length - 1];
  }
  get lastCompare() {
    return this.compares[this.compares.length - 1];
  }
}

export const INFO: ModelInfo = {
  id: 'm',
  name: 'test model',
  variant: 'fp32',
  variants: ['fp32'],
  backend: 'wasm',
  adapter: null,
  fallbackReason: null,
  threads: 1,
  runtime: null,
  runtimeFiles: [],
  extras: ['entropy', 'margin'],
  modelSha256: 'a'.repeat(64),
  kvCache: false,
  maskId: 1,
  eosId: 0,
  maxPromptTokens: 56,
  defaults: { genLength: 8, blockLength: 8 },
  filters: [{ name: 'paper', kind: 'block', blockLength: 8, tauFilter: 0.9 }],
  defaultFilters: [],
  vocab: ['<eos>', '[MASK]', 'a', 'b', 'c'],
  loadMs: 1,
  warmupMs: 1,
  cachedFiles: 0,
  totalFiles: 4,
};

export function wireStep(step: number, committed: number[]): WireStep {
  return {
    step,
    blockStart: 0,
    committed: committed.map((pos) => ({ pos, token: 2 })),
    guesses: new Int32Array(8).fill(2),
    conf: new Float32Array(8).fill(0.5),
    cutAt: null,
    forward: 'full',
    window: null,
    positions: 10,
    ms: 5,
    forwardMs: 4,
    readbackMs: 0,
    filterMs: 0,
  };
}

export function result(nfe: number, answer: number[]): WireResult {
  return {
    answerIds: Int32Array.from(answer),
    answerText: answer.join(' '),
    nfe,
    ms: nfe * 5,
    forwardMs: nfe * 4,
    readbackMs: 0,
    filterMs: 0,
    promptTokens: 4,
    canvasLength: 8,
    cached: false,
    memory: { createdTensors: 0, liveTensors: 0, jsHeapBytes: null, wasmBytes: null },
  };
}
