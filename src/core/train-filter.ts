// Filter training (spec §3 step 3): oracle samples -> a seeded 80/10/10 split -> full-batch AdamW on mean BCE
// with early stopping on validation loss -> the best weights with their losses and the test error rates at the
// inference threshold (a false accept corrupts the output, a false reject only costs a step).
import { AdamW } from './adamw';
import { TrainingDataError } from './errors';
import { featureGroups, writeFilterInput } from './filter';
import {
  type Batch,
  forwardLogits,
  initParams,
  lossAndGrad,
  type MlpShape,
  paramLayout,
  paramsToWeights,
} from './mlp-train';
import { createRng, shuffled } from './prng';
import { writeSlotInput } from './slot-filter';
import type { BlockFeatures, FilterFeatures, FilterKind, MlpWeights, SlotFeature } from './types';
import { DEFAULT_TAU_FILTER } from './vocabulary';

/** A training record: the oracle's OracleSample carries these fields (and block/step, unused here). */
export interface LabelledBlock extends BlockFeatures {
  confidence: readonly number[];
  isCorrect: readonly boolean[];
}

export interface TrainFilterOptions {
  /** 'block' (default): the paper's MLP over a whole block; 'slot': one MLP shared by every slot (slotFeatures). */
  kind?: FilterKind;
  filterSize?: number; // outputs of a block filter; default 32 (the paper's); shorter samples are zero-padded
  features?: FilterFeatures; // what a block filter reads; default 'confidence' (the paper's: inputs = outputs)
  /** What a slot filter reads of each slot (required for kind 'slot'); its samples give the block length. */
  slotFeatures?: readonly SlotFeature[];
  /** The decoder's block length, which a slot filter's position and step features are relative to. */
  blockLength?: number;
  /**
   * Which outputs the loss (and the reported error rates) cover: 'all' block positions, the reference's (spec §3:
   * committed ones included, whose outputs decoding never reads), or only those still 'masked' at the sample's
   * step (a named variant, spec §6's second pitfall; needs the samples' masked flags). Default 'all'.
   */
  loss?: 'all' | 'masked';
  hidden?: number; // default filterSize
  seed?: number; // split and init; default 0
  lr?: number; // default 3e-3
  weightDecay?: number; // default 0.01 (PyTorch AdamW's)
  maxEpochs?: number; // default 40_000 (the paper's run length)
  patience?: number; // epochs without a new best validation loss before stopping; default 500
  tauFilter?: number; // threshold for the test error rates; default DEFAULT_TAU_FILTER
  onEpoch?: (info: { epoch: number; trainLoss: number; valLoss: number; bestValLoss: number }) => void;
}

export interface FilterErrorRates {
  tauFilter: number;
  /** fp / (fp + tn): labelled-false outputs the filter accepts; 0 when the test split has no false label. */
  falseAcceptRate: number;
  /** fn / (fn + tp): labelled-true outputs the filter rejects; 0 when the test split has no true label. */
  falseRejectRate: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface TrainedFilter {
  weights: MlpWeights;
  epochs: number; // epochs run
  bestEpoch: number; // the epoch whose weights are returned (0 = the initial weights)
  trainLoss: number; // losses of the returned weights
  valLoss: number;
  testLoss: number;
  split: { train: number; validation: number; test: number }; // sample counts
  test: FilterErrorRates;
}

/** Per slot rows (n = 1): one row per labelled block position of every sample (all, or only the masked ones). */
function slotBatch(
  items: readonly LabelledBlock[],
  features: readonly SlotFeature[],
  blockLength: number,
  loss: 'all' | 'masked',
): Batch {
  const rows = items.map((s) => s.isCorrect.flatMap((_, i) => (loss === 'all' || s.masked?.[i] === true ? [i] : [])));
  const count = rows.reduce((a, r) => a + r.length, 0);
  const d = features.length;
  const batch: Batch = {
    count,
    x: new Float64Array(count * d),
    y: new Float64Array(count),
    w: new Float64Array(count).fill(1),
    labelled: count,
  };
  let at = 0;
  items.forEach((s, k) => {
    writeSlotInput({ ...s, blockLength }, features, batch.x, at * d, rows[k]);
    for (const i of rows[k]) batch.y[at++] = s.isCorrect[i] ? 1 : 0;
  });
  return batch;
}

function toBatch(items: readonly LabelledBlock[], n: number, features: FilterFeatures, loss: 'all' | 'masked'): Batch {
  const count = items.length;
  const inputs = n * featureGroups(features);
  const batch: Batch = {
    count,
    x: new Float64Array(count * inputs),
    y: new Float64Array(count * n),
    w: new Float64Array(count * n),
    labelled: 0,
  };
  items.forEach((s, k) => {
    writeFilterInput(s, features, n, batch.x, k * inputs);
    for (let i = 0; i < s.confidence.length; i++) {
      const counted = loss === 'all' || s.masked?.[i] === true ? 1 : 0;
      batch.y[k * n + i] = s.isCorrect[i] ? counted : 0;
      batch.w[k * n + i] = counted;
      batch.labelled += counted;
    }
  });
  return batch;
}

function checkData(
  samples: readonly LabelledBlock[],
  n: number,
  features: FilterFeatures,
  loss: 'all' | 'masked',
  slotFeatures?: readonly SlotFeature[],
): void {
  if (samples.length === 0) throw new TrainingDataError('no training samples: collect oracle trajectories first');
  if (samples.length < 3)
    throw new TrainingDataError(`${samples.length} samples cannot be split 80/10/10: need at least 3`);
  let positives = 0;
  let total = 0;
  samples.forEach((s, k) => {
    if (s.confidence.length !== s.isCorrect.length) {
      throw new TrainingDataError(
        `sample ${k} has ${s.confidence.length} confidences but ${s.isCorrect.length} labels`,
      );
    }
    if (s.confidence.length === 0 || s.confidence.length > n) {
      throw new TrainingDataError(`sample ${k} has ${s.confidence.length} confidences; the filter takes 1 to ${n}`);
    }
    if (s.confidence.some((c) => !Number.isFinite(c)))
      throw new TrainingDataError(`sample ${k} has a non-finite confidence`);
    if (
      features === 'context' &&
      (s.masked?.length !== s.confidence.length || s.stable?.length !== s.confidence.length)
    ) {
      throw new TrainingDataError(
        `sample ${k} has no masked/stable flags, which the 'context' filter reads: collect the trajectories again with this version`,
      );
    }
    if (slotFeatures !== undefined) {
      const len = s.confidence.length;
      const lacks = [
        slotFeatures.includes('margin') && s.margin?.length !== len ? 'margin' : '',
        slotFeatures.includes('entropy') && s.entropy?.length !== len ? 'entropy' : '',
        slotFeatures.includes('stable') && s.stable?.length !== len ? 'stable flags' : '',
        s.masked?.length !== len ? 'masked flags' : '',
        !Number.isInteger(s.step) ? 'step' : '',
      ].filter((x) => x !== '');
      if (lacks.length > 0)
        throw new TrainingDataError(
          `sample ${k} has no ${lacks.join(', ')}, which the slot filter (reading ${slotFeatures.join(', ')}) needs: collect the trajectories again with this version`,
        );
    }
    if (loss === 'masked' && s.masked?.length !== s.confidence.length) {
      throw new TrainingDataError(
        `sample ${k} has no masked flags, which the masked-only loss needs: collect the trajectories again with this version`,
      );
    }
    s.isCorrect.forEach((label, i) => {
      if (loss === 'masked' && s.masked?.[i] !== true) return;
      if (label) positives++;
      total++;
    });
  });
  if (positives === 0 || positives === total) {
    throw new TrainingDataError(
      `all ${total} labels are ${positives === 0 ? 'false' : 'true'}: a single-class data set teaches the filter a constant; collect more varied trajectories`,
    );
  }
}

/** Seeded 80/10/10 split of sample indices; validation and test get at least one sample each. */
export function splitIndices(count: number, seed: number): { train: number[]; validation: number[]; test: number[] } {
  const order = shuffled(
    Array.from({ length: count }, (_, i) => i),
    createRng(seed),
  );
  const nVal = Math.max(1, Math.floor(count * 0.1));
  const nTest = Math.max(1, Math.floor(count * 0.1));
  return { validation: order.slice(0, nVal), test: order.slice(nVal, nVal + nTest), train: order.slice(nVal + nTest) };
}

/** Error rates of `p` on `batch` at `tauFilter` (accept = sigmoid(z) > tauFilter), labelled outputs only. */
export function errorRates(p: Float64Array, shape: MlpShape, batch: Batch, tauFilter: number): FilterErrorRates {
  const z = forwardLogits(p, shape, batch);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < z.length; i++) {
    if (batch.w[i] === 0) continue;
    const accept = 1 / (1 + Math.exp(-z[i])) > tauFilter;
    if (batch.y[i] === 1) {
      if (accept) tp++;
      else fn++;
    } else if (accept) fp++;
    else tn++;
  }
  return {
    tauFilter,
    falseAcceptRate: fp + tn === 0 ? 0 : fp / (fp + tn),
    falseRejectRate: fn + tp === 0 ? 0 : fn / (fn + tp),
    tp,
    fp,
    tn,
    fn,
  };
}

/**
 * The filter MLP's training, epoch by epoch (spec §3 step 3), so a caller that must stay responsive (the browser's
 * worker, which hears a cancel only between tasks) can run it in slices: `run(n)` trains up to n more epochs and
 * says whether training has ended (the epoch budget spent or early stopping), `result()` gives the best weights.
 * trainFilter runs the same trainer in one go, so a sliced run and a whole one give the same weights.
 * The constructor throws TrainingDataError for an empty, tiny or single-class data set.
 */
export class FilterTrainer {
  private readonly shape: MlpShape;
  private readonly params: Float64Array;
  private readonly grad: Float64Array;
  private readonly opt: AdamW;
  private readonly train: Batch;
  private readonly validation: Batch;
  private readonly test: Batch;
  private readonly split: { train: number; validation: number; test: number };
  private readonly maxEpochs: number;
  private readonly patience: number;
  private readonly tauFilter: number;
  private best: Float64Array;
  private bestVal: number;
  private bestEpoch = 0;
  /** Epochs run so far. */
  epoch = 0;

  constructor(
    samples: readonly LabelledBlock[],
    private readonly options: TrainFilterOptions = {},
  ) {
    const slot = options.kind === 'slot';
    const slotFeatures = options.slotFeatures;
    if (slot && (slotFeatures === undefined || slotFeatures.length === 0))
      throw new TrainingDataError('a slot filter needs the features it reads (slotFeatures)');
    const n = slot ? 1 : (options.filterSize ?? 32);
    const features = options.features ?? 'confidence';
    const loss = options.loss ?? 'all';
    const blockLength = options.blockLength ?? options.filterSize ?? 32;
    const inputs = slot ? (slotFeatures?.length ?? 0) : n * featureGroups(features);
    this.shape = { n, hidden: options.hidden ?? (slot ? 16 : n), inputs };
    const seed = options.seed ?? 0;
    this.maxEpochs = options.maxEpochs ?? 40_000;
    this.patience = options.patience ?? 500;
    this.tauFilter = options.tauFilter ?? DEFAULT_TAU_FILTER;
    checkData(samples, slot ? blockLength : n, features, loss, slot ? slotFeatures : undefined);
    const idx = splitIndices(samples.length, seed);
    const pick = (ids: number[]): Batch => {
      const items = ids.map((i) => samples[i]);
      return slot && slotFeatures
        ? slotBatch(items, slotFeatures, blockLength, loss)
        : toBatch(items, n, features, loss);
    };
    this.train = pick(idx.train);
    this.validation = pick(idx.validation);
    this.test = pick(idx.test);
    for (const [name, b] of [
      ['train', this.train],
      ['validation', this.validation],
      ['test', this.test],
    ] as const) {
      if (b.labelled === 0)
        throw new TrainingDataError(
          `the ${name} split has no labelled output (no masked position in any of its samples)`,
        );
    }
    this.split = { train: idx.train.length, validation: idx.validation.length, test: idx.test.length };
    this.params = initParams(this.shape, (seed ^ 0x9e3779b9) >>> 0); // a different stream from the split's
    this.grad = new Float64Array(paramLayout(this.shape).size);
    this.opt = new AdamW(this.params.length, { lr: options.lr, weightDecay: options.weightDecay });
    this.best = this.params.slice();
    this.bestVal = lossAndGrad(this.params, this.shape, this.validation);
  }

  /** Whether training has ended: the epoch budget is spent or the validation loss stopped improving. */
  get done(): boolean {
    return this.epoch >= this.maxEpochs || this.epoch - this.bestEpoch >= this.patience;
  }

  /** The most epochs this run can still take (it may stop earlier). */
  get maxEpochsLeft(): number {
    return this.maxEpochs - this.epoch;
  }

  /** Trains up to `epochs` more epochs (calling onEpoch after each); returns `done`. */
  run(epochs: number): boolean {
    for (let k = 0; k < epochs && !this.done; k++) {
      this.epoch++;
      const trainLoss = lossAndGrad(this.params, this.shape, this.train, this.grad);
      this.opt.step(this.params, this.grad);
      const valLoss = lossAndGrad(this.params, this.shape, this.validation);
      if (valLoss < this.bestVal) {
        this.bestVal = valLoss;
        this.bestEpoch = this.epoch;
        this.best = this.params.slice();
      }
      this.options.onEpoch?.({ epoch: this.epoch, trainLoss, valLoss, bestValLoss: this.bestVal });
    }
    return this.done;
  }

  /** The best weights so far, with their losses and the test error rates at the inference threshold. */
  result(): TrainedFilter {
    const { best, shape } = this;
    return {
      weights: paramsToWeights(best, shape),
      epochs: this.epoch,
      bestEpoch: this.bestEpoch,
      trainLoss: lossAndGrad(best, shape, this.train),
      valLoss: this.bestVal,
      testLoss: lossAndGrad(best, shape, this.test),
      split: { ...this.split },
      test: errorRates(best, shape, this.test, this.tauFilter),
    };
  }
}

/** Trains the filter MLP in one go; throws TrainingDataError for an empty, tiny or single-class data set. */
export function trainFilter(samples: readonly LabelledBlock[], options: TrainFilterOptions = {}): TrainedFilter {
  const trainer = new FilterTrainer(samples, options);
  trainer.run(Number.POSITIVE_INFINITY);
  return trainer.result();
}
