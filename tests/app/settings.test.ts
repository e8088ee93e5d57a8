// The panes a comparison makes: every pane shares the canvas, block and EoTP setting (spec §9) unless the
// comparison is about EoTP, and then only EoTP differs; only block lengths a filter serves are offered.
import { describe, expect, it } from 'vitest';
import {
  blockLengthsFor,
  DEFAULT_SETTINGS,
  effectiveFilter,
  filterChoices,
  modelRuns,
  panePlan,
  type Settings,
  settingsProblems,
} from '../../src/app/settings';
import { INFO } from './store/scripted-engine';

const info = {
  ...INFO,
  defaults: { genLength: 64, blockLength: 32 },
  filters: [{ name: 'paper', kind: 'block' as const, blockLength: 32, tauFilter: 0.96 }],
};
const plan = (change: Partial<Settings>) =>
  panePlan({ ...DEFAULT_SETTINGS, ...change }, info).map((p) => [p.id, p.spec]);

describe('panePlan', () => {
  it('compares a heuristic with the learned filter on one EoTP setting, and flips it for both', () => {
    expect(plan({})).toEqual([
      ['left', { decoder: 'threshold', eotp: true, tau: 0.9 }],
      ['right', { decoder: 'learn2pd', eotp: true, tauFilter: 0.96 }],
    ]);
    expect(plan({ eotp: false, heuristic: 'factor', factor: 2 })).toEqual([
      ['left', { decoder: 'factor', eotp: false, factor: 2 }],
      ['right', { decoder: 'learn2pd', eotp: false, tauFilter: 0.96 }],
    ]);
  });

  it('against EoTP runs one rule without it on the left and with it on the right', () => {
    expect(plan({ comparison: 'eotp', rule: 'learn2pd', tauFilter: 0.99, eotp: false })).toEqual([
      ['left', { decoder: 'learn2pd', eotp: false, tauFilter: 0.99 }],
      ['right', { decoder: 'learn2pd', eotp: true, tauFilter: 0.99 }],
    ]);
  });

  it('gives the third pane the shared EoTP setting; the oracle never has one', () => {
    expect(plan({ third: 'low_confidence' })[2]).toEqual(['third', { decoder: 'low_confidence', eotp: true }]);
    expect(plan({ third: 'low_confidence', comparison: 'eotp' })[2]).toEqual([
      'third',
      { decoder: 'low_confidence', eotp: false },
    ]);
    expect(plan({ third: 'egp_oracle' })[2]).toEqual(['third', { decoder: 'egp_oracle', eotp: false }]);
  });
});

describe('what the panel offers', () => {
  it('offers the block lengths a filter of the model serves (its own width and shorter, zero-padded)', () => {
    expect(blockLengthsFor(info)).toEqual([8, 16, 32]);
    expect(
      blockLengthsFor({ ...info, filters: [{ name: 'paper', kind: 'block', blockLength: 16, tauFilter: 0.9 }] }),
    ).toEqual([8, 16]);
    // A slot filter reads one slot at a time: it serves every block length.
    const slot = { name: 'slot', kind: 'slot' as const, blockLength: 32, tauFilter: 0.9 };
    expect(blockLengthsFor({ ...info, filters: [slot] })).toEqual([8, 16, 32, 64, 128, 256]);
  });

  it('refuses a block no filter serves only when a pane needs the filter', () => {
    const wide = { ...DEFAULT_SETTINGS, blockLength: 64, genLength: 128 };
    expect(settingsProblems(wide, info)).toEqual([
      expect.stringContaining('serves block length 64 (it has filters for 32)'),
    ]);
    expect(settingsProblems({ ...wide, comparison: 'eotp', rule: 'threshold' }, info)).toEqual([]);
  });
});

describe('what the model can run', () => {
  it('offers the EB-Sampler only where the model gives entropy; every other rule needs nothing more', () => {
    const old = { ...info, extras: [] };
    expect(modelRuns('eb_sampler', info)).toBe(true);
    expect(modelRuns('eb_sampler', old)).toBe(false);
    for (const d of ['threshold', 'factor', 'learn2pd', 'low_confidence'] as const)
      expect(modelRuns(d, old)).toBe(true);
    expect(modelRuns('eb_sampler', null)).toBe(true); // before a load nothing is known: nothing is refused yet
  });
});

describe('filters trained here', () => {
  const here = {
    ...info,
    filters: [
      ...info.filters,
      { name: 'here-1', kind: 'slot' as const, blockLength: 32, tauFilter: 0.9, trainedOn: 40 },
      { name: 'slot', kind: 'slot' as const, blockLength: 32, tauFilter: 0.9 },
    ],
  };
  it('are offered only at the block length they were trained for (a shipped slot filter serves any)', () => {
    expect(filterChoices({ ...DEFAULT_SETTINGS, blockLength: 32 }, here)).toContain('here-1');
    expect(filterChoices({ ...DEFAULT_SETTINGS, blockLength: 16 }, here)).toEqual(['paper', 'slot']);
    // A link or a setting that names it at another block length gets the model's filter instead.
    expect(effectiveFilter({ ...DEFAULT_SETTINGS, blockLength: 16, filter: 'here-1' }, here)).toBe('paper');
    expect(effectiveFilter({ ...DEFAULT_SETTINGS, blockLength: 32, filter: 'here-1' }, here)).toBe('here-1');
  });
});
