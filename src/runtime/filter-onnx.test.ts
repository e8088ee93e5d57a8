// The ONNX filter written by our code, run in onnxruntime-node, must agree with the plain TypeScript MLP forward.
import { describe, expect, it } from 'vitest';
import { mlpForward, type MlpWeights } from '../core';
import { filterToOnnx } from './filter-onnx';
import { nodeOrt } from './node';
import { OrtFilter } from './ort';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const referenceForward = (w: MlpWeights, x: number[]): number[] => Array.from(mlpForward(w, x));

describe('filterToOnnx', () => {
  const rand = seeded(7);
  const n = 32;
  const matrix = () => Array.from({ length: n }, () => Array.from({ length: n }, () => (rand() - 0.5) * 0.6));
  const vector = () => Array.from({ length: n }, () => (rand() - 0.5) * 0.2);
  const weights: MlpWeights = { w1: matrix(), b1: vector(), w2: matrix(), b2: vector() };

  it('runs in onnxruntime and matches the TypeScript forward within 1e-5', async () => {
    const filter = await OrtFilter.create(nodeOrt, filterToOnnx(weights), n);
    try {
      for (let trial = 0; trial < 20; trial++) {
        const x = Array.from({ length: n }, () => rand());
        const got = await filter.logits(Float32Array.from(x));
        const want = referenceForward(weights, Array.from(Float32Array.from(x)));
        for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
      }
    } finally {
      await filter.release();
    }
  });

  it('zero-pads a short final block and truncates the output', async () => {
    const filter = await OrtFilter.create(nodeOrt, filterToOnnx(weights), n);
    try {
      const x = Array.from({ length: 10 }, () => rand());
      const got = await filter.logits(Float32Array.from(x));
      const want = referenceForward(weights, [...Float32Array.from(x), ...new Array<number>(n - 10).fill(0)]).slice(0, 10);
      expect(got.length).toBe(10);
      for (let i = 0; i < 10; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
    } finally {
      await filter.release();
    }
  });

  it('refuses weights of the wrong shape', () => {
    expect(() => filterToOnnx({ ...weights, w2: weights.w2.slice(1) })).toThrow(/w2 must have 32 rows/);
  });
});
