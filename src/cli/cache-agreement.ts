// `npm run cache-agreement -- --model public/models/tiny-dllm --limit 100 --gen-length 256 --json docs/bench/cache-agreement.json`
// How far the KV cache's stale keys move the one-token-per-step answer, next to how far other small changes of the
// same computation move it: the same decoder and prompts with the prefix and dual cache (q4), and without a cache on
// the q8 and fp32 weights. Each setting is compared with the q4 no-cache reference prompt by prompt: the share of
// identical answer texts, accuracy and its exact McNemar p. Writes JSON and a Markdown table beside it (issue 21).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { type CacheMode, REFERENCE_SPEC } from '../core';
import { type DecoderReport, evalModelOf, evaluate, type PromptOutcome } from '../eval/evaluate';
import { loadNodeModel, writeAtomic } from '../eval/node';
import { mcnemarExact } from '../eval/paired';
import { splitPrompts } from '../eval/prompts';
import { pct, table } from '../eval/text';
import { threadsNote } from '../runtime/node';
import { CliError, intArg, runCli } from './common';

interface Setting {
  label: string;
  differs: string; // what differs from the reference computation
  variant: string;
  cache: CacheMode;
}

const SETTINGS: readonly Setting[] = [
  {
    label: 'q4, prefix cache',
    differs: "prefix keys/values kept from the block's first step",
    variant: 'q4',
    cache: 'prefix',
  },
  {
    label: 'q4, dual cache',
    differs: "prefix and suffix keys/values kept from the block's first step",
    variant: 'q4',
    cache: 'dual',
  },
  { label: 'q8, no cache', differs: '8-bit weights instead of 4-bit', variant: 'q8', cache: 'none' },
  { label: 'fp32, no cache', differs: 'unquantized weights', variant: 'fp32', cache: 'none' },
];

interface SettingResult {
  label: string;
  differs: string;
  accuracy: number | null;
  /** Share of prompts whose answer text equals the reference's; and over the checkable prompts only. */
  sameAnswer: number;
  sameAnswerChecked: number;
  /** Checkable prompts right here and wrong in the reference, and the other way round; exact McNemar p. */
  onlyHere: number;
  onlyReference: number;
  pValue: number;
  /** Of the prompts whose answer moves here, the share whose answer also moves under q8 or fp32 weights. */
  movedAlsoByWeights: number | null;
  perPrompt: string; // '1' same answer as the reference, '0' not
}

const rate = (xs: readonly boolean[]) => (xs.length === 0 ? 0 : xs.filter(Boolean).length / xs.length);

function accuracyOf(outcomes: readonly PromptOutcome[]): number | null {
  const checked = outcomes.filter((o) => o.correct !== null);
  return checked.length === 0 ? null : rate(checked.map((o) => o.correct === true));
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      limit: { type: 'string' },
      'gen-length': { type: 'string' },
      'block-length': { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  if (!values.model || !values.json)
    throw new CliError('usage: npm run cache-agreement -- --model <folder> --limit 100 --gen-length 256 --json <file>');
  const t0 = performance.now();
  const prompts = splitPrompts('test', intArg('limit', values.limit, 100));
  // One-token-per-step answers of every setting, by variant: the reference and the cached rows share the q4 model.
  const answers = new Map<string, PromptOutcome[]>();
  let reference: DecoderReport | undefined;
  let canvas = { genLength: 0, blockLength: 0 };
  for (const variant of [...new Set(SETTINGS.map((s) => s.variant))]) {
    const caches = SETTINGS.filter((s) => s.variant === variant && s.cache !== 'none');
    const model = await loadNodeModel(values.model, variant, { kvCache: caches.length > 0 });
    try {
      canvas = {
        genLength: intArg('gen-length', values['gen-length'], model.manifest.defaults.genLength),
        blockLength: intArg('block-length', values['block-length'], model.manifest.defaults.blockLength),
      };
      const specs = caches.map((s) => ({ ...REFERENCE_SPEC, cache: s.cache }));
      const run = await evaluate(evalModelOf(model), prompts, canvas, specs, {
        onProgress: (done, total) => process.stderr.write(`\r${variant}: ${done}/${total} prompts   `),
      });
      process.stderr.write('\n');
      if (variant === 'q4') reference = run.reference;
      const label = (cache: CacheMode) => SETTINGS.find((s) => s.variant === variant && s.cache === cache)?.label;
      const own = label('none');
      if (own !== undefined) answers.set(own, run.reference.outcomes);
      caches.forEach((s, i) => answers.set(s.label, run.reports[i].outcomes));
    } finally {
      await model.release();
    }
  }
  if (reference === undefined) throw new CliError('the settings need the q4 reference');
  const ref = reference.outcomes;
  const moved = (label: string) => (answers.get(label) ?? []).map((o, i) => o.answerText !== ref[i].answerText);
  const byWeights = ref.map((_, i) => SETTINGS.some((s) => s.cache === 'none' && moved(s.label)[i]));
  const results: SettingResult[] = SETTINGS.map((s) => {
    const outcomes = answers.get(s.label) ?? [];
    const same = moved(s.label).map((m) => !m);
    const checked = ref.flatMap((o, i) => (o.correct === null ? [] : [same[i]]));
    const onlyHere = outcomes.filter((o, i) => o.correct === true && ref[i].correct === false).length;
    const onlyReference = outcomes.filter((o, i) => o.correct === false && ref[i].correct === true).length;
    const movedHere = same.flatMap((x, i) => (x ? [] : [byWeights[i]]));
    return {
      label: s.label,
      differs: s.differs,
      accuracy: accuracyOf(outcomes),
      sameAnswer: rate(same),
      sameAnswerChecked: rate(checked),
      onlyHere,
      onlyReference,
      pValue: mcnemarExact(onlyHere, onlyReference),
      movedAlsoByWeights: s.cache === 'none' || movedHere.length === 0 ? null : rate(movedHere),
      perPrompt: same.map((x) => (x ? '1' : '0')).join(''),
    };
  });
  const command = `npm run cache-agreement -- ${process.argv.slice(2).join(' ')}`;
  const machine = `${cpus().length}x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, onnxruntime-node CPU EP${threadsNote()}`;
  const out = {
    command,
    machine,
    date: new Date().toISOString().slice(0, 10),
    n: prompts.length,
    ...canvas,
    reference: { label: 'q4, no cache', accuracy: accuracyOf(ref) },
    settings: results,
    seconds: (performance.now() - t0) / 1000,
  };
  writeAtomic(values.json, `${JSON.stringify(out, null, 2)}\n`);
  const rows = results.map((r) => [
    r.label,
    r.differs,
    pct(r.accuracy),
    `${(100 * ((r.accuracy ?? 0) - (out.reference.accuracy ?? 0))).toFixed(1)}, p ${r.pValue.toFixed(3)}`,
    pct(r.sameAnswer),
    pct(r.sameAnswerChecked),
    r.movedAlsoByWeights === null ? '-' : pct(r.movedAlsoByWeights),
  ]);
  const header = [
    'setting',
    'what differs from the reference',
    'accuracy',
    'vs reference (points, McNemar p)',
    'same answer',
    'same answer, checkable prompts',
    'of its moved answers, also moved by the weights',
  ];
  const md = [
    '# How far the KV cache moves the answer',
    '',
    `Made by \`${command}\` on ${machine}, ${out.date}, in ${(out.seconds / 60).toFixed(1)} min.`,
    `The one-token-per-step decoder (low_confidence, no EoTP) on the first ${out.n} test prompts, genLength ${canvas.genLength}, block ${canvas.blockLength}.`,
    `The reference is the q4 weights without a cache (accuracy ${pct(out.reference.accuracy)}); every other setting is compared with it prompt by prompt.`,
    '"Same answer" is the share of prompts whose answer text is identical to the reference\'s (the story family, free text, counts too).',
    'The last column: of the prompts whose answer the cache changes, the share whose answer also changes on the q8 or fp32 weights without a cache.',
    '',
    ...[header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map((c) => c.trim()).join(' | ')} |`),
    '',
  ].join('\n');
  const mdPath = values.json.replace(/\.json$/, '.md');
  writeAtomic(mdPath, md);
  console.log(table(header, rows));
  console.log(`wrote ${values.json} and ${mdPath}`);
});
