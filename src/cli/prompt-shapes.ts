// `npm run prompt-shapes`: harvests the prompt shapes of every task family from the train split (src/tasks/shapes.ts)
// and writes src/tasks/prompt-shapes.json, which the app reads to tell an in-family prompt from one outside what
// the model learned. Deterministic: the same code writes the same file.
import { join } from 'node:path';
import { writeAtomic } from '../eval/node';
import { FAMILY_NAMES, generateSplit } from '../tasks';
import { harvestShapes, SHAPE_SAMPLES } from '../tasks/shapes';
import { runCli } from './common';

export const SHAPES_FILE = join(import.meta.dirname, '..', 'tasks', 'prompt-shapes.json');

export function buildShapes() {
  return FAMILY_NAMES.map((family) =>
    harvestShapes(
      family,
      generateSplit('train', SHAPE_SAMPLES, { families: [family], seed: 11 }).map((e) => e.prompt),
    ),
  );
}

if (process.argv[1]?.endsWith('prompt-shapes.ts')) {
  runCli(async () => {
    const shapes = buildShapes();
    writeAtomic(SHAPES_FILE, `${JSON.stringify(shapes, null, 1)}\n`);
    console.log(`wrote ${SHAPES_FILE}: ${shapes.map((s) => `${s.family} ${s.shapes.length}`).join(', ')}`);
  });
}
