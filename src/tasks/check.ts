// Answer checkers. Each checkable family states one exact rule (see Family.rule); a model answer is right when
// the rule extracts the same thing from it as from the reference answer. Nothing fuzzy: no number words, no
// synonyms; whitespace runs count as one space and leading/trailing whitespace is ignored.
import type { AnswerRule } from './types';

const normalize = (text: string) => text.trim().replace(/\s+/g, ' ');

/** What a rule compares, or null when the text has nothing to compare (e.g. no "The answer is"). */
export function extractAnswer(rule: Exclude<AnswerRule, null>, text: string): string | null {
  switch (rule.kind) {
    case 'final-number': {
      const matches = [...text.matchAll(/The answer is (-?\d+)/g)];
      return matches.length > 0 ? String(Number(matches[matches.length - 1][1])) : null;
    }
    case 'last-number': {
      const matches = text.match(/-?\d+/g);
      return matches ? String(Number(matches[matches.length - 1])) : null;
    }
    case 'exact': {
      const t = normalize(text);
      return t.length > 0 ? t : null;
    }
  }
}

/** True/false for a checkable rule; null when the rule is null (the family has no single right answer). */
export function checkWithRule(rule: AnswerRule, reference: string, modelAnswer: string): boolean | null {
  if (rule === null) return null;
  const want = extractAnswer(rule, reference);
  if (want === null)
    throw new Error(`reference answer has nothing to check under rule ${rule.kind}: ${JSON.stringify(reference)}`);
  return extractAnswer(rule, modelAnswer) === want;
}
