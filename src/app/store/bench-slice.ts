// Benchmark slice: a small slice of the test split run in the visitor's browser, the browser sweep of
// src/eval/sweeps.ts (the left pane's heuristic over its knob's sweep, Learn2PD over a tauFilter sweep), for the accuracy-against-NFE
// figure. The worker runs src/eval/evaluate.ts, the same code as `npm run bench`, so the numbers are computed one
// way everywhere.
import { browserBenchPrompts } from '../../eval/prompts';
import { browserSweep } from '../../eval/sweeps';
import { type BenchPrompt, isCancelled, toWireError } from '../../worker/protocol';
import { effectiveCanvas, effectiveFilter } from '../settings';
import type { AppDeps, BenchSlice, BenchState, GetState, SetState } from './types';

export const initialBench: BenchState = {
  status: 'idle',
  benchId: 0,
  done: 0,
  total: 0,
  size: 10,
  canvas: null,
  eotp: null,
  result: null,
  error: null,
};

export function benchPrompts(size: number): BenchPrompt[] {
  return browserBenchPrompts(size).map((p) => ({
    prompt: p.prompt,
    family: p.family ?? null,
    answer: p.answer ?? null,
  }));
}

export function createBenchSlice(set: SetState, get: GetState, deps: AppDeps): BenchSlice {
  let abort: AbortController | null = null;
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
      const benchId = bench.benchId + 1;
      abort = new AbortController();
      set({
        bench: {
          ...bench,
          status: 'running',
          benchId,
          done: 0,
          total: prompts.length,
          canvas,
          eotp: settings.eotp,
          result: null,
          error: null,
        },
      });
      /** Changes this run's state while it runs (a cancelled or superseded run's news is dropped). */
      const patch = (change: (b: BenchState) => BenchState) => {
        const now = get().bench;
        if (now.benchId === benchId && now.status === 'running') set({ bench: change(now) });
      };
      try {
        const result = await deps.engine.bench(
          {
            prompts,
            canvas,
            specs: browserSweep(settings.eotp, settings.heuristic, effectiveFilter(settings, model.info)),
          },
          {
            signal: abort.signal,
            onModel: (info) => set({ model: { ...get().model, info } }),
            onProgress: (done, total) => patch((b) => ({ ...b, done, total })),
          },
        );
        patch((b) => ({ ...b, status: 'done', result }));
      } catch (error) {
        if (!isCancelled(error)) patch((b) => ({ ...b, status: 'error', error: toWireError(error) }));
      }
    },
    cancelBench() {
      const { bench } = get();
      if (bench.status !== 'running') return;
      abort?.abort();
      set({ bench: { ...bench, status: 'cancelled' } });
    },
  };
}
