// Free text: short stories and descriptions from a small grammar. Not checkable (no single right answer), but
// the prompt conditions the content and the length: the hero, the place or the object the prompt names always
// appears in the story ("storyMentions" checks it), and "very short" / "short" / "long" set a budget of
// pre-token pieces (about 30 / 60 / 110 tokens).
import { an, capitalize, his, PEOPLE, type Pronoun } from '../lexicon';
import { countPieces } from '../pretokenize';
import type { Rng } from '../rng';
import type { Example, Family } from '../types';
import { PLACES, type Place } from './story-places';

// biome-ignore format: a word list reads best as a paragraph
export const STORY_ANIMALS = [
  'fox', 'rabbit', 'bear', 'owl', 'mouse', 'cat', 'dog', 'duck', 'turtle', 'squirrel', 'deer', 'wolf', 'frog',
  'lion', 'tiger', 'horse', 'goat', 'pig', 'hedgehog', 'otter', 'crow', 'swan', 'panda', 'elephant',
] as const;

// biome-ignore format: a word list reads best as a paragraph
export const STORY_ROLES = [
  'girl', 'boy', 'farmer', 'baker', 'sailor', 'knight', 'princess', 'prince', 'wizard', 'king', 'queen',
  'fisherman', 'painter', 'teacher', 'doctor', 'pilot',
] as const;

/** Hero adjectives with a sentence each that shows the trait ("The brave fox was never afraid of the dark."). */
const TRAITS: Readonly<Record<string, string>> = {
  brave: 'was never afraid of the dark',
  little: 'could hide in the smallest places',
  clever: 'could solve any puzzle',
  shy: 'did not like to talk to strangers',
  curious: 'always wanted to know what was over the next hill',
  kind: 'always shared food with friends',
  lazy: 'liked to sleep until noon',
  young: 'had never been far from home',
  old: 'knew every path for miles around',
  happy: 'sang all day long',
  sleepy: 'often took long naps in the sun',
  hungry: 'was always looking for something to eat',
  gentle: 'spoke softly to everyone',
  proud: 'liked to show off in front of others',
  friendly: 'said hello to everyone',
  lonely: 'wished for a friend to play with',
  wise: 'knew many old stories',
  playful: 'loved to run and play games',
  grumpy: 'did not like loud noises',
  clumsy: 'often tripped over its own feet',
};
export const STORY_ADJECTIVES = Object.keys(TRAITS);

// biome-ignore format: a word list reads best as a paragraph
export const STORY_OBJECTS = ['key', 'map', 'box', 'stone', 'feather', 'shell', 'coin', 'bell', 'lantern', 'book', 'ring', 'kite', 'ball', 'egg', 'hat', 'flute'] as const;
// biome-ignore format: a word list reads best as a paragraph
const OBJECT_ADJECTIVES = ['shiny', 'old', 'tiny', 'golden', 'silver', 'strange', 'wooden', 'little', 'blue', 'red'];
// biome-ignore format: a word list reads best as a paragraph
const FIND_SPOTS = ['under a big rock', 'near the old well', 'behind a tree', 'in the tall grass', 'next to the path', 'under a pile of leaves', 'at the edge of the water'];

type Length = 'very short' | 'short' | 'medium' | 'long';
/** Budgets in pre-token pieces; tokens are a few more (lengths test: answers stay at or under 120 tokens). */
const BUDGET: Readonly<Record<Length, number>> = { 'very short': 34, short: 60, medium: 80, long: 110 };

interface Hero {
  intro: string; // "a brave fox", "a kind farmer named Mia"
  ref: string; // "the fox", "Mia"
  p: Pronoun;
  adjective: string;
}

function heroFrom(rng: Rng, named: boolean): Hero & { noun: string } {
  const adjective = rng.pick(STORY_ADJECTIVES);
  if (named) {
    const person = rng.pick(PEOPLE);
    const wrong = person.pronoun === 'he' ? ['girl', 'princess', 'queen'] : ['boy', 'prince', 'king', 'fisherman'];
    const role = rng.pick(STORY_ROLES.filter((r) => !wrong.includes(r)));
    return {
      intro: `${an(adjective)} ${role} named ${person.name}`,
      ref: person.name,
      p: person.pronoun,
      adjective,
      noun: role,
    };
  }
  const animal = rng.pick(STORY_ANIMALS);
  return {
    intro: `${an(adjective)} ${animal}`,
    ref: `the ${animal}`,
    p: rng.chance(0.5) ? 'he' : 'she',
    adjective,
    noun: animal,
  };
}

/** Sentences in story order; optional ones are dropped, lowest priority first, until the story fits. */
interface Line {
  text: string;
  priority: number; // Infinity: always kept
}

const must = (text: string): Line => ({ text, priority: Infinity });
const may = (priority: number, text: string): Line => ({ text, priority });

function fit(lines: Line[], budget: number): string {
  const kept = lines.slice();
  const joined = () => kept.map((l) => l.text).join(' ');
  while (countPieces(joined()) > budget) {
    let drop = -1;
    for (let i = kept.length - 1; i >= 0; i--)
      if (kept[i].priority < (drop < 0 ? Infinity : kept[drop].priority)) drop = i;
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  return joined();
}

function opening(rng: Rng, hero: Hero, place: Place): string {
  return rng.pick([
    `Once upon a time, there was ${hero.intro} who lived ${place.at}.`,
    `${capitalize(hero.intro)} lived ${place.at}.`,
    `Long ago, ${hero.intro} made a home ${place.at}.`,
    `There once was ${hero.intro} who lived ${place.at}.`,
  ]);
}

function trait(hero: Hero): string {
  return `${capitalize(hero.ref)} ${TRAITS[hero.adjective].replace('its own', `${his(hero.p)} own`)}.`;
}

function ending(rng: Rng, hero: Hero, friend?: string): string {
  const P = capitalize(hero.p);
  const options = [
    `${P} went home with a big smile.`,
    `That night, ${hero.ref} fell asleep happy.`,
    `It was the best day of ${his(hero.p)} life.`,
    `And ${hero.p} never forgot that day.`,
  ];
  if (friend) options.push(`From that day on, ${hero.ref} and the ${friend} were best friends.`);
  return rng.pick(options);
}

/** "finds a key": a discovery and what the hero does with it. */
function findPlot(rng: Rng, hero: Hero, place: Place, object: string, length: Length): string {
  const P = capitalize(hero.p);
  const adj = rng.pick(OBJECT_ADJECTIVES);
  const lines: Line[] = [
    must(opening(rng, hero, place)),
    may(1.5, trait(hero)),
    may(1, `Every morning, ${hero.p} liked to ${rng.pick(place.activities)}.`),
    may(2, rng.pick(place.scenes)),
    must(`One day, ${hero.ref} found ${an(adj)} ${object} ${rng.pick(FIND_SPOTS)}.`),
    may(
      3,
      rng.pick([
        `${P} had never seen anything like it.`,
        `${P} picked it up and looked at it closely.`,
        `It was covered in dust.`,
      ]),
    ),
    may(
      5,
      rng.pick([
        `${P} decided to find out who it belonged to.`,
        `${P} wanted to show it to all ${his(hero.p)} friends.`,
        `${P} put it in a safe place.`,
      ]),
    ),
    may(
      4,
      rng.pick([
        `Soon ${hero.p} met an old ${rng.pick(STORY_ANIMALS)} who had lost it long ago.`,
        `When the sun went down, the ${object} began to glow softly.`,
        `Everyone ${place.at} came to see the ${object}.`,
      ]),
    ),
    may(2.5, `That evening, ${hero.p} told ${his(hero.p)} friends all about the ${object}.`),
    may(6, ending(rng, hero)),
  ];
  return fit(lines, BUDGET[length]);
}

/** "helps a duck": meeting someone in trouble and solving the problem together. */
function helpPlot(rng: Rng, hero: Hero, place: Place, friend: string, length: Length): string {
  const P = capitalize(hero.p);
  const lost = rng.pick(STORY_OBJECTS);
  // Each trouble brings its own middle: [trouble, ...lines with priorities, fix].
  const troubles: ReadonlyArray<readonly [string, Line[], string]> = [
    [
      `who was looking for a lost ${lost}`,
      [
        may(3, `"Can you help me find it?" asked the ${friend}.`),
        may(2, `${P} said yes, and they looked under every rock and behind every tree.`),
      ],
      `At last they found the ${lost} ${rng.pick(FIND_SPOTS)}.`,
    ],
    [
      'who was stuck in a tree',
      [
        may(3, `"Please help me get down!" cried the ${friend}.`),
        may(2, `${P} looked around for something that could help.`),
      ],
      `${P} found a long branch, and the ${friend} climbed down safely.`,
    ],
    [
      'who was lost and far from home',
      [
        may(3, `"Can you help me find my way home?" asked the ${friend}.`),
        may(2.2, `${P} said yes, and they set off together.`),
        may(
          2,
          `On the way, they ${rng.pick(['crossed a bridge and climbed a hill', 'passed a big field of flowers', 'saw a rainbow over the hills', 'walked past the old mill'])}.`,
        ),
      ],
      `At last they reached the ${friend}'s home.`,
    ],
    [
      'who was crying by the road',
      [may(3, `"Why are you sad?" asked ${hero.ref}.`), may(2.5, `"I am so hungry," said the ${friend}.`)],
      `${P} shared ${his(hero.p)} lunch, and the ${friend} felt much better.`,
    ],
  ];
  const [trouble, middle, fix] = rng.pick(troubles);
  const lines: Line[] = [
    must(opening(rng, hero, place)),
    may(1, trait(hero)),
    may(1.5, rng.pick(place.scenes)),
    must(`One day, ${hero.ref} met a little ${friend} ${trouble}.`),
    ...middle,
    may(5, fix),
    may(4, ending(rng, hero, friend)),
  ];
  return fit(lines, BUDGET[length]);
}

/** No prompt constraint beyond hero and place: a day out. */
function dayPlot(rng: Rng, hero: Hero, place: Place, length: Length): string {
  const P = capitalize(hero.p);
  const [event, outcome] = rng.pick([
    [
      'One afternoon, dark clouds came and it began to rain.',
      `${P} ran to find shelter and waited for the storm to pass.`,
    ],
    [`One morning, ${hero.p} heard a strange sound.`, `${P} followed it and found a family of birds singing.`],
    [`One evening, ${hero.p} saw a bright light in the sky.`, `${P} watched it until it was gone.`],
    [
      `One day, ${hero.p} met ${an(rng.pick(STORY_ANIMALS))} who wanted to play.`,
      'They played together until the sun went down.',
    ],
  ] as const);
  const lines: Line[] = [
    must(opening(rng, hero, place)),
    may(2, trait(hero)),
    may(1, `Every morning, ${hero.p} liked to ${rng.pick(place.activities)}.`),
    ...rng.sample(place.scenes, 2).map((scene, i) => may(3 - 1.5 * i, scene)),
    must(event),
    may(5, outcome),
    may(2.5, `The next day, ${hero.p} told everyone about it.`),
    may(4, ending(rng, hero)),
  ];
  return fit(lines, BUDGET[length]);
}

function describe(rng: Rng, place: Place, adjective: string, length: Length): string {
  const others = place.adjectives.filter((a) => a !== adjective);
  const first = `The ${place.name} is ${adjective} and ${rng.pick(others)}.`;
  const features = rng.shuffle(place.features);
  if (length === 'very short') return `${first} ${features[0]}`;
  const shown = features.slice(0, length === 'long' ? 5 : length === 'medium' ? 3 : 2);
  const lines: Line[] = [
    must(first),
    ...shown.map((f, i) => may(shown.length - i, f)),
    may(0.5, `It is a good place to ${rng.pick(place.activities)}.`),
  ];
  return fit(lines, BUDGET[length]);
}

const LENGTH_WORDS: Readonly<Record<Length, string>> = {
  'very short': 'a very short story',
  short: 'a short story',
  medium: 'a story',
  long: 'a long story',
};

export const story: Family = {
  name: 'story',
  description:
    'Short stories and descriptions (not checkable); the prompt sets the hero, place or object and the length.',
  weight: 11,
  rule: null,
  generate(rng): Example {
    const length = rng.pick(['very short', 'short', 'short', 'medium', 'long', 'long'] as const);
    const place = rng.pick(PLACES);
    const kind = rng.int(0, 4);
    if (kind === 4) {
      const adjective = rng.pick(place.adjectives);
      const size =
        length === 'very short' ? 'in two sentences' : length === 'long' ? 'in detail' : 'in a few sentences';
      return {
        family: 'story',
        prompt: `Describe ${an(adjective)} ${place.name} ${size}.`,
        answer: describe(rng, place, adjective, length),
      };
    }
    const hero = heroFrom(rng, kind === 3);
    const what = LENGTH_WORDS[length];
    if (kind === 0) {
      const object = rng.pick(STORY_OBJECTS);
      return {
        family: 'story',
        prompt: `Write ${what} about ${hero.intro} who finds ${an(object)}.`,
        answer: findPlot(rng, hero, place, object, length),
      };
    }
    if (kind === 1) {
      const friend = rng.pick(STORY_ANIMALS.filter((a) => a !== hero.noun));
      return {
        family: 'story',
        prompt: `Write ${what} about ${hero.intro} who helps ${an(friend)}.`,
        answer: helpPlot(rng, hero, place, friend, length),
      };
    }
    return {
      family: 'story',
      prompt: `Write ${what} about ${hero.intro} ${place.at}.`,
      answer: dayPlot(rng, hero, place, length),
    };
  },
};

/** The nouns a story prompt names (hero, friend, object, place, name), each of which the story must mention. */
export function storySubjects(prompt: string): string[] {
  const words = new Set(prompt.replace(/[^A-Za-z ]/g, ' ').split(/\s+/));
  const nouns: string[] = [
    ...STORY_ANIMALS,
    ...STORY_ROLES,
    ...STORY_OBJECTS,
    ...PLACES.map((p) => p.name),
    ...PEOPLE.map((p) => p.name),
  ];
  return nouns.filter((n) => words.has(n));
}

/** True when the text mentions everything the prompt asked about (case-insensitive, whole words). */
export function storyMentions(prompt: string, text: string): boolean {
  const words = new Set(
    text
      .toLowerCase()
      .replace(/[^a-z ]/g, ' ')
      .split(/\s+/),
  );
  return storySubjects(prompt).every((n) => words.has(n.toLowerCase()));
}
