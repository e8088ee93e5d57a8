// Test helpers: a scripted denoiser for hand-checkable examples and constant filters.
import type { Denoiser, Filter, FilterFeatures, StepOutput } from '../../src/core';

export const MASK = 39;
export const EOS = 1;

/** Answers call k with script(ids, k); records every ids it was given. */
export function scriptedDenoiser(
  script: (ids: Int32Array, call: number) => { top1: number[]; conf: number[] },
): Denoiser & { seen: Int32Array[] } {
  const seen: Int32Array[] = [];
  return {
    seen,
    async forward(ids: Int32Array): Promise<StepOutput> {
      const out = script(ids, seen.length);
      seen.push(ids.slice());
      return { top1: Int32Array.from(out.top1), conf: Float64Array.from(out.conf) };
    },
  };
}

/** The same prediction at every call: top1/conf for the full-length sequence, cut to the ids' length. */
export function constantDenoiser(top1: number[], conf: number[]): Denoiser & { seen: Int32Array[] } {
  return scriptedDenoiser((ids) => ({ top1: top1.slice(0, ids.length), conf: conf.slice(0, ids.length) }));
}

/** A filter whose logit is `logit` everywhere (+20: accepts all, -20: accepts none). */
export function constantFilter(
  blockLength: number,
  logit: number,
  features: FilterFeatures = 'confidence',
): Filter & { inputs: Float32Array[] } {
  const inputs: Float32Array[] = [];
  return {
    blockLength,
    features,
    inputs,
    logits(conf: Float32Array) {
      inputs.push(conf.slice());
      return new Float32Array(blockLength).fill(logit);
    },
  };
}

/** A filter accepting exactly the block-relative positions in `accept` at call k (a list per call). */
export function scriptedFilter(blockLength: number, perCall: number[][]): Filter & { inputs: Float32Array[] } {
  const inputs: Float32Array[] = [];
  return {
    blockLength,
    inputs,
    logits(conf: Float32Array) {
      const k = inputs.length;
      inputs.push(conf.slice());
      const out = new Float32Array(blockLength).fill(-20);
      for (const i of perCall[k] ?? []) out[i] = 20;
      return out;
    },
  };
}
