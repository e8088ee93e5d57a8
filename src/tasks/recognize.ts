// Whether a prompt is one the bundled model learned to answer: the family whose prompt shapes (shapes.ts, harvested
// into prompt-shapes.json by `npm run prompt-shapes`) it has, or null for anything else.
import committed from './prompt-shapes.json';
import { type FamilyShapes, ShapeIndex } from './shapes';
import { FAMILY_NAMES, type FamilyName } from './types';

let index: ShapeIndex | null = null;

function shapesOf(raw: readonly { family: string; frame: string[]; shapes: string[] }[]): FamilyShapes[] {
  return raw.flatMap((f) => {
    const family = FAMILY_NAMES.find((n) => n === f.family);
    return family === undefined ? [] : [{ family, frame: f.frame, shapes: f.shapes }];
  });
}

/** The task family whose prompts have the shape of `prompt`, or null: outside what the model learned. */
export function promptFamily(prompt: string): FamilyName | null {
  index ??= new ShapeIndex(shapesOf(committed));
  return index.familyOf(prompt);
}
