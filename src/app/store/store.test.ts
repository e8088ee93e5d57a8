// The store with a scripted worker client: the comparison runs its panes one after the other, the bridge writes
// each run's messages by runId (stale runs are ignored), cancel leaves no pane running, errors land in the pane
// they belong to, and playback follows the recorded events.
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunOptions, RunOutcome, Started } from '../../worker/client';
import { WorkerError, type ModelInfo, type WireResult, type WireStep, type WorkerMessage } from '../../worker/protocol';
import { bindBridge } from '../bridge';
import { parseUrl } from '../url';
import { createAppStore, initialState, isAnimating } from '.';
import { loadErrorText } from './model-slice';
import type { AppClient, AppStore } from './types';

interface PendingRun {
  runId: string;
  options: RunOptions;
  resolve(outcome: RunOutcome): void;
  reject(error: Error): void;
}

/** A client whose worker is the test: it records requests, and `emit` delivers messages like the real one. */
class ScriptedClient implements AppClient {
  runs: PendingRun[] = [];
  cancelled: string[] = [];
  loads = 0;
  private listeners = new Set<(m: WorkerMessage) => void>();
  private seq = 0;

  subscribe(listener: (m: WorkerMessage) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(message: WorkerMessage) {
    for (const l of this.listeners) l(message);
    const run = this.runs.find((r) => r.runId === message.runId);
    if (!run) return;
    if (message.type === 'done') run.resolve({ kind: 'done', result: message.result });
    if (message.type === 'cancelled') run.resolve({ kind: 'cancelled' });
    if (message.type === 'error') run.reject(new WorkerError(message.error));
  }
  load(): Started<ModelInfo> {
    this.loads++;
    return { runId: `load-${++this.seq}`, done: new Promise<ModelInfo>(() => undefined) };
  }
  run(options: RunOptions): Started<RunOutcome> {
    const runId = `run-${++this.seq}`;
    const done = new Promise<RunOutcome>((resolve, reject) => this.runs.push({ runId, options, resolve, reject }));
    return { runId, done };
  }
  tokenize() {
    return Promise.resolve({ tokens: 5, max: 56 });
  }
  benches: { runId: string; reject(error: Error): void }[] = [];
  bench(): Started<null> {
    const runId = `bench-${++this.seq}`;
    const done = new Promise<null>((_, reject) => this.benches.push({ runId, reject }));
    return { runId, done };
  }
  cancel(runId: string) {
    this.cancelled.push(runId);
  }
}

const INFO: ModelInfo = {
  id: 'm',
  name: 'test model',
  variant: 'fp32',
  variants: ['fp32'],
  backend: 'wasm',
  adapter: null,
  fallbackReason: null,
  threads: 1,
  runtime: null,
  maskId: 1,
  eosId: 0,
  maxPromptTokens: 56,
  defaults: { genLength: 8, blockLength: 8 },
  filters: [{ blockLength: 8, tauFilter: 0.9 }],
  vocab: ['<eos>', '[MASK]', 'a', 'b', 'c'],
  loadMs: 1,
  warmupMs: 1,
  cachedFiles: 0,
  totalFiles: 4,
};

function wireStep(step: number, committed: number[]): WireStep {
  return {
    step,
    blockStart: 0,
    committed: committed.map((pos) => ({ pos, token: 2 })),
    guesses: new Int32Array(8).fill(2),
    conf: new Float32Array(8).fill(0.5),
    cutAt: null,
    ms: 5,
    forwardMs: 4,
    readbackMs: 0,
    filterMs: 0,
  };
}

function result(nfe: number, answer: number[]): WireResult {
  return { answerIds: Int32Array.from(answer), answerText: answer.join(' '), nfe, ms: nfe * 5, forwardMs: nfe * 4, readbackMs: 0, filterMs: 0, promptTokens: 4, canvasLength: 8, cached: false, memory: { createdTensors: 0, liveTensors: 0, jsHeapBytes: null, wasmBytes: null } };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

let client: ScriptedClient;
let store: AppStore;

beforeEach(() => {
  client = new ScriptedClient();
  store = createAppStore({ client, baseUrl: 'http://localhost/app/' }, parseUrl('?speed=max'));
  bindBridge(client, store);
  store.getState().loadModel();
  const runId = store.getState().model.runId ?? '';
  client.emit({ type: 'ready', runId, info: INFO });
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
  /** A fresh load in progress, with some progress written by the bridge. */
  function loading(): string {
    store.getState().loadModel();
    const runId = store.getState().model.runId ?? '';
    client.emit({ type: 'load-phase', runId, phase: 'download', detail: '4 files' });
    client.emit({ type: 'load-file', runId, file: 'onnx/model.onnx', loaded: 10, total: 100, verified: false, cached: false });
    return runId;
  }

  it('tells the worker the load runId and shows a cancelled load at once, not a stuck loading', () => {
    const runId = loading();
    expect(store.getState().model.status).toBe('loading');
    store.getState().cancelLoad();
    expect(client.cancelled).toEqual([runId]);
    expect(store.getState().model).toMatchObject({ status: 'cancelled', runId, phase: null, files: [], error: null });
  });

  it("ignores the cancelled load's late progress and its cancelled answer", () => {
    const runId = loading();
    store.getState().cancelLoad();
    client.emit({ type: 'load-phase', runId, phase: 'session', detail: 'creating sessions' });
    client.emit({ type: 'load-file', runId, file: 'onnx/model.onnx', loaded: 100, total: 100, verified: true, cached: false });
    client.emit({ type: 'cancelled', runId });
    expect(store.getState().model).toMatchObject({ status: 'cancelled', phase: null, files: [] });
  });

  it('Load after a cancel starts a new load that reaches ready; the old load cannot overwrite it', () => {
    const old = loading();
    store.getState().cancelLoad();
    store.getState().loadModel();
    const runId = store.getState().model.runId ?? '';
    expect(runId).not.toBe(old);
    expect(store.getState().model.status).toBe('loading');
    client.emit({ type: 'cancelled', runId: old });
    client.emit({ type: 'ready', runId: old, info: { ...INFO, name: 'the cancelled load' } });
    expect(store.getState().model.status).toBe('loading');
    client.emit({ type: 'ready', runId, info: INFO });
    expect(store.getState().model).toMatchObject({ status: 'ready', info: { name: 'test model' } });
  });

  it('a load that finished before the cancel reached the worker still counts as ready', () => {
    const runId = loading();
    store.getState().cancelLoad();
    client.emit({ type: 'ready', runId, info: INFO });
    expect(store.getState().model.status).toBe('ready');
  });

  it('does nothing unless a load is in progress', () => {
    store.getState().cancelLoad(); // the model is ready
    expect(client.cancelled).toEqual([]);
    expect(store.getState().model.status).toBe('ready');
  });
});

describe('load errors in words', () => {
  it('a file error starts with the file and its cause', () => {
    expect(loadErrorText({ name: 'ModelFileError', message: 'onnx/model_q4.onnx: the server answered HTTP 500 Internal Server Error' })).toBe(
      'onnx/model_q4.onnx: the server answered HTTP 500 Internal Server Error.',
    );
    expect(loadErrorText({ name: 'ModelFileError', message: 'dllm.json: the server answered HTTP 404 Not Found' })).toBe(
      'dllm.json: the server answered HTTP 404 Not Found.',
    );
  });

  it('a manifest that does not parse is called malformed; a missing variant is not', () => {
    expect(loadErrorText({ name: 'ManifestError', message: 'dllm.json is not valid JSON: Unexpected end of JSON input' })).toBe(
      'dllm.json is malformed (dllm.json is not valid JSON: Unexpected end of JSON input).',
    );
    expect(loadErrorText({ name: 'ManifestError', message: 'model m has no variant "q2" (has fp32)' })).toBe('model m has no variant "q2" (has fp32).');
  });

  it('any other failure keeps its name', () => {
    expect(loadErrorText({ name: 'WorkerCrashedError', message: 'the model worker crashed: out of memory' })).toBe('WorkerCrashedError: the model worker crashed: out of memory.');
  });

  it('an error of the load in progress lands in the model state for the Retry', () => {
    store.getState().loadModel();
    const runId = store.getState().model.runId ?? '';
    const error = { name: 'ModelFileError', message: 'onnx/model.onnx has 5 bytes of the 10 dllm.json lists: it is truncated' };
    client.emit({ type: 'error', runId, error });
    expect(store.getState().model).toMatchObject({ status: 'error', error });
  });
});

describe('a comparison', () => {
  it('runs threshold, then learn2pd, then the reference check, writing events by runId', async () => {
    const running = store.getState().runComparison();
    await flush();
    expect(client.runs).toHaveLength(1);
    expect(client.runs[0].options.decoder).toEqual({ decoder: 'threshold', eotp: false, tau: 0.9 });
    const [threshold] = client.runs;
    const panes = () => store.getState().comparison?.panes ?? [];
    expect(panes().map((p) => p.state)).toEqual(['running', 'loading']);

    client.emit({ type: 'step', runId: threshold.runId, event: wireStep(0, [0]) });
    client.emit({ type: 'step', runId: 'run-stale', event: wireStep(0, [0, 1, 2]) }); // another run's stream: ignored
    client.emit({ type: 'step', runId: threshold.runId, event: wireStep(1, [1, 2]) });
    client.emit({ type: 'done', runId: threshold.runId, result: result(2, [2, 2]) });
    await flush();
    expect(panes()[0]).toMatchObject({ state: 'done', events: [{ step: 0 }, { step: 1 }] });

    const learn2pd = client.runs[1];
    expect(learn2pd.options.decoder).toEqual({ decoder: 'learn2pd', eotp: true, tauFilter: 0.9 }); // the model's tauFilter
    client.emit({ type: 'step', runId: learn2pd.runId, event: wireStep(0, [0, 1, 2]) });
    client.emit({ type: 'done', runId: learn2pd.runId, result: result(1, [2, 2]) });
    await flush();

    const reference = client.runs[2];
    expect(reference.options).toMatchObject({ decoder: { decoder: 'low_confidence', eotp: false }, stream: false });
    client.emit({ type: 'done', runId: reference.runId, result: result(8, [2, 2]) });
    await running;
    const c = store.getState().comparison;
    expect(c?.status).toBe('done');
    expect(c?.reference.state).toBe('done');
    expect(c?.panes.map((p) => p.state)).toEqual(['done', 'done']);

    // Playback catches up and switches to replay at the last step; then the animation clock may sleep.
    expect(isAnimating(store.getState())).toBe(true);
    store.getState().tick(16);
    expect(store.getState().playback).toEqual({ mode: 'replay', step: 1, playing: false });
    expect(isAnimating(store.getState())).toBe(false);
  });

  it('cancel leaves no pane running and tells the worker', async () => {
    void store.getState().runComparison();
    await flush();
    const [threshold] = client.runs;
    client.emit({ type: 'step', runId: threshold.runId, event: wireStep(0, [0]) });
    store.getState().cancelComparison();
    expect(client.cancelled).toEqual([threshold.runId]);
    client.emit({ type: 'step', runId: threshold.runId, event: wireStep(1, [1]) }); // in flight before the cancel landed
    client.emit({ type: 'cancelled', runId: threshold.runId });
    await flush();
    const c = store.getState().comparison;
    expect(c?.status).toBe('cancelled');
    expect(c?.panes.map((p) => [p.state, p.cancelled, p.events.length])).toEqual([
      ['idle', true, 1],
      ['idle', true, 0],
    ]);
    expect(client.runs).toHaveLength(1); // learn2pd never started
  });

  it('a prompt error ends the comparison with the error in every pane', async () => {
    const running = store.getState().runComparison();
    await flush();
    client.emit({ type: 'error', runId: client.runs[0].runId, error: { name: 'PromptTooLongError', message: 'prompt is 80 tokens; at most 56' } });
    await running;
    const c = store.getState().comparison;
    expect(c?.status).toBe('error');
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
    expect(client.runs).toHaveLength(0);
    expect(store.getState().notices).toEqual([expect.stringContaining('prompt is empty'), expect.stringContaining('multiple of the block length')]);
  });

  it('a new run supersedes the running one: no crossed streams', async () => {
    void store.getState().runComparison();
    await flush();
    const first = client.runs[0];
    void store.getState().runComparison();
    await flush();
    expect(client.cancelled).toContain(first.runId);
    const second = client.runs[1];
    client.emit({ type: 'step', runId: first.runId, event: wireStep(0, [0, 1]) });
    client.emit({ type: 'step', runId: second.runId, event: wireStep(0, [3]) });
    const pane = store.getState().comparison?.panes[0];
    expect(pane?.runId).toBe(second.runId);
    expect(pane?.events.map((e) => e.committed.map((c) => c.pos))).toEqual([[3]]);
  });
});

describe('replay', () => {
  it('seek, step and play move one shared step within the recorded events', async () => {
    const running = store.getState().runComparison();
    await flush();
    for (const [i, pane] of [0, 1].entries()) {
      const run = client.runs[i];
      const n = pane === 0 ? 4 : 2;
      for (let s = 0; s < n; s++) client.emit({ type: 'step', runId: run.runId, event: wireStep(s, [s]) });
      client.emit({ type: 'done', runId: run.runId, result: result(n, [2]) });
      await flush();
    }
    client.emit({ type: 'done', runId: client.runs[2].runId, result: result(8, [2]) });
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
  it('a benchmark whose worker is replaced (a crash) ends in an error, not a frozen progress bar', async () => {
    void store.getState().runBench();
    expect(store.getState().bench.status).toBe('running');
    const crash = new Error('the model worker crashed: out of memory');
    crash.name = 'WorkerCrashedError';
    client.benches[0].reject(crash);
    await flush();
    expect(store.getState().bench).toMatchObject({ status: 'error', error: { name: 'WorkerCrashedError' } });
  });

  it('switching the backend cancels a running benchmark and tells the worker', async () => {
    void store.getState().runBench();
    const { runId } = store.getState().bench;
    store.getState().setBackend('webgpu');
    expect(store.getState().bench.status).toBe('cancelled');
    expect(client.cancelled).toContain(runId);
    expect(client.loads).toBe(2);
  });
});
