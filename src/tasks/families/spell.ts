// Spell a word letter by letter. The prompt says which separator to use, so the answer is deterministic.
// Every word has 8 prompt wordings (4 per separator): with prompts hashed into splits, a word whose every
// wording falls outside train has odds of 1e-8, and a test (tasks.test.ts) checks all of them anyway.
import { SPELL_VOCAB } from '../lexicon';
import type { Rng } from '../rng';
import type { Example, Family } from '../types';

export type Separator = 'dashes' | 'spaces';

export const SPELL_WORDINGS: Readonly<Record<Separator, readonly ((w: string) => string)[]>> = {
  dashes: [
    (w) => `Spell the word ${w} with dashes.`,
    (w) => `Spell ${w} letter by letter, with dashes between the letters.`,
    (w) => `How do you spell ${w}? Use dashes.`,
    (w) => `Write the letters of ${w} separated by dashes.`,
  ],
  spaces: [
    (w) => `Spell the word ${w} with spaces.`,
    (w) => `Spell ${w} letter by letter, with spaces between the letters.`,
    (w) => `How do you spell ${w}? Use spaces.`,
    (w) => `Write the letters of ${w} separated by spaces.`,
  ],
};

export function spellAnswer(word: string, sep: Separator): string {
  return word.split('').join(sep === 'dashes' ? '-' : ' ');
}

/** Every (prompt, answer) pair the family can produce, for coverage tests. */
export function allSpellExamples(): Example[] {
  const out: Example[] = [];
  for (const word of SPELL_VOCAB) {
    for (const sep of ['dashes', 'spaces'] as const) {
      for (const wording of SPELL_WORDINGS[sep])
        out.push({ family: 'spell', prompt: wording(word), answer: spellAnswer(word, sep) });
    }
  }
  return out;
}

export const spell: Family = {
  name: 'spell',
  description: `Spell one of ${SPELL_VOCAB.length} common words letter by letter, with dashes or spaces.`,
  weight: 12,
  rule: {
    kind: 'exact',
    description: 'the whole answer must equal the reference (the letters joined by the separator asked for)',
  },
  generate(rng: Rng) {
    const word = rng.pick(SPELL_VOCAB);
    const sep: Separator = rng.chance(0.5) ? 'dashes' : 'spaces';
    return { family: 'spell', prompt: rng.pick(SPELL_WORDINGS[sep])(word), answer: spellAnswer(word, sep) };
  },
};
