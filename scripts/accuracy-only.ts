// Accuracy and mean NFE of Learn2PD over a tauFilter sweep on the test split, without the one-token-per-step
// reference (no agreement, no speedups): a check that takes minutes where `npm run bench` takes most of an hour,
// for a filter experiment whose reference rows are already measured.
//   npx tsx scripts/accuracy-only.ts --model /tmp/model-X [--limit 300] [--gen-length 256] [--eotp] [--out file.json]
// Decoding is deterministic, so its accuracy and NFE equal the bench's learn2pd rows for the same folder.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decode } from '../src/core';
import { loadNodeModel, splitPrompts } from '../src/cli/common';
import { configFor, encodeChecked, evalModelOf } from '../src/runtime/evaluate';
import { checkAnswer, isFamilyName } from '../src/tasks';

const { values } = parseArgs({
  options: { model: { type: 'string' }, limit: { type: 'string', default: '300' }, 'gen-length': { type: 'string', default: '256' }, eotp: { type: 'boolean', default: false }, out: { type: 'string' } },
  strict: true,
});
if (!values.model) throw new Error('usage: npx tsx scripts/accuracy-only.ts --model <folder> [--limit 300] [--gen-length 256] [--eotp] [--out file.json]');
const model = await loadNodeModel(values.model);
const em = evalModelOf(model);
const canvas = { genLength: Number(values['gen-length']), blockLength: 32 };
const filter = em.filterFor(canvas.blockLength);
if (!filter) throw new Error(`${values.model} has no filter for block length 32`);
const prompts = splitPrompts('test', Number(values.limit));
const rows = [];
for (const tauFilter of [0.8, 0.9, 0.95, 0.96, 0.99]) {
  const spec = { decoder: 'learn2pd' as const, eotp: values.eotp, tauFilter };
  let correct = 0;
  let checked = 0;
  let nfe = 0;
  for (const p of prompts) {
    const result = await decode(encodeChecked(em, p.prompt), configFor(em, canvas, spec), em.denoiser, filter);
    nfe += result.nfe;
    const ok = p.family !== undefined && isFamilyName(p.family) && p.answer !== undefined ? checkAnswer(p.family, p.answer, em.tokenizer.decodeAnswer(result.answer)) : null;
    if (ok !== null) {
      checked++;
      if (ok) correct++;
    }
  }
  rows.push({ tauFilter, eotp: values.eotp, accuracy: correct / checked, checked, meanNfe: nfe / prompts.length });
  console.log(`learn2pd tauFilter=${tauFilter}${values.eotp ? ' +EoTP' : ''}: ${((100 * correct) / checked).toFixed(1)}% of ${checked} checkable, mean NFE ${(nfe / prompts.length).toFixed(1)}`);
}
await model.release();
if (values.out) writeFileSync(values.out, `${JSON.stringify({ command: `npx tsx scripts/accuracy-only.ts ${process.argv.slice(2).join(' ')}`, model: values.model, n: prompts.length, genLength: canvas.genLength, rows }, null, 2)}\n`);
