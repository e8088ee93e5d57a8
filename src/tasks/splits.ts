// Fixed train / validation / test splits with no prompt in two of them, by construction.
//
// A prompt's split is a function of its text alone: bucket = FNV-1a(prompt UTF-8) mod 100; buckets 0-89 are
// train, 90-94 validation, 95-99 test. To generate split S we draw a family by weight from a PRNG seeded by
// (seed, S), then draw examples of that family until one's prompt lands in S. So the family mix is the same in
// every split, the same arguments always give the same list, and a prompt (with its answer, which the prompt
// determines for every checkable family) can only ever be in one split, whatever seed or size anyone asks for.
// Duplicates inside one split are allowed (the small families, e.g. lookup, have a few hundred prompts).
import { fnv1a, Rng } from './rng';
import type { Family, FamilyName, Split, SplitExample } from './types';

export function bucketOf(prompt: string): number {
  return fnv1a(prompt) % 100;
}

export function splitOf(prompt: string): Split {
  const b = bucketOf(prompt);
  return b < 90 ? 'train' : b < 95 ? 'validation' : 'test';
}

export interface GenerateOptions {
  seed?: number; // default 0
  /** Only these families (default: all), mixed by their weights. */
  families?: readonly FamilyName[];
}

/** The examples of `split` one at a time, in the order generateFrom lists them (stop whenever you have enough). */
export function drawFrom(
  all: readonly Family[],
  split: Split,
  options: GenerateOptions = {},
): Generator<SplitExample, never> {
  const pool = options.families ? all.filter((f) => options.families?.includes(f.name)) : all;
  if (pool.length === 0) throw new Error(`no task family matches ${JSON.stringify(options.families)}`);
  return draw(pool, split, options.seed ?? 0);
}

function* draw(pool: readonly Family[], split: Split, seed: number): Generator<SplitExample, never> {
  const rng = new Rng(`${seed}:${split}`);
  const weights = pool.map((f) => f.weight);
  for (let i = 0; ; i++) {
    const family = pool[rng.weighted(weights)];
    for (let tries = 0; ; tries++) {
      if (tries > 100_000) throw new Error(`family ${family.name} produced no ${split} prompt in 100000 draws`);
      const ex = family.generate(rng);
      if (splitOf(ex.prompt) === split) {
        yield { id: `${split}-${seed}-${i}`, split, ...ex };
        break;
      }
    }
  }
}

export function generateFrom(
  all: readonly Family[],
  split: Split,
  n: number,
  options: GenerateOptions = {},
): SplitExample[] {
  const examples = drawFrom(all, split, options);
  const out: SplitExample[] = [];
  if (n <= 0) return out;
  for (const ex of examples) {
    out.push(ex);
    if (out.length === n) break;
  }
  return out;
}
