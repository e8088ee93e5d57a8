// The bundled tokenizer (public/models/tiny-dllm) through transformers.js: special ids, digit splitting, exact
// round trips on every task family, the prompt/answer length limits the task generators promise, and loading
// by path, by URL and through an injected file loader.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ASSISTANT_ID,
  createTokenizer,
  type DllmTokenizer,
  EOS_ID,
  FIRST_TEXT_ID,
  loadTokenizer,
  loadTokenizerPretrained,
  MASK_ID,
  SPECIAL_TOKENS,
  tokenizerFromBytes,
  USER_ID,
} from '../../src/runtime/tokenizer';
import { countPieces, FAMILY_NAMES, generateSplit, MAX_ANSWER_TOKENS, MAX_PROMPT_TOKENS } from '../../src/tasks';

const FOLDER = resolve(import.meta.dirname, '../../public/models/tiny-dllm');
const read = (name: string) => readFileSync(join(FOLDER, name));
const json = (name: string): unknown => JSON.parse(read(name).toString('utf8'));

let tok: DllmTokenizer;
beforeAll(async () => {
  tok = await createTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
});

describe('special tokens', () => {
  it('have the fixed ids', () => {
    expect([EOS_ID, MASK_ID, USER_ID, ASSISTANT_ID]).toEqual([0, 1, 2, 3]);
    expect(SPECIAL_TOKENS).toEqual(['<|eos|>', '[MASK]', '<|user|>', '<|assistant|>']);
    SPECIAL_TOKENS.forEach((t, id) => expect(tok.tokenText(id)).toBe(t));
  });

  it('are marked special in tokenizer.json and named in tokenizer_config.json', () => {
    const file = json('tokenizer.json') as {
      added_tokens: { id: number; content: string; special: boolean }[];
      model: { vocab: Record<string, number> };
    };
    expect(file.added_tokens.map((t) => [t.id, t.content, t.special])).toEqual(
      SPECIAL_TOKENS.map((t, i) => [i, t, true]),
    );
    SPECIAL_TOKENS.forEach((t, id) => expect(file.model.vocab[t]).toBe(id));
    const config = json('tokenizer_config.json') as Record<string, unknown>;
    expect([config.eos_token, config.pad_token, config.mask_token]).toEqual(['<|eos|>', '<|eos|>', '[MASK]']);
  });

  it('are never split, and encode as themselves inside text', () => {
    for (const [id, t] of SPECIAL_TOKENS.entries()) expect(Array.from(tok.encodeText(t))).toEqual([id]);
    const ids = Array.from(tok.encodeText('a[MASK]b<|eos|>'));
    expect(ids).toContain(MASK_ID);
    expect(ids).toContain(EOS_ID);
  });

  it('a prompt is <|user|> text <|assistant|>', () => {
    const ids = tok.encodePrompt('What is the capital of Peru?');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids[0]).toBe(USER_ID);
    expect(ids[ids.length - 1]).toBe(ASSISTANT_ID);
    expect(Array.from(ids.slice(1, -1))).toEqual(Array.from(tok.encodeText('What is the capital of Peru?')));
    expect(Array.from(ids.slice(1, -1)).every((id) => id >= FIRST_TEXT_ID)).toBe(true);
  });
});

describe('vocabulary and pre-tokenization', () => {
  it('has about 2000 tokens', () => {
    expect(tok.vocabSize).toBe(2048);
  });

  it('splits numbers into single digits', () => {
    const ids = Array.from(tok.encodeText('12 + 345 = 357'));
    const texts = ids.map((id) => tok.tokenText(id));
    expect(texts).toEqual(['1', '2', ' +', ' ', '3', '4', '5', ' =', ' ', '3', '5', '7']);
  });

  it('words of the task text are single tokens', () => {
    for (const w of [
      ' apples',
      ' capital',
      ' forest',
      'Sorted',
      ':',
      ' answer',
      ' spell',
      'Tom',
      ' ×',
      ' ÷',
      'Reversed',
      'The',
    ]) {
      expect(tok.encodeText(w).length, w).toBe(1);
    }
    // Over a sample: nearly every pre-token piece (word, punctuation run, digit) is one token.
    let pieces = 0;
    let tokens = 0;
    for (const ex of generateSplit('train', 5_000, { seed: 8 })) {
      for (const text of [ex.prompt, ex.answer]) {
        pieces += countPieces(text);
        tokens += tok.encodeText(text).length;
      }
    }
    expect(tokens / pieces).toBeLessThan(1.01);
  });

  it('encodes any text, even outside the suite, and decodes it back', () => {
    for (const t of ['Zürich — naïve café ☕ 你好', 'tabs\tand\nnewlines', '  leading and trailing  ', "it's 42%!"]) {
      expect(tok.decodeAnswer(tok.encodeText(t))).toBe(t);
    }
  });
});

describe('decodeAnswer', () => {
  it('stops at the first EOS and skips masks', () => {
    const a = Array.from(tok.encodeText('The answer is 17.'));
    expect(tok.decodeAnswer([...a, EOS_ID, ...a])).toBe('The answer is 17.');
    expect(tok.decodeAnswer([a[0], MASK_ID, ...a.slice(1), EOS_ID, EOS_ID])).toBe('The answer is 17.');
    expect(tok.decodeAnswer([EOS_ID, ...a])).toBe('');
    expect(tok.decodeAnswer([])).toBe('');
    expect(tok.decodeAnswer(new Int32Array([MASK_ID, MASK_ID]))).toBe('');
  });
});

describe('every task family', () => {
  for (const family of FAMILY_NAMES) {
    it(`${family}: prompts and answers round-trip exactly and stay within the token limits`, () => {
      // The variable-length families get more samples; all three splits are covered.
      const n = family === 'story' || family === 'arithmetic' ? 8_000 : 2_000;
      let maxPrompt = 0;
      let maxAnswer = 0;
      for (const split of ['train', 'validation', 'test'] as const) {
        for (const ex of generateSplit(split, split === 'train' ? n : n / 4, { seed: 21, families: [family] })) {
          const p = tok.encodePrompt(ex.prompt);
          const a = tok.encodeText(ex.answer);
          expect(tok.decodeAnswer(p.slice(1, -1))).toBe(ex.prompt);
          expect(tok.decodeAnswer(a)).toBe(ex.answer);
          maxPrompt = Math.max(maxPrompt, p.length);
          maxAnswer = Math.max(maxAnswer, a.length);
        }
      }
      expect(maxPrompt).toBeLessThanOrEqual(MAX_PROMPT_TOKENS);
      expect(maxAnswer).toBeLessThanOrEqual(MAX_ANSWER_TOKENS);
    });
  }
});

describe('loading', () => {
  const sample = 'Tom has 12 apples. He buys 5 more, so he has 12 + 5 = 17. The answer is 17.';

  it('AutoTokenizer.from_pretrained loads the folder in Node and encodes the same', async () => {
    const viaAuto = await loadTokenizerPretrained(FOLDER);
    expect(Array.from(viaAuto.encodePrompt(sample))).toEqual(Array.from(tok.encodePrompt(sample)));
    expect(viaAuto.vocabSize).toBe(tok.vocabSize);
  });

  it('AutoTokenizer.from_pretrained loads the same files served over HTTP (as in the browser)', async () => {
    const requested: string[] = [];
    const server = createServer((req, res) => {
      const name = (req.url ?? '').split('?')[0].replace(/^\/models\/tiny-dllm\//, '');
      requested.push(name);
      try {
        const body = read(name);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const useFSCache = env.useFSCache;
    env.useFSCache = false; // do not write a cache folder into node_modules
    try {
      const { port } = server.address() as AddressInfo;
      const viaHttp = await loadTokenizerPretrained(`http://127.0.0.1:${port}/models/tiny-dllm`);
      expect(Array.from(viaHttp.encodePrompt(sample))).toEqual(Array.from(tok.encodePrompt(sample)));
      expect(new Set(requested)).toEqual(new Set(['tokenizer.json', 'tokenizer_config.json']));
    } finally {
      env.useFSCache = useFSCache;
      server.close();
    }
  });

  it('loads through an injected file loader and from bytes', async () => {
    const asked: string[] = [];
    const viaLoader = await loadTokenizer(async (path) => {
      asked.push(path);
      return new Uint8Array(read(path));
    });
    expect(asked.sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    expect(viaLoader.decodeAnswer(viaLoader.encodeText(sample))).toBe(sample);
    await expect(
      tokenizerFromBytes(new TextEncoder().encode('{'), new Uint8Array(read('tokenizer_config.json'))),
    ).rejects.toThrow(/tokenizer.json is not valid JSON/);
  });

  it('rejects a tokenizer whose special ids differ', async () => {
    const file = json('tokenizer.json') as { added_tokens: { id: number; content: string }[] };
    const swapped = {
      ...file,
      added_tokens: file.added_tokens.map((t) => ({ ...t, id: t.id === 0 ? 1 : t.id === 1 ? 0 : t.id })),
    };
    await expect(createTokenizer(swapped, json('tokenizer_config.json'))).rejects.toThrow(/expected/);
  });
});
