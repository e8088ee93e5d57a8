// Shared word lists. Small on purpose: the bundled model is tiny, and each word here should end up as one
// token of the tokenizer built from this suite's text.

export type Pronoun = 'he' | 'she';

export interface Person {
  name: string;
  pronoun: Pronoun;
}

// biome-ignore format: a word list reads best as a paragraph
const HE = ['Tom', 'Ben', 'Sam', 'Leo', 'Max', 'Jack', 'Noah', 'Liam', 'Omar', 'Ravi', 'Hugo', 'Finn', 'Kai', 'Eli', 'Dan', 'Luke'];
// biome-ignore format: a word list reads best as a paragraph
const SHE = ['Mia', 'Anna', 'Lily', 'Emma', 'Zoe', 'Sara', 'Nina', 'Ella', 'Ava', 'Rosa', 'Maya', 'Lucy', 'Ruby', 'Amy', 'Jade', 'Ivy'];

export const PEOPLE: readonly Person[] = [
  ...HE.map((name) => ({ name, pronoun: 'he' as const })),
  ...SHE.map((name) => ({ name, pronoun: 'she' as const })),
];

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The indefinite article and the word: "an owl", "a fox". */
export function an(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** Possessive and object forms of a pronoun. */
export function his(p: Pronoun): string {
  return p === 'he' ? 'his' : 'her';
}
export function him(p: Pronoun): string {
  return p === 'he' ? 'him' : 'her';
}

/** Countable things for word problems (plural forms). */
// biome-ignore format: a word list reads best as a paragraph
export const THINGS = [
  'apples', 'marbles', 'stickers', 'books', 'pencils', 'cookies', 'coins', 'cards', 'shells', 'stamps',
  'balloons', 'flowers', 'crayons', 'candies', 'eggs', 'buttons', 'rocks', 'beads', 'cupcakes', 'oranges',
  'toys', 'leaves', 'feathers', 'ribbons',
] as const;

/** Short words for the list tasks (sort, reverse, count). Lower case, one syllable or two. */
// biome-ignore format: a word list reads best as a paragraph
export const LIST_WORDS = [
  'apple', 'bird', 'boat', 'book', 'box', 'cake', 'car', 'cat', 'cup', 'desk', 'dog', 'door', 'duck', 'egg',
  'fish', 'flag', 'frog', 'girl', 'goat', 'hat', 'hill', 'horse', 'house', 'jam', 'key', 'kite', 'lamp', 'leaf',
  'lion', 'milk', 'moon', 'mouse', 'nest', 'owl', 'pen', 'pig', 'rain', 'ring', 'rose', 'sea', 'ship', 'shoe',
  'sock', 'star', 'sun', 'tent', 'tree', 'van', 'wolf', 'zebra',
] as const;

// biome-ignore format: a word list reads best as a paragraph
export const COLORS = ['red', 'blue', 'green', 'yellow', 'black', 'white', 'pink', 'brown', 'purple', 'orange', 'gray'] as const;

/**
 * Words the spell family asks for: 200 common words of 2 to 8 letters, most of them also used elsewhere in the
 * suite. Spelling a word is pure memorization for the model (a word is one token), so the list is only as long
 * as a tiny model can learn in its training budget; widen it if the budget grows.
 */
// biome-ignore format: a word list reads best as a paragraph
export const SPELL_WORDS = [
  // animals
  'ant', 'bat', 'bear', 'bee', 'bird', 'camel', 'cat', 'cow', 'crab', 'deer', 'dog', 'duck', 'eagle', 'fish',
  'fox', 'frog', 'goat', 'horse', 'lion', 'monkey', 'mouse', 'owl', 'panda', 'pig', 'rabbit', 'sheep', 'snake',
  'tiger', 'whale', 'wolf', 'zebra',
  // food
  'apple', 'banana', 'bread', 'butter', 'cake', 'candy', 'carrot', 'cheese', 'cherry', 'cookie', 'corn', 'egg',
  'grape', 'honey', 'jam', 'lemon', 'milk', 'orange', 'peach', 'pear', 'pizza', 'rice', 'soup', 'sugar', 'water',
  // home and school
  'bag', 'ball', 'basket', 'bed', 'bell', 'book', 'bottle', 'bowl', 'box', 'chair', 'clock', 'coat', 'cup', 'desk',
  'door', 'doll', 'drum', 'hat', 'house', 'key', 'kite', 'lamp', 'map', 'paper', 'pencil', 'piano', 'plate',
  'robot', 'rocket', 'shirt', 'shoe', 'sock', 'spoon', 'table', 'train', 'truck', 'window', 'garden', 'letter',
  'school',
  // nature and places
  'beach', 'bridge', 'castle', 'cave', 'city', 'cloud', 'desert', 'farm', 'field', 'flower', 'forest', 'hill',
  'island', 'lake', 'leaf', 'market', 'meadow', 'moon', 'mountain', 'ocean', 'park', 'planet', 'pond', 'rain',
  'river', 'road', 'rock', 'sand', 'sea', 'shell', 'sky', 'snow', 'star', 'stone', 'storm', 'sun', 'tree',
  'valley', 'village', 'wind',
  // people
  'baby', 'baker', 'boy', 'doctor', 'farmer', 'father', 'friend', 'girl', 'king', 'mother', 'pilot', 'queen',
  'sister', 'brother', 'teacher',
  // adjectives and colors
  'big', 'small', 'happy', 'sad', 'brave', 'kind', 'clever', 'quiet', 'loud', 'fast', 'slow', 'warm', 'cold',
  'bright', 'dark', 'soft', 'tall', 'young', 'old', 'new', 'tiny', 'huge', 'gentle', 'hungry', 'funny', 'wise',
  'red', 'blue', 'green', 'yellow', 'purple', 'black', 'white', 'pink', 'brown',
  // verbs
  'run', 'jump', 'swim', 'sing', 'dance', 'read', 'write', 'draw', 'climb', 'build', 'play', 'sleep', 'help', 'walk',
] as const;

/** SPELL_WORDS without repeats, in first-seen order. */
export const SPELL_VOCAB: readonly string[] = [...new Set<string>(SPELL_WORDS)];
