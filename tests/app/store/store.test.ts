// The store with a scripted engine: a comparison is one engine job whose panes report through its callbacks
// (a superseded comparison's news is ignored), cancel aborts the job and leaves no pane running, errors land in the
// pane they belong to (or end every pane), and playback follows the recorded events.
import { beforeEach, describe, expect, it } from 'vitest';
import { bindBridge } from '../../../src/app/bridge';
import { createAppStore, initialState, isAnimating } from '../../../src/app/store';
import { loadErrorText } from '../../../src/app/store/model-slice';
import type { AppStore } from '../../../src/app/store/types';
import { parseUrl } from '../../../src/app/url';
import { WorkerError } from '../../../src/worker/protocol';
import { INFO, result, ScriptedEngine, wireStep } from './scripted-engine';

const flush = () => new Promise((r) => setTimeout(r, 0));

let engine: ScriptedEngine;
let store: AppStore;

beforeEach(async () => {
  engine = new ScriptedEngine();
  store = createAppStore({ engine, baseUrl: 'http://localhost/app/' }, parseUrl('?speed=max'));
  bindBridge(engine, store);
  store.getState().loadModel();
  engine.lastLoad.resolve(INFO);
  await flush();
  store.getState().setPrompt('What is 2 plus 2?');
});

describe('initial state', () => {
  it('has nothing to animate before a comparison', () => {
    expect(isAnimating(store.getState())).toBe(false);
  });

  it('a store reset to initialState has no comparison and an idle model', () => {
    store.setState(initialState);
    expect(store.getState().comparison).toBeNull();
    expect(store.getState().model.status).toBe('idle');
  });

  it('loads the model folder under the base URL', () => {
    expect(store.getState().model.status).toBe('ready');
    expect(store.getState().model.info?.name).toBe('test model');
  });
});

describe('cancel during loading', () => {
  /** A fresh load in progress, with some progress written through its callbacks. */
  function loading() {
    store.getState().loadModel();
    const job = engine.lastLoad;
    job.watch.onPhase?.('download', '4 files');
    job.watch.onFile?.({ file: 'onnx/model.onnx', loaded: 10, total: 100, verified: false, cached: false });
    return job;
  }

  it('aborts the load job and shows a cancelled load at once, not a stuck loading', () => {
    const job = loading();
    expect(store.getState().model).toMatchObject({ status: 'loading', phase: 'download', files: [{ loaded: 10 }] });
    store.getState().cancelLoad();
    expect(job.aborted).toBe(true);
    expect(store.getState().model).toMatchObject({ status: 'cancelled', phase: null, files: [], error: null });
  });

  it("ignores the cancelled load's late progress and its cancelled end", async () => {
    const job = loading();
    store.getState().cancelLoad();
    job.watch.onPhase?.('session', 'creating sessions');
    job.watch.onFile?.({ file: 'onnx/model.onnx', loaded: 100, total: 100, verified: true, cached: false });
    await flush();
    expect(store.getState().model).toMatchObject({ status: 'cancelled', phase: null, files: [] });
  });

  it('Load after a cancel starts a new load that reaches ready; the old load cannot overwrite it', async () => {
    const old = loading();
    store.getState().cancelLoad();
    store.getState().loadModel();
    const job = engine.lastLoad;
    expect(job).not.toBe(old);
    expect(store.getState().model.status).toBe('loading');
    old.resolve({ ...INFO, name: 'the cancelled load' });
    await flush();
    expect(store.getState().model.status).toBe('loading');
    job.resolve(INFO);
    await flush();
    expect(store.getState().model).toMatchObject({ status: 'ready', info: { name: 'test model' } });
  });

  it('a load that finished before the cancel reached the worker still counts as ready', async () => {
    // The engine answers the load before it hears of the abort: its value wins over the cancel.
    store.getState().loadModel();
    const job = engine.lastLoad;
    job.resolve(INFO);
    store.getState().cancelLoad();
    await flush();
    expect(store.getState().model.status).toBe('ready');
  });

  it('does nothing unless a load is in progress', () => {
    store.getState().cancelLoad(); // the model is ready
    expect(engine.lastLoad.aborted).toBe(false);
    expect(store.getState().model.status).toBe('ready');
  });
});

describe('load errors in words', () => {
  it('a file error starts with the file and its cause', () => {
    expect(
      loadErrorText({
        name: 'ModelFileError',
        message: 'onnx/model_q4.onnx: the server answered HTTP 500 Internal Server Error',
      }),
    ).toBe('onnx/model_q4.onnx: the server answered HTTP 500 Internal Server Error.');
    expect(
      loadErrorText({ name: 'ModelFileError', message: 'dllm.json: the server answered HTTP 404 Not Found' }),
    ).toBe('dllm.json: the server answered HTTP 404 Not Found.');
  });

  it('a manifest that does not parse is called malformed; a missing variant is not', () => {
    expect(
      loadErrorText({ name: 'ManifestError', message: 'dllm.json is not valid JSON: Unexpected end of JSON input' }),
    ).toBe('dllm.json is malformed (dllm.json is not valid JSON: Unexpected end of JSON input).');
    expect(loadErrorText({ name: 'ManifestError', message: 'model m has no variant "q2" (has fp32)' })).toBe(
      'model m has no variant "q2" (has fp32).',
    );
  });

  it('any other failure keeps its name', () => {
    expect(loadErrorText({ name: 'WorkerCrashedError', message: 'the model worker crashed: out of memory' })).toBe(
      'WorkerCrashedError: the model worker crashed: out of memory.',
    );
  });

  it('an error of the load in progress lands in the model state for the Retry', async () => {
    store.getState().loadModel();
    const error = {
      name: 'ModelFileError',
      message: 'onnx/model.onnx has 5 bytes of the 10 dllm.json lists: it is truncated',
    } as const;
    engine.lastLoad.reject(new WorkerError(error));
    await flush();
    expect(store.getState().model).toMatchObject({ status: 'error', error });
  });

  it('a crash reported while loading is a notice and a load error, and the model is loaded again', () => {
    store.getState().loadModel();
    const loads = engine.loads.length;
    engine.incident({ name: 'WorkerCrashedError', message: 'the model worker crashed: boom' });
    expect(store.getState().notices).toContain(
      'The model worker reported WorkerCrashedError: the model worker crashed: boom',
    );
    expect(engine.loads.length).toBe(loads + 1);
    expect(store.getState().model.status).toBe('loading');
  });
});

describe('a comparison', () => {
  const panes = () => store.getState().comparison?.panes ?? [];

  it('is one job: threshold, then learn2pd, then the reference check, each pane written by its index', async () => {
    const running = store.getState().runComparison();
    expect(engine.compares).toHaveLength(1);
    const job = engine.lastCompare;
    expect(job.options).toEqual({
      prompt: 'What is 2 plus 2?',
      canvas: { genLength: 8, blockLength: 8 },
      panes: [
        { decoder: 'threshold', eotp: true, tau: 0.9 }, // the same EoTP setting in both panes (spec §9)
        { decoder: 'learn2pd', eotp: true, tauFilter: 0.9 }, // the model's tauFilter
      ],
      reference: true,
      clockRuns: 3,
    });
    expect(panes().map((p) => p.state)).toEqual(['loading', 'loading']);
    job.watch.onPaneStart?.(0);
    expect(panes().map((p) => p.state)).toEqual(['running', 'loading']);
    job.watch.onStep?.(0, wireStep(0, [0]));
    job.watch.onStep?.(0, wireStep(1, [1, 2]));
    job.watch.onPaneDone?.(0, result(2, [2, 2]));
    expect(panes()[0]).toMatchObject({ state: 'done', events: [{ step: 0 }, { step: 1 }] });
    job.watch.onStep?.(0, wireStep(2, [3])); // a pane that is done takes no more steps
    expect(panes()[0].events).toHaveLength(2);

    job.watch.onPaneStart?.(1);
    job.watch.onStep?.(1, wireStep(0, [0, 1, 2]));
    job.watch.onPaneDone?.(1, result(1, [2, 2]));
    expect(store.getState().comparison?.reference.state).toBe('waiting');
    job.watch.onReference?.(result(8, [2, 2]));
    job.resolve();
    await running;
    const c = store.getState().comparison;
    expect(c?.status).toBe('done');
    expect(c?.reference).toMatchObject({ state: 'done', result: { nfe: 8 } });
    expect(c?.panes.map((p) => p.state)).toEqual(['done', 'done']);

    // Playback catches up and switches to replay at the last step; then the animation clock may sleep.
    expect(isAnimating(store.getState())).toBe(true);
    store.getState().tick(16);
    expect(store.getState().playback).toEqual({ mode: 'replay', step: 1, playing: false });
    expect(isAnimating(store.getState())).toBe(false);
  });

  it('a model the worker rebuilt for the job (a lost GPU) replaces the one the badge shows', () => {
    void store.getState().runComparison();
    engine.lastCompare.watch.onModel?.({ ...INFO, backend: 'wasm', fallbackReason: 'the WebGPU session failed (x)' });
    expect(store.getState().model).toMatchObject({
      status: 'ready',
      info: { backend: 'wasm', fallbackReason: 'the WebGPU session failed (x)' },
    });
  });

  it('cancel aborts the job and leaves no pane running', async () => {
    void store.getState().runComparison();
    const job = engine.lastCompare;
    job.watch.onPaneStart?.(0);
    job.watch.onStep?.(0, wireStep(0, [0]));
    store.getState().cancelComparison();
    expect(job.aborted).toBe(true);
    job.watch.onStep?.(0, wireStep(1, [1])); // in flight before the cancel landed
    await flush();
    const c = store.getState().comparison;
    expect(c?.status).toBe('cancelled');
    expect(c?.reference.state).toBe('cancelled');
    expect(c?.panes.map((p) => [p.state, p.cancelled, p.events.length])).toEqual([
      ['idle', true, 1],
      ['idle', true, 0],
    ]);
  });

  it('a pane that cannot run shows its error; the other panes run', async () => {
    const running = store.getState().runComparison();
    const job = engine.lastCompare;
    job.watch.onPaneStart?.(0);
    job.watch.onPaneDone?.(0, result(2, [2]));
    job.watch.onPaneStart?.(1);
    job.watch.onPaneError?.(1, { name: 'NoFilterError', message: 'no filter for block length 8' });
    job.resolve();
    await running;
    expect(store.getState().comparison?.status).toBe('done');
    expect(panes().map((p) => [p.state, p.error?.name ?? null])).toEqual([
      ['done', null],
      ['error', 'NoFilterError'],
    ]);
  });

  it('an error that ends the job ends the comparison with the error in every pane left', async () => {
    const running = store.getState().runComparison();
    engine.lastCompare.reject(
      new WorkerError({ name: 'PromptTooLongError', message: 'prompt is 80 tokens; at most 56' }),
    );
    await running;
    const c = store.getState().comparison;
    expect(c?.status).toBe('error');
    expect(c?.reference.state).toBe('error');
    expect(c?.panes.map((p) => [p.state, p.error?.name])).toEqual([
      ['error', 'PromptTooLongError'],
      ['error', 'PromptTooLongError'],
    ]);
  });

  it('refuses an empty prompt or impossible settings with a notice and starts nothing', async () => {
    store.getState().setPrompt('   ');
    await store.getState().runComparison();
    store.getState().setPrompt('hi');
    store.getState().setSetting('genLength', 12);
    await store.getState().runComparison();
    expect(engine.compares).toHaveLength(0);
    expect(store.getState().notices).toEqual([
      expect.stringContaining('prompt is empty'),
      expect.stringContaining('multiple of the block length'),
    ]);
  });

  it('a new run supersedes the running one: no crossed streams', async () => {
    void store.getState().runComparison();
    const first = engine.lastCompare;
    void store.getState().runComparison();
    const second = engine.lastCompare;
    expect(first.aborted).toBe(true);
    first.watch.onPaneStart?.(0);
    first.watch.onStep?.(0, wireStep(0, [0, 1]));
    second.watch.onPaneStart?.(0);
    second.watch.onStep?.(0, wireStep(0, [3]));
    expect(panes()[0].events.map((e) => e.committed.map((c) => c.pos))).toEqual([[3]]);
  });
});

describe('replay', () => {
  it('seek, step and play move one shared step within the recorded events', async () => {
    const running = store.getState().runComparison();
    const job = engine.lastCompare;
    for (const [pane, n] of [4, 2].entries()) {
      job.watch.onPaneStart?.(pane);
      for (let s = 0; s < n; s++) job.watch.onStep?.(pane, wireStep(s, [s]));
      job.watch.onPaneDone?.(pane, result(n, [2]));
    }
    job.watch.onReference?.(result(8, [2]));
    job.resolve();
    await running;
    store.getState().tick(16);
    const s = store.getState();
    s.seek(0);
    expect(store.getState().playback).toEqual({ mode: 'replay', step: 0, playing: false });
    s.stepBy(1);
    expect(store.getState().playback.step).toBe(1);
    s.seek(99);
    expect(store.getState().playback.step).toBe(3);
    expect(isAnimating(store.getState())).toBe(false);
    s.play(); // at the end: starts again from 0
    expect(store.getState().playback).toMatchObject({ step: 0, playing: true });
    expect(isAnimating(store.getState())).toBe(true);
    store.getState().tick(1000); // 'max' replays at 40 steps/s
    expect(store.getState().playback).toEqual({ mode: 'replay', step: 3, playing: false });
    expect(isAnimating(store.getState())).toBe(false);
  });
});

describe('the benchmark view', () => {
  it('runs the browser sweep on the settings EoTP and writes progress and the result', async () => {
    const running = store.getState().runBench();
    const job = engine.benches[0];
    expect(job.options.specs.every((spec) => spec.eotp === true)).toBe(true);
    job.watch.onProgress?.(3, 10);
    expect(store.getState().bench).toMatchObject({ status: 'running', done: 3, total: 10 });
    const report = {
      label: 'x',
      decoder: 'threshold',
      spec: { decoder: 'threshold', eotp: true, tau: 0.9 },
      n: 1,
      checked: 1,
      accuracy: 1,
      agreement: 1,
      meanNfe: 3,
      tokensPerSecond: 10,
      msPerStep: 1,
      nfeSpeedup: 2,
    } as const;
    job.resolve({ reference: report, reports: [report], ms: 10 });
    await running;
    expect(store.getState().bench).toMatchObject({ status: 'done', result: { ms: 10 } });
  });

  it('a benchmark whose worker is replaced (a crash) ends in an error, not a frozen progress bar', async () => {
    void store.getState().runBench();
    expect(store.getState().bench.status).toBe('running');
    engine.benches[0].reject(
      new WorkerError({ name: 'WorkerCrashedError', message: 'the model worker crashed: out of memory' }),
    );
    await flush();
    expect(store.getState().bench).toMatchObject({ status: 'error', error: { name: 'WorkerCrashedError' } });
  });

  it('switching the backend cancels a running benchmark and loads again', async () => {
    void store.getState().runBench();
    store.getState().setBackend('webgpu');
    expect(store.getState().bench.status).toBe('cancelled');
    expect(engine.benches[0].aborted).toBe(true);
    expect(engine.loads).toHaveLength(2);
  });
});
