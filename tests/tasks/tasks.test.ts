// The task suite: determinism, disjoint splits, checkers, coverage of the memorized tables. Token lengths are
// checked with the real tokenizer in src/runtime/tokenizer.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allConversions } from '../../src/tasks/families/convert';
import { allLookupFacts } from '../../src/tasks/families/lookup';
import { allSpellExamples } from '../../src/tasks/families/spell';
import {
  bucketOf,
  checkAnswer,
  checkStory,
  extractAnswer,
  FAMILY_NAMES,
  type FamilyName,
  familyInfo,
  fnv1a,
  generateSplit,
  Rng,
  splitOf,
  storySubjects,
  TASK_FAMILIES,
} from '../../src/tasks/index';
import { SPELL_VOCAB, SPELL_WORDS } from '../../src/tasks/lexicon';

describe('rng and hash', () => {
  it('FNV-1a matches the reference values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "×" is C3 97 in UTF-8: hashing those two bytes by hand must agree.
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0x97]) h = Math.imul(h ^ b, 0x01000193);
    expect(fnv1a('×')).toBe(h >>> 0);
  });

  it('same seed, same stream; ints stay in range', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (seed, lo, span) => {
          const a = new Rng(seed);
          const b = new Rng(seed);
          for (let i = 0; i < 20; i++) {
            const x = a.int(lo, lo + span);
            expect(x).toBe(b.int(lo, lo + span));
            expect(x).toBeGreaterThanOrEqual(lo);
            expect(x).toBeLessThanOrEqual(lo + span);
          }
        },
      ),
    );
  });
});

describe('splits', () => {
  it('a prompt goes to train for buckets 0-89, validation for 90-94, test for 95-99', () => {
    for (const p of ['What is the capital of Peru?', 'Spell the word cat with dashes.', 'x', 'Sorted']) {
      const b = bucketOf(p);
      expect(splitOf(p)).toBe(b < 90 ? 'train' : b < 95 ? 'validation' : 'test');
    }
  });

  it('generateSplit is deterministic for the same arguments and changes with the seed', () => {
    expect(generateSplit('validation', 300, { seed: 4 })).toEqual(generateSplit('validation', 300, { seed: 4 }));
    expect(generateSplit('validation', 300, { seed: 4 })).not.toEqual(generateSplit('validation', 300, { seed: 5 }));
    expect(generateSplit('train', 50)[0].id).toBe('train-0-0');
  });

  it('no prompt is in two splits (large samples, several seeds)', () => {
    const prompts = { train: new Set<string>(), validation: new Set<string>(), test: new Set<string>() };
    for (const seed of [0, 1]) {
      for (const ex of generateSplit('train', 40_000, { seed })) prompts.train.add(ex.prompt);
      for (const ex of generateSplit('validation', 8_000, { seed })) prompts.validation.add(ex.prompt);
      for (const ex of generateSplit('test', 8_000, { seed })) prompts.test.add(ex.prompt);
    }
    for (const [a, b] of [
      ['train', 'validation'],
      ['train', 'test'],
      ['validation', 'test'],
    ] as const) {
      const overlap = [...prompts[a]].filter((p) => prompts[b].has(p));
      expect(overlap, `${a} ∩ ${b}`).toEqual([]);
    }
    expect(prompts.test.size).toBeGreaterThan(3000);
  });

  it('every split has every family in about its weight', () => {
    const total = TASK_FAMILIES.reduce((s, f) => s + f.weight, 0);
    for (const split of ['train', 'test'] as const) {
      const xs = generateSplit(split, 20_000, { seed: 2 });
      for (const f of TASK_FAMILIES) {
        const share = xs.filter((x) => x.family === f.name).length / xs.length;
        expect(Math.abs(share - f.weight / total), `${split} ${f.name}`).toBeLessThan(0.01);
      }
    }
  });

  it('the family filter keeps only the families asked for', () => {
    const xs = generateSplit('test', 500, { families: ['spell', 'lookup'] });
    expect(new Set(xs.map((x) => x.family))).toEqual(new Set(['spell', 'lookup']));
  });
});

describe('generators', () => {
  const samples = new Map<FamilyName, { prompt: string; answer: string }[]>();
  for (const f of FAMILY_NAMES) samples.set(f, generateSplit('train', 3_000, { seed: 9, families: [f] }));

  it('every family is registered once, in FAMILY_NAMES order', () => {
    expect(TASK_FAMILIES.map((f) => f.name)).toEqual([...FAMILY_NAMES]);
  });

  it('the prompt determines the answer in every checkable family', () => {
    for (const f of FAMILY_NAMES.filter((n) => n !== 'story')) {
      const seen = new Map<string, string>();
      for (const ex of generateSplit('train', 20_000, { seed: 3, families: [f] })) {
        const before = seen.get(ex.prompt);
        if (before !== undefined) expect(ex.answer, ex.prompt).toBe(before);
        seen.set(ex.prompt, ex.answer);
      }
    }
  });

  it('texts are single-line, trimmed, ASCII except × and ÷', () => {
    for (const xs of samples.values()) {
      for (const { prompt, answer } of xs) {
        for (const t of [prompt, answer]) {
          expect(t).toBe(t.trim());
          expect(t).not.toMatch(/\s\s|\n/);
          expect(t).toMatch(/^[\x20-\x7e×÷]+$/);
        }
      }
    }
  });

  it('arithmetic: numbers stay small and every step is right', () => {
    for (const { answer } of samples.get('arithmetic') ?? []) {
      const steps = [...answer.matchAll(/(\d+) ([-+×÷]) (\d+) = (\d+)/g)];
      expect(steps.length).toBeGreaterThanOrEqual(2);
      expect(steps.length).toBeLessThanOrEqual(3);
      for (const [, a, op, b, c] of steps) {
        const [x, y, z] = [Number(a), Number(b), Number(c)];
        const want = op === '+' ? x + y : op === '-' ? x - y : op === '×' ? x * y : x / y;
        expect(z, answer).toBe(want);
        expect(z).toBeGreaterThanOrEqual(1);
        expect(z).toBeLessThanOrEqual(200);
        if (op === '×' || op === '÷') expect(Math.min(x, y)).toBeLessThan(10);
      }
      expect(answer).toMatch(/ The answer is \d+\.$/);
      expect(extractAnswer({ kind: 'final-number', description: '' }, answer)).toBe(steps[steps.length - 1][4]);
    }
  });

  it('sort and reverse answers are the prompt list sorted or reversed', () => {
    for (const { prompt, answer } of samples.get('sort') ?? []) {
      const items = prompt.slice(prompt.indexOf(':') + 2, -1).split(', ');
      const sorted = /\d/.test(items[0]) ? items.slice().sort((a, b) => Number(a) - Number(b)) : items.slice().sort();
      expect(answer).toBe(`Sorted: ${sorted.join(', ')}.`);
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.length).toBeLessThanOrEqual(8);
    }
    for (const { prompt, answer } of samples.get('reverse') ?? []) {
      const body = prompt.slice(prompt.indexOf(':') + 2, -1);
      const sep = body.includes(',') ? ', ' : ' ';
      expect(answer).toBe(`Reversed: ${body.split(sep).reverse().join(sep)}.`);
    }
  });

  it('count answers count what the prompt asks for', () => {
    for (const { prompt, answer } of samples.get('count') ?? []) {
      const list = prompt.slice(prompt.lastIndexOf(':') + 2, -1);
      const n = Number(extractAnswer({ kind: 'last-number', description: '' }, answer));
      const word = prompt.match(/the word (\w+)|Count how many times (\w+)|How often does (\w+)/);
      const letter = prompt.match(/the letter ([a-z])/);
      if (letter) {
        const letters = prompt.slice(prompt.lastIndexOf(' in ') + 4, -1).split(' ');
        expect(n, prompt).toBe(letters.filter((l) => l === letter[1]).length);
      } else if (word) {
        const target = word[1] ?? word[2] ?? word[3];
        expect(n, prompt).toBe(list.split(', ').filter((w) => w === target).length);
      } else {
        expect(n, prompt).toBe(list.split(', ').length);
      }
    }
  });

  it('spell words are 200 distinct lower-case words', () => {
    expect(SPELL_VOCAB.length).toBe(200);
    expect(new Set(SPELL_WORDS).size).toBe(200);
    for (const w of SPELL_VOCAB) expect(w).toMatch(/^[a-z]{2,8}$/);
  });

  it('every spell word is in train under both separators, and every lookup fact under some wording', () => {
    const spell = allSpellExamples();
    const byAnswer = new Map<string, number>();
    for (const ex of spell)
      if (splitOf(ex.prompt) === 'train') byAnswer.set(ex.answer, (byAnswer.get(ex.answer) ?? 0) + 1);
    expect(new Set(spell.map((e) => e.answer)).size).toBe(byAnswer.size);
    for (const wordings of allLookupFacts()) {
      expect(
        wordings.some((w) => splitOf(w.prompt) === 'train'),
        wordings[0].prompt,
      ).toBe(true);
    }
  });

  it('every unit conversion is asked in train under some wording', () => {
    const all = allConversions();
    expect(all.length).toBe(11 * 23);
    for (const c of all)
      expect(
        c.prompts.some((p) => splitOf(p) === 'train'),
        c.answer,
      ).toBe(true);
    const prompts = all.flatMap((c) => c.prompts);
    expect(new Set(prompts).size).toBe(prompts.length);
  });

  it('lookup tables have unique keys (one answer per question)', () => {
    for (const wordings of allLookupFacts()) expect(new Set(wordings.map((w) => w.answer)).size).toBe(1);
    const prompts = allLookupFacts()
      .flat()
      .map((w) => w.prompt);
    expect(new Set(prompts).size).toBe(prompts.length);
  });

  it('stories mention the hero, place and object the prompt names, and vary in length', () => {
    const lengths: number[] = [];
    for (const ex of generateSplit('train', 5_000, { seed: 6, families: ['story'] })) {
      expect(storySubjects(ex.prompt).length, ex.prompt).toBeGreaterThan(0);
      expect(checkStory(ex, ex.answer), `${ex.prompt}\n${ex.answer}`).toBe(true);
      lengths.push(ex.answer.split(' ').length);
    }
    expect(Math.min(...lengths)).toBeLessThan(20);
    expect(Math.max(...lengths)).toBeGreaterThan(75);
  });
});

describe('checkers', () => {
  it('every reference answer passes its own check; story is not checkable', () => {
    for (const ex of generateSplit('validation', 3_000, { seed: 1 })) {
      expect(checkAnswer(ex.family, ex.answer, ex.answer)).toBe(ex.family === 'story' ? null : true);
    }
  });

  it('final-number: the number after the last "The answer is"', () => {
    const ref = 'He has 12 + 5 = 17. The answer is 17.';
    expect(checkAnswer('arithmetic', ref, 'Some wrong steps 3 + 3 = 7. The answer is 17.')).toBe(true);
    expect(checkAnswer('arithmetic', ref, 'The answer is 17')).toBe(true);
    expect(checkAnswer('arithmetic', ref, 'The answer is 71.')).toBe(false);
    expect(checkAnswer('arithmetic', ref, 'The answer is 16. The answer is 17.')).toBe(true);
    expect(checkAnswer('arithmetic', ref, '12 + 5 = 17.')).toBe(false); // no final answer line
    expect(checkAnswer('arithmetic', ref, 'the answer is 17.')).toBe(false); // exact phrase, case included
    expect(checkAnswer('convert', 'so 3 hours is 3 × 60 = 180 minutes. The answer is 180.', 'The answer is 180.')).toBe(
      true,
    );
  });

  it('last-number: the last whole number in the text', () => {
    expect(checkAnswer('count', 'The word cat appears 3 times.', 'The word cat appears 3 times.')).toBe(true);
    expect(checkAnswer('count', 'The word cat appears 3 times.', 'cat appears 3 times')).toBe(true);
    expect(checkAnswer('count', 'The word cat appears 3 times.', 'The word cat appears 4 times.')).toBe(false);
    expect(checkAnswer('count', 'The word cat appears 3 times.', 'The word cat appears three times.')).toBe(false);
  });

  it('exact: the whole answer, whitespace-normalized', () => {
    expect(checkAnswer('sort', 'Sorted: 3, 7, 19.', '  Sorted:  3, 7, 19. ')).toBe(true);
    expect(checkAnswer('sort', 'Sorted: 3, 7, 19.', 'Sorted: 3, 7, 19')).toBe(false);
    expect(checkAnswer('spell', 'c-a-t', 'c-a-t')).toBe(true);
    expect(checkAnswer('spell', 'c-a-t', 'c a t')).toBe(false);
    expect(checkAnswer('lookup', 'The capital of Peru is Lima.', 'The capital of Peru is Lima.')).toBe(true);
    expect(checkAnswer('compare', '52 is larger than 37.', '52 is larger than 52.')).toBe(false);
    expect(checkAnswer('compare', '52 is larger than 37.', '')).toBe(false);
  });
});

describe('family metadata', () => {
  it('lists every family with 4 distinct test-split examples', () => {
    const info = familyInfo();
    expect(info.map((f) => f.name)).toEqual([...FAMILY_NAMES]);
    for (const f of info) {
      expect(f.examples.length).toBe(4);
      expect(new Set(f.examples.map((e) => e.prompt)).size).toBe(4);
      for (const e of f.examples) expect(splitOf(e.prompt)).toBe('test');
      expect(f.checkable).toBe(f.name !== 'story');
    }
    expect(info.reduce((s, f) => s + f.weight, 0)).toBeCloseTo(1, 9);
  });
});

describe('purity', () => {
  it('src/tasks imports nothing from Node or the DOM', () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'tasks');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"](node:|fs|path|os|@huggingface|onnxruntime|react)/);
      expect(src, f).not.toMatch(/\b(document|window|process|Buffer)\.[a-z]/);
    }
  });
});
