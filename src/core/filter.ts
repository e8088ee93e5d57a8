// The Learn2PD filter at inference (spec §3 "Filter model"): the MLP forward over plain weights, a Filter built
// from them, the filter's input for one block (written once, for training and inference alike) and the accept
// mask of one block (zero-padding a short block to the filter size, truncating back).
import { ConfigError, ModelOutputError } from './errors';
import type { BlockFeatures, Filter, FilterFeatures, MlpWeights } from './types';

/** Input values per block position: 3 for 'context', else 1. */
export function featureGroups(features: FilterFeatures = 'confidence'): number {
  return features === 'context' ? 3 : 1;
}

/**
 * Checks w1 [hidden][inputs], b1 [hidden], w2 [n][hidden], b2 [n], with inputs = n * featureGroups(features), and
 * returns { n, hidden, inputs }.
 */
export function mlpShape(
  weights: MlpWeights,
  features: FilterFeatures = 'confidence',
): { n: number; hidden: number; inputs: number } {
  const { w1, b1, w2, b2 } = weights;
  const hidden = b1.length;
  const n = b2.length;
  const inputs = n * featureGroups(features);
  if (n === 0 || hidden === 0) throw new ConfigError('filter weights must not be empty');
  if (w1.length !== hidden)
    throw new ConfigError(`filter w1 must have ${hidden} rows (one per b1 entry), got ${w1.length}`);
  w1.forEach((row, r) => {
    if (row.length !== inputs) {
      throw new ConfigError(
        `filter w1[${r}] must have ${inputs} columns (the input size = b2 length${inputs === n ? '' : ` x ${featureGroups(features)} ${features} feature groups`}), got ${row.length}`,
      );
    }
  });
  if (w2.length !== n) throw new ConfigError(`filter w2 must have ${n} rows (one per b2 entry), got ${w2.length}`);
  w2.forEach((row, r) => {
    if (row.length !== hidden)
      throw new ConfigError(`filter w2[${r}] must have ${hidden} columns (the hidden size), got ${row.length}`);
  });
  return { n, hidden, inputs };
}

/** out = w2 . relu(w1 . x + b1) + b2, in float64. x: [inputs] -> out: [n]. */
export function mlpForward(weights: MlpWeights, x: ArrayLike<number>): Float64Array {
  const { w1, b1, w2, b2 } = weights;
  const h = new Float64Array(b1.length);
  for (let r = 0; r < h.length; r++) {
    let s = b1[r];
    const row = w1[r];
    for (let c = 0; c < row.length; c++) s += row[c] * x[c];
    h[r] = s > 0 ? s : 0;
  }
  const out = new Float64Array(b2.length);
  for (let r = 0; r < out.length; r++) {
    let s = b2[r];
    const row = w2[r];
    for (let c = 0; c < row.length; c++) s += row[c] * h[c];
    out[r] = s;
  }
  return out;
}

/**
 * A synchronous Filter over MLP weights. Its blockLength is the filter's output size (the weights' n); it serves
 * decoders with blocks up to that size (the paper's 32-wide filter also decodes blocks of 16, zero-padded).
 * Passing `blockLength` asserts that size.
 */
export function mlpFilter(weights: MlpWeights, blockLength?: number, features: FilterFeatures = 'confidence'): Filter {
  const { n, inputs } = mlpShape(weights, features);
  if (blockLength !== undefined && n !== blockLength)
    throw new ConfigError(`filter weights are for blocks of ${n}, not ${blockLength}`);
  return {
    blockLength: n,
    features,
    logits: (input) => {
      if (input.length !== inputs)
        throw new ConfigError(`filter input must hold ${inputs} values, got ${input.length}`);
      return Float32Array.from(mlpForward(weights, input));
    },
  };
}

/** The 'log-odds' feature: log(c / (1 - c)) / 8, c clipped to [1e-7, 1 - 1e-7] (so within [-2.02, 2.02]). */
export function logOdds(c: number): number {
  const p = Math.min(1 - 1e-7, Math.max(1e-7, c));
  return Math.log(p / (1 - p)) / 8;
}

/**
 * The filter's input for one block, written into `out` at `offset` (`size` values per feature group): the
 * confidences (as log-odds for 'log-odds'), then for 'context' the masked and stable flags as 0/1. Past the block's
 * end every group reads as a confidence of 0 and flags of 0 (the paper's zero padding, which for 'log-odds' is
 * logOdds(0), not 0: that would read as a confidence of 0.5). Training batches and inference both go through here,
 * so the two cannot disagree on the layout.
 */
export function writeFilterInput(
  block: BlockFeatures,
  features: FilterFeatures,
  size: number,
  out: Float32Array | Float64Array,
  offset = 0,
): void {
  const len = block.confidence.length;
  if (len > size) throw new ConfigError(`block of ${len} is longer than the filter's ${size}`);
  const value = features === 'log-odds' ? logOdds : (c: number) => c;
  for (let i = 0; i < size; i++) out[offset + i] = value(i < len ? block.confidence[i] : 0);
  if (features !== 'context') return;
  const { masked, stable } = block;
  if (masked?.length !== len || stable?.length !== len)
    throw new ConfigError(
      `the '${features}' filter needs masked and stable flags for each of the block's ${len} positions`,
    );
  for (let i = 0; i < size; i++) {
    out[offset + size + i] = i < len && masked[i] ? 1 : 0;
    out[offset + 2 * size + i] = i < len && stable[i] ? 1 : 0;
  }
}

/** BlockFeatures as the loop records them. */
export interface RecordedFeatures {
  confidence: number[];
  masked: boolean[];
  stable: boolean[];
}

/**
 * Block-relative features of [start, end) at one step: confidences, masked flags of `x` (the sequence before the
 * step's commit) and stable flags (top1 equals `prevTop1`, the previous forward's, where it has the position).
 */
export function blockFeatures(
  x: Int32Array,
  top1: Int32Array,
  conf: ArrayLike<number>,
  prevTop1: Int32Array | undefined,
  start: number,
  end: number,
  maskId: number,
): RecordedFeatures {
  const confidence: number[] = [];
  const masked: boolean[] = [];
  const stable: boolean[] = [];
  for (let i = start; i < end; i++) {
    confidence.push(conf[i]);
    masked.push(x[i] === maskId);
    stable.push(prevTop1 !== undefined && i < prevTop1.length && prevTop1[i] === top1[i]);
  }
  return { confidence, masked, stable };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * accept[i] = sigmoid(f(features))[i] > tauFilter for one block. For the paper's filter the input is all block
 * positions' confidences as float32, committed ones included; a block shorter than the filter (cut by EoTP) is
 * right-padded with zeros and the output truncated back. Result: [block length].
 */
export async function filterAccepts(filter: Filter, block: BlockFeatures, tauFilter: number): Promise<boolean[]> {
  const len = block.confidence.length;
  const features = filter.features ?? 'confidence';
  const input = new Float32Array(filter.blockLength * featureGroups(features));
  writeFilterInput(block, features, filter.blockLength, input);
  const logits = await filter.logits(input);
  if (logits.length !== filter.blockLength) {
    throw new ModelOutputError(`filter returned ${logits.length} logits for a block of ${filter.blockLength}`);
  }
  const accept: boolean[] = [];
  for (let i = 0; i < len; i++) accept.push(sigmoid(logits[i]) > tauFilter);
  return accept;
}
