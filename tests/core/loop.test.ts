// The step loop's contract: config validation errors name the field, a wrong-length model answer is an error,
// cancellation between steps, the StepEvent stream, and answerTokens.
import { describe, expect, it } from 'vitest';
import {
  answerTokens,
  ConfigError,
  DecodeCancelledError,
  type DecoderConfig,
  type Denoiser,
  decode,
  decodeSteps,
  fakeDenoiser,
  ModelOutputError,
  mlpFilter,
} from '../../src/core';
import { constantDenoiser, constantFilter, MASK } from './helpers';

const prompt = Int32Array.from([5, 6]);
const base = { decoder: 'low_confidence', maskId: MASK, eosId: 1, genLength: 8, blockLength: 4, eotp: false } as const;

describe('config validation', () => {
  const fake = fakeDenoiser({ seed: 1 });
  const cases: [string, DecoderConfig, RegExp, Int32Array?][] = [
    [
      'genLength multiple of blockLength',
      { ...base, genLength: 6 },
      /genLength \(6\) must be a multiple of blockLength \(4\)/,
    ],
    ['steps multiple of blocks', { ...base, steps: 3 }, /steps \(3\) must be a multiple of the number of blocks \(2/],
    ['steps at most genLength', { ...base, steps: 10 }, /steps \(10\) must be at most genLength \(8\)/],
    ['positive genLength', { ...base, genLength: 0 }, /genLength must be a positive integer/],
    ['integer blockLength', { ...base, blockLength: 2.5 }, /blockLength must be a positive integer/],
    ['integer maskId', { ...base, maskId: 1.5 }, /maskId must be a non-negative integer/],
    ['integer eosId', { ...base, eosId: -1 }, /eosId must be a non-negative integer/],
    ['eos differs from mask', { ...base, eosId: MASK }, /eosId must differ from maskId/],
    ['tau positive', { ...base, decoder: 'threshold', tau: 0 }, /tau must be a finite number > 0/],
    ['factor positive', { ...base, decoder: 'factor', factor: Number.NaN }, /factor must be a finite number > 0/],
    ['tauFilter in [0,1]', { ...base, decoder: 'learn2pd', tauFilter: 1.2 }, /tauFilter must be a number in \[0, 1\]/],
    ['learn2pd needs a filter', { ...base, decoder: 'learn2pd', tauFilter: 0.9 }, /filter is required/],
    [
      'reference length',
      { ...base, decoder: 'egp_oracle', reference: [1, 2] },
      /reference must hold prompt \+ genLength = 10 ids/,
    ],
    ['non-empty prompt', base, /prompt must not be empty/, new Int32Array(0)],
    ['no mask in prompt', base, /prompt\[1\] is the mask id 39/, Int32Array.from([5, MASK])],
  ];
  it.each(cases)('%s', async (_name, config, message, p = prompt) => {
    await expect(decode(p, config, fake)).rejects.toThrow(message);
    await expect(decode(p, config, fake)).rejects.toBeInstanceOf(ConfigError);
  });

  it('rejects a filter smaller than the block and accepts a larger one (zero padding)', async () => {
    const cfg = { ...base, decoder: 'learn2pd', tauFilter: 0.9 } as const;
    await expect(decode(prompt, cfg, fake, constantFilter(2, 0))).rejects.toThrow(
      /filter.blockLength \(2\) must be an integer >= blockLength \(4\)/,
    );
    await expect(decode(prompt, cfg, fake, constantFilter(8, 0))).resolves.toMatchObject({ nfe: 8 });
  });

  it('rejects an unknown decoder by name', async () => {
    const config = JSON.parse(
      '{"decoder":"greedy","maskId":39,"eosId":1,"genLength":8,"blockLength":4,"eotp":false}',
    ) as DecoderConfig;
    await expect(decode(prompt, config, fake)).rejects.toThrow(/decoder must be one of low_confidence, .* got greedy/);
  });

  it('checks filter weight shapes', () => {
    expect(() => mlpFilter({ w1: [[1]], b1: [0], w2: [[1, 2]], b2: [0] })).toThrow(/w2\[0\] must have 1 columns/);
    expect(() => mlpFilter({ w1: [[1]], b1: [0], w2: [[1]], b2: [0] }, 32)).toThrow(/are for blocks of 1, not 32/);
  });
});

describe('model output checks', () => {
  it('a denoiser answering with the wrong length is an error, never truncated', async () => {
    const short: Denoiser = {
      forward: async (ids) => ({ top1: new Int32Array(ids.length - 1), conf: new Float32Array(ids.length) }),
    };
    await expect(decode(prompt, base, short)).rejects.toThrow(
      new ModelOutputError('denoiser returned top1 of length 9 for 10 ids at step 0'),
    );
    const long: Denoiser = {
      forward: async (ids) => ({ top1: new Int32Array(ids.length), conf: new Float32Array(ids.length + 1) }),
    };
    await expect(decode(prompt, base, long)).rejects.toThrow(
      'denoiser returned conf of length 11 for 10 ids at step 0',
    );
  });

  it('a filter answering with the wrong length is an error', async () => {
    const filter = { blockLength: 4, logits: () => new Float32Array(3) };
    await expect(
      decode(prompt, { ...base, decoder: 'learn2pd', tauFilter: 0.5 }, fakeDenoiser({ seed: 2 }), filter),
    ).rejects.toThrow('filter returned 3 logits for a block of 4');
  });
});

describe('cancellation', () => {
  it('throws DecodeCancelledError before the next forward once the signal fires', async () => {
    const controller = new AbortController();
    const fake = fakeDenoiser({ seed: 3 });
    const gen = decodeSteps(prompt, base, fake, undefined, { signal: controller.signal });
    await gen.next();
    controller.abort('user');
    await expect(gen.next()).rejects.toBeInstanceOf(DecodeCancelledError);
    expect(fake.calls).toBe(1);
  });

  it('an already aborted signal makes no forward at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const fake = fakeDenoiser({ seed: 3 });
    await expect(decode(prompt, base, fake, undefined, { signal: controller.signal })).rejects.toMatchObject({
      name: 'DecodeCancelledError',
    });
    expect(fake.calls).toBe(0);
  });
});

describe('step events', () => {
  it('one per forward, canvas-relative, timed with the injected clock', async () => {
    let t = 0;
    const d = constantDenoiser(
      [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
      [0.1, 0.1, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15],
    );
    const gen = decodeSteps(prompt, { ...base, steps: 4 }, d, undefined, { runId: 'r1', now: () => (t += 5) });
    const first = await gen.next();
    expect(first.value).toEqual({
      run: 'r1',
      step: 0,
      blockStart: 0,
      committed: [
        { pos: 0, token: 7 },
        { pos: 1, token: 8 },
      ],
      guesses: Int32Array.from([7, 8, 9, 10, 11, 12, 13, 14]),
      conf: Float32Array.from([0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15]),
      ms: 5,
      forward: 'full',
      positions: 10,
    });
    let last = first;
    for (let n = await gen.next(); ; n = await gen.next()) {
      if (n.done) {
        expect(n.value).toMatchObject({ nfe: 4, promptLength: 2, ms: 20, positions: 40 });
        expect(Array.from(n.value.output)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        break;
      }
      last = n;
    }
    expect(last.value).toMatchObject({ step: 3, blockStart: 4 });
  });
});

describe('answerTokens', () => {
  it('is the generated tokens before the first EOS', () => {
    expect(Array.from(answerTokens(Int32Array.from([9, 9, 4, 5, 1, 6, 1]), 2, 1))).toEqual([4, 5]);
  });
  it('is the whole canvas when there is no EOS', () => {
    expect(Array.from(answerTokens(Int32Array.from([9, 4, 5]), 1, 1))).toEqual([4, 5]);
  });
  it('does not look for EOS inside the prompt', () => {
    expect(Array.from(answerTokens(Int32Array.from([1, 4, 1]), 1, 1))).toEqual([4]);
  });
});

describe('a position whose top-1 is the mask token', () => {
  // Prompt [5, 6], canvas of 8 in blocks of 4: answer position 1 (index 3) always predicts [MASK]; committing it
  // changes nothing, so without a guard every decoder's "until the block has no mask" loop would never end.
  const top1 = [5, 6, 20, MASK, 22, 23, 24, 25, 26, 27];
  const conf = [1, 1, 0.5, 0.99, 0.4, 0.3, 0.95, 0.6, 0.7, 0.2];
  for (const cfg of [
    { ...base },
    { ...base, decoder: 'threshold', tau: 0.9 },
    { ...base, decoder: 'factor', factor: 1 },
    { ...base, eotp: true },
  ] as DecoderConfig[])
    it(`${cfg.decoder}${cfg.eotp ? ' +EoTP' : ''}: commits it once, leaves it as [MASK] and finishes`, async () => {
      const denoiser = constantDenoiser(top1, conf);
      const result = await decode(prompt, cfg, denoiser);
      expect(Array.from(result.output)).toEqual([5, 6, 20, MASK, 22, 23, 24, 25, 26, 27]);
      // Each step commits at least one position: never more steps than positions.
      expect(result.nfe).toBeLessThanOrEqual(8);
      expect(denoiser.seen.length).toBe(result.nfe);
    });
});
