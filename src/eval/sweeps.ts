// The named sweeps: which decoder specs a benchmark runs. `npm run bench` runs the full one (docs/BENCHMARKS.md);
// the browser's benchmark view runs the short one on a few prompts of the visitor's machine. Every spec the
// reference is compared with is listed here, nowhere else.
import { DECODER_NAMES, DEFAULT_FACTOR, type DecoderName, type DecoderSpec } from '../core';

/** The full sweep's thresholds (Fast-dLLM tau) and filter thresholds (Learn2PD tauFilter). */
export const FULL_TAUS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99] as const;
export const FULL_TAU_FILTERS = [0.8, 0.9, 0.95, 0.96, 0.99] as const;

/**
 * Every row of `npm run bench` (the reference runs in any case): low_confidence +EoTP, threshold over FULL_TAUS
 * with and without EoTP, factor, learn2pd over FULL_TAU_FILTERS with and without EoTP, and the EGP oracle; or only
 * the rows of `methods`.
 */
export function fullSweep(methods: readonly DecoderName[] = DECODER_NAMES): DecoderSpec[] {
  const specs: DecoderSpec[] = [{ decoder: 'low_confidence', eotp: true }];
  for (const eotp of [false, true]) for (const tau of FULL_TAUS) specs.push({ decoder: 'threshold', eotp, tau });
  specs.push({ decoder: 'factor', eotp: false, factor: DEFAULT_FACTOR });
  for (const eotp of [false, true])
    for (const tauFilter of FULL_TAU_FILTERS) specs.push({ decoder: 'learn2pd', eotp, tauFilter });
  specs.push({ decoder: 'egp_oracle', eotp: false });
  return specs.filter((s) => methods.includes(s.decoder));
}

/** The browser sweep's thresholds and factors: fewer and coarser, so a few prompts decode in a minute or two on WASM. */
export const BROWSER_TAUS = [0.5, 0.7, 0.8, 0.9, 0.95] as const;
export const BROWSER_FACTORS = [0.5, 1, 2, 3, 4] as const;
export const BROWSER_TAU_FILTERS = [0.5, 0.8, 0.9, 0.96, 0.99] as const;
/** How many test prompts the browser's benchmark may run (40 gives about 30 checkable answers). */
export const BROWSER_BENCH_SIZES = [5, 10, 20, 40] as const;

/**
 * The browser's sweep: the heuristic of the comparison's left pane (threshold over BROWSER_TAUS, or the factor rule
 * over BROWSER_FACTORS) and Learn2PD over BROWSER_TAU_FILTERS, all with the same EoTP setting (the figure compares
 * the two rules, not EoTP against none).
 */
export function browserSweep(eotp: boolean, heuristic: 'threshold' | 'factor' = 'threshold'): DecoderSpec[] {
  const left =
    heuristic === 'threshold'
      ? BROWSER_TAUS.map((tau): DecoderSpec => ({ decoder: 'threshold', eotp, tau }))
      : BROWSER_FACTORS.map((factor): DecoderSpec => ({ decoder: 'factor', eotp, factor }));
  return [...left, ...BROWSER_TAU_FILTERS.map((tauFilter): DecoderSpec => ({ decoder: 'learn2pd', eotp, tauFilter }))];
}
