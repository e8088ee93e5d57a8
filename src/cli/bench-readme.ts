// The README's short results table (between two markers), written from the bench result of the longest canvas:
// each method at the settings the app and the paper use, with its paired difference from the reference.
import { existsSync, readFileSync } from 'node:fs';
import {
  DEFAULT_FACTOR,
  DEFAULT_GAMMA,
  DEFAULT_TAU,
  DEFAULT_TAU_FILTER,
  type DecoderSpec,
  REFERENCE_SPEC,
  specLabel,
} from '../core';
import type { BenchResult } from '../eval/bench-file';
import { writeAtomic } from '../eval/node';
import { pairedComparison } from '../eval/paired';
import { pct } from '../eval/text';

/** The README's rows: each method at the settings the app and the paper use, EoTP off, then the same with it. */
const SUMMARY_SPECS: readonly DecoderSpec[] = [false, true].flatMap((eotp): DecoderSpec[] => [
  eotp ? { decoder: 'low_confidence', eotp } : REFERENCE_SPEC,
  { decoder: 'threshold', eotp, tau: DEFAULT_TAU },
  { decoder: 'threshold', eotp, tau: 0.95 },
  ...(eotp ? [] : [{ decoder: 'factor', eotp, factor: DEFAULT_FACTOR } as const]),
  { decoder: 'eb_sampler', eotp, gamma: DEFAULT_GAMMA },
  { decoder: 'learn2pd', eotp, tauFilter: DEFAULT_TAU_FILTER },
  { decoder: 'learn2pd', eotp, tauFilter: 0.99 },
  ...(eotp ? [] : [{ decoder: 'egp_oracle', eotp: false } as const]),
]);

/**
 * The short results table of the README: for each SUMMARY_SPECS row of `result`, its mean NFE, speedup, accuracy
 * and its paired difference from the one-token-per-step reference (points, exact McNemar p). Rows are grouped by
 * the EoTP setting, so every method is read beside the others at the same setting.
 */
export function summaryTable(result: BenchResult): string {
  const rows = [result.reference, ...result.rows];
  const lines = SUMMARY_SPECS.flatMap((spec) => {
    const row = rows.find((r) => r.label === specLabel(spec));
    if (row === undefined) return [];
    const c = row === result.reference ? null : pairedComparison(row, result.reference);
    const n = c === null ? 0 : c.both + c.onlyA + c.onlyB + c.neither;
    const diff =
      c === null || n === 0
        ? ''
        : `${c.onlyA >= c.onlyB ? '+' : ''}${((100 * (c.onlyA - c.onlyB)) / n).toFixed(1)} (${c.onlyA} / ${c.onlyB})`;
    const p = c === null ? '' : c.pValue < 0.001 ? '< 0.001' : c.pValue.toFixed(3);
    const method = specLabel(spec).replace(/ \+EoTP$/, '');
    return [
      `| ${method} | ${spec.eotp ? 'on' : 'off'} | ${row.meanNfe.toFixed(1)} | ${row.nfeSpeedup.toFixed(1)}x | ${pct(row.accuracy).trim()} | ${diff} | ${p} |`,
    ];
  });
  return [
    `| method | EoTP | mean NFE | speedup (NFE) | accuracy | vs the reference: points (prompts only it / only the reference gets right) | paired p |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

/** The README's results block (between these markers) is rewritten from the longest-canvas bench result. */
export const README_RESULTS_START = '<!-- results: written by `npm run bench -- --doc-only docs` from docs/bench -->';
export const README_RESULTS_END = '<!-- /results -->';

export function writeReadmeResults(readmePath: string, result: BenchResult): boolean {
  if (!existsSync(readmePath)) return false;
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(README_RESULTS_START);
  const end = text.indexOf(README_RESULTS_END);
  if (start === -1 || end < start) return false;
  const block = [
    README_RESULTS_START,
    '',
    `${result.n} test prompts, genLength ${result.genLength}, block ${result.blockLength}, model \`${result.model}\` (${result.variant}), from ${result.name
      .split('+')
      .map((n) => `\`docs/bench/${n}.json\``)
      .join(' and ')}:`,
    '',
    summaryTable(result),
    '',
    README_RESULTS_END,
  ].join('\n');
  writeAtomic(readmePath, text.slice(0, start) + block + text.slice(end + README_RESULTS_END.length));
  return true;
}
