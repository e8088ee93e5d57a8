// The list families: sort, reverse, count. Lists are short (3 to 8 items for sort and reverse, up to 9 for
// count) and written "a, b, c"; answers open with a fixed lead-in ("Sorted:", "Reversed:") so that every list
// item in the answer is the same token as in the prompt (" cat", never a bare "cat" at the start of the text).
import { COLORS, LIST_WORDS } from '../lexicon';
import type { Rng } from '../rng';
import type { Family } from '../types';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

function numbers(rng: Rng, k: number): number[] {
  const pool = Array.from({ length: 99 }, (_, i) => i + 1);
  return rng.sample(pool, k);
}

const byNumber = (a: number, b: number) => a - b;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const sort: Family = {
  name: 'sort',
  description: 'Sort 3 to 8 numbers (1 to 99) or words in ascending order.',
  weight: 9,
  rule: {
    kind: 'exact',
    description: 'the whole answer must equal the reference ("Sorted: ..." with the items in order)',
  },
  generate(rng) {
    const k = rng.int(3, 8);
    if (rng.chance(0.5)) {
      const xs = numbers(rng, k);
      const intro = rng.pick([
        'Sort these numbers from smallest to largest:',
        'Put these numbers in order from smallest to largest:',
        'Sort these numbers in ascending order:',
        'Arrange these numbers from lowest to highest:',
      ]);
      return {
        family: 'sort',
        prompt: `${intro} ${xs.join(', ')}.`,
        answer: `Sorted: ${xs.slice().sort(byNumber).join(', ')}.`,
      };
    }
    const words = rng.sample(LIST_WORDS, k);
    const intro = rng.pick([
      'Sort these words in alphabetical order:',
      'Put these words in alphabetical order:',
      'Sort these words from A to Z:',
      'Arrange these words alphabetically:',
    ]);
    return {
      family: 'sort',
      prompt: `${intro} ${words.join(', ')}.`,
      answer: `Sorted: ${words.slice().sort(byText).join(', ')}.`,
    };
  },
};

export const reverse: Family = {
  name: 'reverse',
  description: 'Reverse a list of 3 to 8 words or letters.',
  weight: 7,
  rule: {
    kind: 'exact',
    description: 'the whole answer must equal the reference ("Reversed: ..." with the items in reverse order)',
  },
  generate(rng) {
    const k = rng.int(3, 8);
    const kind = rng.int(0, 2);
    if (kind === 0) {
      const letters = Array.from({ length: k }, () => rng.pick(LETTERS));
      const intro = rng.pick([
        'Reverse these letters:',
        'Write these letters in reverse order:',
        'Reverse the order of these letters:',
      ]);
      return {
        family: 'reverse',
        prompt: `${intro} ${letters.join(' ')}.`,
        answer: `Reversed: ${letters.slice().reverse().join(' ')}.`,
      };
    }
    const pool = kind === 1 ? LIST_WORDS : COLORS;
    const words = Array.from({ length: k }, () => rng.pick(pool));
    const intro = rng.pick([
      'Reverse the order of these words:',
      'Write these words in reverse order:',
      'Reverse this list:',
      'List these words backwards:',
    ]);
    return {
      family: 'reverse',
      prompt: `${intro} ${words.join(', ')}.`,
      answer: `Reversed: ${words.slice().reverse().join(', ')}.`,
    };
  },
};

const times = (n: number) => (n === 1 ? '1 time' : `${n} times`);

export const count: Family = {
  name: 'count',
  description: 'Count the items of a list, or how often a word or letter appears in it.',
  weight: 8,
  rule: { kind: 'last-number', description: 'the last whole number in the answer must equal the reference count' },
  generate(rng) {
    const kind = rng.int(0, 2);
    if (kind === 0) {
      const k = rng.int(2, 8);
      const words = Array.from({ length: k }, () => rng.pick(LIST_WORDS));
      const noun = rng.pick(['words', 'items']);
      const intro = rng.pick([`How many ${noun} are in this list:`, `Count the ${noun} in this list:`]);
      return {
        family: 'count',
        prompt: `${intro} ${words.join(', ')}?`,
        answer: `There are ${k} ${noun} in the list.`,
      };
    }
    if (kind === 1) {
      // A few distinct words, one of them the target, repeated so the count ranges over 1..6.
      const k = rng.int(3, 9);
      const [target, ...others] = rng.sample(LIST_WORDS, 4);
      const hits = rng.int(1, Math.min(6, k));
      const words = rng.shuffle([
        ...Array<string>(hits).fill(target),
        ...Array.from({ length: k - hits }, () => rng.pick(others)),
      ]);
      const intro = rng.pick([
        `How many times does the word ${target} appear in this list:`,
        `Count how many times ${target} appears in this list:`,
        `How often does ${target} appear in this list:`,
      ]);
      return {
        family: 'count',
        prompt: `${intro} ${words.join(', ')}?`,
        answer: `The word ${target} appears ${times(hits)}.`,
      };
    }
    const k = rng.int(3, 9);
    const [target, ...others] = rng.sample(LETTERS, 4);
    const hits = rng.int(1, Math.min(6, k));
    const letters = rng.shuffle([
      ...Array<string>(hits).fill(target),
      ...Array.from({ length: k - hits }, () => rng.pick(others)),
    ]);
    const intro = rng.pick([
      `How many times does the letter ${target} appear in`,
      `Count the letter ${target} in`,
      `How often does the letter ${target} appear in`,
    ]);
    return {
      family: 'count',
      prompt: `${intro} ${letters.join(' ')}?`,
      answer: `The letter ${target} appears ${times(hits)}.`,
    };
  },
};
