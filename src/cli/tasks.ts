// Writes a split of the task suite as JSONL for the trainer and the evaluators, tokenized with the bundled
// tokenizer, and prints a summary.
//
//   npx tsx src/cli/tasks.ts --split train --n 200000 --out training/data/train.jsonl
//     [--seed 0] [--family arithmetic,sort] [--tokenizer public/models/tiny-dllm]
//
// One line per example: {"id","family","split","prompt","answer","promptIds","answerIds"} where promptIds is the
// full model input prefix (<|user|> prompt <|assistant|>) and answerIds the answer without EOS (the trainer pads
// with EOS). Fails, writing nothing more, if any example breaks the length limits.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTokenizerPretrained } from '../runtime/tokenizer';
import {
  type FamilyName,
  generateSplit,
  isFamilyName,
  MAX_ANSWER_TOKENS,
  MAX_PROMPT_TOKENS,
  SPLITS,
  type Split,
  TASK_FAMILIES,
} from '../tasks';

const DEFAULT_N: Readonly<Record<Split, number>> = { train: 100_000, validation: 2_000, test: 2_000 };

function fail(message: string): never {
  console.error(`tasks: ${message}`);
  process.exit(2);
}

interface Stats {
  count: number;
  answerMin: number;
  answerMax: number;
  answerSum: number;
  promptMax: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'train' },
      n: { type: 'string' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      family: { type: 'string' },
      tokenizer: { type: 'string', default: 'public/models/tiny-dllm' },
    },
  });
  const split = values.split as Split;
  if (!SPLITS.includes(split)) fail(`--split must be one of ${SPLITS.join(', ')}`);
  const n = values.n === undefined ? DEFAULT_N[split] : Number(values.n);
  if (!Number.isInteger(n) || n < 0) fail('--n must be a whole number');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail('--seed must be an integer');
  if (!values.out) fail('--out is required (a .jsonl path)');
  let families: FamilyName[] | undefined;
  if (values.family) {
    const names = values.family.split(',').map((s) => s.trim());
    for (const name of names)
      if (!isFamilyName(name)) fail(`unknown family "${name}" (known: ${TASK_FAMILIES.map((f) => f.name).join(', ')})`);
    families = names as FamilyName[];
  }

  const t0 = performance.now();
  const tokenizer = await loadTokenizerPretrained(resolve(values.tokenizer));
  const examples = generateSplit(split, n, { seed, families });
  const t1 = performance.now();

  mkdirSync(dirname(resolve(values.out)), { recursive: true });
  const fd = openSync(values.out, 'w');
  const stats = new Map<FamilyName, Stats>();
  let buffer: string[] = [];
  try {
    for (const ex of examples) {
      const promptIds = tokenizer.encodePrompt(ex.prompt);
      const answerIds = tokenizer.encodeText(ex.answer);
      if (promptIds.length > MAX_PROMPT_TOKENS)
        fail(`${ex.id}: prompt has ${promptIds.length} tokens (limit ${MAX_PROMPT_TOKENS}): ${ex.prompt}`);
      if (answerIds.length > MAX_ANSWER_TOKENS)
        fail(`${ex.id}: answer has ${answerIds.length} tokens (limit ${MAX_ANSWER_TOKENS}): ${ex.answer}`);
      const s = stats.get(ex.family) ?? { count: 0, answerMin: Infinity, answerMax: 0, answerSum: 0, promptMax: 0 };
      s.count++;
      s.answerMin = Math.min(s.answerMin, answerIds.length);
      s.answerMax = Math.max(s.answerMax, answerIds.length);
      s.answerSum += answerIds.length;
      s.promptMax = Math.max(s.promptMax, promptIds.length);
      stats.set(ex.family, s);
      buffer.push(
        JSON.stringify({
          id: ex.id,
          family: ex.family,
          split: ex.split,
          prompt: ex.prompt,
          answer: ex.answer,
          promptIds: Array.from(promptIds),
          answerIds: Array.from(answerIds),
        }),
      );
      if (buffer.length === 2000) {
        writeSync(fd, `${buffer.join('\n')}\n`);
        buffer = [];
      }
    }
    if (buffer.length > 0) writeSync(fd, `${buffer.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  const t2 = performance.now();

  console.log(`${split}: ${examples.length} examples (seed ${seed}) -> ${values.out}`);
  console.log(`generate ${((t1 - t0) / 1000).toFixed(1)} s, tokenize + write ${((t2 - t1) / 1000).toFixed(1)} s`);
  console.log('family       count   share  answer tokens min/mean/max  prompt max');
  for (const f of TASK_FAMILIES) {
    const s = stats.get(f.name);
    if (!s) continue;
    const share = ((100 * s.count) / examples.length).toFixed(1).padStart(5);
    const lens = `${s.answerMin}/${(s.answerSum / s.count).toFixed(1)}/${s.answerMax}`.padStart(16);
    console.log(
      `${f.name.padEnd(11)} ${String(s.count).padStart(6)}  ${share}%  ${lens}              ${String(s.promptMax).padStart(3)}`,
    );
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
