// One describe per spec rule, each with small examples that can be checked by hand: the transfer schedule,
// low-confidence remasking (§1), threshold and factor (§2), Learn2PD's union rule and filter input (§3) and the
// EGP oracle (§3 step 2, §5). EoTP (§4) has its own file.
import { describe, expect, it } from 'vitest';
import {
  decode,
  ebSamplerRule,
  egpOracleRule,
  factorRule,
  fakeDenoiser,
  filterAccepts,
  learn2pdRule,
  logOdds,
  lowConfidenceRule,
  rankByConfidence,
  type StepView,
  thresholdRule,
  transferSchedule,
} from '../../src/core';
import { constantDenoiser, constantFilter, MASK, scriptedDenoiser, scriptedFilter } from './helpers';

/** A view over x = [5, M, M, M] (prompt [5], one block of 3) with the given conf and top1 per position. */
function view(conf: number[], top1 = [5, 11, 12, 13], schedule = [1, 1, 1], blockStep = 0): StepView {
  const x = Int32Array.from([5, MASK, MASK, MASK]);
  return {
    x,
    top1: Int32Array.from(top1),
    conf: Float64Array.from(conf),
    blockStart: 1,
    blockEnd: 4,
    masked: [1, 2, 3],
    blockStep,
    schedule,
  };
}

describe('transfer schedule (spec Notation)', () => {
  it('spreads n masked over s steps, the remainder on the first steps', () => {
    expect(transferSchedule(10, 4)).toEqual([3, 3, 2, 2]);
    expect(transferSchedule(32, 32)).toEqual(Array(32).fill(1));
    expect(transferSchedule(32, 8)).toEqual(Array(8).fill(4));
    expect(transferSchedule(3, 5)).toEqual([1, 1, 1, 0, 0]);
  });

  it('ranks by confidence, ties to the lowest position', () => {
    expect(rankByConfidence([4, 1, 3, 2], Float64Array.from([0, 0.5, 0.9, 0.5, 0.9]))).toEqual([2, 4, 1, 3]);
  });
});

describe('low-confidence remasking (spec §1)', () => {
  it('commits the k_j most confident masked block positions with their predictions', () => {
    expect(lowConfidenceRule(view([0.1, 0.3, 0.9, 0.5], undefined, [2, 1]))).toEqual([
      { pos: 2, token: 12 },
      { pos: 3, token: 13 },
    ]);
    expect(lowConfidenceRule(view([0.1, 0.3, 0.9, 0.5], undefined, [2, 1], 1))).toEqual([{ pos: 2, token: 12 }]);
  });

  it('breaks ties by lowest position', () => {
    expect(lowConfidenceRule(view([0.1, 0.5, 0.5, 0.5]))).toEqual([{ pos: 1, token: 11 }]);
  });

  it('with steps = genLength commits one token per step, genLength NFE', async () => {
    const d = constantDenoiser([5, 7, 8, 9, 10], [0.5, 0.2, 0.9, 0.4, 0.6]);
    const r = await decode(
      Int32Array.from([5]),
      { decoder: 'low_confidence', maskId: MASK, eosId: 1, genLength: 4, blockLength: 2, eotp: false },
      d,
    );
    expect(r.nfe).toBe(4);
    expect(Array.from(r.output)).toEqual([5, 7, 8, 9, 10]);
    // block 0 first (pos 2 at 0.9, then pos 1), then block 1 (pos 4 at 0.6, then pos 3)
    expect(d.seen.map((ids) => Array.from(ids))).toEqual([
      [5, MASK, MASK, MASK, MASK],
      [5, MASK, 8, MASK, MASK],
      [5, 7, 8, MASK, MASK],
      [5, 7, 8, MASK, 10],
    ]);
  });

  it('with steps < genLength follows base/rem per block', async () => {
    const d = constantDenoiser([5, 7, 8, 9, 10, 11, 12], [0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const r = await decode(
      Int32Array.from([5]),
      { decoder: 'low_confidence', maskId: MASK, eosId: 1, genLength: 6, blockLength: 6, steps: 4, eotp: false },
      d,
    );
    expect(r.nfe).toBe(4); // schedule [2, 2, 1, 1]
    expect(d.seen[1].slice(1).every((t, i) => (i >= 4 ? t !== MASK : t === MASK))).toBe(true);
    expect(Array.from(d.seen[3].slice(1))).toEqual([MASK, 8, 9, 10, 11, 12]);
  });
});

describe('confidence threshold (spec §2)', () => {
  it('commits every masked block position with conf >= tau', () => {
    expect(thresholdRule(view([0, 0.95, 0.5, 0.9]), 0.9)).toEqual([
      { pos: 1, token: 11 },
      { pos: 3, token: 13 },
    ]);
  });

  it('falls back to the single most confident when none passes', () => {
    expect(thresholdRule(view([0.99, 0.2, 0.6, 0.4]), 0.9)).toEqual([{ pos: 2, token: 12 }]);
  });

  it('loops a block until it has no mask, ignoring the schedule', async () => {
    const d = constantDenoiser([5, 7, 8, 9, 10], [0.5, 0.95, 0.3, 0.92, 0.1]);
    const r = await decode(
      Int32Array.from([5]),
      { decoder: 'threshold', tau: 0.9, maskId: MASK, eosId: 1, genLength: 4, blockLength: 4, eotp: false },
      d,
    );
    expect(r.nfe).toBe(3); // {1, 3}, then {2}, then {4}
  });
});

describe('factor rule (spec §2)', () => {
  it('accepts the first n sorted while (n+1)(1-c(n)) < f', () => {
    // sorted 0.95 (2*0.05=0.1), 0.9 (3*0.1=0.3), 0.8 (4*0.2=0.8): all three pass f = 1
    expect(factorRule(view([0, 0.8, 0.95, 0.9]), 1).map((c) => c.pos)).toEqual([1, 2, 3]);
    // sorted 0.95, 0.6 (3*0.4=1.2 >= 1): stops after one
    expect(factorRule(view([0, 0.6, 0.95, 0.1]), 1).map((c) => c.pos)).toEqual([2]);
  });

  it('always accepts at least one', () => {
    expect(factorRule(view([0, 0.1, 0.2, 0.3]), 0.01).map((c) => c.pos)).toEqual([3]);
  });
});

describe('EB-Sampler (spec §8)', () => {
  const withEntropy = (entropy: number[]): StepView => ({
    ...view([0, 0.5, 0.5, 0.5]),
    entropy: Float32Array.from(entropy),
  });

  it('commits the lowest-entropy prefix whose sum less its largest entropy stays <= gamma', () => {
    // sorted by entropy: pos 2 (0.125), pos 3 (0.375), pos 1 (2). sum - max: {2} 0; {2,3} 0.125; {2,3,1} 0.5
    const e = [9, 2, 0.125, 0.375];
    expect(ebSamplerRule(withEntropy(e), 0.0625).map((c) => c.pos)).toEqual([2]);
    expect(ebSamplerRule(withEntropy(e), 0.125).map((c) => c.pos)).toEqual([2, 3]);
    expect(ebSamplerRule(withEntropy(e), 0.49).map((c) => c.pos)).toEqual([2, 3]);
    expect(ebSamplerRule(withEntropy(e), 0.5).map((c) => c.pos)).toEqual([1, 2, 3]);
  });

  it('breaks entropy ties by the lowest position and always commits one', () => {
    expect(ebSamplerRule(withEntropy([0, 0.5, 0.5, 0.5]), 0)).toEqual([{ pos: 1, token: 11 }]);
  });

  it('refuses a step without entropy', () => {
    expect(() => ebSamplerRule(view([0, 0.5, 0.5, 0.5]), 1)).toThrow(/needs the entropy output/);
  });

  it('asks the denoiser for entropy, and names the missing output of a graph that has none', async () => {
    const asked: (readonly string[] | undefined)[] = [];
    const fake = fakeDenoiser({ seed: 3 });
    const cfg = {
      decoder: 'eb_sampler',
      gamma: 0.1,
      maskId: 39,
      eosId: 1,
      genLength: 8,
      blockLength: 4,
      eotp: false,
    } as const;
    await decode(Int32Array.from([5]), cfg, {
      forward: (ids, extras) => (asked.push(extras), fake.forward(ids, extras)),
    });
    expect(asked.every((e) => e?.join() === 'entropy')).toBe(true);
    const old = { forward: (ids: Int32Array) => fake.forward(ids) }; // a graph from before spec §8
    await expect(decode(Int32Array.from([5]), cfg, old)).rejects.toThrow(
      /no entropy output, which the eb_sampler decoder reads/,
    );
  });
});

describe('Learn2PD decoding rule (spec §3)', () => {
  it('commits the union of the filter accepts and the scheduled top-k', () => {
    expect(learn2pdRule(view([0, 0.9, 0.1, 0.2]), [false, false, true]).map((c) => c.pos)).toEqual([1, 3]);
    expect(learn2pdRule(view([0, 0.9, 0.1, 0.2]), [true, false, false]).map((c) => c.pos)).toEqual([1]);
  });

  it('never commits an accepted position that is already committed', () => {
    const v = { ...view([0, 0.9, 0.1, 0.2]), masked: [2, 3] };
    expect(learn2pdRule(v, [true, false, false]).map((c) => c.pos)).toEqual([3]);
  });

  it('accepts where sigmoid(logit) > tauFilter, strictly, over the block slots only', async () => {
    const filter = { blockLength: 4, logits: () => Float32Array.from([0, 2, 5, 5]) };
    expect(await filterAccepts(filter, { confidence: [0.2, 0.3] }, 0.5)).toEqual([false, true]);
  });

  it('feeds the filter every block position, committed ones included, as float32 zero-padded to its size', async () => {
    const filter = constantFilter(4, -20); // never accepts: the schedule alone drives
    const d = constantDenoiser([5, 7, 8, 9, 10, 11, 12], [0.5, 0.3, 0.7, 0.6, 0.1, 0.2, 0.4]);
    const r = await decode(
      Int32Array.from([5]),
      { decoder: 'learn2pd', tauFilter: 0.9, maskId: MASK, eosId: 1, genLength: 6, blockLength: 3, eotp: false },
      d,
      filter,
    );
    expect(r.nfe).toBe(6);
    // Each block's last step (one masked position left) is not asked: the schedule commits it whatever the answer.
    expect(filter.inputs.map((x) => Array.from(x))).toEqual([
      [0.3, 0.7, 0.6, 0].map(Math.fround),
      [0.3, 0.7, 0.6, 0].map(Math.fround), // position 2 is committed and still fed
      [0.1, 0.2, 0.4, 0].map(Math.fround),
      [0.1, 0.2, 0.4, 0].map(Math.fround),
    ]);
  });

  it("feeds a 'context' filter confidences, masked flags and stable flags, each group zero-padded to its size", async () => {
    const filter = constantFilter(4, -20, 'context');
    // Position 4 changes its guess at the third forward, the one that is not asked: the next block's stable flags
    // must compare against that forward, not the last one the filter saw.
    const conf = [0.5, 0.3, 0.7, 0.6, 0.1, 0.2, 0.4];
    const d = scriptedDenoiser((ids, call) => ({
      top1: [5, 7, 8, 9, call >= 2 ? 13 : 10, 11, 12].slice(0, ids.length),
      conf: conf.slice(0, ids.length),
    }));
    const r = await decode(
      Int32Array.from([5]),
      { decoder: 'learn2pd', tauFilter: 0.9, maskId: MASK, eosId: 1, genLength: 6, blockLength: 3, eotp: false },
      d,
      filter,
    );
    expect(r.nfe).toBe(6);
    const c = (a: number, b: number, e: number) => [a, b, e, 0].map(Math.fround);
    expect(filter.inputs.map((x) => Array.from(x))).toEqual([
      [...c(0.3, 0.7, 0.6), 1, 1, 1, 0, 0, 0, 0, 0], // first forward: nothing is stable yet
      [...c(0.3, 0.7, 0.6), 1, 0, 1, 0, 1, 1, 1, 0], // position 2 was committed; every prediction repeats
      [...c(0.1, 0.2, 0.4), 1, 1, 1, 0, 1, 1, 1, 0], // next block: stable against the previous forward (the unasked one)
      [...c(0.1, 0.2, 0.4), 1, 1, 0, 0, 1, 1, 1, 0],
    ]);
  });

  it('asks the filter only where its answer can change the step', async () => {
    // Without EoTP: the last masked position of a block is committed by the schedule (k_j = 1) whatever the filter says.
    const plain = scriptedFilter(2, []);
    const r = await decode(
      Int32Array.from([5]),
      { decoder: 'learn2pd', tauFilter: 0.5, maskId: MASK, eosId: 1, genLength: 4, blockLength: 2, eotp: false },
      constantDenoiser([5, 7, 8, 9, 10], [0.5, 0.3, 0.7, 0.1, 0.2]),
      plain,
    );
    expect([r.nfe, plain.inputs.length]).toEqual([4, 2]);
    // With EoTP, a last masked position predicting EOS is still asked: an accept there is rule 1's cut.
    const eos = scriptedFilter(2, []);
    const e = await decode(
      Int32Array.from([5]),
      { decoder: 'learn2pd', tauFilter: 0.5, maskId: MASK, eosId: 1, genLength: 4, blockLength: 2, eotp: true },
      constantDenoiser([5, 7, 1, 9, 10], [0.5, 0.7, 0.3, 0.1, 0.2]),
      eos,
    );
    expect(e.nfe).toBe(2);
    expect(eos.inputs.length).toBe(2); // step 1: only position 2 (EOS) is masked in the block
  });

  it("feeds a 'log-odds' filter log(c / (1 - c)) / 8, clipped, padded with the log-odds of 0 (not 0: c = 0.5)", async () => {
    const filter = constantFilter(4, -20, 'log-odds');
    await filterAccepts(filter, { confidence: [0.5, 1, 0] }, 0.5);
    const lo = Math.log((1 - 1e-7) / 1e-7) / 8;
    expect(Array.from(filter.inputs[0])).toEqual([0, lo, -lo, -lo].map(Math.fround));
    expect(logOdds(0.9)).toBeCloseTo(Math.log(9) / 8, 12);
    expect(logOdds(0.1)).toBeCloseTo(-logOdds(0.9), 12);
  });

  it('refuses a context filter input without the flags', async () => {
    await expect(filterAccepts(constantFilter(4, 0, 'context'), { confidence: [0.2, 0.3] }, 0.5)).rejects.toThrow(
      /needs masked and stable flags/,
    );
  });
});

describe('EGP oracle (spec §3 step 2, §5)', () => {
  const ref = [5, 11, 20, 13];

  it('commits exactly the masked block positions whose prediction equals the reference', () => {
    const step = egpOracleRule(view([0, 0.1, 0.9, 0.5]), ref, undefined);
    expect(step).toEqual({
      stuck: false,
      commits: [
        { pos: 1, token: 11 },
        { pos: 3, token: 13 },
      ],
    });
  });

  it('stuck guard: predictions equal to the previous step write the reference into the block', () => {
    const step = egpOracleRule({ ...view([0, 0.1, 0.9, 0.5]), masked: [2] }, ref, Int32Array.from([11, 12, 13]));
    expect(step).toEqual({ stuck: true, commits: [{ pos: 2, token: 20 }] });
  });

  it('records one sample per forward, labels over all block positions, and ends a stuck block', async () => {
    // The model never predicts 8 at position 2: step 0 commits position 1, step 1 repeats itself -> stuck.
    const d = scriptedDenoiser(() => ({ top1: [5, 7, 9], conf: [0.5, 0.8, 0.6] }));
    const r = await decode(
      Int32Array.from([5]),
      {
        decoder: 'egp_oracle',
        reference: [5, 7, 8],
        maskId: MASK,
        eosId: 1,
        genLength: 2,
        blockLength: 2,
        eotp: false,
      },
      d,
    );
    expect(r.nfe).toBe(2);
    expect(Array.from(r.output)).toEqual([5, 7, 8]);
    expect(r.samples).toEqual([
      {
        block: 0,
        step: 0,
        confidence: [0.8, 0.6],
        isCorrect: [true, false],
        masked: [true, true],
        stable: [false, false],
      },
      {
        block: 0,
        step: 1,
        confidence: [0.8, 0.6],
        isCorrect: [true, false],
        masked: [false, true],
        stable: [true, true],
      },
    ]);
  });

  it('a step that matches nothing is followed by the stuck fill', async () => {
    const d = scriptedDenoiser(() => ({ top1: [5, 9, 9, 9, 9], conf: [0.5, 0.8, 0.6, 0.7, 0.4] }));
    const r = await decode(
      Int32Array.from([5]),
      {
        decoder: 'egp_oracle',
        reference: [5, 7, 8, 6, 4],
        maskId: MASK,
        eosId: 1,
        genLength: 4,
        blockLength: 2,
        eotp: false,
      },
      d,
    );
    expect(r.nfe).toBe(4); // two steps per block
    expect(Array.from(r.output)).toEqual([5, 7, 8, 6, 4]);
    expect(r.samples?.map((s) => [s.block, s.step])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });
});
