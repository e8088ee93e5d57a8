// What the bundled model can be asked: the shapes of the prompts of each task family. A prompt's shape keeps the
// words a family's prompts share (its frame: "How many", "does", "have left") and replaces numbers by `#`, other
// words by `*`, and a comma-separated list by `LIST`. A prompt whose shape one family's prompts have is in that family;
// any other is outside what the model learned (it answers, but its answer means nothing). The shapes are harvested
// from the train split by `npm run prompt-shapes` into prompt-shapes.json (a test keeps it current).
import type { FamilyName } from './types';

/** Words in at least this share of a family's prompts are its frame. */
export const FRAME_SHARE = 0.1;
/** Train prompts per family that the shapes are harvested from. */
export const SHAPE_SAMPLES = 10_000;

export interface FamilyShapes {
  family: FamilyName;
  frame: string[]; // sorted
  shapes: string[]; // sorted
}

const TOKEN = /\d+|[A-Za-z]+|[^\sA-Za-z\d]/g;
const WORD = /^[A-Za-z]+$/;
const NUMBER = /^\d+$/;
/** A comma-separated run of single tokens (with an optional "and" before the last): a list of any length. */
const LIST = /(?:[^\s,]+ , )+(?:and )?[^\s,]+/g;

export function promptShape(prompt: string, frame: ReadonlySet<string>): string {
  const classes = (prompt.match(TOKEN) ?? []).map((t) =>
    NUMBER.test(t) ? '#' : WORD.test(t) && !frame.has(t) ? '*' : t,
  );
  return classes.join(' ').replace(LIST, 'LIST');
}

/** The frame and shapes of one family from its prompts. */
export function harvestShapes(family: FamilyName, prompts: readonly string[]): FamilyShapes {
  const seen = new Map<string, number>();
  for (const p of prompts)
    for (const w of new Set(p.match(TOKEN) ?? [])) if (WORD.test(w)) seen.set(w, (seen.get(w) ?? 0) + 1);
  const frame = [...seen]
    .filter(([, n]) => n >= FRAME_SHARE * prompts.length)
    .map(([w]) => w)
    .sort();
  const set = new Set(frame);
  return { family, frame, shapes: [...new Set(prompts.map((p) => promptShape(p, set)))].sort() };
}

/** Looks prompts up in harvested shapes. */
export class ShapeIndex {
  private readonly families: { family: FamilyName; frame: ReadonlySet<string>; shapes: ReadonlySet<string> }[];

  constructor(all: readonly FamilyShapes[]) {
    this.families = all.map((f) => ({ family: f.family, frame: new Set(f.frame), shapes: new Set(f.shapes) }));
  }

  /** The family whose prompts have this prompt's shape (the text trimmed), or null: outside what the model learned. */
  familyOf(prompt: string): FamilyName | null {
    const text = prompt.trim();
    return this.families.find((f) => f.shapes.has(promptShape(text, f.frame)))?.family ?? null;
  }
}
