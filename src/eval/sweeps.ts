// The named sweeps: which decoder specs a benchmark runs. `npm run bench` runs the full one (docs/BENCHMARKS.md);
// the browser's benchmark view runs the short one on a few prompts of the visitor's machine. Every spec the
// reference is compared with is listed here, nowhere else.
import {
  CACHE_MODES,
  type CacheMode,
  DECODER_NAMES,
  DEFAULT_FACTOR,
  DEFAULT_TAU,
  type DecoderName,
  type DecoderSpec,
  type EotpScope,
  eotpScopeOf,
  type Heuristic,
  PAPER_FILTER,
} from '../core';

/** The full sweep's thresholds (Fast-dLLM tau) and filter thresholds (Learn2PD tauFilter). */
export const FULL_TAUS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99] as const;
// 0.3-0.7 for the slot filters: trained on masked slots only, they are surer of a wrong guess than the paper's
// filter, and at 0.8 already commit fewer slots per step than the threshold (docs/bench/validation-b32.json).
export const FULL_TAU_FILTERS = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.96, 0.99] as const;
/** The EB-Sampler's entropy bounds (spec §8). */
export const FULL_GAMMAS = [0.001, 0.01, 0.1, 0.5, 1] as const;

/** Which rows of the full sweep a run holds; each list absent means the full one. */
export interface SweepChoice {
  methods?: readonly DecoderName[];
  /** Names of the model's learned filters (default the paper's). */
  filters?: readonly string[];
  taus?: readonly number[];
  gammas?: readonly number[];
  tauFilters?: readonly number[];
  /** The EoTP settings of the rows that have both (default off and on). */
  eotp?: readonly boolean[];
}

/**
 * Every row of `npm run bench` (the reference runs in any case): low_confidence +EoTP, threshold over FULL_TAUS
 * with and without EoTP, factor, eb_sampler over FULL_GAMMAS with and without EoTP, learn2pd over FULL_TAU_FILTERS
 * with and without EoTP for each filter, and the EGP oracle; or only the rows `choice` keeps (a long run at 300
 * prompts holds only the knobs near the frontier).
 */
export function fullSweep(choice: SweepChoice = {}): DecoderSpec[] {
  const {
    methods = DECODER_NAMES,
    filters = [PAPER_FILTER],
    taus = FULL_TAUS,
    gammas = FULL_GAMMAS,
    tauFilters = FULL_TAU_FILTERS,
    eotp: eotps = [false, true],
  } = choice;
  const specs: DecoderSpec[] = [{ decoder: 'low_confidence', eotp: true }];
  for (const eotp of eotps) for (const tau of taus) specs.push({ decoder: 'threshold', eotp, tau });
  specs.push({ decoder: 'factor', eotp: false, factor: DEFAULT_FACTOR });
  for (const eotp of eotps) for (const gamma of gammas) specs.push({ decoder: 'eb_sampler', eotp, gamma });
  for (const filter of filters)
    for (const eotp of eotps) for (const tauFilter of tauFilters) specs.push(learn2pdSpec(eotp, tauFilter, filter));
  specs.push({ decoder: 'egp_oracle', eotp: false });
  return specs.filter((s) => methods.includes(s.decoder));
}

/** Which rows of the cache sweep a run holds; each list absent means all. */
export interface CacheSweepChoice {
  caches?: readonly CacheMode[];
  eotp?: readonly boolean[];
}

/**
 * The KV-cache rows (spec §7, issue 21's table in the shape of Fast-dLLM's): the one-token-per-step baseline,
 * threshold at DEFAULT_TAU, factor at DEFAULT_FACTOR and each learned filter at its own tauFilter, each with no cache,
 * the prefix cache and the dual cache, with and without EoTP (the reference row itself is the baseline without).
 * With EoTP each also runs with the other rule 2 range (eotpScopeOf): a cache changes both the forwards and where
 * rule 2 looks, and these control rows tell the two apart (spec §9: credit a change to what caused it).
 */
export function cacheSweep(
  learned: readonly { filter: string; tauFilter: number }[],
  choice: CacheSweepChoice = {},
): DecoderSpec[] {
  const specs: DecoderSpec[] = [];
  for (const cache of choice.caches ?? CACHE_MODES)
    for (const eotp of choice.eotp ?? [false, true]) {
      const rows: DecoderSpec[] = [
        { decoder: 'threshold', eotp, tau: DEFAULT_TAU },
        { decoder: 'factor', eotp, factor: DEFAULT_FACTOR },
        ...learned.map(({ filter, tauFilter }) => learn2pdSpec(eotp, tauFilter, filter)),
      ];
      if (cache !== 'none' || eotp) rows.unshift({ decoder: 'low_confidence', eotp });
      const cached = rows.map((spec) => (cache === 'none' ? spec : { ...spec, cache }));
      specs.push(...cached);
      if (eotp) {
        const other: EotpScope = eotpScopeOf({ cache }) === 'canvas' ? 'block' : 'canvas';
        specs.push(...cached.map((spec) => ({ ...spec, eotpScope: other })));
      }
    }
  return specs;
}

/** The browser sweep's thresholds and factors: fewer and coarser, so a few prompts decode in a minute or two on WASM. */
export const BROWSER_TAUS = [0.5, 0.7, 0.8, 0.9, 0.95] as const;
export const BROWSER_FACTORS = [0.5, 1, 2, 3, 4] as const;
/** The spec's gamma sweep (section 8), the same as the full one. */
export const BROWSER_GAMMAS = FULL_GAMMAS;
/** Each heuristic's knob values in the browser sweep. */
export const BROWSER_KNOBS: Record<Heuristic, readonly number[]> = {
  threshold: BROWSER_TAUS,
  factor: BROWSER_FACTORS,
  eb_sampler: BROWSER_GAMMAS,
};
export const BROWSER_TAU_FILTERS = [0.3, 0.5, 0.8, 0.9, 0.96, 0.99] as const;
/** How many test prompts the browser's benchmark may run (40 gives about 30 checkable answers). */
export const BROWSER_BENCH_SIZES = [5, 10, 20, 40] as const;

/**
 * The browser's sweep: the heuristic of the comparison's left pane (threshold over BROWSER_TAUS, the factor rule
 * over BROWSER_FACTORS, or the EB-Sampler over BROWSER_GAMMAS) and Learn2PD with the right pane's `filter` over
 * BROWSER_TAU_FILTERS, all with the same EoTP setting (the figure compares the two rules, not EoTP against none).
 */
export function browserSweep(
  eotp: boolean,
  heuristic: Heuristic = 'threshold',
  filter: string = PAPER_FILTER,
): DecoderSpec[] {
  const left = BROWSER_KNOBS[heuristic].map((k) => heuristicSpec(heuristic, eotp, k));
  return [...left, ...BROWSER_TAU_FILTERS.map((tauFilter) => learn2pdSpec(eotp, tauFilter, filter))];
}

/** A Learn2PD spec with the filter of that name (the paper's goes without a name, as in older result files). */
export function learn2pdSpec(eotp: boolean, tauFilter: number, filter: string = PAPER_FILTER): DecoderSpec {
  return filter === PAPER_FILTER
    ? { decoder: 'learn2pd', eotp, tauFilter }
    : { decoder: 'learn2pd', eotp, tauFilter, filter };
}

/** A heuristic's spec at one knob value. */
export function heuristicSpec(heuristic: Heuristic, eotp: boolean, knob: number): DecoderSpec {
  switch (heuristic) {
    case 'threshold':
      return { decoder: 'threshold', eotp, tau: knob };
    case 'factor':
      return { decoder: 'factor', eotp, factor: knob };
    case 'eb_sampler':
      return { decoder: 'eb_sampler', eotp, gamma: knob };
    default: {
      const exhaustive: never = heuristic;
      return exhaustive;
    }
  }
}
