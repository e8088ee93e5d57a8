// How the bundled model fills an answer when the canvas ends right after it (what EoTP leaves once it cuts there,
// spec §4) against when the answer is followed by more slots (what decoding without EoTP sees). No decoder of ours
// runs: each prompt's canvas holds the task's own answer, its EOS, and one of four tails, and the model is asked in
// two ways, the same in every context:
// - fill: some answer tokens masked (rate --mask, the same slots in every context), one forward, top-1 checked slot
//   by slot against the answer;
// - decode: every answer token masked, the EOS after them given, decoded one token per step (the most confident
//   masked slot of the first 32-slot block that has one, as the one-token-per-step reference does), and the answer
//   text checked as the benchmark checks it. The answer's length is given, so this isolates the context's effect.
//   npx tsx experiments/cut-context.ts [--model public/models/tiny-dllm] [--split test] [--limit 300] [--gen-length 256]
//                                      [--mask 0.3] [--draws 3] [--seed 1] [--json experiments/results/cut-context.json]
// Tails after the answer's EOS: nothing ("cut right after the answer", where rule 1 of EoTP cuts when the filter
// accepts the answer's EOS); 8 more EOS; EOS up to genLength (a canvas whose padding is decoded); [MASK] up to
// genLength (a canvas whose later blocks are not decoded yet).
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core';
import { encodeChecked, evalModelOf } from '../src/eval/evaluate';
import { loadNodeModel } from '../src/eval/node';
import { pairedComparison } from '../src/eval/paired';
import { parseSplit, splitPrompts } from '../src/eval/prompts';
import { checkAnswer, getFamily, isFamilyName } from '../src/tasks';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/tiny-dllm' },
    split: { type: 'string', default: 'test' },
    limit: { type: 'string', default: '300' },
    'gen-length': { type: 'string', default: '256' },
    mask: { type: 'string', default: '0.3' },
    draws: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
  strict: true,
});
const genLength = Number(values['gen-length']);
const maskRate = Number(values.mask);
const draws = Number(values.draws);
if (!(maskRate > 0 && maskRate <= 1)) throw new Error(`--mask must be in (0, 1], got ${values.mask}`);
const model = await loadNodeModel(values.model);
const em = evalModelOf(model);
const prompts = splitPrompts(parseSplit(values.split), Number(values.limit)).filter(
  (p) => p.answer !== undefined && p.family !== undefined && isFamilyName(p.family),
);
const rng = createRng(Number(values.seed));

const CONTEXTS = ['EOS only (cut)', 'EOS + 8 EOS', 'EOS to genLength', 'EOS + [MASK] to genLength'] as const;
type Context = (typeof CONTEXTS)[number];
function tail(context: Context, room: number): number[] {
  const fill = (n: number, id: number) => Array.from({ length: Math.max(0, n) }, () => id);
  switch (context) {
    case 'EOS only (cut)':
      return [em.eosId];
    case 'EOS + 8 EOS':
      return [em.eosId, ...fill(Math.min(8, room - 1), em.eosId)];
    case 'EOS to genLength':
      return [em.eosId, ...fill(room - 1, em.eosId)];
    case 'EOS + [MASK] to genLength':
      return [em.eosId, ...fill(room - 1, em.maskId)];
  }
}

const stats = Object.fromEntries(
  CONTEXTS.map((c) => [c, { masked: 0, right: 0, draws: 0, allRight: 0, decoded: 0, correct: 0, perPrompt: '' }]),
);

/** One token per step over the answer's slots only (block by block, most confident first); returns the answer text. */
async function decodeAnswer(promptIds: Int32Array, answerLength: number, tailIds: number[]): Promise<string> {
  const ids = Int32Array.from([...promptIds, ...Array.from({ length: answerLength }, () => em.maskId), ...tailIds]);
  const p = promptIds.length;
  for (let n = 0; n < answerLength; n++) {
    const { top1, conf } = await em.denoiser.forward(ids);
    const first = ids.indexOf(em.maskId, p) - p;
    const end = Math.min(answerLength, (Math.floor(first / 32) + 1) * 32);
    let best = -1;
    for (let i = first; i < end; i++)
      if (ids[p + i] === em.maskId && (best < 0 || conf[p + i] > conf[p + best])) best = i;
    ids[p + best] = top1[p + best];
  }
  return model.tokenizer.decodeAnswer(ids.slice(p));
}
let used = 0;
for (const p of prompts) {
  const promptIds = encodeChecked(em, p.prompt);
  const answer = Array.from(model.tokenizer.encodeText(p.answer ?? ''));
  const room = genLength - answer.length; // slots after the answer's tokens, its EOS included
  if (room < 1) continue;
  used++;
  for (let d = 0; d < draws; d++) {
    const masked = answer.map(() => rng() < maskRate);
    if (!masked.includes(true)) masked[Math.floor(rng() * answer.length)] = true;
    const shown = answer.map((t, i) => (masked[i] ? em.maskId : t));
    for (const context of CONTEXTS) {
      const ids = Int32Array.from([...promptIds, ...shown, ...tail(context, room)]);
      const { top1 } = await em.denoiser.forward(ids);
      const s = stats[context];
      let all = true;
      for (let i = 0; i < answer.length; i++) {
        if (!masked[i]) continue;
        const ok = top1[promptIds.length + i] === answer[i];
        s.masked++;
        if (ok) s.right++;
        else all = false;
      }
      s.draws++;
      if (all) s.allRight++;
    }
  }
  const family = p.family !== undefined && isFamilyName(p.family) ? p.family : undefined;
  if (family === undefined || getFamily(family).rule === null) continue; // not checkable (story): fill only
  for (const context of CONTEXTS) {
    const text = await decodeAnswer(promptIds, answer.length, tail(context, room));
    const ok = checkAnswer(family, p.answer ?? '', text) === true;
    stats[context].decoded++;
    if (ok) stats[context].correct++;
    stats[context].perPrompt += ok ? '1' : '0';
  }
}

const rows = CONTEXTS.map((c) => {
  const t = stats[c];
  // Decoded answers paired prompt by prompt with the cut canvas's (exact McNemar test, as BENCHMARKS.md pairs rows).
  const pair = pairedComparison(
    { label: c, perPrompt: { correct: t.perPrompt } },
    { label: CONTEXTS[0], perPrompt: { correct: stats[CONTEXTS[0]].perPrompt } },
  );
  const vsCut = { onlyThisRight: pair?.onlyA ?? 0, onlyCutRight: pair?.onlyB ?? 0, p: pair?.pValue ?? 1 };
  return {
    context: c,
    maskedRight: t.right / t.masked,
    drawsAllRight: t.allRight / t.draws,
    masked: t.masked,
    draws: t.draws,
    decodedCorrect: t.correct / t.decoded,
    decoded: t.decoded,
    vsCut,
    perPrompt: t.perPrompt,
  };
});
for (const r of rows) {
  console.log(
    `${r.context.padEnd(26)} fill: masked answer tokens right ${(100 * r.maskedRight).toFixed(1)}% (${r.masked}), every one of a draw ${(100 * r.drawsAllRight).toFixed(1)}% (${r.draws}) | decode: answers correct ${(100 * r.decodedCorrect).toFixed(1)}% (${r.decoded}; only this / only cut right ${r.vsCut.onlyThisRight} / ${r.vsCut.onlyCutRight}, p = ${r.vsCut.p.toFixed(3)})`,
  );
}
if (values.json) {
  const command = `npx tsx experiments/cut-context.ts ${process.argv.slice(2).join(' ')}`;
  const machine = `${cpus().length}x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, onnxruntime-node CPU EP`;
  const out = {
    command,
    machine,
    date: new Date().toISOString().slice(0, 10),
    model: model.manifest.id,
    split: values.split,
    prompts: used,
    genLength,
    maskRate,
    draws,
    seed: Number(values.seed),
    rows,
  };
  writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${values.json}`);
}
await model.release();
