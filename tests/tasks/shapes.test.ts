// What the model can be asked: every prompt of the task families has the shape of its own family and of no other
// (the committed shapes are what `npm run prompt-shapes` writes), and what a class types outside them is recognized
// as outside.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildShapes, SHAPES_FILE } from '../../src/cli/prompt-shapes';
import { FAMILY_NAMES, familyInfo, generateSplit, promptFamily } from '../../src/tasks';

describe('prompt shapes', () => {
  it('the committed file is what npm run prompt-shapes writes', () => {
    expect(JSON.parse(readFileSync(SHAPES_FILE, 'utf8'))).toEqual(buildShapes());
  });

  it('every example of the prompt menu is recognized as its own family', () => {
    for (const family of familyInfo())
      for (const e of family.examples) expect(promptFamily(e.prompt), e.prompt).toBe(family.name);
  });

  it('recognizes at least 99% of 3,000 test prompts as their family (97% in each) and none as another', () => {
    const test = generateSplit('test', 3000);
    const found = test.map((e) => promptFamily(e.prompt));
    expect(found.filter((f, i) => f !== null && f !== test[i].family)).toEqual([]);
    expect(found.filter((f, i) => f === test[i].family).length / test.length).toBeGreaterThanOrEqual(0.99);
    for (const family of FAMILY_NAMES) {
      const mine = test.flatMap((e, i) => (e.family === family ? [found[i]] : []));
      expect(mine.filter((f) => f === family).length / mine.length, family).toBeGreaterThanOrEqual(0.97);
    }
  });

  it.each([
    'what is the capital of france',
    'Write a poem about the sea',
    '2+2',
    'hello',
    'Quelle est la capitale de la France ?',
    'Explain photosynthesis.',
    'What is 2 plus 2?',
  ])('%s is outside the families', (prompt) => {
    expect(promptFamily(prompt)).toBeNull();
  });

  it('the same question in the shape the model learned is in its family', () => {
    expect(promptFamily('Tell me the capital of France.')).toBe('lookup');
    expect(promptFamily('  Sort these numbers in ascending order: 5, 3, 9.  ')).toBe('sort');
  });
});
