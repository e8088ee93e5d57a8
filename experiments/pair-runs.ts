// Pairs two runs on the same prompts, row by row (same label), prompt by prompt: how many prompts only one of them
// answers correctly, with the exact McNemar test BENCHMARKS.md uses. No decoding. Each file is one that
// experiments/accuracy-only.ts or `npm run bench` wrote (both keep label, accuracy, mean NFE and per-prompt marks).
//   npx tsx experiments/pair-runs.ts A.json B.json [--out pairs.json]
// e.g. filter experiment 7: experiments/filter/validation/dedup.json against with-repeats.json, and the two
// filters' bench runs docs/bench/gen256.json against experiments/filter/with-repeats-gen256.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pairedComparison } from '../src/eval/paired';
import type { AccuracyOnlyFile } from './accuracy-only';

const { values, positionals } = parseArgs({
  options: { out: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
if (positionals.length !== 2)
  throw new Error('usage: npx tsx experiments/pair-runs.ts A.json B.json [--out pairs.json]');
const [a, b] = positionals.map((path) => ({ path, run: JSON.parse(readFileSync(path, 'utf8')) as AccuracyOnlyFile }));
const where = (r: AccuracyOnlyFile) => `${r.n} ${r.split ?? 'test'} prompts at genLength ${r.genLength}`;
if (where(a.run) !== where(b.run))
  throw new Error(`${a.path} is on ${where(a.run)}, ${b.path} on ${where(b.run)}: not the same prompts`);
const pairs = a.run.rows.flatMap((row) => {
  const other = b.run.rows.find((r) => r.label === row.label);
  const p = other ? pairedComparison(row, other) : null;
  if (!other || !p) return [];
  console.log(
    `${row.label}: ${(100 * row.accuracy).toFixed(1)}% @ ${row.meanNfe.toFixed(1)} against ${(100 * other.accuracy).toFixed(1)}% @ ${other.meanNfe.toFixed(1)}; ${p.onlyA} prompts only A gets right, ${p.onlyB} only B, p = ${p.pValue.toPrecision(2)}`,
  );
  return [
    {
      label: row.label,
      a: { accuracy: row.accuracy, meanNfe: row.meanNfe },
      b: { accuracy: other.accuracy, meanNfe: other.meanNfe },
      onlyA: p.onlyA,
      onlyB: p.onlyB,
      both: p.both,
      neither: p.neither,
      pValue: p.pValue,
    },
  ];
});
if (pairs.length === 0) throw new Error(`${a.path} and ${b.path} share no row label`);
if (values.out) {
  writeFileSync(
    values.out,
    `${JSON.stringify({ command: `npx tsx experiments/pair-runs.ts ${process.argv.slice(2).join(' ')}`, a: a.path, b: b.path, prompts: where(a.run), pairs }, null, 2)}\n`,
  );
  console.log(`wrote ${values.out}`);
}
