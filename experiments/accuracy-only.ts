// Accuracy and mean NFE of Learn2PD over a tauFilter sweep, without the one-token-per-step reference (no agreement,
// no speedups): a check that takes minutes where `npm run bench` takes most of an hour, for a filter experiment whose
// reference rows are already measured, or to choose between filters on the validation prompts before any test run.
//   npx tsx experiments/accuracy-only.ts --model /tmp/model-X [--split test|validation] [--limit 300] [--gen-length 256]
//                                        [--eotp] [--taus 0.8,0.9,0.95,0.96,0.99] [--against file.json] [--out file.json]
// Decoding is deterministic, so its accuracy and NFE equal the bench's learn2pd rows for the same folder.
// --against: a file of the same prompts (split, limit, genLength), compared prompt by prompt (exact McNemar test, as
// BENCHMARKS.md does): a bench file pairs every row with its one-token-per-step reference; a file this script wrote
// (another filter) pairs each row with its row of the same label.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configFor, decode, requireFilter } from '../src/core';
import type { BenchResult } from '../src/eval/bench-file';
import { encodeChecked, evalModelOf } from '../src/eval/evaluate';
import { loadNodeModel } from '../src/eval/node';
import { type PairedSide, pairedComparison } from '../src/eval/paired';
import { splitPrompts } from '../src/eval/prompts';
import { checkAnswer, isFamilyName } from '../src/tasks';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    split: { type: 'string', default: 'test' },
    limit: { type: 'string', default: '300' },
    'gen-length': { type: 'string', default: '256' },
    eotp: { type: 'boolean', default: false },
    out: { type: 'string' },
    taus: { type: 'string', default: '0.8,0.9,0.95,0.96,0.99' },
    against: { type: 'string' },
  },
  strict: true,
});
if (!values.model)
  throw new Error(
    'usage: npx tsx experiments/accuracy-only.ts --model <folder> [--split test|validation] [--limit 300] [--gen-length 256] [--eotp] [--out file.json]',
  );
const split = values.split;
if (split !== 'test' && split !== 'validation')
  throw new Error(`--split must be test or validation (the filter's trajectories come from train), not ${split}`);
const model = await loadNodeModel(values.model);
const em = evalModelOf(model);
const canvas = { genLength: Number(values['gen-length']), blockLength: 32 };
const filter = requireFilter(em.filters, canvas.blockLength);
const prompts = splitPrompts(split, Number(values.limit));
const taus = values.taus.split(',').map(Number);
if (taus.some((t) => !(t > 0 && t < 1)))
  throw new Error(`--taus: each tauFilter must be in (0, 1), got ${values.taus}`);

/** What a file written by this script holds (experiments/pair-runs.ts reads it too). */
export interface AccuracyOnlyFile {
  command: string;
  model: string;
  split?: string; // absent in files from before --split: test
  n: number;
  genLength: number;
  rows: (PairedSide & { tauFilter: number; eotp: boolean; accuracy: number; checked: number; meanNfe: number })[];
}

const labelOf = (tauFilter: number) => `learn2pd tauFilter=${tauFilter}${values.eotp ? ' +EoTP' : ''}`;

// What each new row is paired with: the reference of a bench file, or the same label's row of another filter's run.
type Pairing = { kind: 'reference'; row: PairedSide } | { kind: 'other'; file: string; rows: AccuracyOnlyFile['rows'] };
let pairing: Pairing | null = null;
if (values.against) {
  const raw = JSON.parse(readFileSync(values.against, 'utf8')) as BenchResult | AccuracyOnlyFile;
  const fileSplit = 'reference' in raw ? raw.split : (raw.split ?? 'test');
  const blockLength = 'reference' in raw ? raw.blockLength : canvas.blockLength;
  if (
    raw.n !== prompts.length ||
    raw.genLength !== canvas.genLength ||
    blockLength !== canvas.blockLength ||
    fileSplit !== split
  ) {
    throw new Error(
      `--against ${values.against}: made on ${raw.n} ${fileSplit} prompts at genLength ${raw.genLength}, block ${blockLength}, not these ${prompts.length} ${split} prompts at ${canvas.genLength}, block ${canvas.blockLength}`,
    );
  }
  if ('reference' in raw) {
    if (raw.reference.perPrompt?.correct.length !== prompts.length)
      throw new Error(`--against ${values.against}: its reference row has no per-prompt results to pair with`);
    pairing = { kind: 'reference', row: raw.reference };
  } else {
    const missing = taus.map(labelOf).filter((label) => !raw.rows.some((r) => r.label === label));
    if (missing.length > 0)
      throw new Error(
        `--against ${values.against} has no row ${missing.map((l) => `"${l}"`).join(', ')} to pair with (another --eotp setting or tauFilter?)`,
      );
    pairing = { kind: 'other', file: values.against, rows: raw.rows };
  }
}
const rows = [];
for (const tauFilter of taus) {
  const spec = { decoder: 'learn2pd' as const, eotp: values.eotp, tauFilter };
  let correct = 0;
  let checked = 0;
  let nfe = 0;
  let marks = '';
  for (const p of prompts) {
    const result = await decode(encodeChecked(em, p.prompt), configFor(em, canvas, spec), em.denoiser, filter.filter);
    nfe += result.nfe;
    const ok =
      p.family !== undefined && isFamilyName(p.family) && p.answer !== undefined
        ? checkAnswer(p.family, p.answer, em.tokenizer.decodeAnswer(result.answer))
        : null;
    marks += ok === null ? '-' : ok ? '1' : '0';
    if (ok !== null) {
      checked++;
      if (ok) correct++;
    }
  }
  const label = labelOf(tauFilter);
  const row = {
    label,
    tauFilter,
    eotp: values.eotp,
    accuracy: correct / checked,
    checked,
    meanNfe: nfe / prompts.length,
    perPrompt: { correct: marks },
  };
  let pairedText = '';
  if (pairing?.kind === 'reference') {
    const vsReference = pairedComparison(row, pairing.row); // the lengths were checked above
    rows.push({ ...row, ...(vsReference ? { vsReference } : {}) });
    if (vsReference)
      pairedText = `; vs the reference: ${vsReference.onlyA} prompts only this gets right, ${vsReference.onlyB} only the reference, p = ${vsReference.pValue.toPrecision(2)}`;
  } else if (pairing?.kind === 'other') {
    const other = pairing.rows.find((r) => r.label === label); // present: checked above
    const vs = other ? pairedComparison(row, other) : null;
    rows.push({ ...row, ...(vs ? { vsOther: { file: pairing.file, ...vs } } : {}) });
    if (vs)
      pairedText = `; vs ${pairing.file}: ${vs.onlyA} prompts only this gets right, ${vs.onlyB} only that one, p = ${vs.pValue.toPrecision(2)}`;
  } else {
    rows.push(row);
  }
  console.log(
    `${label}: ${((100 * correct) / checked).toFixed(1)}% of ${checked} checkable, mean NFE ${(nfe / prompts.length).toFixed(1)}${pairedText}`,
  );
  // Written after every row, so a run stopped early keeps what it measured.
  if (values.out)
    writeFileSync(
      values.out,
      `${JSON.stringify({ command: `npx tsx experiments/accuracy-only.ts ${process.argv.slice(2).join(' ')}`, model: values.model, split, n: prompts.length, genLength: canvas.genLength, rows }, null, 2)}\n`,
    );
}
await model.release();
