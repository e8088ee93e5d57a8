// Paired accuracy comparisons: two decoders on the same prompts, compared prompt by prompt with the exact McNemar
// test, so a difference of a few points is called real only when the prompts that only one gets right say so.
import type { PromptOutcome } from './evaluate';

/**
 * Each prompt's outcome, one character per prompt in prompt order, so rows can be compared pairwise on the same
 * prompts: correct '1' / '0' / '-' (not checkable), agrees '1' / '0' (the answer equals the reference's).
 * Absent in result files written before it.
 */
export interface PerPrompt {
  correct: string;
  agrees: string;
}

export function perPromptOf(outcomes: readonly PromptOutcome[]): PerPrompt {
  return {
    correct: outcomes.map((o) => (o.correct === null ? '-' : o.correct ? '1' : '0')).join(''),
    agrees: outcomes.map((o) => (o.agrees ? '1' : '0')).join(''),
  };
}

/** Two-sided exact McNemar test: the binomial(b + c, 1/2) probability of a split at least as uneven as b : c. */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // log C(n, i) - n log 2, summed in probability space for i <= k; doubled for two sides, capped at 1.
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

export interface PairedComparison {
  a: string; // row labels
  b: string;
  both: number; // prompts checkable in both and correct in both ...
  onlyA: number;
  onlyB: number;
  neither: number;
  pValue: number;
}

/** What a paired comparison reads of a row: its label and per-prompt correctness. */
export interface PairedSide {
  label: string;
  perPrompt?: Pick<PerPrompt, 'correct'>;
}

/** A against B over the prompts checkable in both (the same prompts, in the same order). */
export function pairedComparison(a: PairedSide, b: PairedSide): PairedComparison | null {
  if (
    a.perPrompt === undefined ||
    b.perPrompt === undefined ||
    a.perPrompt.correct.length !== b.perPrompt.correct.length
  )
    return null;
  const out: PairedComparison = { a: a.label, b: b.label, both: 0, onlyA: 0, onlyB: 0, neither: 0, pValue: 1 };
  for (let i = 0; i < a.perPrompt.correct.length; i++) {
    const x = a.perPrompt.correct[i];
    const y = b.perPrompt.correct[i];
    if (x === '-' || y === '-') continue;
    if (x === '1' && y === '1') out.both++;
    else if (x === '1') out.onlyA++;
    else if (y === '1') out.onlyB++;
    else out.neither++;
  }
  out.pValue = mcnemarExact(out.onlyA, out.onlyB);
  return out;
}
