// Faults the engine must survive, on the real model over onnxruntime-node: a GPU device lost mid-run (the run
// ends with DeviceLostError, the next run rebuilds the sessions), prompts a classroom will type (blank, control
// characters, right-to-left, emoji, a 1 MB paste), and no onnxruntime tensor left alive after any of it.
import { describe, expect, it } from 'vitest';
import type { Canvas, DecoderSpec } from '../../src/core';
import { folderLoader, nodeOrt } from '../../src/runtime/node';
import type { OrtApi } from '../../src/runtime/ort';
import type { CompareWatch, DllmEngine } from '../../src/worker/api';
import { DllmClient } from '../../src/worker/client';
import type { EngineDeps, EngineOrt, LosableDevice } from '../../src/worker/engine/deps';
import { inProcessPort } from '../../src/worker/in-process';
import { MAX_PROMPT_CHARS, type WireResult, type WorkerMessage } from '../../src/worker/protocol';
import { serveEngine } from '../../src/worker/serve';
import { HAS_TEST_FILTER, HAS_TEST_MODEL, TEST_MODEL_DIR } from './test-model';

/** A GPU device whose loss the test triggers. */
function fakeDevice() {
  let lose: (info: { message: string; reason: string | undefined }) => void = () => undefined;
  const device: LosableDevice = { lost: new Promise((resolve) => (lose = resolve)) };
  return { device, lose };
}

/** Engine deps that claim WebGPU (onnxruntime-node's CPU EP does the work) and count session creations. */
function gpuDeps() {
  const devices: ReturnType<typeof fakeDevice>[] = [];
  let sessions = 0;
  /** Set to make every later WebGPU session fail (a GPU that does not come back). */
  const gpu = { broken: false };
  const ortFor = (backend: 'webgpu' | 'wasm'): EngineOrt => {
    const d = fakeDevice();
    devices.push(d);
    const api: OrtApi = {
      ...nodeOrt,
      createSession: (bytes, kind) => {
        sessions++;
        if (gpu.broken && backend === 'webgpu') return Promise.reject(new Error('no GPU device'));
        return nodeOrt.createSession(bytes, kind);
      },
    };
    return { ...api, gpuDevice: async () => d.device };
  };
  const deps: EngineDeps = {
    probe: async () => ({ kind: 'webgpu', adapter: 'test adapter', isFallback: false }),
    ortFor,
    loaderFor: () => ({ load: folderLoader(TEST_MODEL_DIR) }),
    threads: () => 1,
  };
  return { deps, devices, gpu, sessions: () => sessions };
}

async function loaded(deps: EngineDeps) {
  const client = new DllmClient(inProcessPort(deps));
  const info = await client.load({ modelUrl: 'file:', backend: 'auto', variant: null });
  return { client, info };
}

const CANVAS = { genLength: 64, blockLength: 32 };
const THRESHOLD = { decoder: 'threshold', eotp: false, tau: 0.9 } as const;

/** A one-pane comparison's result (its pane error thrown as an Error of that name). */
async function runDone(
  client: DllmClient,
  prompt: string,
  canvas: Canvas,
  spec: DecoderSpec,
  watch: CompareWatch = {},
): Promise<WireResult> {
  let result: WireResult | null = null;
  let failed: Error | null = null;
  await client.compare(
    { prompt, canvas, panes: [spec], reference: false, clockRuns: 1 },
    {
      ...watch,
      onPaneDone: (_, r) => (result = r),
      onPaneError: (_, e) => (failed = Object.assign(new Error(e.message), { name: e.name })),
    },
  );
  if (failed) throw failed;
  if (result === null) throw new Error('the pane did not finish');
  return result;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected the run to fail');
}

describe.skipIf(!HAS_TEST_MODEL)('GPU device lost', () => {
  it('ends the running decode with DeviceLostError; the next run rebuilds the sessions and answers', async () => {
    const { deps, devices, sessions } = gpuDeps();
    const { client, info } = await loaded(deps);
    expect(info.backend).toBe('webgpu');
    const before = await runDone(client, 'What is 12 plus 7?', CANVAS, THRESHOLD);
    const sessionsBefore = sessions();

    // One token per step over 64 slots: long enough for the loss to land mid-run.
    const lowConfidence = { decoder: 'low_confidence', eotp: false } as const;
    let steps = 0;
    const lost = runDone(client, 'Spell the word garden.', CANVAS, lowConfidence, {
      onStep: () => {
        steps++;
        if (steps === 2) devices[devices.length - 1].lose({ message: 'the test reset the GPU', reason: 'unknown' });
      },
    });
    const error = await failure(lost);
    expect(error.name).toBe('DeviceLostError');
    expect(error.message).toContain('the test reset the GPU');
    expect(steps).toBeGreaterThanOrEqual(2);
    expect(steps).toBeLessThan(CANVAS.genLength);

    const after = await runDone(client, 'What is 12 plus 7?', CANVAS, THRESHOLD);
    expect(sessions()).toBeGreaterThan(sessionsBefore); // rebuilt, not the dead sessions reused
    expect(Array.from(after.answerIds)).toEqual(Array.from(before.answerIds));
    expect(after.memory.liveTensors).toBe(0);
  });
});

describe.skipIf(!HAS_TEST_MODEL)('GPU device lost for good', () => {
  it('the rebuild falls back to WASM and the next job says which model runs now', async () => {
    const { deps, devices, gpu } = gpuDeps();
    const { client, info } = await loaded(deps);
    expect(info.backend).toBe('webgpu');
    gpu.broken = true;
    devices[devices.length - 1].lose({ message: 'the GPU went away', reason: 'unknown' });
    await new Promise((r) => setTimeout(r, 0));
    const rebuilt: string[] = [];
    await runDone(client, 'What is 12 plus 7?', CANVAS, THRESHOLD, { onModel: (m) => rebuilt.push(m.backend) });
    expect(rebuilt).toEqual(['wasm']);
    // Once rebuilt, jobs run on it without another rebuild.
    await runDone(client, 'What is 12 plus 7?', CANVAS, THRESHOLD, { onModel: (m) => rebuilt.push(m.backend) });
    expect(rebuilt).toEqual(['wasm']);
  });
});

describe.skipIf(!HAS_TEST_MODEL)('prompts a class will type', () => {
  it('refuses blank prompts by name and decodes control characters, right-to-left text and emoji', async () => {
    const { client, info } = await loaded({ ...gpuDeps().deps, probe: async () => ({ kind: 'none', reason: 'test' }) });
    for (const blank of ['', '   ', '\n\t  \n']) {
      const error = await failure(runDone(client, blank, CANVAS, THRESHOLD));
      expect(error.name).toBe('PromptError');
      expect(error.message).toContain('empty');
    }
    // Byte-level BPE encodes any text; the model answers (nonsense is fine) and the answer is a plain string.
    for (const odd of [
      'What is 2\u0000 plus \u0007 3?',
      'ما هو ١٢ زائد ٧؟',
      'Sort 🐍 🦀 🐘',
      '\u202Eevil\u202C reversed?',
      'Ünïcödé 数字 ٣',
    ]) {
      const tokens = await client.countTokens(odd);
      if (tokens.tokens > tokens.max) {
        const error = await failure(runDone(client, odd, CANVAS, THRESHOLD));
        expect(error.name).toBe('PromptTooLongError');
        continue;
      }
      const result = await runDone(client, odd, CANVAS, THRESHOLD);
      expect(typeof result.answerText).toBe('string');
      expect(result.nfe).toBeGreaterThan(0);
    }
    // Too long for the model: the message says how much is allowed.
    const long = 'count the apples and the pears '.repeat(10);
    const error = await failure(runDone(client, long, CANVAS, THRESHOLD));
    expect(error.name).toBe('PromptTooLongError');
    expect(error.message).toContain(`at most ${info.maxPromptTokens}`);
  });

  it('answers a 1 MB paste with a schema error at once, and keeps working', async () => {
    const { client } = await loaded({ ...gpuDeps().deps, probe: async () => ({ kind: 'none', reason: 'test' }) });
    const huge = 'x'.repeat(1 << 20);
    const t0 = performance.now();
    const error = await failure(runDone(client, huge, CANVAS, THRESHOLD));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(error.name).toBe('SchemaError');
    expect(error.message).toContain(String(MAX_PROMPT_CHARS));
    const result = await runDone(client, 'What is 12 plus 7?', CANVAS, THRESHOLD);
    expect(result.nfe).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAS_TEST_MODEL)('onnxruntime tensors', () => {
  it('none stays alive after finished, cancelled and failed runs of every decoder', async () => {
    const { client } = await loaded({ ...gpuDeps().deps, probe: async () => ({ kind: 'none', reason: 'test' }) });
    const prompt = 'Reverse the list: red, green, blue.';
    const decoders = [
      THRESHOLD,
      { decoder: 'low_confidence', eotp: true } as const,
      ...(HAS_TEST_FILTER ? [{ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 } as const] : []),
    ];
    let created = 0;
    for (const decoder of decoders) {
      const result = await runDone(client, prompt, CANVAS, decoder);
      // Per forward: the input ids and the two outputs (top1, conf); per filter call: its input and output.
      expect(result.memory.createdTensors).toBeGreaterThanOrEqual(created + 3 * result.nfe);
      expect(result.memory.liveTensors).toBe(0);
      created = result.memory.createdTensors;
    }
    // A cancelled run and a failed one, then a check that nothing they made is still alive.
    const abort = new AbortController();
    const cancelled = runDone(
      client,
      prompt,
      { genLength: 128, blockLength: 32 },
      { decoder: 'low_confidence', eotp: false },
      { signal: abort.signal, onStep: () => abort.abort() },
    );
    expect((await failure(cancelled)).name).toBe('DecodeCancelledError');
    await failure(runDone(client, 'apples and pears '.repeat(20), CANVAS, THRESHOLD));
    const last = await runDone(client, prompt, CANVAS, THRESHOLD);
    expect(last.memory.liveTensors).toBe(0);
    expect(last.memory.createdTensors).toBeGreaterThan(created);
  });
});

/** A client over scripted ports: the test makes each port speak or crash. */
function scriptedPorts() {
  const ports: {
    posted: string[];
    runIds: string[];
    say: (data: unknown) => void;
    crash: (message: string) => void;
    terminated: boolean;
  }[] = [];
  const client = new DllmClient(() => {
    const port = {
      posted: [] as string[],
      runIds: [] as string[],
      say: (_data: unknown) => undefined as void,
      crash: (_message: string) => undefined as void,
      terminated: false,
    };
    ports.push(port);
    return {
      post: (request) => {
        port.posted.push(request.type);
        port.runIds.push(request.runId);
      },
      listen: (onData, onCrash) => {
        port.say = onData;
        port.crash = onCrash;
      },
      terminate: () => (port.terminated = true),
    };
  });
  return { client, ports };
}

/** What a worker that has started says first in these tests: a message of no job. */
const HELLO = { type: 'error', runId: null, error: { name: 'InternalError', message: 'hello' } };
const LOAD = { modelUrl: 'x/', backend: 'wasm', variant: null } as const;

describe('a crashed worker', () => {
  it('is replaced before anyone hears of the crash, so a reload reaches the new worker; pending jobs fail', async () => {
    const { client, ports } = scriptedPorts();
    const pending = client.load(LOAD);
    ports[0].say(HELLO); // it ran: a crash now is a crash, not a script that never loaded
    const heard: string[] = [];
    client.onIncident((error) => {
      heard.push(`${error.name}: ${error.message}`);
      void client.load(LOAD).catch(() => undefined); // what the app's bridge does
    });
    ports[0].crash('boom');
    expect(heard).toEqual(['WorkerCrashedError: the model worker crashed: boom']);
    expect(ports[0].terminated).toBe(true);
    expect(ports[0].posted).toEqual(['load']);
    expect(ports[1].posted).toEqual(['load']); // the reload went to the new worker
    expect((await failure(pending)).name).toBe('WorkerCrashedError');
  });

  it('that never loaded (its script could not be fetched) is reported once and not restarted until asked', async () => {
    const { client, ports } = scriptedPorts();
    const pending = client.load(LOAD);
    const heard: string[] = [];
    client.onIncident((error) => heard.push(error.name));
    ports[0].crash('');
    const error = await failure(pending);
    expect(error).toMatchObject({
      name: 'WorkerUnreachableError',
      message: expect.stringContaining('cannot reach the server'),
    });
    expect(heard).toEqual(['WorkerUnreachableError']);
    expect(ports).toHaveLength(1); // no new worker, so no loop of failed script requests
    void client.load(LOAD).catch(() => undefined); // the user's Retry
    expect(ports).toHaveLength(2);
    expect(ports[1].posted).toEqual(['load']);
  });

  it('that keeps crashing is given up after three crashes in 30 s', () => {
    const { client, ports } = scriptedPorts();
    const heard: string[] = [];
    client.onIncident((error) => heard.push(error.name));
    for (let i = 0; i < 3; i++) {
      ports[ports.length - 1].say(HELLO);
      ports[ports.length - 1].crash(`crash ${i}`);
    }
    expect(heard.filter((n) => n !== 'InternalError')).toEqual([
      'WorkerCrashedError',
      'WorkerCrashedError',
      'WorkerUnreachableError',
    ]);
    expect(ports).toHaveLength(3); // the third crash starts no fourth worker
  });
});

describe('messages that go wrong', () => {
  it('a worker message that fails the check ends the job it names with the error, not a pane left running', async () => {
    const { client, ports } = scriptedPorts();
    const pending = client.load(LOAD);
    ports[0].say({ type: 'ready', runId: ports[0].runIds[0], info: 'not a model' });
    expect(await failure(pending)).toMatchObject({ name: 'SchemaError' });
  });

  it('a tokenizer that throws is answered with an error message for that request', async () => {
    const said: WorkerMessage[] = [];
    const engine: DllmEngine = {
      load: () => Promise.reject(new Error('unused')),
      compare: () => Promise.reject(new Error('unused')),
      bench: () => Promise.reject(new Error('unused')),
      collect: () => Promise.reject(new Error('unused')),
      train: () => Promise.reject(new Error('unused')),
      addFilter: () => Promise.reject(new Error('unused')),
      removeFilter: () => Promise.reject(new Error('unused')),
      countTokens: () => {
        throw new TypeError('the tokenizer broke');
      },
    };
    const handle = serveEngine(engine, (message) => said.push(message));
    handle({ type: 'tokenize', runId: 't1', prompt: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(said).toEqual([
      { type: 'error', runId: 't1', error: { name: 'InternalError', message: 'TypeError: the tokenizer broke' } },
    ]);
  });
});
