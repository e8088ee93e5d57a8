// The filter MLP's arithmetic, shared by both kinds of filter: the shape check of plain weights, the forward in
// float64, and the squashing functions the features and the accept rule use.
import { ConfigError } from './errors';
import type { MlpWeights } from './types';

/** Checks the weights' shapes given the input size for n outputs (a slot filter: n = 1, inputs = its features). */
export function checkedMlpShape(
  weights: MlpWeights,
  inputsFor: (n: number) => number,
  features = 'confidence',
): { n: number; hidden: number; inputs: number } {
  const { w1, b1, w2, b2 } = weights;
  const hidden = b1.length;
  const n = b2.length;
  const inputs = inputsFor(n);
  if (n === 0 || hidden === 0) throw new ConfigError('filter weights must not be empty');
  if (w1.length !== hidden)
    throw new ConfigError(`filter w1 must have ${hidden} rows (one per b1 entry), got ${w1.length}`);
  w1.forEach((row, r) => {
    if (row.length !== inputs) {
      throw new ConfigError(
        `filter w1[${r}] must have ${inputs} columns (the input size${inputs === n ? ' = b2 length' : `, for ${features} features`}), got ${row.length}`,
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

/** The 'log-odds' feature: log(c / (1 - c)) / 8, c clipped to [1e-7, 1 - 1e-7] (so within [-2.02, 2.02]). */
export function logOdds(c: number): number {
  const p = Math.min(1 - 1e-7, Math.max(1e-7, c));
  return Math.log(p / (1 - p)) / 8;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
