// The prompts an evaluation runs on: the first N of a task split in its fixed order (the CLIs), or the browser's
// benchmark slice (a fixed seed, so two visitors' figures use the same prompts).
import { generateSplit, isFamilyName, SPLITS, type Split } from '../tasks';
import type { EvalPrompt } from './evaluate';

/** A split or family name that does not exist; the message lists what does. */
export class PromptSetError extends Error {
  override name = 'PromptSetError';
}

export function parseSplit(value: string): Split {
  const split = SPLITS.find((s) => s === value);
  if (!split) throw new PromptSetError(`--split must be one of ${SPLITS.join(', ')}, got "${value}"`);
  return split;
}

/** Prompts from a task split (deterministic: the first `limit` of the split's fixed order). */
export function splitPrompts(split: Split, limit: number, families?: string[]): EvalPrompt[] {
  if (families) for (const f of families) if (!isFamilyName(f)) throw new PromptSetError(`unknown task family "${f}"`);
  const options = families ? { families: families.filter(isFamilyName) } : {};
  return generateSplit(split, limit, options).map((e) => ({ prompt: e.prompt, family: e.family, answer: e.answer }));
}

/** Seed of the browser benchmark's test-split slice. */
export const BROWSER_BENCH_SEED = 2024;

/** The browser benchmark's prompts: `size` test prompts (never trained on) under a fixed seed. */
export function browserBenchPrompts(size: number): EvalPrompt[] {
  return generateSplit('test', size, { seed: BROWSER_BENCH_SEED }).map((e) => ({
    prompt: e.prompt,
    family: e.family,
    answer: e.answer,
  }));
}
