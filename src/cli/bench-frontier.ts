// The frontier tables of docs/BENCHMARKS.md, one per block length: for each method (each learned filter its own),
// with EoTP off and on, the fewest mean NFE at which it stays within half a point of the one-token-per-step
// reference's accuracy, and that row's paired McNemar p against the reference and against the best heuristic at that
// point (the heuristic frontier row with the fewest NFE, on the same EoTP setting). Every number comes from a bench
// file's rows; a method none of whose rows stays within the bound says so and names its most accurate row instead.
// Files of the same prompts and canvas are read as one (greedy decoding is deterministic: a row's answers, NFE and
// accuracy do not depend on the run; only its times do, and no time is compared here).
import { cacheOf, eotpScopeOf, HEURISTICS, PAPER_FILTER, specLabel } from '../core';
import type { BenchResult, BenchRow } from '../eval/bench-file';
import { pairedComparison } from '../eval/paired';
import { pct as pctPadded } from '../eval/text';

const pct = (x: number | null) => pctPadded(x).trim();

/** How far below the reference's accuracy a row may be and still count as "no accuracy lost". */
export const FRONTIER_POINTS = 0.5;

/** A row's method: its decoder, and for Learn2PD which filter (`learn2pd:slot`; the paper's is plain `learn2pd`). */
export function methodOf(row: BenchRow): string {
  if (row.spec.decoder !== 'learn2pd') return row.spec.decoder;
  const filter = row.spec.filter ?? PAPER_FILTER;
  return filter === PAPER_FILTER ? 'learn2pd' : `learn2pd:${filter}`;
}

function isHeuristic(method: string): boolean {
  return HEURISTICS.some((h) => h === method);
}

/** The methods of these rows, in table order: the baseline with EoTP, the heuristics, then the learned filters. */
function methodsOf(rows: readonly BenchRow[]): string[] {
  const learned = [...new Set(rows.map(methodOf).filter((m) => m.startsWith('learn2pd')))].sort();
  const present = new Set(rows.map(methodOf));
  return ['low_confidence', ...HEURISTICS, ...learned].filter((m) => present.has(m));
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

export function frontierTable(all: BenchResult): string {
  // The frontier compares decoders recomputing every step, EoTP as spec §4 has it; the KV cache and its control
  // rows have their own table (bench-cache.ts).
  const result = {
    ...all,
    rows: all.rows.filter((r) => cacheOf(r.spec) === 'none' && eotpScopeOf(r.spec) === 'canvas'),
  };
  const ref = result.reference;
  if (ref.accuracy === null || result.rows.length === 0) return '';
  const bound = ref.accuracy - FRONTIER_POINTS / 100;
  const lines: string[] = [];
  const methods = methodsOf(result.rows);
  const oracle = result.rows.find((r) => r.decoder === 'egp_oracle');
  for (const eotp of [false, true]) {
    const of = (method: string) => result.rows.filter((r) => methodOf(r) === method && r.spec.eotp === eotp);
    const frontier = new Map(methods.map((m) => [m, frontierRow(of(m), bound)] as const));
    const heuristicRows = HEURISTICS.flatMap((h) => frontier.get(h) ?? []);
    const bestHeuristic =
      heuristicRows.length === 0 ? null : heuristicRows.reduce((a, b) => (b.meanNfe < a.meanNfe ? b : a));
    for (const method of methods) {
      const rows = of(method);
      if (rows.length === 0) continue;
      const row = frontier.get(method) ?? null;
      if (row === null) {
        const acc = (r: BenchRow) => r.accuracy ?? 0;
        const best = rows.reduce((a, b) => (acc(b) > acc(a) || (acc(b) === acc(a) && b.meanNfe < a.meanNfe) ? b : a));
        lines.push(
          `| ${eotp ? 'on' : 'off'} | ${method} | none within ${FRONTIER_POINTS} points (most accurate: ${specLabel(best.spec)}, ${pct(best.accuracy)} at ${best.meanNfe.toFixed(1)} NFE) | | | | | | |`,
        );
        continue;
      }
      const againstHeuristic =
        isHeuristic(method) && row === bestHeuristic ? '(the best heuristic)' : versus(row, bestHeuristic);
      const vsOracle = oracle === undefined ? '-' : `${(row.meanNfe / oracle.meanNfe).toFixed(2)}x`;
      lines.push(
        `| ${eotp ? 'on' : 'off'} | ${method} | ${specLabel(row.spec)} | ${row.meanNfe.toFixed(1)} | ${(ref.meanNfe / row.meanNfe).toFixed(1)}x | ${vsOracle} | ${pct(row.accuracy)} | ${versus(row, ref)} | ${againstHeuristic} |`,
      );
    }
  }
  if (lines.length === 0) return '';
  const names: Record<string, string> = { threshold: 'threshold', factor: 'factor', eb_sampler: 'EB-Sampler' };
  const present = HEURISTICS.filter((h) => result.rows.some((r) => r.decoder === h)).map((h) => names[h]);
  const files = result.name.includes('+') ? ` (rows of ${result.name.split('+').join(', ')})` : '';
  return [
    `Frontier (block ${result.blockLength}, ${result.n} ${result.split} prompts, genLength ${result.genLength}${files}): for each method, the row with the fewest mean NFE whose accuracy stays within`,
    `${FRONTIER_POINTS} points of the reference's ${pct(ref.accuracy)}, with EoTP off and on. Paired on the same prompts: accuracy`,
    'difference in points and exact McNemar p against the reference, and against the best heuristic at that point',
    '(NFE / oracle: against the EGP oracle without EoTP, the lower bound a filter imitates)',
    `(the ${present.join(', ')} frontier row with the fewest NFE on the same EoTP setting).`,
    '',
    '| EoTP | method | row | mean NFE | NFE speedup | NFE / oracle | accuracy | vs reference | vs best heuristic |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
}

/** What makes two bench files' rows comparable: the same model, prompts and canvas, and so the same reference. */
function canvasKey(r: BenchResult): string {
  return JSON.stringify([r.model, r.variant, r.split, r.n, r.genLength, r.blockLength, r.reference.perPrompt ?? null]);
}

/**
 * The bench files merged per canvas (model, prompts, genLength, blockLength), by block length: each label's row from
 * the newest file that has it (by date, then name), named `a+b` after the files it draws on. A file whose reference
 * answers differ from the others' on any prompt (other weights or prompts) stays apart.
 */
export function mergedByCanvas(results: readonly BenchResult[]): BenchResult[] {
  const groups = new Map<string, BenchResult[]>();
  for (const r of results) groups.set(canvasKey(r), [...(groups.get(canvasKey(r)) ?? []), r]);
  const merged: BenchResult[] = [];
  for (const group of groups.values()) {
    const newest = [...group].sort((a, b) => b.date.localeCompare(a.date) || b.name.localeCompare(a.name));
    const rows = new Map<string, BenchRow>();
    for (const r of newest) for (const row of r.rows) if (!rows.has(row.label)) rows.set(row.label, row);
    merged.push({
      ...newest[0],
      name: newest
        .map((r) => r.name)
        .sort()
        .join('+'),
      rows: [...rows.values()],
    });
  }
  return merged.sort((a, b) => a.blockLength - b.blockLength || a.genLength - b.genLength);
}

/**
 * The rule `npm run pick-filter` applies to a validation bench run (fixed before any test prompt is read): among the
 * Learn2PD rows with EoTP on (the app's default), those within FRONTIER_POINTS of the reference's accuracy, the one
 * with the fewest mean NFE (a tie goes to the paper's filter); if none is within, the most accurate (a tie: the fewer
 * NFE). It reads only a run of at least PICK_MIN_PROMPTS prompts on the canvas the app opens with (pickRefusal).
 */
export interface FilterPick {
  filter: string;
  tauFilter: number;
  row: BenchRow;
  within: boolean; // within FRONTIER_POINTS of the reference's accuracy
}

/**
 * Below this many validation prompts the rule is not applied: half a point is under one prompt of 100 (89
 * checkable), and on 100 the rule picked the paper's filter at tauFilter 0.5, which on the test split loses 8-10
 * points at genLength 256 (docs/BENCHMARKS.md, validation-b32 against gen256-slot-low).
 */
export const PICK_MIN_PROMPTS = 300;

/** Why a run may not choose the default (too few prompts, another canvas than the app's default), or null. */
export function pickRefusal(result: BenchResult, defaults: { genLength: number; blockLength: number }): string | null {
  if (result.split !== 'validation')
    return `${result.name} ran on the ${result.split} split: the default is chosen on validation prompts only`;
  if (result.n < PICK_MIN_PROMPTS)
    return `${result.name} has ${result.n} prompts; the rule reads a run of at least ${PICK_MIN_PROMPTS} (half a point is under one prompt of ${result.n})`;
  if (result.genLength !== defaults.genLength || result.blockLength !== defaults.blockLength)
    return `${result.name} ran at genLength ${result.genLength}, block ${result.blockLength}; the app opens at genLength ${defaults.genLength}, block ${defaults.blockLength}, and the default is chosen there`;
  return null;
}

export function pickDefaultFilter(result: BenchResult): FilterPick | null {
  const rows = result.rows.filter((r) => r.spec.decoder === 'learn2pd' && r.spec.eotp);
  if (rows.length === 0 || result.reference.accuracy === null) return null;
  const bound = result.reference.accuracy - FRONTIER_POINTS / 100 - 1e-9;
  const name = (r: BenchRow) => (r.spec.decoder === 'learn2pd' ? (r.spec.filter ?? PAPER_FILTER) : '');
  const acc = (r: BenchRow) => r.accuracy ?? 0;
  const paperFirst = (a: BenchRow, b: BenchRow) => Number(name(b) === PAPER_FILTER) - Number(name(a) === PAPER_FILTER);
  const within = rows.filter((r) => acc(r) >= bound);
  const ranked =
    within.length > 0
      ? within.sort((a, b) => a.meanNfe - b.meanNfe || paperFirst(a, b))
      : rows.sort((a, b) => acc(b) - acc(a) || a.meanNfe - b.meanNfe || paperFirst(a, b));
  const row = ranked[0];
  if (row.spec.decoder !== 'learn2pd') return null;
  return { filter: name(row), tauFilter: row.spec.tauFilter, row, within: within.length > 0 };
}
