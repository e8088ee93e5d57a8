// Fast-dLLM's KV cache (spec §7) on the shipped q4 graphs (training/kv.py), against PyTorch: training/verify-kv.json
// holds both graphs' outputs on random inputs and the cached generation of 20 test prompts, computed by kv.py's
// reference with the q4 graph's weights dequantized. The TypeScript loop on onnxruntime-node must decode the same
// tokens, and no keys/values tensor may outlive a decode (done, cancelled or failed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CacheMode,
  ConfigError,
  DecodeCancelledError,
  type DecoderConfig,
  decode,
  decodeSteps,
  type StepOutput,
} from '../../src/core';
import { type LoadedModel, loadModel } from '../../src/runtime/model';
import { folderLoader, nodeOrt } from '../../src/runtime/node';
import { countingOrt, type KvCacheSessions } from '../../src/runtime/ort';

const root = join(__dirname, '..', '..');
const loader = folderLoader(join(root, 'public', 'models', 'tiny-dllm'));

interface Heads {
  top1: number[];
  conf: number[];
  entropy: number[];
  margin: number[];
}
interface RandomCase {
  input_ids: number[];
  window: { ids: number[]; start: number; length: number };
  full: Heads;
  windowOut: Heads;
}
interface Run {
  id: string;
  decoder: 'low_confidence' | 'threshold';
  cache: Exclude<CacheMode, 'none'>;
  eotp: boolean;
  promptIds: number[];
  output: number[];
  answer: number[];
  nfe: number;
  positions: number;
}
interface VerifyKv {
  q4: { cases: RandomCase[] };
  genLength: number;
  blockLength: number;
  tau: number;
  runs: Run[];
}

const verify = JSON.parse(readFileSync(join(root, 'training', 'verify-kv.json'), 'utf8')) as VerifyKv;
const counting = countingOrt(nodeOrt);
let model: LoadedModel;
let kv: KvCacheSessions;

beforeAll(async () => {
  model = await loadModel(loader, counting.ort, { variant: 'q4', kvCache: true });
  if (model.denoiser.kv === undefined) throw new Error('the q4 variant lists no KV-cache graphs');
  kv = model.denoiser.kv;
});
afterAll(() => model.release());

const ids = (xs: readonly number[]) => Int32Array.from(xs);

function expectClose(out: StepOutput, want: Heads, confTol: number): void {
  const mismatches = Array.from(out.top1).filter((t, i) => t !== want.top1[i]).length;
  expect(mismatches).toBe(0);
  let maxDiff = 0;
  for (let i = 0; i < want.conf.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out.conf[i] - want.conf[i]));
  expect(maxDiff).toBeLessThan(confTol);
  for (const e of ['entropy', 'margin'] as const) {
    const got = out[e];
    if (got === undefined) throw new Error(`no ${e}`);
    let d = 0;
    for (let i = 0; i < want[e].length; i++) d = Math.max(d, Math.abs(got[i] - want[e][i]));
    expect(d).toBeLessThan(10 * confTol);
  }
}

function config(run: Pick<Run, 'decoder' | 'cache' | 'eotp'>): DecoderConfig {
  const common = {
    maskId: model.manifest.maskId,
    eosId: model.manifest.eosId,
    genLength: verify.genLength,
    blockLength: verify.blockLength,
    eotp: run.eotp,
    cache: run.cache,
  };
  return run.decoder === 'threshold'
    ? { ...common, decoder: 'threshold', tau: verify.tau }
    : { ...common, decoder: 'low_confidence' };
}

describe('the KV-cache graphs against PyTorch', () => {
  it('give the block-start and window outputs PyTorch computes on random inputs (same q4 weights)', async () => {
    for (const c of verify.q4.cases) {
      const full = await kv.full(ids(c.input_ids), ['entropy', 'margin']);
      expectClose(full, c.full, 2e-4);
      const w = await kv.window(ids(c.window.ids), c.window.start, c.window.length, ['entropy', 'margin']);
      expectClose(w, c.windowOut, 2e-4);
    }
    kv.release();
    expect(counting.counts().live).toBe(0);
  });

  it('a block-start forward gives what the plain graph gives, and a window over everything the same', async () => {
    const c = verify.q4.cases[1];
    const x = ids(c.input_ids);
    const plain = await model.denoiser.forward(x);
    const full = await kv.full(x);
    expect(Array.from(full.top1)).toEqual(Array.from(plain.top1));
    const whole = await kv.window(x, 0, x.length);
    expect(Array.from(whole.top1)).toEqual(Array.from(plain.top1));
    for (let i = 0; i < x.length; i++) {
      expect(Math.abs(full.conf[i] - plain.conf[i])).toBeLessThan(1e-5);
      expect(Math.abs(whole.conf[i] - plain.conf[i])).toBeLessThan(1e-4);
    }
    kv.release();
  });
});

describe('cached decoding against the PyTorch reference (training/kv.py)', () => {
  // Every threshold run, and the one-token-per-step runs of the first prompt (each is up to 128 forwards).
  const chosen = verify.runs.filter((r) => r.decoder === 'threshold' || verify.runs.indexOf(r) % 20 === 0);

  // EoTP's rule 2 cuts after the most confident EOS guess, and a run of EOS guesses often has confidences within
  // float noise of 1 (the kernels sum in another order than PyTorch): the cut may then land a few padding slots
  // apart, which can change the NFE and positions of later blocks but not the answer.
  it(`decodes the same answers on ${chosen.length} runs, the same canvas, NFE and positions without EoTP`, async () => {
    const answers: string[] = [];
    const exact: string[] = [];
    for (const run of chosen) {
      const result = await decode(ids(run.promptIds), config(run), model.denoiser);
      const what = `${run.id} ${run.decoder} ${run.cache} eotp=${run.eotp}`;
      if (Array.from(result.answer).join() !== run.answer.join()) answers.push(what);
      const same =
        Array.from(result.output).join() === run.output.join() &&
        result.nfe === run.nfe &&
        result.positions === run.positions;
      if (!same && !run.eotp) exact.push(`${what}: nfe ${result.nfe} vs ${run.nfe}`);
      expect(counting.counts().live).toBe(0);
    }
    expect(answers).toEqual([]);
    expect(exact).toEqual([]);
  }, 120_000);

  it('says which forwards were full and which windows, and how many positions each computed', async () => {
    const run = verify.runs.find((r) => r.decoder === 'threshold' && r.cache === 'dual' && r.nfe > 6);
    if (run === undefined) throw new Error('no dual-cache run of more than 6 forwards');
    const p = run.promptIds.length;
    const events = [];
    const steps = decodeSteps(ids(run.promptIds), config(run), model.denoiser);
    for (let next = await steps.next(); !next.done; next = await steps.next()) events.push(next.value);
    expect(events[0]).toMatchObject({ forward: 'full', positions: p + verify.genLength });
    const window = events.find((e) => e.forward === 'window');
    expect(window?.window).toEqual([window?.blockStart, (window?.blockStart ?? 0) + verify.blockLength]);
    expect(window?.positions).toBe(verify.blockLength);
    expect(events.filter((e) => e.forward === 'full').length).toBeLessThanOrEqual(
      verify.genLength / verify.blockLength,
    );
  });

  it('drops the keys/values when a decode is cancelled or fails, and refuses a model without the graphs', async () => {
    const run = verify.runs[0];
    const controller = new AbortController();
    let forwards = 0;
    const steps = decodeSteps(ids(run.promptIds), config(run), model.denoiser, undefined, {
      signal: controller.signal,
    });
    await expect(
      (async () => {
        for (let next = await steps.next(); !next.done; next = await steps.next())
          if (++forwards === 3) controller.abort('stop');
      })(),
    ).rejects.toBeInstanceOf(DecodeCancelledError);
    expect(kv.heldTensors).toBe(0);
    expect(counting.counts().live).toBe(0);
    // A window forward that fails: the decode rejects and the block start's keys/values are dropped all the same.
    const failing = {
      forward: model.denoiser.forward.bind(model.denoiser),
      kv: {
        ...kv,
        full: kv.full.bind(kv),
        window: () => Promise.reject(new Error('device lost')),
        release: () => kv.release(),
      },
    };
    const slow = verify.runs.find((r) => r.decoder === 'low_confidence') ?? run;
    await expect(decode(ids(slow.promptIds), config(slow), failing)).rejects.toThrow('device lost');
    expect(kv.heldTensors).toBe(0);
    expect(counting.counts().live).toBe(0);
    await expect(
      decode(ids(run.promptIds), config(run), { forward: model.denoiser.forward.bind(model.denoiser) }),
    ).rejects.toThrow(ConfigError);
    await expect(
      decode(ids(run.promptIds), config(run), { forward: model.denoiser.forward.bind(model.denoiser) }),
    ).rejects.toThrow(/cache prefix needs the model's KV-cache graphs/);
  });
});
