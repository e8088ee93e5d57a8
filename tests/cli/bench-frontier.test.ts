// The frontier table of docs/BENCHMARKS.md over a hand-made bench result: the fewest-NFE row within half a point of
// the reference per method and EoTP setting, the paired p against the reference and against the best heuristic, and
// a method with no such row named with its most accurate one.
import { describe, expect, it } from 'vitest';
import { cacheTable } from '../../src/cli/bench-cache';
import {
  frontierTable,
  mergedByCanvas,
  PICK_MIN_PROMPTS,
  pickDefaultFilter,
  pickRefusal,
} from '../../src/cli/bench-frontier';
import { type DecoderSpec, specLabel } from '../../src/core';
import type { BenchResult, BenchRow } from '../../src/eval/bench-file';
import { cacheSweep } from '../../src/eval/sweeps';

/** A row whose per-prompt correctness is `correct` ('1', '0', '-'), with the accuracy that string gives. */
function row(spec: DecoderSpec, meanNfe: number, correct: string): BenchRow {
  const checked = [...correct].filter((c) => c !== '-');
  const accuracy = checked.length === 0 ? null : checked.filter((c) => c === '1').length / checked.length;
  // Only what the frontier reads is meaningful; the rest of the row is zeros.
  return {
    label: specLabel(spec),
    decoder: spec.decoder,
    spec,
    n: correct.length,
    checked: checked.length,
    accuracy,
    agreement: 1,
    meanNfe,
    meanAnswerTokens: 0,
    meanLengthError: null,
    meanAbsLengthError: null,
    tokensPerStep: 0,
    tokensPerSecond: 0,
    msPerStep: 0,
    nfeSpeedup: 64 / meanNfe,
    timeSpeedup: 0,
    perFamily: {},
    nfeVsOracle: 0,
    perPrompt: { correct, agrees: '1'.repeat(correct.length) },
  };
}

const REF = '1111111110'; // 90%
const result = (rows: BenchRow[]): BenchResult => ({
  name: 't',
  command: '',
  machine: '',
  date: '',
  model: 'm',
  variant: 'q4',
  split: 'test',
  n: 10,
  genLength: 64,
  blockLength: 32,
  seconds: 0,
  reference: row({ decoder: 'low_confidence', eotp: false }, 64, REF),
  rows,
});

describe('frontierTable', () => {
  it('picks the fewest-NFE row within half a point, pairs it with the reference and the best heuristic', () => {
    const md = frontierTable(
      result([
        row({ decoder: 'threshold', eotp: false, tau: 0.9 }, 8, '1111111100'), // 80%: out
        row({ decoder: 'threshold', eotp: false, tau: 0.95 }, 12, REF),
        row({ decoder: 'eb_sampler', eotp: false, gamma: 0.1 }, 10, '1111111111'), // 100%: the best heuristic
        row({ decoder: 'learn2pd', eotp: false, tauFilter: 0.99 }, 11, REF),
        row({ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 }, 6, '0000011110'),
      ]),
    );
    expect(md).toContain('(the threshold, EB-Sampler frontier row');
    expect(md).toContain(
      '| off | threshold | threshold tau=0.95 | 12.0 | 5.3x | - | 90.0% | +0.0, p 1.000 | -10.0, p 1.000 |',
    );
    expect(md).toContain(
      '| off | eb_sampler | eb_sampler gamma=0.1 | 10.0 | 6.4x | - | 100.0% | +10.0, p 1.000 | (the best heuristic) |',
    );
    expect(md).toContain(
      '| off | learn2pd | learn2pd tauFilter=0.99 | 11.0 | 5.8x | - | 90.0% | +0.0, p 1.000 | -10.0, p 1.000 |',
    );
    expect(md).toContain(
      '| on | learn2pd | none within 0.5 points (most accurate: learn2pd tauFilter=0.96 +EoTP, 40.0% at 6.0 NFE) |',
    );
  });

  it('says "-" where no prompt is checkable in both rows', () => {
    const md = frontierTable(
      result([
        row({ decoder: 'threshold', eotp: false, tau: 0.9 }, 8, REF),
        row({ decoder: 'learn2pd', eotp: false, tauFilter: 0.9 }, 7, '----------'),
      ]),
    );
    expect(md).toContain(
      '| off | threshold | threshold tau=0.9 | 8.0 | 8.0x | - | 90.0% | +0.0, p 1.000 | (the best heuristic) |',
    );
    expect(md).not.toContain('NaN');
  });

  it('gives each learned filter its own method, and its NFE against the oracle', () => {
    const md = frontierTable(
      result([
        row({ decoder: 'threshold', eotp: false, tau: 0.95 }, 12, REF),
        row({ decoder: 'learn2pd', eotp: false, tauFilter: 0.99 }, 11, REF),
        row({ decoder: 'learn2pd', eotp: false, tauFilter: 0.9, filter: 'slot' }, 9, REF),
        row({ decoder: 'egp_oracle', eotp: false }, 6, REF),
      ]),
    );
    expect(md).toContain('| off | learn2pd | learn2pd tauFilter=0.99 | 11.0 | 5.8x | 1.83x | 90.0% |');
    expect(md).toContain('| off | learn2pd:slot | learn2pd:slot tauFilter=0.9 | 9.0 | 7.1x | 1.50x | 90.0% |');
  });
});

describe('mergedByCanvas', () => {
  it('reads files of the same prompts and canvas as one, the newest row of a label winning', () => {
    const a = {
      ...result([row({ decoder: 'threshold', eotp: false, tau: 0.9 }, 8, REF)]),
      name: 'a',
      date: '2026-01-01',
    };
    const b = {
      ...result([
        row({ decoder: 'threshold', eotp: false, tau: 0.9 }, 7, REF),
        row({ decoder: 'learn2pd', eotp: false, tauFilter: 0.9, filter: 'slot' }, 9, REF),
      ]),
      name: 'b',
      date: '2026-02-01',
    };
    const other = { ...result([]), name: 'c', blockLength: 64 };
    const merged = mergedByCanvas([a, b, other]);
    expect(merged.map((m) => m.name)).toEqual(['a+b', 'c']);
    expect(merged[0].rows.map((r) => [r.label, r.meanNfe])).toEqual([
      ['threshold tau=0.9', 7],
      ['learn2pd:slot tauFilter=0.9', 9],
    ]);
  });

  it('keeps a file whose reference answers differ apart', () => {
    const a = { ...result([]), name: 'a' };
    const b = {
      ...result([]),
      name: 'b',
      reference: row({ decoder: 'low_confidence', eotp: false }, 64, '0111111110'),
    };
    expect(mergedByCanvas([a, b]).map((m) => m.name)).toEqual(['a', 'b']);
  });
});

describe('pickDefaultFilter (npm run pick-filter)', () => {
  it('takes the fewest-NFE Learn2PD row with EoTP on within half a point, the paper on a tie', () => {
    const pick = pickDefaultFilter(
      result([
        row({ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 }, 6, REF),
        row({ decoder: 'learn2pd', eotp: true, tauFilter: 0.9, filter: 'slot' }, 6, REF),
        row({ decoder: 'learn2pd', eotp: true, tauFilter: 0.8, filter: 'slot' }, 4, '1111111100'), // out
        row({ decoder: 'learn2pd', eotp: false, tauFilter: 0.8, filter: 'slot' }, 3, REF), // EoTP off: not read
      ]),
    );
    expect(pick).toMatchObject({ filter: 'paper', tauFilter: 0.96, within: true });
  });

  it('falls back to the most accurate row when none is within', () => {
    const pick = pickDefaultFilter(
      result([
        row({ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 }, 6, '1111110000'),
        row({ decoder: 'learn2pd', eotp: true, tauFilter: 0.9, filter: 'slot' }, 8, '1111111000'),
      ]),
    );
    expect(pick).toMatchObject({ filter: 'slot', tauFilter: 0.9, within: false });
    expect(pickDefaultFilter(result([row({ decoder: 'threshold', eotp: true, tau: 0.9 }, 5, REF)]))).toBeNull();
  });

  it('reads only a validation run of enough prompts at the canvas the app opens with', () => {
    const defaults = { genLength: 128, blockLength: 32 };
    const run = (over: Partial<BenchResult>): BenchResult => ({
      ...result([]),
      split: 'validation',
      n: PICK_MIN_PROMPTS,
      genLength: 128,
      blockLength: 32,
      ...over,
    });
    expect(pickRefusal(run({}), defaults)).toBeNull();
    expect(pickRefusal(run({ split: 'test' }), defaults)).toMatch(/validation prompts only/);
    expect(pickRefusal(run({ n: 100 }), defaults)).toMatch(/100 prompts; the rule reads a run of at least 300/);
    expect(pickRefusal(run({ genLength: 256 }), defaults)).toMatch(/genLength 256.*opens at genLength 128/);
  });
});

describe('the KV-cache rows (cacheSweep, cacheTable)', () => {
  it('runs each decoder with no cache, prefix and dual, EoTP off and on, the reference once', () => {
    const labels = cacheSweep([{ filter: 'paper', tauFilter: 0.96 }]).map(specLabel);
    expect(labels).toHaveLength(23 + 12); // + each EoTP row with the other rule 2 range
    expect(labels).not.toContain('low_confidence');
    expect(labels).toContain('low_confidence +dual cache');
    expect(labels).toContain('learn2pd tauFilter=0.96 +EoTP +prefix cache');
    expect(labels).toContain('threshold tau=0.9 +EoTP(block)');
    expect(labels).toContain('threshold tau=0.9 +EoTP(canvas) +dual cache');
    expect(new Set(labels).size).toBe(labels.length);
    const picked = cacheSweep([{ filter: 'paper', tauFilter: 0.96 }], { caches: ['none', 'dual'], eotp: [true] });
    expect(picked.map(specLabel)).toEqual([
      'low_confidence +EoTP',
      'threshold tau=0.9 +EoTP',
      'factor f=1 +EoTP',
      'learn2pd tauFilter=0.96 +EoTP',
      'low_confidence +EoTP(block)',
      'threshold tau=0.9 +EoTP(block)',
      'factor f=1 +EoTP(block)',
      'learn2pd tauFilter=0.96 +EoTP(block)',
      'low_confidence +EoTP +dual cache',
      'threshold tau=0.9 +EoTP +dual cache',
      'factor f=1 +EoTP +dual cache',
      'learn2pd tauFilter=0.96 +EoTP +dual cache',
      'low_confidence +EoTP(canvas) +dual cache',
      'threshold tau=0.9 +EoTP(canvas) +dual cache',
      'factor f=1 +EoTP(canvas) +dual cache',
      'learn2pd tauFilter=0.96 +EoTP(canvas) +dual cache',
    ]);
  });

  it('with EoTP, tells switching the cache on from its stale keys and from where rule 2 looks', () => {
    const spec = { decoder: 'threshold', eotp: true, tau: 0.9 } as const;
    const plain = row(spec, 8, REF);
    const block = row({ ...spec, eotpScope: 'block' }, 8, '1111111000'); // rule 2 in the block: 2 prompts lost
    const dual = row({ ...spec, cache: 'dual' }, 8, '1111110000'); // 3 lost against plain, 1 against block
    const canvas = row({ ...spec, cache: 'dual', eotpScope: 'canvas' }, 8, REF);
    const table = cacheTable(result([plain, block, dual, canvas]));
    const cells = (
      label: string, // the long table's line (after the grid's)
    ) =>
      table
        .split('\n')
        .filter((l) => l.startsWith(`| ${label} |`))
        .at(-1)
        ?.split(' | ')
        .slice(-3);
    expect(cells('threshold tau=0.9 +EoTP')).toEqual(['-', '-', '- |']);
    expect(cells('threshold tau=0.9 +EoTP(block)')).toEqual(['-', '-', '-20.0, p 0.500 |']);
    expect(cells('threshold tau=0.9 +EoTP +dual cache')).toEqual([
      '-30.0, p 0.250',
      '-10.0, p 1.000',
      '-30.0, p 0.250 |',
    ]);
    expect(cells('threshold tau=0.9 +EoTP(canvas) +dual cache')).toEqual(['-', '+0.0, p 1.000', '- |']);
    expect(frontierTable(result([plain, block]))).not.toContain('EoTP(block)');
    // The Fast-dLLM-shaped grid: switching the cache on, and each rule 2 range held fixed across the columns.
    expect(table).toContain('| threshold tau=0.9 +EoTP | 90.0%, 0.00x | - | 60.0%, 0.00x |');
    expect(table).toContain(
      '| threshold tau=0.9 +EoTP, rule 2 over the canvas with a cache too | 90.0%, 0.00x | - | 90.0%, 0.00x |',
    );
    expect(table).toContain('| threshold tau=0.9 +EoTP(block) | 70.0%, 0.00x | - | 60.0%, 0.00x |');
  });

  it('pairs each cached row with the same decoder without the cache; the frontier leaves cached rows out', () => {
    const plain = row({ decoder: 'threshold', eotp: false, tau: 0.9 }, 8, REF);
    const dual = row({ decoder: 'threshold', eotp: false, tau: 0.9, cache: 'dual' }, 8, '1111111100');
    const reflike = row({ decoder: 'low_confidence', eotp: false, cache: 'dual' }, 64, REF);
    const table = cacheTable(result([plain, dual, reflike]));
    expect(table).toContain('| threshold tau=0.9 +dual cache | dual | 80.0% |');
    expect(table).toMatch(/\| threshold tau=0\.9 \+dual cache .* -10\.0, p 1\.000 \|/);
    expect(table).toMatch(/\| low_confidence \+dual cache .* \+0\.0, p 1\.000 \|/);
    expect(cacheTable(result([plain]))).toBe('');
    expect(frontierTable(result([plain, dual]))).not.toContain('dual cache');
  });
});
