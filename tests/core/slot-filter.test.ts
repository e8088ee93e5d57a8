// The slot filter (issue 20): its input rows, that it can express the threshold rule, that it serves any block
// length, what the loop asks of the head for it, the samples that record its features, and its training.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  collectOracleSamples,
  decode,
  decodeReference,
  extrasFor,
  FILTER_VARIANTS,
  fakeDenoiser,
  filterNamesFor,
  logOdds,
  type MlpWeights,
  ModelOutputError,
  mlpForward,
  NoFilterError,
  pickFilter,
  requireFilter,
  SLOT_FEATURES,
  slotFilter,
  TrainingDataError,
  trainFilter,
  writeSlotInput,
} from '../../src/core';
import { MASK } from './helpers';

const block = {
  confidence: [0.99, 0.5, 0.9, 0.2],
  margin: [0.98, 0.1, 0.85, 0.05],
  entropy: [0.05, 1.2, 0.3, 2],
  masked: [false, true, true, true],
  stable: [true, false, true, false],
  step: 1,
  blockLength: 4,
};

/** A slot filter whose logit is 100 * (logOdds(c) - logOdds(tau)): the threshold rule at tau. */
function thresholdWeights(tau: number): MlpWeights {
  // relu(w . x + b) - relu(-(w . x + b)) = w . x + b: two hidden units carry the sign through.
  const t = logOdds(tau);
  return { w1: [[100], [-100]], b1: [-100 * t, 100 * t], w2: [[1, -1]], b2: [0] };
}

describe('slot filter input', () => {
  it('writes one row per slot in the order of its features', () => {
    const out = new Float64Array(4 * SLOT_FEATURES.length);
    writeSlotInput(block, SLOT_FEATURES, out);
    const row = (i: number) => Array.from(out.subarray(i * 8, (i + 1) * 8));
    // log-odds, margin (as log-odds), entropy (log), position, step, stable, masked-fraction, left-known
    expect(row(1)).toEqual([
      logOdds(0.5),
      logOdds(0.1),
      Math.log(1.2 + 1e-6) / 8,
      0.25,
      0.25,
      0,
      0.75,
      1, // slot 0 is decoded
    ]);
    expect(row(0)[7]).toBe(1); // the first slot's left neighbour (the previous block) is always decoded
    expect(row(2)[7]).toBe(0); // slot 1 is still masked
    expect(row(3)[3]).toBe(0.75);
  });

  it('writes only the slots asked for, and names what a block lacks', () => {
    const out = new Float64Array(2);
    writeSlotInput(block, ['log-odds'], out, 0, [1, 3]);
    expect(Array.from(out)).toEqual([logOdds(0.5), logOdds(0.2)]);
    const bare = { confidence: block.confidence };
    expect(() => writeSlotInput(bare, ['margin', 'stable'], new Float64Array(8))).toThrow(
      /reads margin, stable, but this block has no margin, stable flags/,
    );
  });
});

describe('slot filter', () => {
  it('can express the threshold rule itself: the same commits as threshold tau', async () => {
    const tau = 0.9;
    const filter = slotFilter(thresholdWeights(tau), ['log-odds'], 8);
    const cfg = { maskId: MASK, eosId: 1, genLength: 16, blockLength: 8, eotp: false };
    const prompt = Int32Array.from([3, 4]);
    // learn2pd commits the k_j of the one-token schedule too; with steps = genLength that is one per step, which
    // the threshold rule also commits when nothing passes, so the two decode alike when tau splits the confidences.
    const threshold = await decode(prompt, { ...cfg, decoder: 'threshold', tau }, fakeDenoiser({ seed: 3 }));
    const learned = await decode(
      prompt,
      { ...cfg, decoder: 'learn2pd', tauFilter: 0.5 },
      fakeDenoiser({ seed: 3 }),
      filter,
    );
    expect(Array.from(learned.output)).toEqual(Array.from(threshold.output));
    expect(learned.nfe).toBe(threshold.nfe);
  });

  it('serves any block length: one MLP per slot', async () => {
    const filter = slotFilter(thresholdWeights(0.5), ['log-odds'], 32);
    for (const blockLength of [4, 16, 64]) {
      const cfg = { maskId: MASK, eosId: 1, genLength: 64, blockLength, eotp: true };
      const out = await decode(
        Int32Array.from([3]),
        { ...cfg, decoder: 'learn2pd', tauFilter: 0.5 },
        fakeDenoiser({ seed: 1 }),
        filter,
      );
      expect(out.nfe).toBeGreaterThan(0);
    }
  });

  it("answers mlpForward's logit for each masked slot and -Infinity for a decoded one", async () => {
    const w = {
      w1: [
        [0.3, -1.2, 0.7, 0.1, 2, -0.4, 0.9, -0.2],
        [-0.5, 0.8, -0.3, 1.1, -2, 0.6, -0.1, 0.4],
      ],
      b1: [0.05, -0.1],
      w2: [[1.3, -0.7]],
      b2: [0.2],
    };
    const logits = await slotFilter(w, SLOT_FEATURES, 4).logits(block);
    const rows = new Float64Array(4 * SLOT_FEATURES.length);
    writeSlotInput(block, SLOT_FEATURES, rows);
    expect(logits[0]).toBe(Number.NEGATIVE_INFINITY); // slot 0 is decoded
    for (const i of [1, 2, 3]) expect(logits[i]).toBe(Math.fround(mlpForward(w, rows.subarray(i * 8, (i + 1) * 8))[0]));
  });

  it('refuses weights that are not one logit per slot, or do not match its features', () => {
    expect(() => slotFilter({ w1: [[1]], b1: [0], w2: [[1], [1]], b2: [0, 0] }, ['log-odds'], 8)).toThrow(
      /one logit per slot/,
    );
    expect(() => slotFilter({ w1: [[1, 2]], b1: [0], w2: [[1]], b2: [0] }, ['log-odds'], 8)).toThrow(ConfigError);
  });

  it('makes the loop fetch the head outputs its features read, and refuses a model without them', async () => {
    const all = slotFilter({ w1: [Array(8).fill(0)], b1: [0], w2: [[1]], b2: [0] }, SLOT_FEATURES, 8);
    expect(extrasFor('learn2pd', all)).toEqual(['entropy', 'margin']);
    expect(extrasFor('learn2pd', slotFilter(thresholdWeights(0.9), ['log-odds'], 8))).toEqual([]);
    const cfg = { maskId: MASK, eosId: 1, genLength: 8, blockLength: 8, eotp: false, decoder: 'learn2pd' as const };
    const bare = fakeDenoiser({ seed: 1 });
    const noExtras = { forward: (ids: Int32Array) => bare.forward(ids) };
    await expect(decode(Int32Array.from([3]), { ...cfg, tauFilter: 0.5 }, noExtras, all)).rejects.toThrow(
      ModelOutputError,
    );
    await expect(
      decode(Int32Array.from([3]), { ...cfg, tauFilter: 0.5 }, fakeDenoiser({ seed: 1 }), all),
    ).resolves.toBeDefined();
  });
});

describe('the filter rule with names', () => {
  const listed = [
    { name: 'paper', kind: 'block' as const, blockLength: 32, tauFilter: 0.96 },
    { name: 'slot', kind: 'slot' as const, blockLength: 32, tauFilter: 0.9 },
    { name: 'slot', kind: 'slot' as const, blockLength: 128, tauFilter: 0.8 },
  ];

  it('picks its own length, else the paper kind the smallest wider, a slot filter the nearest length', () => {
    expect(pickFilter(listed, 32)?.name).toBe('paper');
    expect(pickFilter(listed, 16)?.blockLength).toBe(32);
    expect(pickFilter(listed, 64)).toBeUndefined();
    expect(pickFilter(listed, 64, 'slot')?.blockLength).toBe(32);
    expect(pickFilter(listed, 100, 'slot')?.blockLength).toBe(128);
    expect(pickFilter(listed, 256, 'slot')?.blockLength).toBe(128);
    expect(filterNamesFor(listed, 16)).toEqual(['paper', 'slot']);
    expect(filterNamesFor(listed, 64)).toEqual(['slot']);
  });

  it('names what there is when none serves', () => {
    expect(() => requireFilter(listed, 64)).toThrow(
      /no "paper" Learn2PD filter for block length 64 \(it has one of width 32/,
    );
    expect(() => requireFilter(listed, 32, 'gru')).toThrow(/no Learn2PD filter named "gru" \(it has "paper", "slot"\)/);
    expect(() => requireFilter([], 32)).toThrow(NoFilterError);
  });
});

describe('samples and training for slot filters', () => {
  const config = { maskId: MASK, eosId: 1, genLength: 16, blockLength: 8 };

  it('records margin and entropy in every sample where the model gives them', async () => {
    const prompt = Int32Array.from([3, 4]);
    const ref = await decodeReference(prompt, config, fakeDenoiser({ seed: 5 }));
    const run = await collectOracleSamples(prompt, config, fakeDenoiser({ seed: 5 }), ref.output);
    expect(run.samples.length).toBeGreaterThan(0);
    for (const s of run.samples) {
      expect(s.margin?.length).toBe(s.confidence.length);
      expect(s.entropy?.length).toBe(s.confidence.length);
    }
  });

  it('trains the slot variant on oracle samples and refuses samples without its features', async () => {
    const samples = [];
    for (let p = 0; p < 12; p++) {
      const prompt = Int32Array.from([3 + p, 4]);
      const ref = await decodeReference(prompt, config, fakeDenoiser({ seed: p }));
      samples.push(...(await collectOracleSamples(prompt, config, fakeDenoiser({ seed: p }), ref.output)).samples);
    }
    const slot = FILTER_VARIANTS.find((v) => v.name === 'slot');
    if (slot?.kind !== 'slot') throw new Error('the slot variant is missing');
    const options = {
      ...slot.training,
      kind: 'slot' as const,
      slotFeatures: slot.slotFeatures,
      blockLength: 8,
      maxEpochs: 200,
    };
    const trained = trainFilter(samples, options);
    expect(trained.weights.b2).toHaveLength(1);
    expect(trained.weights.w1[0]).toHaveLength(SLOT_FEATURES.length);
    expect(trained.valLoss).toBeLessThan(0.7); // better than a coin (log 2 = 0.69)
    const old = samples.map(({ margin: _m, entropy: _e, ...rest }) => rest);
    expect(() => trainFilter(old, options)).toThrow(TrainingDataError);
    expect(() => trainFilter(old, options)).toThrow(/no margin, entropy.*collect the trajectories again/);
  });
});
