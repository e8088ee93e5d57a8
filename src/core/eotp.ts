// End-of-text prediction (spec §4): where to cut the working sequence after a step's commit. Both rules look at
// positions that were masked when the step began (a position committed at this very step still counts), as
// Learn2PD's generate_l2p_eot / generate_predict_eot compute their masks before the commit.
import type { Confidences } from './types';

export interface EotpInput {
  before: Int32Array; // [len] the working sequence before this step's commit
  top1: Int32Array; // [len]
  conf: Confidences; // [len]
  maskId: number;
  eosId: number;
  /** Rule 1 only (learn2pd): the filter's block-relative accepts and where the block starts. */
  filter?: { blockStart: number; accept: readonly boolean[] };
  /** Rule 2 over these absolute positions [start, end) only (with a KV cache: the current block, spec §7). */
  range?: { start: number; end: number };
}

/**
 * The absolute position to keep as the sequence's last one, or undefined for no cut.
 * Rule 1: the first masked block position the filter accepted whose prediction is EOS.
 * Rule 2 (only when rule 1 finds none): among all masked positions of the sequence, future blocks included (with a
 * cache, of `range`), predicted EOS, the most confident one (ties to the lowest position, like torch.argmax).
 */
export function eotpCutPosition(input: EotpInput): number | undefined {
  const { before, top1, conf, maskId, eosId, filter, range } = input;
  if (filter !== undefined) {
    for (let r = 0; r < filter.accept.length; r++) {
      const i = filter.blockStart + r;
      if (filter.accept[r] && before[i] === maskId && top1[i] === eosId) return i;
    }
  }
  let best: number | undefined;
  const end = range === undefined ? before.length : Math.min(range.end, before.length);
  for (let i = range?.start ?? 0; i < end; i++) {
    if (before[i] !== maskId || top1[i] !== eosId) continue;
    if (best === undefined || conf[i] > conf[best]) best = i;
  }
  return best;
}
