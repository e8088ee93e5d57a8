// The Learn2PD filter at inference (spec §3 "Filter model"): the MLP forward over plain weights, a Filter built
// from them, and the accept mask of one block (zero-padding a short block to the filter size, truncating back).
import { ConfigError, ModelOutputError } from './errors';
import type { Confidences, Filter, MlpWeights } from './types';

/** Checks w1 [hidden][n], b1 [hidden], w2 [n][hidden], b2 [n] and returns { n, hidden }. */
export function mlpShape(weights: MlpWeights): { n: number; hidden: number } {
  const { w1, b1, w2, b2 } = weights;
  const hidden = b1.length;
  const n = b2.length;
  if (n === 0 || hidden === 0) throw new ConfigError('filter weights must not be empty');
  if (w1.length !== hidden) throw new ConfigError(`filter w1 must have ${hidden} rows (one per b1 entry), got ${w1.length}`);
  w1.forEach((row, r) => {
    if (row.length !== n) throw new ConfigError(`filter w1[${r}] must have ${n} columns (the input size = b2 length), got ${row.length}`);
  });
  if (w2.length !== n) throw new ConfigError(`filter w2 must have ${n} rows (one per b2 entry), got ${w2.length}`);
  w2.forEach((row, r) => {
    if (row.length !== hidden) throw new ConfigError(`filter w2[${r}] must have ${hidden} columns (the hidden size), got ${row.length}`);
  });
  return { n, hidden };
}

/** out = w2 . relu(w1 . x + b1) + b2, in float64. x: [n] -> out: [n]. */
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
 * A synchronous Filter over MLP weights. Its blockLength is the filter's input size (the weights' n); it serves
 * decoders with blocks up to that size (the paper's 32-wide filter also decodes blocks of 16, zero-padded).
 * Passing `blockLength` asserts that size.
 */
export function mlpFilter(weights: MlpWeights, blockLength?: number): Filter {
  const { n } = mlpShape(weights);
  if (blockLength !== undefined && n !== blockLength) throw new ConfigError(`filter weights take ${n} inputs, not ${blockLength}`);
  return {
    blockLength: n,
    logits: (conf) => {
      if (conf.length !== n) throw new ConfigError(`filter input must hold ${n} confidences, got ${conf.length}`);
      return Float32Array.from(mlpForward(weights, conf));
    },
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * accept[i] = sigmoid(f(c[s..e)))[i] > tauFilter for the block [start, end) of `conf`. The input is all block
 * positions' confidences as float32, committed ones included; a block shorter than the filter (cut by EoTP) is
 * right-padded with zeros and the output truncated back. Result: [end - start].
 */
export async function filterAccepts(filter: Filter, conf: Confidences, start: number, end: number, tauFilter: number): Promise<boolean[]> {
  const len = end - start;
  if (len > filter.blockLength) throw new ConfigError(`block of ${len} is longer than the filter's ${filter.blockLength}`);
  const input = new Float32Array(filter.blockLength); // zero padding past `len`
  for (let i = 0; i < len; i++) input[i] = conf[start + i];
  const logits = await filter.logits(input);
  if (logits.length !== filter.blockLength) {
    throw new ModelOutputError(`filter returned ${logits.length} logits for a block of ${filter.blockLength}`);
  }
  const accept: boolean[] = [];
  for (let i = 0; i < len; i++) accept.push(sigmoid(logits[i]) > tauFilter);
  return accept;
}
