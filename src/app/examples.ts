// Example prompts for the prompt menu, one group per task family (test split, never trained on), and the lookup
// that tells whether a prompt is one of them (then its reference answer is known and, if the family is
// checkable, the pane can say whether the model got it right).
import { checkAnswer, type FamilyInfo, familyInfo, isFamilyName } from '../tasks';
import type { PromptSource } from './store/types';

export function exampleGroups(): readonly FamilyInfo[] {
  return familyInfo();
}

export function findSource(prompt: string): PromptSource | null {
  const text = prompt.trim();
  for (const family of familyInfo()) {
    const hit = family.examples.find((e) => e.prompt.trim() === text);
    if (hit) return { family: family.name, answer: hit.answer, checkable: family.checkable };
  }
  return null;
}

/** true/false for a checkable family's example, null otherwise. */
export function isCorrect(source: PromptSource | null, answer: string): boolean | null {
  if (source === null || !source.checkable || !isFamilyName(source.family)) return null;
  return checkAnswer(source.family, source.answer, answer);
}

/** What the prompt box holds on a first visit: a checkable word problem with a multi-step answer. */
export const FIRST_EXAMPLE = { family: 'arithmetic', index: 1 } as const;

export function firstExample(): string {
  const family = familyInfo().find((f) => f.name === FIRST_EXAMPLE.family) ?? familyInfo()[0];
  return family?.examples[FIRST_EXAMPLE.index]?.prompt ?? family?.examples[0]?.prompt ?? '';
}
