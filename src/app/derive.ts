// What a pane draws, derived from its recorded events only (so live view and replay are the same code): the
// canvas at a step, the counters, and the end-of-run verdicts.
import type { WireResult, WireStep } from '../worker/protocol';

export type SlotState = 'masked' | 'committed' | 'cut';

export interface Slot {
  pos: number;
  state: SlotState;
  /** committed: the token; masked: the model's current guess (-1: no forward yet). */
  token: number;
  conf: number; // the guess's top-1 probability (masked), the confidence it was committed with (committed)
  step: number | null; // the step that committed it
  fresh: boolean; // committed at the displayed step
}

export interface CanvasView {
  slots: Slot[]; // [genLength]
  blockStart: number | null; // the displayed step's block
  cutAt: number | null; // EoTP: slots after this position are gone
  /** The displayed step's KV-cache window [start, end) (spec §7): slots outside it kept stale keys/values; null for a
   * full forward. */
  window: [number, number] | null;
}

/** The canvas after event `index` (-1: before the first forward). */
export function canvasAt(events: readonly WireStep[], index: number, genLength: number): CanvasView {
  const slots: Slot[] = Array.from({ length: genLength }, (_, pos) => ({
    pos,
    state: 'masked',
    token: -1,
    conf: 0,
    step: null,
    fresh: false,
  }));
  let cutAt: number | null = null;
  const last = Math.min(index, events.length - 1);
  for (let i = 0; i <= last; i++) {
    const e = events[i];
    for (const c of e.committed) {
      if (c.pos >= genLength) continue;
      slots[c.pos] = {
        pos: c.pos,
        state: 'committed',
        token: c.token,
        conf: e.conf[c.pos] ?? 1,
        step: e.step,
        fresh: i === last,
      };
    }
    if (e.cutAt !== null) cutAt = cutAt === null ? e.cutAt : Math.min(cutAt, e.cutAt);
  }
  const shown = last >= 0 ? events[last] : null;
  if (shown) {
    for (const s of slots) {
      if (s.state !== 'masked' || s.pos >= shown.guesses.length) continue;
      s.token = shown.guesses[s.pos];
      s.conf = shown.conf[s.pos];
    }
  }
  if (cutAt !== null)
    for (let p = cutAt + 1; p < genLength; p++) slots[p] = { ...slots[p], state: 'cut', fresh: false };
  return { slots, blockStart: shown?.blockStart ?? null, cutAt, window: shown?.window ?? null };
}

export interface Counters {
  nfe: number; // steps shown so far
  committedNow: number; // tokens committed at the displayed step
  committed: number; // tokens committed so far (EOS padding included)
  ms: number; // time of the steps shown so far
  msPerStep: number;
  tokensPerSecond: number; // answer tokens (before EOS) per second of decoding
  forwardMs: number; // per step, means over the shown steps
  readbackMs: number;
  filterMs: number;
  otherMs: number; // the decoder's bookkeeping: rule, commit, EoTP, event
  /** Steps by forward kind (spec §7: a KV cache's window forwards are the cheap ones), with their mean forward ms. */
  forwards: Record<WireStep['forward'], { n: number; forwardMs: number }>;
}

/** Counters after event `index`; at the final event of a finished run, tokens/s uses the run's answer. */
export function countersAt(
  events: readonly WireStep[],
  index: number,
  eosId: number,
  result: WireResult | null,
): Counters {
  const last = Math.min(index, events.length - 1);
  let ms = 0;
  let forward = 0;
  let readback = 0;
  let filter = 0;
  const committed = new Map<number, number>();
  const kinds = { full: { n: 0, sum: 0 }, window: { n: 0, sum: 0 } };
  for (let i = 0; i <= last; i++) {
    const e = events[i];
    kinds[e.forward].n++;
    kinds[e.forward].sum += e.forwardMs;
    ms += e.ms;
    forward += e.forwardMs;
    readback += e.readbackMs;
    filter += e.filterMs;
    for (const c of e.committed) committed.set(c.pos, c.token);
    if (e.cutAt !== null) for (const pos of [...committed.keys()]) if (pos > e.cutAt) committed.delete(pos);
  }
  const nfe = last + 1;
  const atEnd = result !== null && nfe === events.length;
  // Answer tokens so far: committed text tokens in front of the first committed EOS.
  let firstEos = Number.POSITIVE_INFINITY;
  for (const [pos, token] of committed) if (token === eosId && pos < firstEos) firstEos = pos;
  let answerSoFar = 0;
  for (const [pos, token] of committed) if (token !== eosId && pos < firstEos) answerSoFar++;
  const answerTokens = atEnd ? result.answerIds.length : answerSoFar;
  const per = (x: number) => (nfe > 0 ? x / nfe : 0);
  return {
    nfe,
    committedNow: last >= 0 ? events[last].committed.length : 0,
    committed: committed.size,
    ms,
    msPerStep: per(ms),
    tokensPerSecond: ms > 0 ? (answerTokens * 1000) / ms : 0,
    forwardMs: per(forward - readback),
    readbackMs: per(readback),
    filterMs: per(filter),
    otherMs: per(Math.max(0, ms - forward - filter)),
    forwards: {
      full: { n: kinds.full.n, forwardMs: kinds.full.n > 0 ? kinds.full.sum / kinds.full.n : 0 },
      window: { n: kinds.window.n, forwardMs: kinds.window.n > 0 ? kinds.window.sum / kinds.window.n : 0 },
    },
  };
}

/** Text of the committed prefix of the canvas (what a reader could already read), with a gap mark for masks. */
export function partialText(slots: readonly Slot[], vocab: readonly string[], eosId: number): string {
  if (!slots.some((s) => s.state === 'committed')) return '';
  let out = '';
  for (const s of slots) {
    if (s.state === 'cut') break;
    if (s.state === 'masked') {
      out += ' ▁';
      continue;
    }
    if (s.token === eosId) break;
    out += vocab[s.token] ?? '';
  }
  return out.replace(/( ▁)+$/, ' …').trim();
}

export function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Tokens committed at each step (the chart's series). */
export function commitsPerStep(events: readonly WireStep[]): number[] {
  return events.map((e) => e.committed.length);
}
