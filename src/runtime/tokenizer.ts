// The bundled model's tokenizer and prompt format, over transformers.js. Loading is injected: build one from the
// two parsed JSON files (`createTokenizer`), from a model-folder FileLoader (`loadTokenizer`, the worker's path,
// which can verify sha256 first), or let transformers.js fetch the folder itself (`loadTokenizerPretrained`:
// a folder path in Node, an http(s) URL anywhere).
//
// Prompt format: <|user|> prompt <|assistant|> response <|eos|> <|eos|>... (EOS also pads the canvas).
//
// transformers.js is imported on first use, not with this module: in the worker it is two thirds of the script
// (its own chunk, about 450 KB), and parsing it first would hold back onnxruntime's start-up, the longest part of
// a model load. `loadModel` asks for it when the load begins, so it arrives while the files download.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { FileLoader } from './files';

type Transformers = typeof import('@huggingface/transformers');
let library: Promise<Transformers> | undefined;

/** transformers.js, imported once (the first call starts the import; later calls share it). */
export function tokenizerLibrary(): Promise<Transformers> {
  library ??= import('@huggingface/transformers');
  return library;
}

/** Special tokens by id. Fixed: the trainer, the exported model and dllm.json all rely on these ids. */
export const SPECIAL_TOKENS = ['<|eos|>', '[MASK]', '<|user|>', '<|assistant|>'] as const;
export const EOS_ID = 0; // end of text, and padding
export const MASK_ID = 1;
export const USER_ID = 2;
export const ASSISTANT_ID = 3;
/** Ids below this are special (never part of an answer's text). */
export const FIRST_TEXT_ID = SPECIAL_TOKENS.length;

export const PROMPT_BEFORE = SPECIAL_TOKENS[USER_ID];
export const PROMPT_AFTER = SPECIAL_TOKENS[ASSISTANT_ID];

export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

export interface DllmTokenizer {
  /** Number of token ids (the model's vocabulary size). */
  readonly vocabSize: number;
  /** The full model input prefix: [USER_ID, ...text tokens, ASSISTANT_ID]. */
  encodePrompt(text: string): Int32Array;
  /** Plain text to ids, no special tokens added (how answers are tokenized for training). */
  encodeText(text: string): Int32Array;
  /** Answer text from canvas ids: stops at the first EOS, skips other specials (e.g. unfilled [MASK] slots). */
  decodeAnswer(ids: ArrayLike<number>): string;
  /** How one token reads on its own, for drawing canvas slots (" cat", "7", "<|eos|>"). */
  tokenText(id: number): string;
}

function wrap(tok: PreTrainedTokenizer): DllmTokenizer {
  SPECIAL_TOKENS.forEach((content, id) => {
    const actual = tok.convert_tokens_to_ids(content);
    if (actual !== id) throw new TokenizerError(`tokenizer maps ${content} to id ${actual}, expected ${id}`);
  });
  const vocabSize = Math.max(...tok.get_vocab().values()) + 1;
  const encodeText = (text: string) =>
    Int32Array.from(text.length === 0 ? [] : tok.encode(text, { add_special_tokens: false }));
  const decode = (ids: number[]) =>
    ids.length === 0 ? '' : tok.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
  return {
    vocabSize,
    encodeText,
    encodePrompt(text) {
      const body = encodeText(text);
      const out = new Int32Array(body.length + 2);
      out[0] = USER_ID;
      out.set(body, 1);
      out[body.length + 1] = ASSISTANT_ID;
      return out;
    },
    decodeAnswer(ids) {
      const text: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (id === EOS_ID) break;
        if (id >= FIRST_TEXT_ID) text.push(id);
      }
      return decode(text);
    },
    tokenText(id) {
      if (id >= 0 && id < FIRST_TEXT_ID) return SPECIAL_TOKENS[id];
      return decode([id]);
    },
  };
}

/** A tokenizer from the parsed contents of tokenizer.json and tokenizer_config.json. */
export async function createTokenizer(tokenizerJson: unknown, tokenizerConfig: unknown): Promise<DllmTokenizer> {
  if (typeof tokenizerJson !== 'object' || tokenizerJson === null)
    throw new TokenizerError('tokenizer.json must be a JSON object');
  if (typeof tokenizerConfig !== 'object' || tokenizerConfig === null)
    throw new TokenizerError('tokenizer_config.json must be a JSON object');
  const { PreTrainedTokenizer } = await tokenizerLibrary();
  return wrap(new PreTrainedTokenizer(tokenizerJson, tokenizerConfig));
}

/** Loads tokenizer.json and tokenizer_config.json through a model-folder loader (see files.ts). */
export async function loadTokenizer(loader: FileLoader): Promise<DllmTokenizer> {
  const [json, config] = await Promise.all(['tokenizer.json', 'tokenizer_config.json'].map((f) => loader(f)));
  return tokenizerFromBytes(json, config);
}

/** From the raw bytes of the two files (e.g. after a sha256 check against dllm.json). */
export async function tokenizerFromBytes(
  tokenizerJson: Uint8Array,
  tokenizerConfig: Uint8Array,
): Promise<DllmTokenizer> {
  const parse = (bytes: Uint8Array, name: string): unknown => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new TokenizerError(`${name} is not valid JSON: ${(error as Error).message}`);
    }
  };
  return createTokenizer(parse(tokenizerJson, 'tokenizer.json'), parse(tokenizerConfig, 'tokenizer_config.json'));
}

/**
 * Lets transformers.js load the folder itself with AutoTokenizer.from_pretrained. `location` is a folder path
 * (Node) or an absolute http(s) URL of the folder (browser, or Node against a server). Sets transformers.js'
 * global `env` for that: local files only for a path; for a URL, the URL's parent as the "remote host" so that
 * transformers.js fetches `<location>/tokenizer.json` and `<location>/tokenizer_config.json` and nothing else.
 */
export async function loadTokenizerPretrained(location: string): Promise<DllmTokenizer> {
  const { AutoTokenizer, env } = await tokenizerLibrary();
  if (/^https?:\/\//.test(location)) {
    const folder = new URL(location.endsWith('/') ? location : `${location}/`);
    const name = folder.pathname.split('/').filter(Boolean).pop();
    if (!name) throw new TokenizerError(`tokenizer URL ${location} has no folder name`);
    env.allowRemoteModels = true;
    env.remoteHost = new URL('..', folder).href;
    env.remotePathTemplate = '{model}/';
    return wrap(await AutoTokenizer.from_pretrained(name));
  }
  env.allowLocalModels = true;
  env.localModelPath = '';
  return wrap(await AutoTokenizer.from_pretrained(location, { local_files_only: true }));
}
