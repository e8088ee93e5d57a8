// Compare two numbers, or two people from one stated relation. The answer is one sentence that names the
// winner first: "52 is larger than 37." / "Ben is younger than Anna."
import { PEOPLE } from '../lexicon';
import type { Rng } from '../rng';
import type { Family } from '../types';

/** A relation and its converse. */
const RELATIONS: ReadonlyArray<readonly [string, string]> = [
  ['older', 'younger'],
  ['taller', 'shorter'],
  ['faster', 'slower'],
  ['stronger', 'weaker'],
  ['heavier', 'lighter'],
];

function numbers(rng: Rng): [number, number] {
  const hi = rng.pick([9, 20, 50, 99, 99]);
  const [x, y] = rng.sample(
    Array.from({ length: hi }, (_, i) => i + 1),
    2,
  );
  return [x, y];
}

export const compare: Family = {
  name: 'compare',
  description: 'Which of two numbers is larger or smaller, or who is older, taller, faster... from one statement.',
  weight: 7,
  rule: { kind: 'exact', description: 'the whole answer must equal the reference sentence' },
  generate(rng) {
    const kind = rng.int(0, 2);
    if (kind === 0) {
      const [x, y] = numbers(rng);
      const larger = rng.chance(0.5);
      const prompt = larger
        ? rng.pick([
            `Which number is larger, ${x} or ${y}?`,
            `Which is bigger: ${x} or ${y}?`,
            `What is the larger number, ${x} or ${y}?`,
          ])
        : rng.pick([
            `Which number is smaller, ${x} or ${y}?`,
            `Which is less: ${x} or ${y}?`,
            `What is the smaller number, ${x} or ${y}?`,
          ]);
      const [hi, lo] = x > y ? [x, y] : [y, x];
      return {
        family: 'compare',
        prompt,
        answer: larger ? `${hi} is larger than ${lo}.` : `${lo} is smaller than ${hi}.`,
      };
    }
    if (kind === 1) {
      const [x, y] = numbers(rng);
      const answer = x > y ? `Yes, ${x} is larger than ${y}.` : `No, ${x} is smaller than ${y}.`;
      return {
        family: 'compare',
        prompt: rng.pick([`Is ${x} larger than ${y}?`, `Is ${x} bigger than ${y}?`]),
        answer,
      };
    }
    const [a, b] = rng.sample(PEOPLE, 2);
    const [more, less] = rng.pick(RELATIONS);
    // The statement uses either word of the pair; the question asks for either one.
    const stated = rng.chance(0.5) ? `${a.name} is ${more} than ${b.name}.` : `${b.name} is ${less} than ${a.name}.`;
    const askMore = rng.chance(0.5);
    const prompt = `${stated} Who is ${askMore ? more : less}?`;
    const answer = askMore ? `${a.name} is ${more} than ${b.name}.` : `${b.name} is ${less} than ${a.name}.`;
    return { family: 'compare', prompt, answer };
  },
};
