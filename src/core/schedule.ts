// The transfer schedule (spec "Notation", LLaDA's get_num_transfer_tokens) and the confidence ranking every
// top-k rule shares (highest confidence first, ties to the lowest position, as the spec fixes them).
import type { Confidences } from './types';

/**
 * Tokens to commit at each of `steps` steps of a block holding `masked` masked positions:
 * base = floor(masked / steps), rem = masked mod steps; step j gets base + 1 if j < rem, else base.
 */
export function transferSchedule(masked: number, steps: number): number[] {
  if (!Number.isInteger(masked) || masked < 0)
    throw new RangeError(`masked must be a non-negative integer, got ${masked}`);
  if (!Number.isInteger(steps) || steps <= 0) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const base = Math.floor(masked / steps);
  const rem = masked % steps;
  const out: number[] = [];
  for (let j = 0; j < steps; j++) out.push(j < rem ? base + 1 : base);
  return out;
}

/** `positions` sorted by conf descending, ties broken by lowest position (a new array). */
export function rankByConfidence(positions: readonly number[], conf: Confidences): number[] {
  return [...positions].sort((a, b) => conf[b] - conf[a] || a - b);
}

/** The k most confident of `positions` (all of them when k exceeds their count). */
export function topK(positions: readonly number[], conf: Confidences, k: number): number[] {
  return rankByConfidence(positions, conf).slice(0, Math.max(0, k));
}
