// The frontier table of docs/BENCHMARKS.md: for each method, with EoTP off and on, the fewest mean NFE at which it
// stays within half a point of the one-token-per-step reference's accuracy, and that row's paired McNemar p against
// the reference and against the best heuristic at that point (the heuristic frontier row with the fewest NFE, on
// the same EoTP setting). Every number comes from a bench file's rows; a method none of whose rows stays within
// the bound says so and names its most accurate row instead.
import { type DecoderName, HEURISTICS, specLabel } from '../core';
import type { BenchResult, BenchRow } from '../eval/bench-file';
import { pairedComparison } from '../eval/paired';
import { pct as pctPadded } from '../eval/text';

const pct = (x: number | null) => pctPadded(x).trim();

/** How far below the reference's accuracy a row may be and still count as "no accuracy lost". */
export const FRONTIER_POINTS = 0.5;

const METHODS: readonly DecoderName[] = ['low_confidence', ...HEURISTICS, 'learn2pd'];

function isHeuristic(name: DecoderName): boolean {
  return HEURISTICS.some((h) => h === name);
}

/** The frontier row of one method on one EoTP setting: its fewest-NFE row within the bound, else null. */
function frontierRow(rows: readonly BenchRow[], bound: number): BenchRow | null {
  const within = rows.filter((r) => r.accuracy !== null && r.accuracy >= bound - 1e-9); // 1e-9: float noise
  return within.length === 0 ? null : within.reduce((a, b) => (b.meanNfe < a.meanNfe ? b : a));
}

function versus(a: BenchRow, b: BenchRow | null): string {
  if (b === null || a === b) return '-';
  const c = pairedComparison(a, b);
  if (c === null) return '-';
  const n = c.both + c.onlyA + c.onlyB + c.neither;
  if (n === 0) return '-';
  const diff = (100 * (c.onlyA - c.onlyB)) / n;
  const p = c.pValue < 0.001 ? '< 0.001' : c.pValue.toFixed(3);
  return `${diff >= 0 ? '+' : ''}${diff.toFixed(1)}, p ${p}`;
}

export function frontierTable(result: BenchResult): string {
  const ref = result.reference;
  if (ref.accuracy === null) return '';
  const bound = ref.accuracy - FRONTIER_POINTS / 100;
  const lines: string[] = [];
  for (const eotp of [false, true]) {
    const of = (method: DecoderName) => result.rows.filter((r) => r.decoder === method && r.spec.eotp === eotp);
    const frontier = new Map(METHODS.map((m) => [m, frontierRow(of(m), bound)] as const));
    const heuristicRows = HEURISTICS.flatMap((h) => frontier.get(h) ?? []);
    const bestHeuristic =
      heuristicRows.length === 0 ? null : heuristicRows.reduce((a, b) => (b.meanNfe < a.meanNfe ? b : a));
    for (const method of METHODS) {
      const rows = of(method);
      if (rows.length === 0) continue;
      const row = frontier.get(method) ?? null;
      if (row === null) {
        const acc = (r: BenchRow) => r.accuracy ?? 0;
        const best = rows.reduce((a, b) => (acc(b) > acc(a) || (acc(b) === acc(a) && b.meanNfe < a.meanNfe) ? b : a));
        lines.push(
          `| ${eotp ? 'on' : 'off'} | ${method} | none within ${FRONTIER_POINTS} points (most accurate: ${specLabel(best.spec)}, ${pct(best.accuracy)} at ${best.meanNfe.toFixed(1)} NFE) | | | | | |`,
        );
        continue;
      }
      const againstHeuristic =
        isHeuristic(method) && row === bestHeuristic ? '(the best heuristic)' : versus(row, bestHeuristic);
      lines.push(
        `| ${eotp ? 'on' : 'off'} | ${method} | ${specLabel(row.spec)} | ${row.meanNfe.toFixed(1)} | ${(ref.meanNfe / row.meanNfe).toFixed(1)}x | ${pct(row.accuracy)} | ${versus(row, ref)} | ${againstHeuristic} |`,
      );
    }
  }
  if (lines.length === 0) return '';
  const names: Record<string, string> = { threshold: 'threshold', factor: 'factor', eb_sampler: 'EB-Sampler' };
  const present = HEURISTICS.filter((h) => result.rows.some((r) => r.decoder === h)).map((h) => names[h]);
  return [
    `Frontier (block ${result.blockLength}): for each method, the row with the fewest mean NFE whose accuracy stays within`,
    `${FRONTIER_POINTS} points of the reference's ${pct(ref.accuracy)}, with EoTP off and on. Paired on the same prompts: accuracy`,
    'difference in points and exact McNemar p against the reference, and against the best heuristic at that point',
    `(the ${present.join(', ')} frontier row with the fewest NFE on the same EoTP setting).`,
    '',
    '| EoTP | method | row | mean NFE | NFE speedup | accuracy | vs reference | vs best heuristic |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
}
