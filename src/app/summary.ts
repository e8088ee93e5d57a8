// The comparison's summary in words, from the finished panes (pure, so tests read it): what is the same and what
// differs between the two panes, the step ratio, a clock ratio only with its spread over the timed runs (or "about
// the same" within it), and both answers' correctness and agreement in one sentence. Nothing is credited to a
// decoder that the other setting caused: the panes share everything but what the comparison is about.
import { cacheOf } from '../core';
import { sameIds } from './derive';
import { isCorrect } from './examples';
import { knobText, METHOD_NAMES } from './palette';
import type { Comparison, PaneRun } from './store/types';

/** A clock ratio below this (slower over faster) is called "about the same". */
export const SAME_CLOCK = 1.1;

export interface SummaryLine {
  kind: 'setting' | 'steps' | 'clock' | 'answers' | 'caveat';
  text: string;
}

// Two decimals near 1 (where a spread lives), one up to 10, none above.
const times = (x: number) => `${x.toFixed(x >= 10 ? 0 : x >= 1.2 ? 1 : 2)}×`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** What a pane is called in the summary: its method, or in a comparison of EoTP its EoTP setting. */
function nameOf(c: Comparison, p: PaneRun): string {
  if (c.kind === 'eotp') return p.spec.eotp ? 'the run with EoTP' : 'the run without EoTP';
  return METHOD_NAMES[p.spec.decoder];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function settingLine(c: Comparison, a: PaneRun, b: PaneRun): string {
  // The cache is every pane's (settings.ts panePlan), so it is named with what they share.
  const cache = cacheOf(a.spec) === 'none' ? '' : `, ${cacheOf(a.spec)} KV cache`;
  const canvas = `canvas (${c.canvas.genLength} slots), block (${c.canvas.blockLength})${cache}`;
  if (c.kind === 'eotp') {
    return `Same ${canvas} and rule (${METHOD_NAMES[a.spec.decoder]} ${knobText(a.spec)}) in both panes; only EoTP differs: off on the left, on on the right.`;
  }
  const eotp = a.spec.eotp === b.spec.eotp ? ` and EoTP (${a.spec.eotp ? 'on' : 'off'})` : '';
  return `Same ${canvas}${eotp} in both panes; only the commit rule differs: ${METHOD_NAMES[a.spec.decoder]} ${knobText(a.spec)} against ${METHOD_NAMES[b.spec.decoder]} ${knobText(b.spec)}.`;
}

function stepsLine(c: Comparison, a: PaneRun, b: PaneRun, nfeA: number, nfeB: number): string {
  if (nfeA === nfeB) return `Both took ${nfeA} step${nfeA === 1 ? '' : 's'}.`;
  const [fewer, more, nf, nm] = nfeA < nfeB ? [a, b, nfeA, nfeB] : [b, a, nfeB, nfeA];
  return `${capital(nameOf(c, fewer))} took ${nf} steps, ${nameOf(c, more)} ${nm}: ${times(nm / nf)} fewer.`;
}

function clockLine(c: Comparison, a: PaneRun, b: PaneRun): string {
  const runs = Math.min(a.clockMs.length, b.clockMs.length);
  if (runs < c.clockRuns && c.status === 'running') return `By the clock: timing each pane ${c.clockRuns} times…`;
  if (runs < 2) return 'By the clock: one run each is too few to tell a difference from noise.';
  const ratios = Array.from({ length: runs }, (_, i) => a.clockMs[i] / Math.max(1e-9, b.clockMs[i])); // > 1: b faster
  const m = median(ratios);
  const [faster, perRun] = m >= 1 ? [b, ratios] : [a, ratios.map((r) => 1 / r)];
  const lo = Math.min(...perRun);
  const hi = Math.max(...perRun);
  const spread = `${times(lo)} to ${times(hi)} over ${runs} runs each`;
  if (lo <= 1 || median(perRun) < SAME_CLOCK) return `By the clock about the same (${nameOf(c, faster)} ${spread}).`;
  return `By the clock ${nameOf(c, faster)} was ${times(median(perRun))} faster (${spread}).`;
}

/** Did the answer end before the canvas did? (No EOS anywhere: the text was cut off by the canvas.) */
export function ranOutOfCanvas(p: PaneRun): boolean {
  return p.result !== null && p.result.answerIds.length >= p.result.canvasLength;
}

function answersLine(c: Comparison, a: PaneRun, b: PaneRun): string {
  if (a.result === null || b.result === null) return '';
  const [na, nb] = [nameOf(c, a), nameOf(c, b)];
  const okA = isCorrect(c.source, a.result.answerText);
  const okB = isCorrect(c.source, b.result.answerText);
  const same = sameIds(a.result.answerIds, b.result.answerIds);
  const verdict =
    okA === null || okB === null
      ? same
        ? 'The two answers are the same'
        : 'The two answers differ'
      : okA && okB
        ? `Both answers are correct${same ? ' and the same' : ', in different words'}`
        : !okA && !okB
          ? `Both answers are wrong${same ? ' (the same answer)' : ''}`
          : `${capital(okA ? na : nb)}'s answer is correct, ${okA ? nb : na}'s is wrong`;
  const ref = c.reference.result;
  if (ref === null) return `${verdict}.`;
  const refA = sameIds(a.result.answerIds, ref.answerIds);
  const refB = sameIds(b.result.answerIds, ref.answerIds);
  const agrees =
    refA && refB
      ? 'both match the one-token-per-step reference'
      : !refA && !refB
        ? 'neither matches the one-token-per-step reference'
        : `only ${refA ? na : nb}'s matches the one-token-per-step reference`;
  return `${verdict}; ${agrees}.`;
}

/** The summary of the left and right panes once both are done; empty before. */
export function summaryLines(c: Comparison | null, inFamily: boolean): SummaryLine[] {
  const a = c?.panes.find((p) => p.id === 'left');
  const b = c?.panes.find((p) => p.id === 'right');
  if (!c || !a || !b || a.result === null || b.result === null) return [];
  const lines: SummaryLine[] = [
    { kind: 'setting', text: settingLine(c, a, b) },
    { kind: 'steps', text: stepsLine(c, a, b, a.result.nfe, b.result.nfe) },
    { kind: 'clock', text: clockLine(c, a, b) },
    { kind: 'answers', text: answersLine(c, a, b) },
  ];
  const cut = [a, b].filter(ranOutOfCanvas).map((p) => nameOf(c, p));
  if (cut.length > 0) {
    lines.push({
      kind: 'caveat',
      text: `${capital(cut.join(' and '))} reached the end of the canvas before the answer ended: a longer canvas would let it finish.`,
    });
  }
  if (!inFamily) {
    lines.push({
      kind: 'caveat',
      text: 'This prompt is outside the nine task families the model learned, so neither answer means much.',
    });
  }
  return lines;
}
