// The protocol's checks: well-formed requests pass unchanged, every malformed one is refused with a SchemaError
// naming the field, and the served engine answers garbage with an `error` message instead of throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/worker/engine/engine';
import { toWireError, transferablesOf, type WorkerMessage, type WorkerRequest } from '../../src/worker/protocol';
import { serveEngine } from '../../src/worker/serve';
import { parseMessage, parseRequest, salvageRunId } from '../../src/worker/wire-check';

const good: WorkerRequest[] = [
  { type: 'load', runId: 'load-1', modelUrl: 'http://localhost/models/tiny-dllm/', backend: 'auto', variant: null },
  { type: 'tokenize', runId: 'tok-1', prompt: 'hello' },
  {
    type: 'compare',
    runId: 'cmp-1',
    prompt: 'What is 2 plus 2?',
    canvas: { genLength: 64, blockLength: 32 },
    panes: [
      { decoder: 'threshold', eotp: false, tau: 0.9 },
      { decoder: 'learn2pd', eotp: true, tauFilter: 0.96 },
    ],
    reference: true,
    clockRuns: 3,
  },
  {
    type: 'compare',
    runId: 'cmp-2',
    prompt: 'x',
    canvas: { genLength: 32, blockLength: 32 },
    panes: [{ decoder: 'low_confidence', eotp: false, steps: 16 }],
    reference: false,
    clockRuns: 1,
  },
  {
    type: 'compare',
    runId: 'cmp-3',
    prompt: 'x',
    canvas: { genLength: 32, blockLength: 32 },
    panes: [
      { decoder: 'egp_oracle', eotp: false },
      { decoder: 'factor', eotp: true, factor: 1 },
    ],
    reference: true,
    clockRuns: 5,
  },
  {
    type: 'bench',
    runId: 'bench-1',
    prompts: [
      { prompt: 'a', family: 'sort', answer: 'b' },
      { prompt: 'c', family: null, answer: null },
    ],
    canvas: { genLength: 32, blockLength: 32 },
    specs: [
      { decoder: 'learn2pd', eotp: true, tauFilter: 0.96 },
      { decoder: 'threshold', eotp: true, tau: 0.9, cache: 'dual', eotpScope: 'canvas' },
    ],
  },
  {
    type: 'collect',
    runId: 'collect-1',
    prompts: ['What is 2 plus 2?', 'Sort: b a'],
    canvas: { genLength: 64, blockLength: 32 },
    split: 'train',
    first: 1,
  },
  { type: 'train', runId: 'train-1', trajectory: '{}', variant: 'paper', name: 'here-1', tauFilter: 0.9, seed: 0 },
  {
    type: 'train',
    runId: 'train-2',
    trajectory: '{}',
    variant: 'slot',
    name: 'here-2',
    tauFilter: 0.5,
    seed: 7,
    maxEpochs: 100,
  },
  {
    type: 'add-filter',
    runId: 'filter-1',
    filter: {
      name: 'here-1',
      kind: 'block',
      features: 'confidence',
      blockLength: 32,
      tauFilter: 0.9,
      file: 'filter/here-1_b32.onnx',
      bytes: new Uint8Array([8, 1]),
      samples: 40,
    },
  },
  { type: 'remove-filter', runId: 'filter-2', name: 'here-1' },
  { type: 'cancel', runId: 'run-1' },
];
const collect = good[6];
const train = good[7];
const addFilter = good[9];

describe('parseRequest: well-formed requests', () => {
  it.each(good.map((r) => [r.type, r] as const))('%s passes unchanged, also after structuredClone', (_, request) => {
    expect(parseRequest(structuredClone(request))).toEqual(request);
  });
});

describe('parseRequest: malformed requests name the field', () => {
  const run = good[2];
  it.each([
    ['not an object', 'hello', /request must be an object/],
    ['null', null, /request must be an object/],
    ['unknown type', { type: 'explode', runId: 'x' }, /request.type must be one of/],
    ['missing runId', { ...run, runId: undefined }, /request.runId must be a string/],
    ['numeric prompt', { ...run, prompt: 42 }, /request.prompt must be a string/],
    ['huge prompt', { ...run, prompt: 'a'.repeat(1_000_000) }, /request.prompt is 1000000 characters long/],
    [
      'genLength not an integer',
      { ...run, canvas: { genLength: 12.5, blockLength: 32 } },
      /request.canvas.genLength must be an integer/,
    ],
    [
      'a canvas longer than the app offers',
      { ...run, canvas: { genLength: 512, blockLength: 32 } },
      /request.canvas.genLength must be <= 256/,
    ],
    [
      'tau NaN',
      { ...run, panes: [{ decoder: 'threshold', eotp: false, tau: Number.NaN }] },
      /request.panes\[0\].tau must be a finite number/,
    ],
    [
      'tau zero',
      { ...run, panes: [{ decoder: 'threshold', eotp: false, tau: 0 }] },
      /request.panes\[0\].tau must be > 0/,
    ],
    [
      'tauFilter out of range',
      { ...run, panes: [{ decoder: 'learn2pd', eotp: true, tauFilter: 2 }] },
      /request.panes\[0\].tauFilter must be <= 1/,
    ],
    [
      'egp with eotp',
      { ...run, panes: [{ decoder: 'egp_oracle', eotp: true }] },
      /request.panes\[0\].eotp must be false/,
    ],
    [
      'unknown decoder',
      { ...run, panes: [{ decoder: 'magic', eotp: false }] },
      /request.panes\[0\].decoder must be one of/,
    ],
    [
      'too many panes',
      { ...run, panes: Array.from({ length: 5 }, () => ({ decoder: 'low_confidence', eotp: false })) },
      /request.panes has 5 items; at most 4/,
    ],
    ['backend typo', { ...good[0], backend: 'webgl' }, /request.backend must be one of auto, webgpu, wasm/],
    ['reference as string', { ...run, reference: 'yes' }, /request.reference must be true or false/],
    ['no clock runs', { ...run, clockRuns: 0 }, /request.clockRuns must be >= 1/],
    ['too many clock runs', { ...run, clockRuns: 9 }, /request.clockRuns must be <= 5/],
    ['prompts not array', { ...good[5], prompts: 'all' }, /request.prompts must be an array/],
    ['collect from past the end', { ...collect, first: 3 }, /request.first must be <= 2/],
    ['collect from a split it cannot name', { ...collect, split: 'test' }, /request.split must be one of train, typed/],
    ['a filter name with capitals', { ...train, name: 'Mine' }, /name must be lowercase letters, digits and dashes/],
    ['a negative seed', { ...train, seed: -1 }, /request.seed must be >= 0/],
    ['too many epochs', { ...train, maxEpochs: 50_000 }, /request.maxEpochs must be <= 40000/],
    [
      'filter bytes as an array',
      { ...addFilter, filter: { ...(addFilter.type === 'add-filter' ? addFilter.filter : {}), bytes: [8, 1] } },
      /request.filter.bytes must be a Uint8Array/,
    ],
    [
      'the old run request',
      { type: 'run', runId: 'r' },
      /request.type must be one of load, tokenize, compare, bench, collect, train, add-filter, remove-filter, cancel/,
    ],
  ])('%s', (_, data, message) => {
    expect(() => parseRequest(data)).toThrow(message);
    try {
      parseRequest(data);
    } catch (error) {
      expect(error).toMatchObject({ name: 'SchemaError' });
    }
  });
});

describe('parseMessage: worker messages', () => {
  it('accepts a step with typed arrays and refuses plain arrays in their place', () => {
    const step: WorkerMessage = {
      type: 'step',
      runId: 'run-1',
      pane: 1,
      event: {
        step: 0,
        blockStart: 0,
        committed: [{ pos: 1, token: 5 }],
        guesses: new Int32Array([5, 5]),
        conf: new Float32Array([0.5, 0.9]),
        cutAt: null,
        forward: 'full',
        window: null,
        positions: 10,
        ms: 3,
        forwardMs: 2,
        readbackMs: 0,
        filterMs: 0,
      },
    };
    expect(parseMessage(structuredClone(step))).toEqual(step);
    expect(() => parseMessage({ ...step, event: { ...step.event, guesses: [5, 5] } })).toThrow(
      /message.event.guesses must be an Int32Array/,
    );
  });

  it('transfers the buffers of steps and results', () => {
    const guesses = new Int32Array(4);
    const conf = new Float32Array(4);
    const step: WorkerMessage = {
      type: 'step',
      runId: 'r',
      pane: 0,
      event: {
        step: 0,
        blockStart: 0,
        committed: [],
        guesses,
        conf,
        cutAt: null,
        forward: 'full',
        window: null,
        positions: 10,
        ms: 0,
        forwardMs: 0,
        readbackMs: 0,
        filterMs: 0,
      },
    };
    expect(transferablesOf(step)).toEqual([guesses.buffer, conf.buffer]);
    // A view into a larger buffer is copied, not transferred (transferring would detach the rest).
    const view = new Int32Array(new ArrayBuffer(64), 8, 2);
    expect(transferablesOf({ ...step, event: { ...step.event, guesses: view } })).toEqual([conf.buffer]);
  });
});

describe('error names', () => {
  it('keep the name of a class the protocol lists, and call anything else an InternalError that keeps it', () => {
    class PromptTooLongError extends Error {
      override name = 'PromptTooLongError';
    }
    expect(toWireError(new PromptTooLongError('80 tokens'))).toEqual({
      name: 'PromptTooLongError',
      message: '80 tokens',
    });
    expect(toWireError(new TypeError('x is undefined'))).toEqual({
      name: 'InternalError',
      message: 'TypeError: x is undefined',
    });
    expect(() => parseMessage({ type: 'error', runId: null, error: { name: 'TypeError', message: 'x' } })).toThrow(
      /message.error.name must be one of/,
    );
  });
});

describe('the served engine answers malformed messages instead of throwing (fuzz)', () => {
  const engineWithLog = () => {
    const posted: WorkerMessage[] = [];
    const handle = serveEngine(
      createEngine({
        probe: async () => ({ kind: 'none', reason: 'test' }),
        ortFor: () => {
          throw new Error('no onnxruntime in this test');
        },
        loaderFor: () => ({ load: async () => new Uint8Array() }),
        threads: () => 1,
      }),
      (m) => posted.push(m),
    );
    return { engine: { handle }, posted };
  };

  it('random values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withTypedArray: true, withMap: true, withSet: true, withBigInt: true, withDate: true }),
        (data) => {
          const { engine, posted } = engineWithLog();
          expect(() => engine.handle(data)).not.toThrow();
          // Anything that is not a valid request gets exactly one error message right away.
          if (posted.length > 0) expect(posted[0]).toMatchObject({ type: 'error', error: { name: 'SchemaError' } });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('valid requests with fields removed or replaced', () => {
    const keysOf = (r: WorkerRequest) => Object.keys(r).filter((k) => k !== 'type');
    fc.assert(
      fc.property(
        fc.constantFrom(...good.filter((r) => r.type !== 'cancel')),
        fc.nat(),
        fc.anything(),
        (request, pick, value) => {
          const keys = keysOf(request);
          const key = keys[pick % keys.length];
          const broken: Record<string, unknown> = { ...request, [key]: value };
          const { engine, posted } = engineWithLog();
          expect(() => engine.handle(broken)).not.toThrow();
          let valid = true;
          try {
            parseRequest(broken);
          } catch {
            valid = false;
          }
          if (!valid) {
            expect(posted).toHaveLength(1);
            expect(posted[0]).toMatchObject({ type: 'error', runId: salvageRunId(broken) });
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('truncated JSON of valid requests', () => {
    fc.assert(
      fc.property(fc.constantFrom(...good), fc.nat(), (request, cut) => {
        const text = JSON.stringify(request);
        const truncated = text.slice(0, cut % text.length);
        const { engine, posted } = engineWithLog();
        expect(() => engine.handle(truncated)).not.toThrow();
        expect(posted[0]).toMatchObject({ type: 'error', runId: null, error: { name: 'SchemaError' } });
      }),
    );
  });
});
