// Facts from the small fixed tables of facts.ts: capitals, colors of fruit and vegetables, animal sounds,
// baby animals, animal homes, opposites. Each relation has 5 prompt wordings, so that (with prompts hashed
// into splits) every fact is asked in train under some wording; tasks.test.ts checks that for every fact.
import { ANIMAL_BABIES, ANIMAL_HOMES, ANIMAL_SOUNDS, CAPITALS, FOOD_COLORS, OPPOSITES } from '../facts';
import { an, capitalize } from '../lexicon';
import type { Example, Family } from '../types';

interface Relation {
  table: ReadonlyArray<readonly [string, string]>;
  wordings: readonly ((key: string) => string)[];
  answer(key: string, value: string): string;
}

export const RELATIONS: readonly Relation[] = [
  {
    table: CAPITALS,
    wordings: [
      (c) => `What is the capital of ${c}?`,
      (c) => `Which city is the capital of ${c}?`,
      (c) => `Name the capital city of ${c}.`,
      (c) => `What city is the capital of ${c}?`,
      (c) => `Tell me the capital of ${c}.`,
    ],
    answer: (c, city) => `The capital of ${c} is ${city}.`,
  },
  {
    table: FOOD_COLORS,
    wordings: [
      (f) => `What color is a ripe ${f}?`,
      (f) => `What is the color of a ripe ${f}?`,
      (f) => `Which color is a ripe ${f}?`,
      (f) => `Tell me the color of a ripe ${f}.`,
      (f) => `What color does a ripe ${f} have?`,
    ],
    answer: (f, color) => `A ripe ${f} is ${color}.`,
  },
  {
    table: ANIMAL_SOUNDS,
    wordings: [
      (a) => `What sound does ${an(a)} make?`,
      (a) => `What noise does ${an(a)} make?`,
      (a) => `Which sound does ${an(a)} make?`,
      (a) => `How does ${an(a)} sound?`,
      (a) => `Tell me the sound ${an(a)} makes.`,
    ],
    answer: (a, verb) => `${capitalize(an(a))} ${verb}.`,
  },
  {
    table: ANIMAL_BABIES,
    wordings: [
      (a) => `What is a baby ${a} called?`,
      (a) => `What do you call a baby ${a}?`,
      (a) => `What is the name for a baby ${a}?`,
      (a) => `Tell me what a baby ${a} is called.`,
      (a) => `A baby ${a} is called what?`,
    ],
    answer: (a, baby) => `A baby ${a} is called ${an(baby)}.`,
  },
  {
    table: ANIMAL_HOMES,
    wordings: [
      (a) => `Where does ${an(a)} live?`,
      (a) => `What is the home of ${an(a)} called?`,
      (a) => `In what home does ${an(a)} live?`,
      (a) => `Tell me where ${an(a)} lives.`,
      (a) => `Where would you find ${an(a)} at home?`,
    ],
    answer: (a, home) => `${capitalize(an(a))} lives in ${an(home)}.`,
  },
  {
    table: OPPOSITES,
    wordings: [
      (w) => `What is the opposite of ${w}?`,
      (w) => `Tell me the opposite of ${w}.`,
      (w) => `Which word means the opposite of ${w}?`,
      (w) => `What word is the opposite of ${w}?`,
      (w) => `Give the opposite of the word ${w}.`,
    ],
    answer: (w, o) => `The opposite of ${w} is ${o}.`,
  },
];

/** Every (prompt, answer) pair the family can produce, grouped by fact, for coverage tests. */
export function allLookupFacts(): Example[][] {
  return RELATIONS.flatMap((rel) =>
    rel.table.map(([key, value]) =>
      rel.wordings.map((w) => ({ family: 'lookup' as const, prompt: w(key), answer: rel.answer(key, value) })),
    ),
  );
}

export const lookup: Family = {
  name: 'lookup',
  description:
    'Facts from small fixed tables: capitals, colors of fruit, animal sounds, baby animals, animal homes, opposites.',
  weight: 12,
  rule: { kind: 'exact', description: 'the whole answer must equal the reference sentence' },
  generate(rng) {
    // Relations are drawn by table size, so every fact is about equally frequent.
    const rel = RELATIONS[rng.weighted(RELATIONS.map((r) => r.table.length))];
    const [key, value] = rng.pick(rel.table);
    return { family: 'lookup', prompt: rng.pick(rel.wordings)(key), answer: rel.answer(key, value) };
  },
};
