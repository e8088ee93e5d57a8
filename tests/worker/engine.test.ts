// The engine over onnxruntime-node and the model folder, driven through the worker's message path (the client over
// an in-process port): load phases, one comparison per request with each pane's steps and time split, the reference
// decoded once, cancellation, errors by name, backend switches. The same engine runs in the Web Worker.
// Download faults: download-faults.test.ts.
import { describe, expect, it } from 'vitest';
import { type Canvas, configFor, type DecoderSpec, decode, requireFilter } from '../../src/core';
import { loadModel } from '../../src/runtime/model';
import { folderLoader, nodeOrt } from '../../src/runtime/node';
import type { CompareWatch, DllmEngine } from '../../src/worker/api';
import { DllmClient } from '../../src/worker/client';
import type { EngineDeps } from '../../src/worker/engine/deps';
import { createEngine } from '../../src/worker/engine/engine';
import { inProcessPort } from '../../src/worker/in-process';
import {
  isCancelled,
  type LoadPhase,
  type WireError,
  type WireResult,
  type WireStep,
  wasmThreads,
} from '../../src/worker/protocol';
import { HAS_TEST_FILTER, HAS_TEST_MODEL, TEST_MODEL_DIR } from './test-model';

function deps(probe: EngineDeps['probe'] = async () => ({ kind: 'none', reason: 'Node has no WebGPU' })): EngineDeps {
  return {
    probe,
    ortFor: () => nodeOrt,
    loaderFor: () => ({ load: folderLoader(TEST_MODEL_DIR) }),
    threads: (asked) => asked ?? 1,
  };
}

async function loadedClient() {
  const client = new DllmClient(inProcessPort(deps()));
  const phases: LoadPhase[] = [];
  const verified = new Set<string>();
  const info = await client.load(
    { modelUrl: 'file:', backend: 'auto', variant: null },
    { onPhase: (p) => phases.push(p), onFile: (f) => f.verified && verified.add(f.file) },
  );
  return { client, info, phases, verified };
}

interface PaneRecord {
  steps: WireStep[];
  result: WireResult | null;
  error: WireError | null;
}

/** A comparison of `panes`, each pane's steps and end recorded; `watch` adds to the callbacks. */
async function compareAll(
  engine: DllmEngine,
  prompt: string,
  canvas: Canvas,
  panes: DecoderSpec[],
  watch: CompareWatch = {},
  reference = false,
) {
  const records: PaneRecord[] = panes.map(() => ({ steps: [], result: null, error: null }));
  const checks: WireResult[] = [];
  await engine.compare(
    { prompt, canvas, panes, reference, clockRuns: 1 },
    {
      ...watch,
      onStep: (pane, step) => {
        records[pane].steps.push(step);
        watch.onStep?.(pane, step);
      },
      onPaneDone: (pane, result) => (records[pane].result = result),
      onPaneError: (pane, error) => (records[pane].error = error),
      onReference: (result) => checks.push(result),
    },
  );
  return { panes: records, reference: checks[0] ?? null };
}

describe.skipIf(!HAS_TEST_MODEL)(`engine over ${TEST_MODEL_DIR}`, () => {
  it('loads through the phases, falls back to WASM with the reason, reports every file verified', async () => {
    const { info, phases, verified } = await loadedClient();
    expect(info.backend).toBe('wasm');
    expect(info.fallbackReason).toBe('Node has no WebGPU');
    expect(info.vocab.length).toBeGreaterThan(100);
    expect(phases).toEqual(['probe', 'manifest', 'download', 'session', 'warmup']);
    expect(verified.size).toBe(info.totalFiles);
  });

  it('runs the panes of one request in turn, one step per forward, each with the answer of the core in Node', async () => {
    const { client, info } = await loadedClient();
    const canvas = { genLength: info.defaults.genLength, blockLength: info.defaults.blockLength };
    const prompt = 'What is 12 plus 7?';
    const specs: DecoderSpec[] = [
      { decoder: 'threshold', eotp: false, tau: 0.9 },
      ...(HAS_TEST_FILTER ? [{ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 } as const] : []),
    ];
    const started: number[] = [];
    const { panes } = await compareAll(client, prompt, canvas, specs, { onPaneStart: (p) => started.push(p) });
    expect(started).toEqual(specs.map((_, i) => i));
    const model = await loadModel(folderLoader(TEST_MODEL_DIR), nodeOrt);
    const ids = model.tokenizer.encodePrompt(prompt);
    for (const [i, spec] of specs.entries()) {
      const { steps, result } = panes[i];
      if (result === null) throw new Error(`pane ${i} did not finish`);
      expect(steps.length).toBe(result.nfe);
      expect(steps.map((s) => s.step)).toEqual(steps.map((_, k) => k));
      for (const s of steps) expect(s.forwardMs + s.filterMs).toBeLessThanOrEqual(s.ms + 1e-6);
      if (spec.decoder === 'learn2pd') expect(steps.some((s) => s.filterMs > 0)).toBe(true);
      const expected = await decode(
        ids,
        configFor(info, canvas, spec),
        model.denoiser,
        requireFilter(model.filters, 32).filter,
      );
      expect(Array.from(result.answerIds)).toEqual(Array.from(expected.answer));
      expect(result.nfe).toBe(expected.nfe);
    }
    await model.release();
  });

  it('decodes the reference once: for the check, then from the cache, or taken from a reference pane', async () => {
    const { client } = await loadedClient();
    const canvas = { genLength: 32, blockLength: 32 };
    const threshold = { decoder: 'threshold', eotp: false, tau: 0.9 } as const;
    const first = await compareAll(client, 'Sort: 3 1 2', canvas, [threshold], {}, true);
    const second = await compareAll(client, 'Sort: 3 1 2', canvas, [threshold], {}, true);
    expect(first.reference).toMatchObject({ cached: false, nfe: 32 });
    expect(second.reference).toMatchObject({ cached: true, nfe: 32 });
    expect(Array.from(second.reference?.answerIds ?? [])).toEqual(Array.from(first.reference?.answerIds ?? []));
    // A one-token-per-step pane is the reference: the check reuses it, as does the EGP oracle pane after it.
    const withPane = await compareAll(
      client,
      'Reverse: a b c',
      canvas,
      [
        { decoder: 'low_confidence', eotp: false },
        { decoder: 'egp_oracle', eotp: false },
      ],
      {},
      true,
    );
    expect(withPane.reference?.cached).toBe(true);
    expect(withPane.panes.map((p) => p.result?.nfe)).toEqual([32, expect.any(Number)]);
    expect(Array.from(withPane.reference?.answerIds ?? [])).toEqual(
      Array.from(withPane.panes[0].result?.answerIds ?? []),
    );
  });

  it('cancels between steps and then runs the next request', async () => {
    const { client } = await loadedClient();
    const canvas = { genLength: 64, blockLength: 32 };
    const abort = new AbortController();
    let seen = 0;
    const run = compareAll(client, 'Tell a story.', canvas, [{ decoder: 'low_confidence', eotp: false }], {
      signal: abort.signal,
      onStep: () => {
        seen++;
        if (seen === 3) abort.abort();
      },
    });
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCancelled(error)).toBe(true);
    expect(seen).toBeLessThan(64);
    const next = await compareAll(client, 'Tell a story.', canvas, [{ decoder: 'threshold', eotp: false, tau: 0.9 }]);
    expect(next.panes[0].result?.nfe).toBeGreaterThan(0);
  });

  it('refuses a prompt that is too long or empty, and a canvas the spec forbids, before any pane', async () => {
    const { client, info } = await loadedClient();
    const canvas = { genLength: 32, blockLength: 32 };
    const panes: DecoderSpec[] = [{ decoder: 'threshold', eotp: false, tau: 0.9 }];
    let started = 0;
    const watch = { onPaneStart: () => started++ };
    await expect(
      client.compare(
        { prompt: 'word '.repeat(info.maxPromptTokens * 2), canvas, panes, reference: false, clockRuns: 1 },
        watch,
      ),
    ).rejects.toMatchObject({ name: 'PromptTooLongError' });
    await expect(
      client.compare({ prompt: '   ', canvas, panes, reference: false, clockRuns: 1 }, watch),
    ).rejects.toMatchObject({
      name: 'PromptError',
    });
    await expect(
      client.compare(
        { prompt: 'hi', canvas: { genLength: 40, blockLength: 32 }, panes, reference: false, clockRuns: 1 },
        watch,
      ),
    ).rejects.toMatchObject({ name: 'ConfigError' });
    expect(started).toBe(0);
  });

  it('a pane no filter serves ends with NoFilterError; the other panes of the comparison run', async () => {
    const { client } = await loadedClient();
    const { panes } = await compareAll(client, 'hi', { genLength: 64, blockLength: 64 }, [
      { decoder: 'learn2pd', eotp: true, tauFilter: 0.96, filter: 'none-such' },
      { decoder: 'threshold', eotp: false, tau: 0.9 },
    ]);
    expect(panes[0].error).toMatchObject({
      name: 'NoFilterError',
      message: expect.stringContaining('no Learn2PD filter named "none-such"'),
    });
    expect(panes[1].result?.nfe).toBeGreaterThan(0);
  });

  it('times each finished pane again for the clock, the panes taking turns; a failed pane is not timed', async () => {
    const { client } = await loadedClient();
    const clocks: [number, number][] = [];
    const panes: DecoderSpec[] = [
      { decoder: 'threshold', eotp: false, tau: 0.9 },
      { decoder: 'learn2pd', eotp: true, tauFilter: 0.96, filter: 'none-such' },
      { decoder: 'factor', eotp: true, factor: 1 },
    ];
    let results: (WireResult | null)[] = [];
    await client.compare(
      { prompt: 'Sort: 3 1 2', canvas: { genLength: 64, blockLength: 64 }, panes, reference: false, clockRuns: 3 },
      {
        onClock: (pane, ms) => clocks.push([pane, ms]),
        onPaneDone: (pane, r) => (results = Object.assign([...results], { [pane]: r })),
      },
    );
    // The model has no filter of that name, so only panes 0 and 2 finish and are timed twice more each.
    expect(clocks.map(([pane]) => pane)).toEqual([0, 2, 0, 2]);
    for (const [, ms] of clocks) expect(ms).toBeGreaterThan(0);
    expect(results[0]?.ms).toBeGreaterThan(0);
  });

  it('runs a small benchmark and reports progress', async () => {
    const { client } = await loadedClient();
    const progress: number[] = [];
    const result = await client.bench(
      {
        prompts: [
          { prompt: 'What is 2 plus 2?', family: 'arithmetic', answer: 'The answer is 4.' },
          { prompt: 'Spell cat.', family: null, answer: null },
        ],
        canvas: { genLength: 32, blockLength: 32 },
        specs: [
          { decoder: 'threshold', eotp: false, tau: 0.9 },
          ...(HAS_TEST_FILTER ? [{ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 } as const] : []),
        ],
      },
      { onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([1, 2]);
    expect(result.reports.map((r) => r.decoder)).toEqual(HAS_TEST_FILTER ? ['threshold', 'learn2pd'] : ['threshold']);
    expect(result.reference.meanNfe).toBe(32);
  });

  it('the engine in this thread answers as the one behind messages does', async () => {
    const engine = createEngine(deps());
    await engine.load({ modelUrl: 'file:', backend: 'wasm', variant: null });
    const spec = [{ decoder: 'threshold', eotp: false, tau: 0.9 } as const];
    const direct = await compareAll(engine, 'What is 12 plus 7?', { genLength: 32, blockLength: 32 }, spec);
    const { client } = await loadedClient();
    const viaMessages = await compareAll(client, 'What is 12 plus 7?', { genLength: 32, blockLength: 32 }, spec);
    expect(direct.panes[0].result?.nfe).toBeGreaterThan(0);
    expect(Array.from(direct.panes[0].result?.answerIds ?? [])).toEqual(
      Array.from(viaMessages.panes[0].result?.answerIds ?? []),
    );
    expect(direct.panes[0].steps.length).toBe(viaMessages.panes[0].steps.length);
  });
});

describe('engine without a model', () => {
  it('answers a comparison or a token count before any load with NotReadyError', async () => {
    const client = new DllmClient(inProcessPort(deps()));
    await expect(
      client.compare({
        prompt: 'hi',
        canvas: { genLength: 32, blockLength: 32 },
        panes: [{ decoder: 'low_confidence', eotp: false }],
        reference: false,
        clockRuns: 1,
      }),
    ).rejects.toMatchObject({
      name: 'NotReadyError',
    });
    await expect(client.countTokens('hi')).rejects.toMatchObject({ name: 'NotReadyError' });
  });

  it('names the file when the model folder cannot be read', async () => {
    const client = new DllmClient(
      inProcessPort({ ...deps(), loaderFor: () => ({ load: folderLoader('/nonexistent-model-folder') }) }),
    );
    await expect(client.load({ modelUrl: 'file:', backend: 'wasm', variant: null })).rejects.toMatchObject({
      name: 'ModelFileError',
      message: expect.stringContaining('dllm.json'),
    });
  });
});

describe('runtime start and backend switches', () => {
  it('starts the runtime for the backend the probe picked, before dllm.json is read', async () => {
    const events: string[] = [];
    const loaderFor: EngineDeps['loaderFor'] = () => ({
      load: async (path) => {
        events.push(`read ${path}`);
        throw new Error('no folder here');
      },
    });
    const gpu: EngineDeps['probe'] = async () => ({ kind: 'webgpu', adapter: 'test adapter', isFallback: false });
    for (const [backend, probe, want] of [
      ['auto', gpu, 'webgpu'],
      ['auto', undefined, 'wasm'],
      ['wasm', gpu, 'wasm'],
    ] as const) {
      events.length = 0;
      const client = new DllmClient(
        inProcessPort({ ...deps(probe), loaderFor, startRuntime: (b) => events.push(`start ${b}`) }),
      );
      await expect(client.load({ modelUrl: 'file:', backend, variant: null })).rejects.toMatchObject({
        message: expect.stringContaining('dllm.json'),
      });
      expect(events).toEqual([`start ${want}`, 'read dllm.json']);
    }
  });

  it("passes over a software adapter on 'auto' (with the reason) and takes it when WebGPU is chosen", async () => {
    const swiftshader: EngineDeps['probe'] = async () => ({
      kind: 'webgpu',
      adapter: 'Google SwiftShader',
      isFallback: true,
    });
    const started: string[] = [];
    const engine = () => createEngine({ ...deps(swiftshader), startRuntime: (b) => started.push(b) });
    const auto = await engine().load({ modelUrl: 'file:', backend: 'auto', variant: null });
    expect(auto.backend).toBe('wasm');
    expect(auto.fallbackReason).toContain('software fallback (Google SwiftShader)');
    const chosen = await engine().load({ modelUrl: 'file:', backend: 'webgpu', variant: null });
    expect(chosen).toMatchObject({ backend: 'webgpu', adapter: 'Google SwiftShader', fallbackReason: null });
    expect(started).toEqual(['wasm', 'webgpu']);
  });

  it('gives a load switching to or from WASM a new worker (its onnxruntime build follows the first backend)', async () => {
    let ports = 0;
    const make = inProcessPort({ ...deps(), loaderFor: () => ({ load: folderLoader('/nonexistent-model-folder') }) });
    const client = new DllmClient(() => {
      ports++;
      return make();
    });
    const load = (backend: 'auto' | 'wasm' | 'webgpu') =>
      client.load({ modelUrl: 'file:', backend, variant: null }).catch(() => undefined);
    await load('auto');
    await load('auto');
    await load('webgpu'); // probes like 'auto': the same build serves it
    expect(ports).toBe(1);
    await load('wasm');
    expect(ports).toBe(2);
    await load('wasm');
    await load('webgpu');
    expect(ports).toBe(3);
    await load('auto');
    expect(ports).toBe(3);
  });

  it("decides by the build the worker reports: forcing WASM after 'auto' fell back to the WASM-only build keeps it", async () => {
    let ports = 0;
    let started: 'webgpu' | 'wasm' | null = null; // one runtime per worker, like a browser worker's realm
    let gpu = false;
    const probe: EngineDeps['probe'] = async () =>
      gpu ? { kind: 'webgpu', adapter: 'test adapter', isFallback: false } : { kind: 'none', reason: 'no adapter' };
    const make = inProcessPort({
      ...deps(probe),
      ortFor: () => nodeOrt, // Node runs both "backends" on its CPU EP
      startRuntime: (b) => {
        started ??= b;
      },
      runtimeBuild: () => started,
    });
    const client = new DllmClient(() => {
      ports++;
      started = null;
      return make();
    });
    const load = async (backend: 'auto' | 'wasm' | 'webgpu') =>
      client.load({ modelUrl: 'file:', backend, variant: null });
    expect((await load('auto')).runtime).toBe('wasm'); // no adapter: the WASM-only build
    await load('wasm');
    await load('auto'); // this worker's probe found no adapter: probing again would find none
    expect(ports).toBe(1);
    gpu = true;
    expect((await load('webgpu')).runtime).toBe('webgpu'); // an explicit WebGPU retry gets a fresh worker
    expect(ports).toBe(2);
    await load('wasm'); // the WebGPU build would run WASM slower
    expect(ports).toBe(3);
    client.dispose();
  });
});

describe('WebAssembly threads', () => {
  it('one on a page that is not cross-origin isolated; else what was asked, or half the cores (at most 4)', () => {
    expect(wasmThreads(4, false, 16)).toBe(1);
    expect(wasmThreads(null, true, 2)).toBe(1);
    expect(wasmThreads(null, true, 4)).toBe(2);
    expect(wasmThreads(null, true, 16)).toBe(4);
    expect(wasmThreads(3, true, 2)).toBe(3);
  });

  it.skipIf(!HAS_TEST_MODEL)('a load that asks for a thread count gets it; a new count gets a new worker', async () => {
    const asked: (number | null)[] = [];
    let workers = 0;
    const client = new DllmClient(() => {
      workers++;
      return inProcessPort({ ...deps(), threads: (n) => (asked.push(n), n ?? 1) })();
    });
    const load = { modelUrl: 'x/', backend: 'wasm' as const, variant: null };
    expect((await client.load({ ...load, threads: 3 })).threads).toBe(3);
    expect((await client.load({ ...load, threads: 3 })).threads).toBe(3);
    expect(workers).toBe(1);
    expect((await client.load(load)).threads).toBe(1);
    expect(workers).toBe(2);
    expect(asked).toEqual([3, 3, null]);
    client.dispose();
  });
});
