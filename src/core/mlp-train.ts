// The filter MLP as a trainable model: flat float64 parameters, nn.Linear-style seeded initialisation, and the
// full-batch BCE-with-logits loss with its analytic gradient (spec §3 step 3). Shapes: n outputs (the block/filter
// size), `inputs` inputs (n for the paper's confidence-only filter; a multiple of n for richer features), h hidden units.
import { createRng, uniform } from './prng';
import type { MlpWeights } from './types';

export interface MlpShape {
  n: number;
  hidden: number;
  inputs?: number; // default n
}

const inputsOf = (shape: MlpShape): number => shape.inputs ?? shape.n;

/** Offsets into the flat parameter vector: w1 [h][inputs] | b1 [h] | w2 [n][h] | b2 [n]. */
export function paramLayout(shape: MlpShape): { w1: number; b1: number; w2: number; b2: number; size: number } {
  const { n, hidden } = shape;
  const w1 = 0;
  const b1 = w1 + hidden * inputsOf(shape);
  const w2 = b1 + hidden;
  const b2 = w2 + n * hidden;
  return { w1, b1, w2, b2, size: b2 + n };
}

/** PyTorch nn.Linear's default init: weights and biases uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), seeded. */
export function initParams(shape: MlpShape, seed: number): Float64Array {
  const rng = createRng(seed);
  const l = paramLayout(shape);
  const p = new Float64Array(l.size);
  const a1 = 1 / Math.sqrt(inputsOf(shape));
  const a2 = 1 / Math.sqrt(shape.hidden);
  for (let i = l.w1; i < l.w2; i++) p[i] = uniform(rng, -a1, a1); // w1 and b1: fan_in = inputs
  for (let i = l.w2; i < l.size; i++) p[i] = uniform(rng, -a2, a2); // w2 and b2: fan_in = hidden
  return p;
}

export function paramsToWeights(p: Float64Array, shape: MlpShape): MlpWeights {
  const l = paramLayout(shape);
  const rows = (off: number, r: number, c: number): number[][] =>
    Array.from({ length: r }, (_, i) => Array.from(p.subarray(off + i * c, off + (i + 1) * c)));
  return {
    w1: rows(l.w1, shape.hidden, inputsOf(shape)),
    b1: Array.from(p.subarray(l.b1, l.w2)),
    w2: rows(l.w2, shape.n, shape.hidden),
    b2: Array.from(p.subarray(l.b2, l.size)),
  };
}

/**
 * A batch: x [count][inputs] inputs (short blocks zero-padded), y [count][n] labels in {0,1}, and w [count][n] =
 * 1 where a label exists, 0 at padding. The loss averages over the labelled outputs only, which for full-size
 * samples is exactly "averaged over all outputs of all samples".
 */
export interface Batch {
  count: number;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  labelled: number; // sum of w
}

/**
 * One sample's forward, written once for inference-time logits and for training: reads x[xo..xo+inputs), fills
 * pre [hidden] (before relu), h [hidden] (after relu) and z[zo..zo+n) (logits).
 */
function forwardSample(
  p: Float64Array,
  shape: MlpShape,
  l: ReturnType<typeof paramLayout>,
  x: Float64Array,
  xo: number,
  pre: Float64Array,
  h: Float64Array,
  z: Float64Array,
  zo: number,
): void {
  const { n, hidden } = shape;
  const inputs = inputsOf(shape);
  for (let r = 0; r < hidden; r++) {
    let a = p[l.b1 + r];
    const wo = l.w1 + r * inputs;
    for (let c = 0; c < inputs; c++) a += p[wo + c] * x[xo + c];
    pre[r] = a;
    h[r] = a > 0 ? a : 0;
  }
  for (let r = 0; r < n; r++) {
    let a = p[l.b2 + r];
    const wo = l.w2 + r * hidden;
    for (let c = 0; c < hidden; c++) a += p[wo + c] * h[c];
    z[zo + r] = a;
  }
}

/** Output logits of every sample: [count][n]. */
export function forwardLogits(p: Float64Array, shape: MlpShape, batch: Batch): Float64Array {
  const z = new Float64Array(batch.count * shape.n);
  const pre = new Float64Array(shape.hidden);
  const h = new Float64Array(shape.hidden);
  const l = paramLayout(shape);
  for (let s = 0; s < batch.count; s++)
    forwardSample(p, shape, l, batch.x, s * inputsOf(shape), pre, h, z, s * shape.n);
  return z;
}

/** Numerically stable BCE with logits: max(z,0) - z*y + log(1 + exp(-|z|)). */
export function bceWithLogits(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Mean BCE over the labelled outputs; when `grad` is given it receives dLoss/dParams (overwritten). */
export function lossAndGrad(p: Float64Array, shape: MlpShape, batch: Batch, grad?: Float64Array): number {
  const { n, hidden } = shape;
  const inputs = inputsOf(shape);
  const l = paramLayout(shape);
  if (grad !== undefined) grad.fill(0);
  const pre = new Float64Array(hidden);
  const h = new Float64Array(hidden);
  const dz = new Float64Array(n);
  const dh = new Float64Array(hidden);
  const scale = 1 / batch.labelled;
  let total = 0;
  const z = new Float64Array(n);
  for (let s = 0; s < batch.count; s++) {
    const xo = s * inputs;
    const yo = s * n;
    forwardSample(p, shape, l, batch.x, xo, pre, h, z, 0);
    for (let r = 0; r < n; r++) {
      const w = batch.w[yo + r];
      total += w * bceWithLogits(z[r], batch.y[yo + r]);
      dz[r] = w * (1 / (1 + Math.exp(-z[r])) - batch.y[yo + r]) * scale; // d(mean BCE)/dz
    }
    if (grad === undefined) continue;
    dh.fill(0);
    for (let r = 0; r < n; r++) {
      const g = dz[r];
      if (g === 0) continue;
      grad[l.b2 + r] += g;
      const wo = l.w2 + r * hidden;
      for (let c = 0; c < hidden; c++) {
        grad[wo + c] += g * h[c];
        dh[c] += g * p[wo + c];
      }
    }
    for (let r = 0; r < hidden; r++) {
      if (pre[r] <= 0) continue; // relu'(a) = 0 at and below zero, as in PyTorch
      const g = dh[r];
      grad[l.b1 + r] += g;
      const wo = l.w1 + r * inputs;
      for (let c = 0; c < inputs; c++) grad[wo + c] += g * batch.x[xo + c];
    }
  }
  return total * scale;
}
