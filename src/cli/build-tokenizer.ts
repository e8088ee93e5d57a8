// Builds the bundled model's tokenizer from the task suite's own text: a byte-level BPE trained here (count pair
// frequencies over pre-tokenized words, merge the most frequent pair, repeat), written in the Hugging Face
// `tokenizer.json` format with a `tokenizer_config.json` that transformers.js loads with AutoTokenizer.
//
//   npx tsx src/cli/build-tokenizer.ts [--vocab 2048] [--n 100000] [--seed 1] [--out public/models/tiny-dllm]
//
// Deterministic: the corpus is a fixed train-split sample, and ties between equally frequent pairs go to the
// lexicographically smallest pair. Pre-tokenization is `Digits {individual_digits}` then `ByteLevel` (the GPT-2
// split), mirrored by src/tasks/pretokenize.ts, so numbers are always sequences of single-digit tokens.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenizer, SPECIAL_TOKENS } from '../runtime/tokenizer';
import { generateSplit, pretokenize } from '../tasks';
import { MAX_ANSWER_TOKENS, MAX_PROMPT_TOKENS } from '../tasks/pretokenize';
import { runCli } from './common';

/** GPT-2's map from bytes to printable unicode characters (what ByteLevel pre-tokenization produces). */
function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const out = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(keep.includes(b) ? b : 256 + n++);
  return out;
}

const BYTE_CHARS = bytesToUnicode();
const utf8 = new TextEncoder();

/** A pre-tokenized piece as the BPE model sees it: one unicode character per UTF-8 byte. */
function byteLevel(piece: string): string {
  return Array.from(utf8.encode(piece), (b) => BYTE_CHARS[b]).join('');
}

interface Bpe {
  tokens: string[]; // id order, specials first, then the 256 byte symbols, then one token per merge
  merges: [string, string][];
}

/**
 * Trains byte-level BPE on word counts until the vocabulary (specials included) has `vocabSize` entries.
 * Words are arrays of symbol ids; every round recounts pairs over the distinct words (a few thousand here, so
 * the plain algorithm takes seconds) and merges the winner everywhere.
 */
function trainBpe(wordCounts: Map<string, number>, vocabSize: number): Bpe {
  const tokens: string[] = [...SPECIAL_TOKENS, ...BYTE_CHARS];
  const idOf = new Map(tokens.map((t, i) => [t, i]));
  const words = [...wordCounts].map(([w, count]) => ({ symbols: Array.from(w, (ch) => idOf.get(ch) ?? -1), count }));
  if (words.some((w) => w.symbols.includes(-1))) throw new Error('a word has a character outside the byte alphabet');
  const merges: [string, string][] = [];
  while (tokens.length < vocabSize) {
    const pairCounts = new Map<number, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = symbols[i] * 65536 + symbols[i + 1];
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      }
    }
    let best = -1;
    let bestCount = 0;
    let bestText = '';
    for (const [key, c] of pairCounts) {
      const text = `${tokens[Math.floor(key / 65536)]} ${tokens[key % 65536]}`;
      if (c > bestCount || (c === bestCount && text < bestText)) {
        best = key;
        bestCount = c;
        bestText = text;
      }
    }
    if (best < 0 || bestCount < 2) break; // nothing left worth merging
    const a = Math.floor(best / 65536);
    const b = best % 65536;
    const merged = tokens.length;
    tokens.push(tokens[a] + tokens[b]);
    merges.push([tokens[a], tokens[b]]);
    for (const w of words) {
      const s = w.symbols;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) s.splice(i, 2, merged);
    }
  }
  return { tokens, merges };
}

function tokenizerJson(bpe: Bpe): object {
  const vocab: Record<string, number> = {};
  bpe.tokens.forEach((t, i) => (vocab[t] = i));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Digits', individual_digits: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      ],
    },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: bpe.merges,
    },
  };
}

function tokenizerConfig(): object {
  const [eos, mask, user, assistant] = SPECIAL_TOKENS;
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: null,
    eos_token: eos,
    pad_token: eos,
    mask_token: mask,
    unk_token: null,
    additional_special_tokens: [user, assistant],
    added_tokens_decoder: Object.fromEntries(
      SPECIAL_TOKENS.map((content, id) => [
        String(id),
        { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
      ]),
    ),
    add_bos_token: false,
    add_eos_token: false,
    clean_up_tokenization_spaces: false, // decode must return exactly what was encoded (" ." stays " .")
    model_max_length: 312, // the longest prompt (56) plus the longest canvas the app offers (256)
    padding_side: 'right',
    // The prompt format of the bundled model: <|user|>prompt<|assistant|>response<|eos|>...
    chat_template:
      "{% for message in messages %}{% if message['role'] == 'user' %}{{ '<|user|>' + message['content'] + '<|assistant|>' }}{% else %}{{ message['content'] + '<|eos|>' }}{% endif %}{% endfor %}",
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vocab: { type: 'string', default: '2048' },
      n: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'public/models/tiny-dllm' },
    },
  });
  const vocabSize = Number(values.vocab);
  const t0 = performance.now();
  const corpus = generateSplit('train', Number(values.n), { seed: Number(values.seed) });
  const pieceCounts = new Map<string, number>();
  for (const ex of corpus) {
    for (const text of [ex.prompt, ex.answer]) {
      for (const piece of pretokenize(text)) pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
    }
  }
  const wordCounts = new Map([...pieceCounts].map(([piece, c]) => [byteLevel(piece), c] as const));
  const t1 = performance.now();
  const bpe = trainBpe(wordCounts, vocabSize);
  const t2 = performance.now();
  console.log(
    `corpus: ${corpus.length} train examples, ${wordCounts.size} distinct pieces (${((t1 - t0) / 1000).toFixed(1)} s)`,
  );
  console.log(`BPE: ${bpe.merges.length} merges, vocab ${bpe.tokens.length} (${((t2 - t1) / 1000).toFixed(1)} s)`);

  const json = tokenizerJson(bpe);
  const config = tokenizerConfig();
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'tokenizer.json'), `${JSON.stringify(json)}\n`);
  writeFileSync(join(values.out, 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);

  // Check what we wrote with the real tokenizer: round trip, pieces that are not one token, length bounds.
  const tok = await createTokenizer(json, config);
  let pieces = 0;
  let single = 0;
  const split = new Map<string, number>();
  for (const [piece, c] of pieceCounts) {
    pieces += c;
    if (tok.encodeText(piece).length === 1) single += c;
    else split.set(piece, c);
  }
  let maxPrompt = 0;
  let maxAnswer = 0;
  for (const ex of corpus.slice(0, 20000)) {
    const p = tok.encodePrompt(ex.prompt);
    const a = tok.encodeText(ex.answer);
    if (tok.decodeAnswer(a) !== ex.answer) throw new Error(`round trip failed: ${JSON.stringify(ex.answer)}`);
    maxPrompt = Math.max(maxPrompt, p.length);
    maxAnswer = Math.max(maxAnswer, a.length);
  }
  const worst = [...split].sort((x, y) => y[1] - x[1]).slice(0, 12);
  console.log(
    `pieces that are one token: ${((100 * single) / pieces).toFixed(2)}% of occurrences; ${split.size} of ${wordCounts.size} distinct pieces take 2+ tokens`,
  );
  console.log(`  most frequent multi-token pieces: ${worst.map(([w, c]) => `${JSON.stringify(w)}×${c}`).join(' ')}`);
  console.log(
    `longest prompt ${maxPrompt} tokens (limit ${MAX_PROMPT_TOKENS}), longest answer ${maxAnswer} (limit ${MAX_ANSWER_TOKENS}) in 20000 samples`,
  );
  console.log(`wrote ${join(values.out, 'tokenizer.json')} and tokenizer_config.json`);
}

runCli(main);
