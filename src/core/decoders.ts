// The commit rules, one small pure function per decoder: given the state of one step (working sequence, the
// forward's output, the block and its schedule) they return which masked positions of the current block to
// commit and with which token. The async loop in loop.ts is the only caller; it owns state and EoTP.
import { rankByConfidence, topK } from './schedule';
import type { Confidences } from './types';

/** What a rule sees at one step. Positions are absolute (prompt first). */
export interface StepView {
  x: Int32Array; // [len] the working sequence before this step's commit
  top1: Int32Array; // [len]
  conf: Confidences; // [len]
  entropy?: Float32Array; // [len], for the rules that read it (eb_sampler)
  blockStart: number;
  blockEnd: number; // exclusive, already clipped to len (an EoTP cut may shorten the block)
  masked: readonly number[]; // masked positions of [blockStart, blockEnd), increasing
  blockStep: number; // j: steps already run in this block
  schedule: readonly number[]; // the block's transfer schedule, fixed when the block started
}

export interface Commit {
  pos: number;
  token: number;
}

function commitsOf(positions: readonly number[], top1: Int32Array): Commit[] {
  return [...positions].sort((a, b) => a - b).map((pos) => ({ pos, token: top1[pos] }));
}

/**
 * k_j of the schedule. Every rule that uses it commits at least k_j while masks remain and the schedule sums to
 * the block's masked count, so j never passes the schedule; the fallback of 1 only keeps a bug from looping.
 */
export function scheduledK(view: StepView): number {
  return view.blockStep < view.schedule.length ? view.schedule[view.blockStep] : 1;
}

/** Spec §1: the k_j most confident masked block positions (LLaDA low-confidence remasking). */
export function lowConfidenceRule(view: StepView): Commit[] {
  return commitsOf(topK(view.masked, view.conf, scheduledK(view)), view.top1);
}

/** Spec §2: every masked block position with conf >= tau, else the single most confident (Fast-dLLM threshold). */
export function thresholdRule(view: StepView, tau: number): Commit[] {
  const passing = view.masked.filter((i) => view.conf[i] >= tau);
  return commitsOf(passing.length > 0 ? passing : topK(view.masked, view.conf, 1), view.top1);
}

/**
 * Spec §2, factor rule: sorted descending c(1) >= c(2) >= ..., accept the first n while (n+1)(1 - c(n)) < f,
 * always at least one. (Fast-dLLM's code also accepts everything when only the last one fails; the spec's
 * reading is followed here, no vector pins it.)
 */
export function factorRule(view: StepView, factor: number): Commit[] {
  const ranked = rankByConfidence(view.masked, view.conf);
  let n = 1;
  while (n < ranked.length && (n + 2) * (1 - view.conf[ranked[n]]) < factor) n++;
  return commitsOf(ranked.slice(0, n), view.top1);
}

/**
 * Spec §8, the EB-Sampler: the masked block positions sorted by entropy, lowest first (ties: lowest position); the
 * longest prefix U with sum_{i in U} H[i] - max_{i in U} H[i] <= gamma, always at least one. Sorted ascending, the
 * prefix's max is its last entry, so a prefix of n fits when the first n - 1 entropies sum to at most gamma.
 * Entropies are read as max(0, H): float rounding can leave a near-certain slot at -1e-7, which must not let
 * gamma 0 commit two.
 */
export function ebSamplerRule(view: StepView, gamma: number): Commit[] {
  const entropy = view.entropy;
  if (entropy === undefined) throw new RangeError('eb_sampler needs the entropy output of the forward');
  const h = (i: number) => Math.max(0, entropy[i]);
  const ranked = [...view.masked].sort((a, b) => h(a) - h(b) || a - b);
  let n = 1;
  let sum = 0; // entropies of ranked[0..n-2]
  while (n < ranked.length && sum + h(ranked[n - 1]) <= gamma) {
    sum += h(ranked[n - 1]);
    n++;
  }
  return commitsOf(ranked.slice(0, n), view.top1);
}

/**
 * Spec §3 decoding rule: (masked block positions the filter accepts) UNION (the k_j most confident masked
 * block positions). `accept` is block-relative: accept[i - blockStart].
 */
export function learn2pdRule(view: StepView, accept: readonly boolean[]): Commit[] {
  const chosen = new Set(topK(view.masked, view.conf, scheduledK(view)));
  for (const i of view.masked) if (accept[i - view.blockStart]) chosen.add(i);
  return commitsOf([...chosen], view.top1);
}

export interface OracleStep {
  commits: Commit[];
  stuck: boolean;
}

/**
 * Spec §3 step 2 / §5, the EGP oracle: commit exactly the masked block positions whose prediction equals the
 * reference. Stuck guard: when the block's predictions equal the previous step's (`prevBlockTop1`, same block)
 * exactly, write the reference into every masked block position instead. If an EoTP cut shortened the block
 * since (the reference has no oracle with EoTP; `collect --eotp` replays one), the kept slots are compared.
 */
export function egpOracleRule(
  view: StepView,
  reference: ArrayLike<number>,
  prevBlockTop1: Int32Array | undefined,
): OracleStep {
  const { blockStart, blockEnd, top1 } = view;
  let stuck = prevBlockTop1 !== undefined && prevBlockTop1.length >= blockEnd - blockStart;
  for (let i = blockStart; stuck && i < blockEnd; i++) if (top1[i] !== prevBlockTop1?.[i - blockStart]) stuck = false;
  if (stuck) return { stuck, commits: view.masked.map((pos) => ({ pos, token: reference[pos] })) };
  const matching = view.masked.filter((i) => top1[i] === reference[i]);
  return { stuck, commits: commitsOf(matching, top1) };
}
