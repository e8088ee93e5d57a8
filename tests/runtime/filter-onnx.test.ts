// The ONNX filter written by our code, run in onnxruntime-node, must agree with the plain TypeScript MLP forward.
import { describe, expect, it } from 'vitest';
import { type MlpWeights, mlpForward } from '../../src/core';
import { filterToOnnx } from '../../src/runtime/filter-onnx';
import { nodeOrt } from '../../src/runtime/node';
import { OrtFilter } from '../../src/runtime/ort';

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

  it("refuses an input that is not exactly its size (padding short blocks is the core filterAccepts's job)", async () => {
    const filter = await OrtFilter.create(nodeOrt, filterToOnnx(weights), n);
    try {
      await expect(filter.logits(new Float32Array(10))).rejects.toThrow(/filter input has 10 values, not 32/);
    } finally {
      await filter.release();
    }
  });

  it("runs a 'context' filter (three inputs per block position) and matches the TypeScript forward within 1e-5", async () => {
    const wide: MlpWeights = {
      ...weights,
      w1: weights.w1.map(() => Array.from({ length: 3 * n }, () => (rand() - 0.5) * 0.6)),
    };
    const filter = await OrtFilter.create(nodeOrt, filterToOnnx(wide, 'context'), n, 'context');
    try {
      for (let trial = 0; trial < 5; trial++) {
        const x = Array.from({ length: 3 * n }, (_, i) => (i < n ? rand() : rand() < 0.5 ? 1 : 0));
        const got = await filter.logits(Float32Array.from(x));
        const want = referenceForward(wide, Array.from(Float32Array.from(x)));
        expect(got.length).toBe(n);
        for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
      }
      await expect(filter.logits(new Float32Array(n))).rejects.toThrow(/not 96 .*context features/);
    } finally {
      await filter.release();
    }
    expect(() => filterToOnnx(wide)).toThrow(/w1\[0\] must have 32 columns/);
  });

  it('refuses weights of the wrong shape', () => {
    expect(() => filterToOnnx({ ...weights, w2: weights.w2.slice(1) })).toThrow(/w2 must have 32 rows/);
  });
});
