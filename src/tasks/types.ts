// The shapes every task family shares.
import type { Rng } from './rng';

export const FAMILY_NAMES = [
  'arithmetic',
  'sort',
  'reverse',
  'count',
  'spell',
  'compare',
  'convert',
  'lookup',
  'story',
] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** One prompt with its reference answer. The answer is the exact text the model is trained to produce. */
export interface Example {
  family: FamilyName;
  prompt: string;
  answer: string;
}

/** An example placed in a split, as the JSONL and the evaluators see it. */
export interface SplitExample extends Example {
  id: string;
  split: Split;
}

/** How a family's answers are judged. `null` marks a family with no single right answer (story). */
export type AnswerRule =
  | { kind: 'final-number'; description: string } // the number after the last "The answer is"
  | { kind: 'last-number'; description: string } // the last integer in the text
  | { kind: 'exact'; description: string } // the whole answer, whitespace-normalised
  | null;

export interface Family {
  name: FamilyName;
  /** One line for the UI and the docs. */
  description: string;
  /** Mixing weight in the training and evaluation mix (relative, any scale). */
  weight: number;
  rule: AnswerRule;
  /** Draws one example. Must stay within the length budget of lengths.ts for every draw. */
  generate(rng: Rng): Example;
}
