// Renders benchmark results (docs/bench/*.json written by `npm run bench`) as docs/BENCHMARKS.md and one SVG plot
// per result file: accuracy against mean NFE, one curve per method over its threshold sweep, the oracle and the
// one-token-per-step reference as points. Every number comes from the JSON; nothing here is typed in.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_TAU, DEFAULT_TAU_FILTER } from '../core';
import type { BenchResult, BenchRow } from '../eval/bench-file';
import { writeAtomic } from '../eval/node';
import { pairedComparison } from '../eval/paired';
import { pct } from '../eval/text';
import { cacheTable } from './bench-cache';
import { frontierTable, mergedByCanvas, methodOf } from './bench-frontier';
import { writeReadmeResults } from './bench-readme';

/**
 * The comparisons the issue's accuracy targets are about, each Learn2PD row at the manifest's tauFilter (0.96)
 * with and without EoTP against the reference and against threshold tau 0.9 (the same EoTP setting); rows missing
 * from the file (a --methods subset) are skipped.
 */
function pairedTable(result: BenchResult): string {
  const pairs: [BenchRow | undefined, BenchRow | undefined][] = [];
  for (const eotp of [false, true]) {
    const l2pd = result.rows.find(
      ({ spec }) => spec.decoder === 'learn2pd' && spec.eotp === eotp && spec.tauFilter === DEFAULT_TAU_FILTER,
    );
    const threshold = result.rows.find(
      ({ spec }) => spec.decoder === 'threshold' && spec.eotp === eotp && spec.tau === DEFAULT_TAU,
    );
    pairs.push([l2pd, result.reference], [l2pd, threshold], [threshold, result.reference]);
  }
  const rows = pairs.flatMap(([a, b]) => {
    const c = a && b ? pairedComparison(a, b) : null;
    if (c === null) return [];
    const n = c.both + c.onlyA + c.onlyB + c.neither;
    const diff = (100 * (c.onlyA - c.onlyB)) / n;
    return [
      `| ${c.a} | ${c.b} | ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} | ${c.onlyA} | ${c.onlyB} | ${c.pValue < 0.001 ? '< 0.001' : c.pValue.toFixed(3)} |`,
    ];
  });
  if (rows.length === 0) return '';
  return [
    'Paired on the same prompts (checkable ones): accuracy difference A - B in points, the prompts only A or only B',
    'answers correctly, and the two-sided exact McNemar p-value of that split (small p: the difference is unlikely to',
    'be prompt sampling noise).',
    '',
    '| A | B | A - B (points) | only A correct | only B correct | p |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function series(rows: BenchRow[]): Map<string, BenchRow[]> {
  const out = new Map<string, BenchRow[]>();
  for (const r of rows) {
    const key = `${methodOf(r)}${r.spec.eotp ? ' +EoTP' : ''}`;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

const COLORS: Record<string, string> = {
  threshold: '#d97706',
  'threshold +EoTP': '#f59e0b',
  learn2pd: '#2563eb',
  'learn2pd +EoTP': '#60a5fa',
  'learn2pd:slot': '#0f766e',
  'learn2pd:slot +EoTP': '#14b8a6',
  'learn2pd:slot-conf': '#4d7c0f',
  'learn2pd:slot-conf +EoTP': '#84cc16',
  'low_confidence +EoTP': '#6b7280',
  factor: '#a855f7',
  eb_sampler: '#be185d',
  'eb_sampler +EoTP': '#f472b6',
  egp_oracle: '#059669',
};

/** Accuracy (y) against mean NFE (x, log scale) as a standalone SVG. */
export function plotSvg(result: BenchResult): string {
  const rows = [result.reference, ...result.rows].filter((r) => r.accuracy !== null && r.meanNfe > 0);
  const W = 720;
  const H = 440;
  const m = { l: 64, r: 200, t: 40, b: 52 };
  const xs = rows.map((r) => Math.log10(r.meanNfe));
  const ys = rows.map((r) => 100 * (r.accuracy ?? 0));
  const x0 = Math.floor(Math.min(...xs) * 10) / 10 - 0.05;
  const x1 = Math.ceil(Math.max(...xs) * 10) / 10 + 0.05;
  const y0 = Math.max(0, Math.floor(Math.min(...ys) / 5) * 5 - 5);
  const y1 = Math.min(100, Math.ceil(Math.max(...ys) / 5) * 5 + 2);
  const px = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="22" font-size="14" font-weight="600">Accuracy vs mean NFE — ${result.model} (${result.variant}), genLength ${result.genLength}, ${result.n} ${result.split} prompts</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#333"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#333"/>`,
  ];
  for (const nfe of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]) {
    const v = Math.log10(nfe);
    if (v < x0 || v > x1) continue;
    parts.push(
      `<line x1="${px(v)}" y1="${m.t}" x2="${px(v)}" y2="${H - m.b}" stroke="#eee"/><text x="${px(v)}" y="${H - m.b + 16}" text-anchor="middle">${nfe}</text>`,
    );
  }
  for (let a = Math.ceil(y0 / 5) * 5; a <= y1; a += 5) {
    parts.push(
      `<line x1="${m.l}" y1="${py(a)}" x2="${W - m.r}" y2="${py(a)}" stroke="#eee"/><text x="${m.l - 8}" y="${py(a) + 4}" text-anchor="end">${a}%</text>`,
    );
  }
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">mean NFE per answer (log scale; fewer is faster)</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">accuracy (checkable families)</text>`,
  );
  let legendY = m.t + 6;
  const legend = (label: string, color: string, dot: boolean) => {
    parts.push(
      dot
        ? `<circle cx="${W - m.r + 22}" cy="${legendY}" r="5" fill="${color}"/>`
        : `<line x1="${W - m.r + 14}" y1="${legendY}" x2="${W - m.r + 30}" y2="${legendY}" stroke="${color}" stroke-width="3"/>`,
    );
    parts.push(`<text x="${W - m.r + 38}" y="${legendY + 4}">${label}</text>`);
    legendY += 20;
  };
  for (const [key, rs] of series(result.rows)) {
    const color = COLORS[key] ?? '#111';
    const pts = rs.filter((r) => r.accuracy !== null).sort((a, b) => a.meanNfe - b.meanNfe);
    if (pts.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((r) => `${px(Math.log10(r.meanNfe))},${py(100 * (r.accuracy ?? 0))}`).join(' ')}"/>`,
      );
    for (const r of pts)
      parts.push(
        `<circle cx="${px(Math.log10(r.meanNfe))}" cy="${py(100 * (r.accuracy ?? 0))}" r="4" fill="${color}"><title>${r.label}: ${pct(r.accuracy).trim()}, NFE ${r.meanNfe.toFixed(1)}</title></circle>`,
      );
    legend(key, color, pts.length === 1);
  }
  const ref = result.reference;
  parts.push(
    `<rect x="${px(Math.log10(ref.meanNfe)) - 5}" y="${py(100 * (ref.accuracy ?? 0)) - 5}" width="10" height="10" fill="#111"/>`,
  );
  parts.push(
    `<rect x="${W - m.r + 17}" y="${legendY - 5}" width="10" height="10" fill="#111"/><text x="${W - m.r + 38}" y="${legendY + 4}">one token per step (1.00x)</text>`,
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** The columns of a bench row, as BENCHMARKS.md and the bench CLI's console table print them. */
export const ROW_HEADER = [
  'method',
  'accuracy',
  'agreement',
  'mean NFE',
  'tokens/step',
  'NFE speedup',
  'tokens/s',
  'time speedup',
  'NFE / oracle',
];

export function rowCells(r: BenchRow): string[] {
  return [
    r.label,
    pct(r.accuracy).trim(),
    pct(r.agreement).trim(),
    r.meanNfe.toFixed(1),
    r.tokensPerStep.toFixed(2),
    `${r.nfeSpeedup.toFixed(2)}x`,
    r.tokensPerSecond.toFixed(0),
    `${r.timeSpeedup.toFixed(2)}x`,
    Number.isFinite(r.nfeVsOracle) ? r.nfeVsOracle.toFixed(2) : '-', // null in a file of a run with no oracle row (JSON has no NaN)
  ];
}

function resultTable(result: BenchResult): string {
  const header = ROW_HEADER;
  const rows = [result.reference, ...result.rows].map(rowCells);
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [md(header), md(header.map(() => '---')), ...rows.map(md)].join('\n');
}

/** Whether a parsed docs/bench/*.json is a `npm run bench` result (the folder also holds browser measurements). */
export function isBenchResult(json: unknown): json is BenchResult {
  if (typeof json !== 'object' || json === null) return false;
  const r = json as Record<string, unknown>;
  return typeof r.name === 'string' && typeof r.genLength === 'number' && Array.isArray(r.rows);
}

/** Every `npm run bench` result in <docsDir>/bench, by canvas length, then name. */
export function readBenchResults(docsDir: string): BenchResult[] {
  const benchDir = join(docsDir, 'bench');
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f): unknown => JSON.parse(readFileSync(join(benchDir, f), 'utf8')))
    .filter(isBenchResult)
    .sort((a, b) => a.genLength - b.genLength || a.name.localeCompare(b.name));
}

/** The README's table: the longest canvas, and of its files (those of the same prompts read as one) the one over
 * the most prompts (the full sweep). */
export function readmeResult(results: readonly BenchResult[]): BenchResult | undefined {
  return mergedByCanvas(results).reduce<BenchResult | undefined>(
    (best, r) =>
      best === undefined || r.genLength > best.genLength || (r.genLength === best.genLength && r.n > best.n) ? r : best,
    undefined,
  );
}

/** Rewrites docs/BENCHMARKS.md (and one SVG per result) from every `npm run bench` result in docs/bench/. */
export function writeBenchmarksDoc(docsDir: string): string {
  const results = readBenchResults(docsDir);
  const sections = results.map((r) => {
    const svg = `bench/${basename(r.name)}.svg`;
    writeAtomic(join(docsDir, svg), plotSvg(r));
    // "lo-hi", or one figure where the sweep's rows all round alike.
    const span = (xs: number[], digits: number): string => {
      const [lo, hi] = [Math.min(...xs).toFixed(digits), Math.max(...xs).toFixed(digits)];
      return lo === hi ? lo : `${lo}-${hi}`;
    };
    const learned = [...new Set(r.rows.map(methodOf).filter((m) => m.startsWith('learn2pd')))];
    const filterCost = learned
      .flatMap((method) => [false, true].map((eotp) => ({ method, eotp })))
      .map(({ method, eotp }) => {
        const timed = r.rows.flatMap((x) =>
          methodOf(x) === method && x.spec.eotp === eotp && x.filterShare !== undefined
            ? [{ share: x.filterShare, asked: x.filterCallsPerStep, msPerStep: x.msPerStep }]
            : [],
        );
        if (timed.length === 0) return null;
        const shares = timed.map((t) => 100 * t.share);
        const counted = timed.flatMap((t) => (t.asked ? [{ ...t, asked: t.asked }] : []));
        // Time per call, from the same run's fields: share x decoding ms per step / calls per step.
        const perCall = counted.map((t) => (1000 * t.share * t.msPerStep) / t.asked);
        const calls =
          counted.length > 0
            ? `, the filter asked at ${span(
                counted.map((t) => 100 * t.asked),
                0,
              )}% of steps, ${span(perCall, 0)} us per call`
            : '';
        const lo = Math.min(...shares).toFixed(2);
        const hi = Math.max(...shares).toFixed(2);
        const who = learned.length > 1 ? `${method}: ` : '';
        return `${who}${lo}-${hi}% ${eotp ? 'with EoTP (its cut canvases make the forwards cheaper)' : 'without EoTP'}${calls}`;
      })
      .filter((x): x is string => x !== null);
    return [
      `## genLength ${r.genLength}, blockLength ${r.blockLength} (${r.name})`,
      '',
      `${r.n} prompts of the ${r.split} split, model \`${r.model}\` (${r.variant}), on ${r.machine}, ${r.date}; ${(r.seconds / 60).toFixed(1)} min in one process.`,
      '',
      'Command:',
      '',
      '```sh',
      r.command,
      '```',
      '',
      resultTable(r),
      '',
      filterCost.length > 0
        ? `Filter cost (the filter's share of Learn2PD's decoding time, over the tauFilter sweep): ${filterCost.join('; ')}.\n`
        : '',
      pairedTable(r),
      cacheTable(r),
      `![accuracy vs NFE](${svg})`,
      '',
    ].join('\n');
  });
  const doc = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (src/cli/bench.ts) from the JSON files in `docs/bench/`; do not edit by hand.',
    'Accuracy is over the checkable task families; agreement is the share of answers identical to the',
    'one-token-per-step answer; NFE speedup = reference NFE / method NFE; tokens/s counts answer tokens (no EOS) per',
    'second of decoding, and its speedup is measured in the same run on the same prompts. "NFE / oracle" is the',
    "method's NFE relative to the EGP oracle (the lower bound Learn2PD imitates).",
    '',
    '## Where a learned filter beats a threshold: the frontier per block length',
    '',
    ...mergedByCanvas(results).map(frontierTable),
    ...sections,
  ].join('\n');
  writeAtomic(join(docsDir, 'BENCHMARKS.md'), doc);
  const longest = readmeResult(results);
  const readme = longest !== undefined && writeReadmeResults(join(docsDir, '..', 'README.md'), longest);
  return `wrote ${join(docsDir, 'BENCHMARKS.md')} (${results.length} result files)${readme ? ` and the results table of ${join(docsDir, '..', 'README.md')}` : ''}`;
}
