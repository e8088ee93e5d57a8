// Benchmark slice: a small slice of the test split run in the visitor's browser, threshold over a tau sweep and
// Learn2PD over a tauFilter sweep, for the accuracy-against-NFE figure. The worker runs runtime/evaluate.ts, the
// same code as `npm run bench`, so the numbers are computed one way everywhere.
import { generateSplit } from '../../tasks';
import type { BenchPrompt, DecoderSpec, WorkerMessage } from '../../worker/protocol';
import { effectiveCanvas } from '../settings';
import type { AppDeps, AppState, BenchSlice, BenchState, GetState, SetState } from './types';

export const BENCH_SIZES = [5, 10, 20] as const;
export const TAU_SWEEP = [0.5, 0.7, 0.8, 0.9, 0.95] as const;
export const TAU_FILTER_SWEEP = [0.5, 0.8, 0.9, 0.96, 0.99] as const;
/** Seed of the test-split slice: fixed, so two visitors' figures use the same prompts. */
export const BENCH_SEED = 2024;

export const initialBench: BenchState = { status: 'idle', runId: null, done: 0, total: 0, size: 10, canvas: null, eotp: null, result: null, error: null };

export function benchPrompts(size: number): BenchPrompt[] {
  return generateSplit('test', size, { seed: BENCH_SEED }).map((e) => ({ prompt: e.prompt, family: e.family, answer: e.answer }));
}

/** Both sweeps use the EoTP setting: the figure compares the two unmasking rules, not EoTP against none. */
export function benchSpecs(eotp: boolean): DecoderSpec[] {
  return [
    ...TAU_SWEEP.map((tau): DecoderSpec => ({ decoder: 'threshold', eotp, tau })),
    ...TAU_FILTER_SWEEP.map((tauFilter): DecoderSpec => ({ decoder: 'learn2pd', eotp, tauFilter })),
  ];
}

export function createBenchSlice(set: SetState, get: GetState, deps: AppDeps): BenchSlice {
  return {
    bench: initialBench,
    setBenchSize(size) {
      set({ bench: { ...get().bench, size } });
    },
    async runBench() {
      const { model, bench, settings } = get();
      if (model.status !== 'ready' || bench.status === 'running') return;
      get().cancelComparison();
      const canvas = effectiveCanvas(settings, model.info);
      const prompts = benchPrompts(bench.size);
      const { runId, done } = deps.client.bench({ prompts, canvas, specs: benchSpecs(settings.eotp) });
      set({ bench: { ...bench, status: 'running', runId, done: 0, total: prompts.length, canvas, eotp: settings.eotp, result: null, error: null } });
      await done.catch((error: unknown) => {
        // The bridge settles a benchmark from the worker's messages; a replaced worker (a crash) sends none.
        const now = get().bench;
        if (now.runId !== runId || now.status !== 'running') return;
        const wire = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
        set({ bench: { ...now, status: 'error', error: wire } });
      });
    },
    cancelBench() {
      const { bench } = get();
      if (bench.status !== 'running' || bench.runId === null) return;
      deps.client.cancel(bench.runId);
      set({ bench: { ...bench, status: 'cancelled' } });
    },
  };
}

type BenchMessage = Extract<WorkerMessage, { type: 'bench-progress' | 'bench-done' | 'cancelled' | 'error' }>;

/** The bridge's reducer for benchmark messages of the current benchmark run. */
export function reduceBench(state: AppState, message: BenchMessage): Partial<AppState> {
  const bench = state.bench;
  if (bench.runId === null || bench.runId !== message.runId || bench.status !== 'running') return {};
  switch (message.type) {
    case 'bench-progress':
      return { bench: { ...bench, done: message.done, total: message.total } };
    case 'bench-done':
      return { bench: { ...bench, status: 'done', result: message.result } };
    case 'cancelled':
      return { bench: { ...bench, status: 'cancelled' } };
    case 'error':
      return { bench: { ...bench, status: 'error', error: message.error } };
  }
}
