// Unit conversions with whole-number results, in both directions, stating the factor first:
// "There are 60 minutes in an hour, so 3 hours is 3 × 60 = 180 minutes. The answer is 180."
import type { Family } from '../types';

interface Unit {
  one: string; // singular, or the word used after "1"
  many: string;
  a: string; // "an hour", "a dozen"
}

const u = (one: string, many: string, a: string): Unit => ({ one, many, a });

/** [bigger unit, smaller unit, how many smaller units make one bigger unit] */
const CONVERSIONS: ReadonlyArray<readonly [Unit, Unit, number]> = [
  [u('hour', 'hours', 'an hour'), u('minute', 'minutes', 'a minute'), 60],
  [u('minute', 'minutes', 'a minute'), u('second', 'seconds', 'a second'), 60],
  [u('day', 'days', 'a day'), u('hour', 'hours', 'an hour'), 24],
  [u('week', 'weeks', 'a week'), u('day', 'days', 'a day'), 7],
  [u('year', 'years', 'a year'), u('month', 'months', 'a month'), 12],
  [u('meter', 'meters', 'a meter'), u('centimeter', 'centimeters', 'a centimeter'), 100],
  [u('kilometer', 'kilometers', 'a kilometer'), u('meter', 'meters', 'a meter'), 1000],
  [u('kilogram', 'kilograms', 'a kilogram'), u('gram', 'grams', 'a gram'), 1000],
  [u('liter', 'liters', 'a liter'), u('milliliter', 'milliliters', 'a milliliter'), 1000],
  [u('foot', 'feet', 'a foot'), u('inch', 'inches', 'an inch'), 12],
  [u('dozen', 'dozen', 'a dozen'), u('egg', 'eggs', 'an egg'), 12],
];

const amount = (n: number, unit: Unit) => `${n} ${n === 1 ? unit.one : unit.many}`;

/** Five wordings per direction: with prompts hashed into splits, every conversion is asked in train (tested). */
const FORWARD: readonly ((amount: string, to: string) => string)[] = [
  (a, to) => `How many ${to} are in ${a}?`,
  (a, to) => `Convert ${a} to ${to}.`,
  (a, to) => `${a} is how many ${to}?`,
  (a, to) => `How many ${to} are there in ${a}?`,
  (a, to) => `Change ${a} into ${to}.`,
];

interface Conversion {
  prompts: string[]; // every wording
  answer: string;
}

function forward(big: Unit, small: Unit, f: number, n: number): Conversion {
  const a = amount(n, big);
  return {
    prompts: FORWARD.map((w) => w(a, small.many)),
    answer: `There are ${f} ${small.many} in ${big.a}, so ${a} is ${n} × ${f} = ${n * f} ${small.many}. The answer is ${n * f}.`,
  };
}

function backward(big: Unit, small: Unit, f: number, n: number): Conversion {
  const a = `${n * f} ${small.many}`;
  return {
    prompts: FORWARD.map((w) => w(a, big.many)),
    answer: `There are ${f} ${small.many} in ${big.a}, so ${a} is ${n * f} ÷ ${f} = ${amount(n, big)}. The answer is ${n}.`,
  };
}

/** Every conversion the family can ask (1 to 12 of the bigger unit, or 2 to 12 back from the smaller one). */
export function allConversions(): Conversion[] {
  return CONVERSIONS.flatMap(([big, small, f]) => [
    ...Array.from({ length: 12 }, (_, i) => forward(big, small, f, i + 1)),
    ...Array.from({ length: 11 }, (_, i) => backward(big, small, f, i + 2)),
  ]);
}

export const convert: Family = {
  name: 'convert',
  description: 'Unit conversions (hours, minutes, days, meters, grams, dozens...) with whole-number results.',
  weight: 9,
  rule: { kind: 'final-number', description: 'the number after the last "The answer is" must equal the reference' },
  generate(rng) {
    const [big, small, f] = rng.pick(CONVERSIONS);
    const c = rng.chance(0.65) ? forward(big, small, f, rng.int(1, 12)) : backward(big, small, f, rng.int(2, 12));
    return { family: 'convert', prompt: rng.pick(c.prompts), answer: c.answer };
  },
};
