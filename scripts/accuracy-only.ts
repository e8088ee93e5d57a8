// Accuracy and mean NFE of Learn2PD over a tauFilter sweep on the test split, without the one-token-per-step
// reference (no agreement, no speedups): a check that takes minutes where `npm run bench` takes most of an hour,
// for a filter experiment whose reference rows are already measured.
//   npx tsx scripts/accuracy-only.ts --model /tmp/model-X [--limit 300] [--gen-length 256] [--eotp] [--out file.json]
//                                    [--taus 0.8,0.9,0.95,0.96,0.99] [--against docs/bench/gen256.json]
// Decoding is deterministic, so its accuracy and NFE equal the bench's learn2pd rows for the same folder.
// --against: a bench file of the same prompts (split, limit, genLength): each row is also compared, prompt by prompt,
// with that file's one-token-per-step reference (exact McNemar test, as BENCHMARKS.md does).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decode } from '../src/core';
import { pairedComparison, type BenchResult, type BenchRow } from '../src/cli/bench-report';
import { loadNodeModel, splitPrompts } from '../src/cli/common';
import { configFor, encodeChecked, evalModelOf } from '../src/runtime/evaluate';
import { checkAnswer, isFamilyName } from '../src/tasks';

const { values } = parseArgs({
  options: { model: { type: 'string' }, limit: { type: 'string', default: '300' }, 'gen-length': { type: 'string', default: '256' }, eotp: { type: 'boolean', default: false }, out: { type: 'string' }, taus: { type: 'string', default: '0.8,0.9,0.95,0.96,0.99' }, against: { type: 'string' } },
  strict: true,
});
if (!values.model) throw new Error('usage: npx tsx scripts/accuracy-only.ts --model <folder> [--limit 300] [--gen-length 256] [--eotp] [--out file.json]');
const model = await loadNodeModel(values.model);
const em = evalModelOf(model);
const canvas = { genLength: Number(values['gen-length']), blockLength: 32 };
const filter = em.filterFor(canvas.blockLength);
if (!filter) throw new Error(`${values.model} has no filter for block length 32`);
const prompts = splitPrompts('test', Number(values.limit));
const taus = values.taus.split(',').map(Number);
if (taus.some((t) => !(t > 0 && t < 1))) throw new Error(`--taus: each tauFilter must be in (0, 1), got ${values.taus}`);
let reference: BenchRow | null = null;
if (values.against) {
  const bench = JSON.parse(readFileSync(values.against, 'utf8')) as BenchResult;
  if (bench.n !== prompts.length || bench.genLength !== canvas.genLength || bench.blockLength !== canvas.blockLength || bench.split !== 'test') {
    throw new Error(`--against ${values.against}: made on ${bench.n} ${bench.split} prompts at genLength ${bench.genLength}, block ${bench.blockLength}, not these ${prompts.length} test prompts at ${canvas.genLength}, block ${canvas.blockLength}`);
  }
  if (bench.reference.perPrompt?.correct.length !== prompts.length) throw new Error(`--against ${values.against}: its reference row has no per-prompt results to pair with`);
  reference = bench.reference;
}
const rows = [];
for (const tauFilter of taus) {
  const spec = { decoder: 'learn2pd' as const, eotp: values.eotp, tauFilter };
  let correct = 0;
  let checked = 0;
  let nfe = 0;
  let marks = '';
  for (const p of prompts) {
    const result = await decode(encodeChecked(em, p.prompt), configFor(em, canvas, spec), em.denoiser, filter);
    nfe += result.nfe;
    const ok = p.family !== undefined && isFamilyName(p.family) && p.answer !== undefined ? checkAnswer(p.family, p.answer, em.tokenizer.decodeAnswer(result.answer)) : null;
    marks += ok === null ? '-' : ok ? '1' : '0';
    if (ok !== null) {
      checked++;
      if (ok) correct++;
    }
  }
  const label = `learn2pd tauFilter=${tauFilter}${values.eotp ? ' +EoTP' : ''}`;
  const row = { label, tauFilter, eotp: values.eotp, accuracy: correct / checked, checked, meanNfe: nfe / prompts.length, perPrompt: { correct: marks } };
  const vsReference = reference ? pairedComparison(row, reference) : null; // paired: the lengths were checked above
  rows.push({ ...row, ...(vsReference ? { vsReference } : {}) });
  const paired = vsReference ? `; vs the reference: ${vsReference.onlyA} prompts only this gets right, ${vsReference.onlyB} only the reference, p = ${vsReference.pValue.toPrecision(2)}` : '';
  console.log(`${label}: ${((100 * correct) / checked).toFixed(1)}% of ${checked} checkable, mean NFE ${(nfe / prompts.length).toFixed(1)}${paired}`);
  // Written after every row, so a run stopped early keeps what it measured.
  if (values.out) writeFileSync(values.out, `${JSON.stringify({ command: `npx tsx scripts/accuracy-only.ts ${process.argv.slice(2).join(' ')}`, model: values.model, n: prompts.length, genLength: canvas.genLength, rows }, null, 2)}\n`);
}
await model.release();
