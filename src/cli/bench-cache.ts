// The KV-cache table of docs/BENCHMARKS.md (spec §7, issue 21), in the shape of Fast-dLLM's: the one-token-per-step
// baseline, + cache, + parallel (threshold, factor), cache + parallel, and Learn2PD with EoTP and the cache. Every
// speedup is tokens/s over the no-cache reference of the same run; each cached row is paired (McNemar, same prompts)
// with the same decoder without the cache, since stale keys may change answers.
import { cacheOf, type DecoderSpec, specLabel } from '../core';
import type { BenchResult, BenchRow } from '../eval/bench-file';
import { pairedComparison } from '../eval/paired';
import { pct } from '../eval/text';

/** The row's spec without its cache: the label of the row it is paired with. */
function uncachedLabel(spec: DecoderSpec): string {
  const { cache: _, ...rest } = spec;
  return specLabel(rest as DecoderSpec);
}

function versusUncached(row: BenchRow, result: BenchResult): string {
  if (cacheOf(row.spec) === 'none') return '-';
  const label = uncachedLabel(row.spec);
  const base = label === result.reference.label ? result.reference : result.rows.find((r) => r.label === label);
  const c = base === undefined ? null : pairedComparison(row, base);
  if (c === null) return '-';
  const n = c.both + c.onlyA + c.onlyB + c.neither;
  const diff = n === 0 ? 0 : (100 * (c.onlyA - c.onlyB)) / n;
  return `${diff >= 0 ? '+' : ''}${diff.toFixed(1)}, p ${c.pValue < 0.001 ? '< 0.001' : c.pValue.toFixed(3)}`;
}

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(1));

/** The table for a result with cached rows, else ''. */
export function cacheTable(result: BenchResult): string {
  if (!result.rows.some((r) => cacheOf(r.spec) !== 'none')) return '';
  const rows = [result.reference, ...result.rows];
  const line = (r: BenchRow) =>
    `| ${r.label} | ${cacheOf(r.spec)} | ${pct(r.accuracy).trim()} | ${pct(r.agreement).trim()} | ${r.meanNfe.toFixed(1)} | ${r.meanPositions === undefined ? '-' : r.meanPositions.toFixed(0)} | ${ms(r.msPerFullStep)} / ${ms(r.msPerWindowStep)} | ${r.tokensPerSecond.toFixed(0)} | ${r.timeSpeedup.toFixed(2)}x | ${versusUncached(r, result)} |`;
  return [
    `KV cache (spec §7; block ${result.blockLength}, ${result.n} ${result.split} prompts, genLength ${result.genLength}): positions forwarded per prompt (the machine-independent cost), the mean step time of full and window forwards, tokens/s and its speedup over the no-cache reference in this run, and each cached row against the same decoder without the cache (accuracy difference in points, exact McNemar p).`,
    '',
    '| row | cache | accuracy | agreement | mean NFE | positions | ms full / window step | tokens/s | speedup | vs no cache |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(line),
    '',
  ].join('\n');
}
