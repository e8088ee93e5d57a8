// The tokenizer's pre-tokenization, mirrored as a pure function: `Digits {individual_digits: true}` then
// `ByteLevel {use_regex: true}` (the GPT-2 split), as transformers.js applies them. The BPE trainer learns its
// merges over these pieces, and the generators use the piece count as a cheap lower bound on token counts
// (every piece is at least one token; a piece that is a word of the suite is usually exactly one).

const DIGITS = /[^\d]+|\d/gu;
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The pieces BPE sees, as text (before the byte-to-unicode mapping). */
export function pretokenize(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(DIGITS) ?? []) {
    for (const piece of run.match(GPT2_SPLIT) ?? []) out.push(piece);
  }
  return out;
}

export function countPieces(text: string): number {
  return pretokenize(text).length;
}

/** Hard limits the generators guarantee, in tokens of the bundled tokenizer. */
export const MAX_PROMPT_TOKENS = 56; // role markers included: <|user|> prompt <|assistant|>
export const MAX_ANSWER_TOKENS = 120; // EOS not included
