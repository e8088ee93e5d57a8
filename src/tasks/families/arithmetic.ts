// Multi-step word problems in the style of GSM8K: 2 or 3 operations on small whole numbers, a worked solution
// with one "a op b = c" per step, ending with "The answer is N." Operands stay at most 50, every intermediate
// and final value between 1 and 200, multiplication and division only with one-digit factors.
import { capitalize, him, PEOPLE, type Person, THINGS } from '../lexicon';
import type { Rng } from '../rng';
import type { Example, Family } from '../types';

const FOODS = new Set(['apples', 'cookies', 'candies', 'cupcakes', 'oranges', 'eggs']);

interface Cast {
  a: Person; // the main character
  b: Person; // a second character
  thing: string;
}

function cast(rng: Rng): Cast {
  const [a, b] = rng.sample(PEOPLE, 2);
  return { a, b, thing: rng.pick(THINGS) };
}

const answer = (steps: string[], result: number) => `${steps.join(' ')} The answer is ${result}.`;

/** "He buys 5 more" / "He loses 3": one change to a count, phrased the same in the prompt and the solution. */
interface Change {
  delta: number;
  clause: string; // e.g. "buys 5 more", "gives 3 to Anna"
}

function gain(rng: Rng, n: number): Change {
  return { delta: n, clause: rng.pick([`buys ${n} more`, `finds ${n} more`, `gets ${n} more`, `wins ${n} more`]) };
}

function loss(rng: Rng, n: number, other: Person): Change {
  return {
    delta: -n,
    clause: rng.pick([`gives ${n} to ${other.name}`, `loses ${n}`, `sells ${n}`, `gives ${n} away`]),
  };
}

/** Applies changes in order, writing one step per change. Returns null if a count would leave 1..200. */
function applyChanges(start: number, changes: Change[], p: string): { steps: string[]; result: number } | null {
  let have = start;
  const steps: string[] = [];
  for (const c of changes) {
    const next = have + c.delta;
    if (next < 1 || next > 200) return null;
    const op = c.delta >= 0 ? `${have} + ${c.delta}` : `${have} - ${-c.delta}`;
    steps.push(`${capitalize(p)} ${c.clause}, so ${p} has ${op} = ${next}.`);
    have = next;
  }
  return { steps, result: have };
}

/** Two or three gains and losses: "Tom has 12 apples. He buys 5 more and then gives 8 to Anna. ..." */
function changes(rng: Rng): Example | null {
  const { a, b, thing } = cast(rng);
  const start = rng.int(5, 40);
  const count = rng.chance(0.6) ? 2 : 3;
  const list: Change[] = [];
  let have = start;
  for (let i = 0; i < count; i++) {
    const up = have < 6 || (have < 150 && rng.chance(0.5));
    const n = up ? rng.int(2, 30) : rng.int(2, Math.min(have - 1, 30));
    const c = up ? gain(rng, n) : loss(rng, n, b);
    list.push(c);
    have += c.delta;
  }
  const solved = applyChanges(start, list, a.pronoun);
  if (!solved) return null;
  const P = capitalize(a.pronoun);
  const actions =
    list.length === 2
      ? `${P} ${list[0].clause} and then ${list[1].clause}.`
      : `${P} ${list[0].clause}, ${list[1].clause}, and then ${list[2].clause}.`;
  return {
    family: 'arithmetic',
    prompt: `${a.name} has ${start} ${thing}. ${actions} How many ${thing} does ${a.name} have now?`,
    answer: answer(solved.steps, solved.result),
  };
}

/** Groups then a change: "Tom buys 4 bags of apples. Each bag has 6 apples. He gives away 9. ..." */
function groups(rng: Rng): Example | null {
  const { a, thing } = cast(rng);
  const bag = rng.pick(['bags', 'boxes', 'packs', 'jars', 'baskets']);
  const n = rng.int(2, 9);
  const per = rng.int(2, 9);
  const total = n * per;
  const P = capitalize(a.pronoun);
  const p = a.pronoun;
  if (rng.chance(0.5)) {
    const c = rng.int(1, total - 1);
    return {
      family: 'arithmetic',
      prompt: `${a.name} buys ${n} ${bag} of ${thing}. Each one has ${per} ${thing}. ${P} gives away ${c} ${thing}. How many ${thing} does ${p} have left?`,
      answer: answer(
        [
          `${P} buys ${n} × ${per} = ${total} ${thing}.`,
          `${P} gives away ${c}, so ${p} has ${total} - ${c} = ${total - c} left.`,
        ],
        total - c,
      ),
    };
  }
  const c = rng.int(2, 30);
  return {
    family: 'arithmetic',
    prompt: `${a.name} has ${n} ${bag} with ${per} ${thing} in each. ${P} also has ${c} loose ${thing}. How many ${thing} does ${p} have in all?`,
    answer: answer(
      [
        `The ${bag} hold ${n} × ${per} = ${total} ${thing}.`,
        `With the loose ones, ${p} has ${total} + ${c} = ${total + c}.`,
      ],
      total + c,
    ),
  };
}

/** Comparison then a sum: "Mia has 14 stickers. Leo has 9 more than Mia. How many together?" */
function together(rng: Rng): Example | null {
  const { a, b, thing } = cast(rng);
  const x = rng.int(4, 40);
  const more = rng.chance(0.5);
  const d = more ? rng.int(2, 25) : rng.int(1, x - 2);
  const y = more ? x + d : x - d;
  const op = more ? `${x} + ${d}` : `${x} - ${d}`;
  return {
    family: 'arithmetic',
    prompt: `${a.name} has ${x} ${thing}. ${b.name} has ${d} ${more ? 'more' : 'fewer'} ${thing} than ${a.name}. How many ${thing} do they have together?`,
    answer: answer(
      [`${b.name} has ${op} = ${y} ${thing}.`, `Together they have ${x} + ${y} = ${x + y} ${thing}.`],
      x + y,
    ),
  };
}

/** Saving each week, then spending or a gift: one product and one sum or difference. */
function savings(rng: Rng): Example | null {
  const { a, b } = cast(rng);
  const per = rng.int(2, 9);
  const weeks = rng.int(2, 9);
  const saved = per * weeks;
  const P = capitalize(a.pronoun);
  const p = a.pronoun;
  const first = `${a.name} saves ${per} dollars each week for ${weeks} weeks.`;
  const step1 = `${P} saves ${per} × ${weeks} = ${saved} dollars.`;
  if (rng.chance(0.5) && saved > 3) {
    const cost = rng.int(2, saved - 1);
    const item = rng.pick(['a book', 'a toy', 'a hat', 'a kite', 'a game', 'a ball', 'lunch']);
    return {
      family: 'arithmetic',
      prompt: `${first} Then ${p} spends ${cost} dollars on ${item}. How many dollars does ${p} have left?`,
      answer: answer(
        [step1, `${P} spends ${cost}, so ${p} has ${saved} - ${cost} = ${saved - cost} dollars left.`],
        saved - cost,
      ),
    };
  }
  const gift = rng.int(2, 30);
  return {
    family: 'arithmetic',
    prompt: `${first} Then ${b.name} gives ${him(a.pronoun)} ${gift} dollars. How many dollars does ${p} have now?`,
    answer: answer([step1, `With the gift, ${p} has ${saved} + ${gift} = ${saved + gift} dollars.`], saved + gift),
  };
}

/** Sharing equally, then each share changes: one division and one difference. */
function share(rng: Rng): Example | null {
  const { a, thing } = cast(rng);
  const friends = rng.int(2, 6);
  const each = rng.int(2, 9);
  const total = friends * each;
  const c = rng.int(1, each - 1);
  const verb = FOODS.has(thing) ? ['eats', 'eating'] : ['loses', 'losing'];
  return {
    family: 'arithmetic',
    prompt: `${a.name} shares ${total} ${thing} equally among ${friends} friends. Each friend ${verb[0]} ${c} of them. How many ${thing} does each friend have left?`,
    answer: answer(
      [
        `Each friend gets ${total} ÷ ${friends} = ${each} ${thing}.`,
        `After ${verb[1]} ${c}, each friend has ${each} - ${c} = ${each - c}.`,
      ],
      each - c,
    ),
  };
}

/** A shop's stock through a day: three steps. */
function shop(rng: Rng): Example | null {
  const thing = rng.pick(THINGS);
  const place = rng.pick(['shop', 'store', 'stall']);
  const start = rng.int(20, 50);
  const morning = rng.int(2, Math.min(20, start - 10));
  const afternoon = rng.int(2, start - morning - 1);
  const delivery = rng.int(2, 30);
  const s1 = start - morning;
  const s2 = s1 - afternoon;
  return {
    family: 'arithmetic',
    prompt: `A ${place} has ${start} ${thing}. It sells ${morning} in the morning and ${afternoon} in the afternoon. Then it gets ${delivery} new ${thing}. How many ${thing} does the ${place} have now?`,
    answer: answer(
      [
        `After the morning, it has ${start} - ${morning} = ${s1}.`,
        `After the afternoon, it has ${s1} - ${afternoon} = ${s2}.`,
        `With the new ${thing}, it has ${s2} + ${delivery} = ${s2 + delivery}.`,
      ],
      s2 + delivery,
    ),
  };
}

/** Three days of collecting, then giving some away: three steps. */
function days(rng: Rng): Example | null {
  const { a, b, thing } = cast(rng);
  const verb = rng.pick(['picks', 'collects', 'finds', 'makes']);
  const [x, y, z] = [rng.int(2, 30), rng.int(2, 30), rng.int(2, 30)];
  const s1 = x + y;
  const s2 = s1 + z;
  const c = rng.int(2, Math.min(s2 - 1, 40));
  const P = capitalize(a.pronoun);
  const p = a.pronoun;
  return {
    family: 'arithmetic',
    prompt: `${a.name} ${verb} ${x} ${thing} on Monday, ${y} on Tuesday and ${z} on Wednesday. ${P} gives ${c} to ${b.name}. How many ${thing} does ${a.name} have left?`,
    answer: answer(
      [
        `On Monday and Tuesday, ${p} ${verb} ${x} + ${y} = ${s1}.`,
        `With Wednesday, ${p} has ${s1} + ${z} = ${s2}.`,
        `${P} gives ${c} to ${b.name}, so ${p} has ${s2} - ${c} = ${s2 - c}.`,
      ],
      s2 - c,
    ),
  };
}

/** "How many more" after a change: a sum then a difference. */
function howManyMore(rng: Rng): Example | null {
  const { a, b, thing } = cast(rng);
  const x = rng.int(3, 40);
  const g = rng.int(2, 30);
  const y = rng.int(2, x + g - 1);
  const P = capitalize(a.pronoun);
  return {
    family: 'arithmetic',
    prompt: `${a.name} has ${x} ${thing} and ${b.name} has ${y}. ${a.name} gets ${g} more. How many more ${thing} does ${a.name} have than ${b.name} now?`,
    answer: answer(
      [
        `${a.name} now has ${x} + ${g} = ${x + g} ${thing}.`,
        `${P} has ${x + g} - ${y} = ${x + g - y} more than ${b.name}.`,
      ],
      x + g - y,
    ),
  };
}

/** Rows of things, then some added or removed: a product then a sum or difference. */
function rows(rng: Rng): Example | null {
  const [place, noun] = rng.pick([
    ['classroom', 'desks'],
    ['hall', 'chairs'],
    ['garden', 'flowers'],
    ['farm', 'trees'],
    ['theater', 'seats'],
  ] as const);
  const r = rng.int(2, 9);
  const per = rng.int(2, 9);
  const total = r * per;
  const first = `The ${place} has ${r} rows of ${noun} with ${per} ${noun} in each row.`;
  const step1 = `There are ${r} × ${per} = ${total} ${noun}.`;
  if (rng.chance(0.5)) {
    const c = rng.int(2, 20);
    return {
      family: 'arithmetic',
      prompt: `${first} Then ${c} more ${noun} are added. How many ${noun} are there now?`,
      answer: answer([step1, `After adding ${c}, there are ${total} + ${c} = ${total + c}.`], total + c),
    };
  }
  const c = rng.int(2, total - 1);
  return {
    family: 'arithmetic',
    prompt: `${first} Then ${c} of the ${noun} are taken away. How many ${noun} are left?`,
    answer: answer([step1, `After taking away ${c}, there are ${total} - ${c} = ${total - c}.`], total - c),
  };
}

const TEMPLATES: ReadonlyArray<readonly [weight: number, make: (rng: Rng) => Example | null]> = [
  [3, changes],
  [1.5, groups],
  [1.5, together],
  [1.5, savings],
  [1, share],
  [1, shop],
  [1, days],
  [1, howManyMore],
  [1, rows],
];

export const arithmetic: Family = {
  name: 'arithmetic',
  description: 'Word problems with 2 or 3 steps of +, -, × or ÷ on small whole numbers, solved step by step.',
  weight: 25,
  rule: { kind: 'final-number', description: 'the number after the last "The answer is" must equal the reference' },
  generate(rng) {
    const weights = TEMPLATES.map(([w]) => w);
    for (;;) {
      const example = TEMPLATES[rng.weighted(weights)][1](rng);
      if (example) return example;
    }
  },
};
