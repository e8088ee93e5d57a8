// The KV-cache table of docs/BENCHMARKS.md (spec §7, issue 21), in the shape of Fast-dLLM's: the one-token-per-step
// baseline, + cache, + parallel (threshold, factor), cache + parallel, and Learn2PD with EoTP and the cache. Every
// speedup is tokens/s over the no-cache reference of the same run. Stale keys may change answers, and with EoTP a
// cache also moves where rule 2 looks (spec §7), so each row is paired (McNemar, same prompts) three ways: with the
// same decoder without the cache (what switching it on does), with it without the cache but the same rule 2 range
// (the stale keys alone), and a block-range row with its canvas-range twin (the range alone).
import { CACHE_MODES, cacheOf, type DecoderSpec, eotpScopeOf, specLabel } from '../core';
import type { BenchResult, BenchRow } from '../eval/bench-file';
import { pairedComparison } from '../eval/paired';
import { pct } from '../eval/text';

/** The row `spec` is paired with in `result`, by label; undefined: the run has no such row. */
function rowOf(result: BenchResult, spec: DecoderSpec): BenchRow | undefined {
  const label = specLabel(spec);
  return label === result.reference.label ? result.reference : result.rows.find((r) => r.label === label);
}

/** `row` against `base` in points with the exact McNemar p, '-' where there is no base or no per-prompt record. */
function versus(row: BenchRow, base: BenchRow | undefined): string {
  const c = base === undefined ? null : pairedComparison(row, base);
  if (c === null) return '-';
  const n = c.both + c.onlyA + c.onlyB + c.neither;
  const diff = n === 0 ? 0 : (100 * (c.onlyA - c.onlyB)) / n;
  return `${diff >= 0 ? '+' : ''}${diff.toFixed(1)}, p ${c.pValue < 0.001 ? '< 0.001' : c.pValue.toFixed(3)}`;
}

function withoutCache(spec: DecoderSpec): DecoderSpec {
  const { cache: _, eotpScope: __, ...rest } = spec;
  return rest as DecoderSpec;
}

/** The three pairings of a row: switching the cache on, the stale keys alone, rule 2's block range alone. */
function pairings(row: BenchRow, result: BenchResult): [string, string, string] {
  const spec = row.spec;
  const cached = cacheOf(spec) !== 'none';
  const scope = eotpScopeOf(spec);
  const plain = withoutCache(spec);
  return [
    cached && scope === eotpScopeOf({ cache: spec.cache }) ? versus(row, rowOf(result, plain)) : '-',
    cached && spec.eotp ? versus(row, rowOf(result, { ...plain, eotpScope: scope })) : '-',
    spec.eotp && scope === 'block' ? versus(row, rowOf(result, { ...spec, eotpScope: 'canvas' })) : '-',
  ];
}

/**
 * The table in the shape of Fast-dLLM's (baseline / + cache / + parallel / cache + parallel), with EoTP and
 * Learn2PD beside it: a row per decoder and EoTP setting, a column per cache setting, each cell accuracy and tokens/s
 * over the no-cache reference of the run. A row follows the spec's rule 2 range for each cache setting, except where
 * its label names one (a control row): then every cell keeps that range.
 */
function cacheGrid(result: BenchResult): string {
  const byLabel = new Map([result.reference, ...result.rows].map((r) => [r.label, r]));
  const cell = (spec: DecoderSpec) => {
    const r = byLabel.get(specLabel(spec));
    return r === undefined ? '-' : `${pct(r.accuracy).trim()}, ${r.timeSpeedup.toFixed(2)}x`;
  };
  const lines: string[] = [];
  for (const base of [result.reference, ...result.rows]) {
    if (cacheOf(base.spec) !== 'none') continue;
    const variants: [string, DecoderSpec][] = [[base.label, base.spec]];
    if (base.spec.eotp && base.spec.eotpScope === undefined)
      variants.push([`${base.label}, rule 2 over the canvas with a cache too`, { ...base.spec, eotpScope: 'canvas' }]);
    for (const [name, spec] of variants) {
      const cached = CACHE_MODES.filter((c) => c !== 'none').map((cache) => cell({ ...spec, cache }));
      if (cached.every((c) => c === '-')) continue;
      lines.push(`| ${name} | ${cell(base.spec)} | ${cached.join(' | ')} |`);
    }
  }
  if (lines.length === 0) return '';
  return [
    `In the shape of Fast-dLLM's table (baseline, + cache, + parallel, cache + parallel; ${result.n} ${result.split} prompts, genLength ${result.genLength}): accuracy, and tokens/s over the no-cache one-token-per-step reference of this run. With a cache, EoTP's rule 2 reads the current block (spec §7) unless the row says otherwise.`,
    '',
    `| decoder | ${CACHE_MODES.map((c) => (c === 'none' ? 'no cache' : `${c} cache`)).join(' | ')} |`,
    `| --- | ${CACHE_MODES.map(() => '---').join(' | ')} |`,
    ...lines,
    '',
  ].join('\n');
}

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(1));

/** The table for a result with cached rows, else ''. */
export function cacheTable(result: BenchResult): string {
  if (!result.rows.some((r) => cacheOf(r.spec) !== 'none')) return '';
  const rows = [result.reference, ...result.rows];
  const line = (r: BenchRow) =>
    `| ${r.label} | ${cacheOf(r.spec)} | ${pct(r.accuracy).trim()} | ${pct(r.agreement).trim()} | ${r.meanNfe.toFixed(1)} | ${r.meanPositions === undefined ? '-' : r.meanPositions.toFixed(0)} | ${ms(r.msPerFullStep)} / ${ms(r.msPerWindowStep)} | ${r.tokensPerSecond.toFixed(0)} | ${r.timeSpeedup.toFixed(2)}x | ${pairings(r, result).join(' | ')} |`;
  return [
    cacheGrid(result),
    `KV cache (spec §7; block ${result.blockLength}, ${result.n} ${result.split} prompts, genLength ${result.genLength}): positions forwarded per prompt (the machine-independent cost), the mean step time of full and window forwards, tokens/s and its speedup over the no-cache reference in this run. With a cache, EoTP's rule 2 reads the current block only (spec §7); \`+EoTP(block)\` / \`+EoTP(canvas)\` name a row whose rule 2 range is the other one, a control row. Accuracy paired on the same prompts (difference in points, exact McNemar p): *vs no cache*, the same decoder without the cache (switching it on); *stale keys*, without the cache but with the same rule 2 range; *block rule 2*, a row whose rule 2 reads the block against the same row reading the canvas.`,
    '',
    '| row | cache | accuracy | agreement | mean NFE | positions | ms full / window step | tokens/s | speedup | vs no cache | stale keys | block rule 2 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(line),
    '',
  ].join('\n');
}
