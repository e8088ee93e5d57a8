// Filter training (spec §3): oracle trajectory collection, the MLP's analytic gradient against central finite
// differences, AdamW against a hand-computed PyTorch step, the data set checks, the split and a training run.
import { describe, expect, it } from 'vitest';
import {
  AdamW,
  type Batch,
  collectFilterSamples,
  collectOracleSamples,
  collectTrainingSamples,
  createRng,
  decode,
  decodeSteps,
  errorRates,
  fakeDenoiser,
  initParams,
  type LabelledBlock,
  lossAndGrad,
  type MlpShape,
  mlpFilter,
  mlpForward,
  paramLayout,
  paramsToWeights,
  splitIndices,
  TrainingDataError,
  trainFilter,
} from '../../src/core';
import { MASK } from './helpers';

describe('trajectory collection (spec §3 steps 1-2)', () => {
  const config = { maskId: MASK, eosId: 1, genLength: 12, blockLength: 4 };
  const prompt = Int32Array.from([3, 4]);

  it('takes the one-token-per-step baseline as the reference and replays the oracle against it', async () => {
    const run = await collectTrainingSamples(prompt, config, fakeDenoiser({ seed: 7 }));
    const baseline = await decode(
      prompt,
      { ...config, decoder: 'low_confidence', eotp: false },
      fakeDenoiser({ seed: 7 }),
    );
    expect(Array.from(run.reference)).toEqual(Array.from(baseline.output));
    expect(run.referenceNfe).toBe(12);
    expect(Array.from(run.output)).toEqual(Array.from(run.reference));
    expect(run.samples.length).toBe(run.nfe);
    for (const s of run.samples) {
      expect(s.confidence.length).toBe(4);
      expect(s.isCorrect.length).toBe(4);
    }
    expect(run.samples.map((s) => s.block)).toEqual([...run.samples.map((s) => s.block)].sort((a, b) => a - b));
  });

  it('collectOracleSamples ignores any steps or decoder of a passed-in config', async () => {
    const ref = (await collectTrainingSamples(prompt, config, fakeDenoiser({ seed: 8 }))).reference;
    const full = { ...config, steps: 3, decoder: 'threshold' };
    const run = await collectOracleSamples(prompt, full, fakeDenoiser({ seed: 8 }), ref);
    expect(Array.from(run.output)).toEqual(Array.from(ref));
  });
});

describe("the filter's own trajectory (DAgger-style samples)", () => {
  const config = { maskId: MASK, eosId: 1, genLength: 12, blockLength: 4 };
  const prompt = Int32Array.from([3, 4]);
  const shape = { n: 4, hidden: 8 };

  it('decodes with learn2pd and labels every forward against the reference', async () => {
    const reference = (await collectTrainingSamples(prompt, config, fakeDenoiser({ seed: 9 }))).reference;
    const filter = mlpFilter(paramsToWeights(initParams(shape, 5), shape), 4);
    const run = await collectFilterSamples(prompt, config, fakeDenoiser({ seed: 9 }), filter, 0.5, reference);
    const own = decodeSteps(
      prompt,
      { ...config, steps: 12, decoder: 'learn2pd', eotp: false, tauFilter: 0.5 },
      fakeDenoiser({ seed: 9 }),
      filter,
    );
    const expected: {
      block: number;
      confidence: number[];
      isCorrect: boolean[];
      masked: boolean[];
      stable: boolean[];
    }[] = [];
    const committed = new Set<number>();
    let previous: Int32Array | undefined;
    for (;;) {
      const next = await own.next();
      if (next.done === true) {
        expect(Array.from(run.output)).toEqual(Array.from(next.value.output));
        expect(run.nfe).toBe(next.value.nfe);
        break;
      }
      const e = next.value;
      const block = Array.from({ length: 4 }, (_, k) => e.blockStart + k);
      expect(block.every((i) => i < e.guesses.length)).toBe(true);
      expected.push({
        block: e.blockStart / 4,
        confidence: block.map((i) => e.conf[i]),
        isCorrect: block.map((i) => e.guesses[i] === reference[prompt.length + i]),
        masked: block.map((i) => !committed.has(i)), // from the events' commits, not the loop's canvas
        stable: block.map((i) => previous !== undefined && previous[i] === e.guesses[i]),
      });
      for (const c of e.committed) committed.add(c.pos);
      previous = e.guesses;
    }
    expect(run.samples.length).toBe(run.nfe);
    expect(
      run.samples.map(({ block, confidence, isCorrect, masked, stable }) => ({
        block,
        confidence,
        isCorrect,
        masked,
        stable,
      })),
    ).toEqual(expected);
    expect(run.samples.flatMap((s) => s.stable)).toContain(true);
    const labels = run.samples.flatMap((s) => s.isCorrect);
    expect(labels).toContain(true);
    expect(labels).toContain(false);
    // The step counter restarts with every block.
    for (let k = 0; k < run.samples.length; k++) {
      const s = run.samples[k];
      expect(s.step).toBe(k > 0 && run.samples[k - 1].block === s.block ? run.samples[k - 1].step + 1 : 0);
    }
  });
});

describe('MLP forward', () => {
  it('computes w2 . relu(w1 . x + b1) + b2', () => {
    const w = {
      w1: [
        [1, -1],
        [0.5, 0.5],
      ],
      b1: [0, -1],
      w2: [
        [1, 2],
        [-1, 0],
      ],
      b2: [0.5, 0],
    };
    // pre = [2 - 1, 1 + 0.5 - 1] = [1, 0.5]; out = [1 + 1 + 0.5, -1]
    expect(Array.from(mlpForward(w, [2, 1]))).toEqual([2.5, -1]);
    // negative pre-activations are cut: pre = [-1, 0.5 - 1] -> h = [0, 0]
    expect(Array.from(mlpForward(w, [0, 1]))).toEqual([0.5, 0]);
  });
});

function randomBatch(shape: MlpShape, count: number, seed: number): Batch {
  const rng = createRng(seed);
  const size = count * shape.n;
  const inputs = shape.inputs ?? shape.n;
  const batch: Batch = {
    count,
    x: new Float64Array(count * inputs),
    y: new Float64Array(size),
    w: new Float64Array(size),
    labelled: 0,
  };
  for (let i = 0; i < count * inputs; i++) batch.x[i] = rng();
  for (let i = 0; i < size; i++) {
    batch.w[i] = i % shape.n < shape.n - 1 || i < shape.n ? 1 : 0; // later samples are "short": last slot padded
    batch.y[i] = batch.w[i] * (rng() < 0.5 ? 1 : 0);
    batch.labelled += batch.w[i];
  }
  return batch;
}

describe('BCE gradient', () => {
  it.each([
    ['inputs = outputs (the paper filter)', { n: 5, hidden: 4 }],
    ['three inputs per output (the context filter)', { n: 3, hidden: 4, inputs: 9 }],
  ])('matches central finite differences in float64: %s', (_, shape: MlpShape) => {
    const params = initParams(shape, 11);
    const batch = randomBatch(shape, 6, 12);
    const grad = new Float64Array(paramLayout(shape).size);
    lossAndGrad(params, shape, batch, grad);
    const h = 1e-6;
    for (let i = 0; i < params.length; i++) {
      const p = params.slice();
      p[i] += h;
      const up = lossAndGrad(p, shape, batch);
      p[i] -= 2 * h;
      const down = lossAndGrad(p, shape, batch);
      expect(Math.abs((up - down) / (2 * h) - grad[i])).toBeLessThan(1e-8);
    }
  });
});

describe('AdamW', () => {
  it('matches one hand-computed torch.optim.AdamW step', () => {
    const p = Float64Array.from([1, -2]);
    const opt = new AdamW(2, { lr: 0.1 });
    opt.step(p, Float64Array.from([0.5, -0.25]));
    // p *= 1 - lr*wd; m = 0.1 g, v = 0.001 g^2; m/(1-0.9) = g; sqrt(v/(1-0.999)) = |g|; p -= lr * g / (|g| + eps)
    expect(p[0]).toBeCloseTo(1 * (1 - 0.001) - (0.1 * 0.5) / (0.5 + 1e-8), 12);
    expect(p[1]).toBeCloseTo(-2 * (1 - 0.001) + (0.1 * 0.25) / (0.25 + 1e-8), 12);
  });

  it('uses the spec defaults', () => {
    expect(new AdamW(1)).toMatchObject({ lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  });
});

/** Separable toy data: correct slots have confidence in [0.7, 1), wrong ones in [0, 0.4). */
function toyData(count: number, seed: number, len = 8): LabelledBlock[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const isCorrect = Array.from({ length: len }, () => rng() < 0.5);
    return { confidence: isCorrect.map((t) => (t ? 0.7 + 0.3 * rng() : 0.4 * rng())), isCorrect };
  });
}

describe('filter training', () => {
  it('refuses empty, tiny, single-class and malformed data sets with a reason', () => {
    expect(() => trainFilter([])).toThrow(
      new TrainingDataError('no training samples: collect oracle trajectories first'),
    );
    expect(() => trainFilter(toyData(2, 1))).toThrow(/cannot be split 80\/10\/10/);
    const allTrue = toyData(5, 1).map((s) => ({ ...s, isCorrect: s.isCorrect.map(() => true) }));
    expect(() => trainFilter(allTrue)).toThrow(/all 40 labels are true: a single-class data set/);
    expect(() => trainFilter([...toyData(4, 1), { confidence: [0.5], isCorrect: [] }])).toThrow(
      /sample 4 has 1 confidences but 0 labels/,
    );
    expect(() => trainFilter(toyData(4, 1, 40))).toThrow(/the filter takes 1 to 32/);
  });

  it('splits 80/10/10 deterministically, disjoint and complete', () => {
    const s = splitIndices(100, 3);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([80, 10, 10]);
    expect([...s.train, ...s.validation, ...s.test].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(splitIndices(100, 3)).toEqual(s);
    expect(splitIndices(100, 4)).not.toEqual(s);
  });

  it('learns a separable rule, stops early, and reports test error rates at tauFilter', () => {
    const data = toyData(400, 5);
    const val: number[] = [];
    // lr 0.03 only to keep the test fast; the default is the spec's 3e-3
    const trained = trainFilter(data, {
      filterSize: 8,
      maxEpochs: 3000,
      patience: 100,
      tauFilter: 0.5,
      seed: 1,
      lr: 0.03,
      onEpoch: (e) => val.push(e.valLoss),
    });
    expect(trained.split).toEqual({ train: 320, validation: 40, test: 40 });
    expect(trained.epochs).toBe(val.length);
    expect(trained.epochs).toBeLessThan(3000); // early stopping fired
    expect(trained.epochs - trained.bestEpoch).toBe(100);
    expect(trained.valLoss).toBe(Math.min(...val));
    expect(trained.valLoss).toBeLessThan(0.3 * val[0]);
    expect(trained.test.falseAcceptRate).toBeLessThan(0.1);
    expect(trained.test.falseRejectRate).toBeLessThan(0.15);
    expect(trained.test.tp + trained.test.fp + trained.test.tn + trained.test.fn).toBe(40 * 8);
    // the weights drive the decoder's filter directly
    const filter = mlpFilter(trained.weights, 8);
    const logits = filter.logits(Float32Array.from([0.95, 0.05, 0.9, 0.1, 0.99, 0.2, 0.8, 0.3]));
    expect(Array.from(logits as Float32Array).map((z) => z > 0)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('is reproducible from its seed', () => {
    const data = toyData(30, 6);
    const a = trainFilter(data, { filterSize: 8, maxEpochs: 20, seed: 9 });
    const b = trainFilter(data, { filterSize: 8, maxEpochs: 20, seed: 9 });
    expect(a).toEqual(b);
  });

  it('pads short samples and leaves padding out of the loss', () => {
    const shape = { n: 4, hidden: 4 };
    const params = initParams(shape, 2);
    const short: Batch = {
      count: 1,
      x: Float64Array.from([0.9, 0, 0, 0]),
      y: Float64Array.from([1, 0, 0, 0]),
      w: Float64Array.from([1, 0, 0, 0]),
      labelled: 1,
    };
    const flipped: Batch = { ...short, y: Float64Array.from([1, 1, 1, 1]) };
    expect(lossAndGrad(params, shape, short)).toBe(lossAndGrad(params, shape, flipped));
    const rates = errorRates(params, shape, short, 0.5);
    expect(rates.tp + rates.fn).toBe(1);
    expect(rates.fp + rates.tn).toBe(0);
    expect(rates.falseAcceptRate).toBe(0);
  });

  it("trains a 'context' filter on a rule only its flags reveal, and refuses samples without them", () => {
    const rng = createRng(3);
    const data: LabelledBlock[] = Array.from({ length: 300 }, () => {
      const stable = Array.from({ length: 8 }, () => rng() < 0.5);
      const masked = Array.from({ length: 8 }, () => rng() < 0.5);
      return { confidence: stable.map(() => rng()), masked, stable, isCorrect: stable.map((s, i) => s || !masked[i]) };
    });
    const options = { filterSize: 8, hidden: 16, maxEpochs: 2000, patience: 100, tauFilter: 0.5, seed: 1, lr: 0.03 };
    const context = trainFilter(data, { ...options, features: 'context' });
    const plain = trainFilter(data, options);
    expect(context.weights.w1[0].length).toBe(24);
    expect(context.test.falseAcceptRate + context.test.falseRejectRate).toBeLessThan(0.05);
    expect(plain.testLoss).toBeGreaterThan(5 * context.testLoss); // confidences here are noise
    const filter = mlpFilter(context.weights, 8, 'context');
    const input = new Float32Array(24);
    input.fill(1, 8, 16); // all masked ...
    input[16] = 1; // ... and only slot 0 stable
    expect(Array.from(filter.logits(input) as Float32Array).map((z) => z > 0)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(() => trainFilter(toyData(10, 1), { ...options, features: 'context' })).toThrow(
      /sample 0 has no masked\/stable flags/,
    );
    expect(() => mlpFilter(context.weights, 8)).toThrow(/w1\[0\] must have 8 columns/);
  });

  it('the masked-only loss ignores the labels of committed positions and counts only masked ones', () => {
    const rng = createRng(4);
    const data: LabelledBlock[] = toyData(40, 7).map((s) => ({
      ...s,
      masked: s.isCorrect.map(() => rng() < 0.6),
      stable: s.isCorrect.map(() => false),
    }));
    const flipped = data.map((s) => ({ ...s, isCorrect: s.isCorrect.map((t, i) => (s.masked?.[i] ? t : !t)) }));
    const options = { filterSize: 8, maxEpochs: 30, seed: 2, loss: 'masked' as const };
    const a = trainFilter(data, options);
    expect(trainFilter(flipped, options)).toEqual(a);
    expect(trainFilter(flipped, { ...options, loss: 'all' }).weights).not.toEqual(
      trainFilter(data, { ...options, loss: 'all' }).weights,
    );
    const maskedInTest = splitIndices(40, 2).test.reduce(
      (n, i) => n + (data[i].masked?.filter(Boolean).length ?? 0),
      0,
    );
    expect(a.test.tp + a.test.fp + a.test.tn + a.test.fn).toBe(maskedInTest);
    expect(() => trainFilter(toyData(10, 1), options)).toThrow(
      /sample 0 has no masked flags, which the masked-only loss needs/,
    );
  });

  it('initialises like nn.Linear: uniform within 1/sqrt(fan_in)', () => {
    const w = paramsToWeights(initParams({ n: 32, hidden: 16 }, 4), { n: 32, hidden: 16 });
    expect(w.w1.flat().every((v) => Math.abs(v) <= 1 / Math.sqrt(32))).toBe(true);
    expect(w.w2.flat().every((v) => Math.abs(v) <= 1 / Math.sqrt(16))).toBe(true);
    expect(Math.max(...w.w2.flat().map(Math.abs))).toBeGreaterThan(0.2); // spans the wider range
    expect([w.w1.length, w.w1[0].length, w.w2.length, w.w2[0].length]).toEqual([16, 32, 32, 16]);
  });
});
