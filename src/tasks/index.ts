// The synthetic task suite: the families, their metadata for the UI, the splits and the checkers.
// Single source of truth for the bundled model's data: `src/cli/tasks.ts` writes it as JSONL for the trainer.
import { checkWithRule } from './check';
import { arithmetic } from './families/arithmetic';
import { compare } from './families/compare';
import { convert } from './families/convert';
import { count, reverse, sort } from './families/lists';
import { lookup } from './families/lookup';
import { spell } from './families/spell';
import { story, storyMentions } from './families/story';
import { drawFrom, type GenerateOptions, generateFrom } from './splits';
import type { AnswerRule, Example, Family, FamilyName, Split, SplitExample } from './types';

export { extractAnswer } from './check';
export { storyMentions, storySubjects } from './families/story';
export { countPieces, MAX_ANSWER_TOKENS, MAX_PROMPT_TOKENS, pretokenize } from './pretokenize';
export { promptFamily } from './recognize';
export { fnv1a, Rng } from './rng';
export { bucketOf, type GenerateOptions, splitOf } from './splits';
export {
  type AnswerRule,
  type Example,
  FAMILY_NAMES,
  type Family,
  type FamilyName,
  SPLITS,
  type Split,
  type SplitExample,
} from './types';

/** All families in a fixed order (the order of FAMILY_NAMES). */
export const TASK_FAMILIES: readonly Family[] = [
  arithmetic,
  sort,
  reverse,
  count,
  spell,
  compare,
  convert,
  lookup,
  story,
];

/** What the UI and the docs show about a family. */
export interface FamilyInfo {
  name: FamilyName;
  description: string;
  checkable: boolean;
  rule: string | null; // the answer rule in words
  weight: number; // share of the mix, 0..1
  /** Examples for the UI's menu, drawn from the test split (so never trained on). */
  examples: readonly Example[];
}

const totalWeight = TASK_FAMILIES.reduce((s, f) => s + f.weight, 0);

function uiExamples(name: FamilyName, k: number): Example[] {
  const seen = new Set<string>();
  const out: Example[] = [];
  // The first k distinct prompts among the family's first 8k test examples (drawn lazily: most families need k).
  let drawn = 0;
  for (const ex of drawFrom(TASK_FAMILIES, 'test', { seed: 7, families: [name] })) {
    if (++drawn > 8 * k) break;
    if (seen.has(ex.prompt)) continue;
    seen.add(ex.prompt);
    out.push({ family: ex.family, prompt: ex.prompt, answer: ex.answer });
    if (out.length === k) break;
  }
  return out;
}

let infoCache: readonly FamilyInfo[] | undefined;

/** Family metadata (computed once, on first use: drawing the UI examples takes a few milliseconds). */
export function familyInfo(): readonly FamilyInfo[] {
  infoCache ??= TASK_FAMILIES.map((f) => ({
    name: f.name,
    description: f.description,
    checkable: f.rule !== null,
    rule: f.rule?.description ?? null,
    weight: f.weight / totalWeight,
    examples: uiExamples(f.name, 4),
  }));
  return infoCache;
}

export function getFamily(name: FamilyName): Family {
  const f = TASK_FAMILIES.find((x) => x.name === name);
  if (!f) throw new Error(`unknown task family ${name}`);
  return f;
}

export function isFamilyName(name: string): name is FamilyName {
  return TASK_FAMILIES.some((f) => f.name === name);
}

/**
 * `n` examples of `split`, deterministic for the same arguments (see splits.ts for how the splits are kept
 * apart). Families are mixed by weight; `options.families` restricts the mix.
 */
export function generateSplit(split: Split, n: number, options: GenerateOptions = {}): SplitExample[] {
  return generateFrom(TASK_FAMILIES, split, n, options);
}

/**
 * Checks a model's answer against the reference answer of an example of `family`: true/false by the family's
 * rule, or null for a family that is not checkable (story).
 */
export function checkAnswer(family: FamilyName, reference: string, modelAnswer: string): boolean | null {
  return checkWithRule(getFamily(family).rule, reference, modelAnswer);
}

/** The optional story check: does the text mention what the prompt asked about? Null for other families. */
export function checkStory(example: Pick<Example, 'family' | 'prompt'>, modelAnswer: string): boolean | null {
  return example.family === 'story' ? storyMentions(example.prompt, modelAnswer) : null;
}

export function ruleOf(family: FamilyName): AnswerRule {
  return getFamily(family).rule;
}
