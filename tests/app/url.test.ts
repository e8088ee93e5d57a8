// The link's state: every setting round-trips, defaults stay out of the link, and each bad value is refused with
// a message while its default is kept.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENT, DEFAULT_SETTINGS } from '../../src/app/settings';
import { parseUrl, toSearch } from '../../src/app/url';

describe('parseUrl', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseUrl('')).toEqual({
      settings: DEFAULT_SETTINGS,
      environment: DEFAULT_ENVIRONMENT,
      prompt: null,
      view: 'compare',
      run: false,
      errors: [],
    });
  });

  it('reads every setting', () => {
    const state = parseUrl(
      '?gen=64&block=16&cmp=eotp&left=eb_sampler&rule=learn2pd&tau=0.8&f=2&gamma=0.5&tauf=0.9&filter=slot&eotp=0&cache=dual&ref=0&speed=max&third=egp_oracle&clock=5&present=1&run=1&backend=wasm&model=dev-dllm&view=bench&p=Spell%20cat.',
    );
    expect(state.errors).toEqual([]);
    expect(state.settings).toEqual({
      genLength: 64,
      blockLength: 16,
      comparison: 'eotp',
      heuristic: 'eb_sampler',
      rule: 'learn2pd',
      tau: 0.8,
      factor: 2,
      gamma: 0.5,
      tauFilter: 0.9,
      filter: 'slot',
      eotp: false,
      cache: 'dual',
      reference: false,
      speed: 'max',
      third: 'egp_oracle',
      clockRuns: 5,
      present: true,
    });
    expect(state.run).toBe(true);
    expect(state.environment).toEqual({ backend: 'wasm', model: 'dev-dllm', variant: null, threads: null });
    expect(state.prompt).toBe('Spell cat.');
    expect(state.view).toBe('bench');
  });

  it.each([
    ['tau=0', 'tau', 'tau'],
    ['tau=1.5', 'tau', 'tau'],
    ['tau=abc', 'tau', 'tau'],
    ['tau=Infinity', 'tau', 'tau'],
    ['tauf=-0.1', 'tauf', 'tauFilter'],
    ['gen=7', 'gen', 'genLength'],
    ['gen=1000', 'gen', 'genLength'],
    ['gen=64.5', 'gen', 'genLength'],
    ['block=12', 'block', 'blockLength'],
    ['block=48', 'block', 'blockLength'],
    ['filter=Slot%20MLP', 'filter', 'filter'],
    ['cmp=both', 'cmp', 'comparison'],
    ['left=learn2pd', 'left', 'heuristic'],
    ['rule=oracle', 'rule', 'rule'],
    ['f=0', 'f', 'factor'],
    ['clock=9', 'clock', 'clockRuns'],
    ['present=yes', 'present', 'present'],
    ['block=32&gen=48', 'gen', 'genLength'],
    ['eotp=maybe', 'eotp', 'eotp'],
    ['speed=warp', 'speed', 'speed'],
    ['third=all', 'third', 'third'],
  ] as const)('refuses %s with a message and keeps the default', (query, key, field) => {
    const state = parseUrl(`?${query}`);
    expect(state.errors).toHaveLength(1);
    expect(state.errors[0]).toContain(`Ignored ${key}=`);
    expect(state.settings[field]).toEqual(DEFAULT_SETTINGS[field]);
  });

  it('refuses a bad backend, a model path, a thread count and an over-long prompt', () => {
    const state = parseUrl(`?backend=cuda&model=../../etc&threads=64&p=${'x'.repeat(3000)}`);
    expect(state.errors).toHaveLength(4);
    expect(state.errors[2]).toContain('thread count is a whole number from 1 to 8');
    expect(state.environment).toEqual(DEFAULT_ENVIRONMENT);
    expect(state.prompt).toBeNull();
  });

  it('refuses a canvas length the settings menu cannot show, even with the block length left to the model', () => {
    const state = parseUrl('?gen=100&block=3');
    expect(state.errors.map((e) => e.split(':')[0])).toEqual([
      'Ignored block=3 from the link',
      'Ignored gen=100 from the link',
    ]);
    expect(state.settings.genLength).toBeNull();
  });
});

describe('toSearch', () => {
  it('writes nothing for the defaults', () => {
    expect(
      toSearch({ settings: DEFAULT_SETTINGS, environment: DEFAULT_ENVIRONMENT, prompt: null, view: 'compare' }),
    ).toBe('');
  });

  it('round-trips through parseUrl', () => {
    const state = {
      settings: {
        ...DEFAULT_SETTINGS,
        genLength: 96,
        blockLength: 32,
        tau: 0.75,
        tauFilter: 0.5,
        eotp: false,
        speed: 'slow' as const,
        third: 'low_confidence' as const,
        reference: false,
        comparison: 'eotp' as const,
        rule: 'factor' as const,
        factor: 1.5,
        gamma: 0.01,
        clockRuns: 2,
        present: true,
      },
      environment: { backend: 'webgpu' as const, model: 'tiny-dllm', variant: 'q8', threads: 2 },
      prompt: 'Which is bigger: 7 or 5? Ünïcode & = ?',
      view: 'bench' as const,
    };
    expect(parseUrl(toSearch(state))).toEqual({ ...state, run: false, errors: [] });
    expect(parseUrl(toSearch(state, true)).run).toBe(true);
  });
});
