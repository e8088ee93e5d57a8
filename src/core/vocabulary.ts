// The decoder vocabulary, in one place for every layer above (runtime, eval, worker protocol, app, CLIs): the decoder
// names, a DecoderSpec (a decoder and its knobs, without a model's ids or the canvas) with its label and the allowed
// range of each knob, the defaults, configFor (spec + model ids + canvas = a DecoderConfig), and the one rule that
// picks a Learn2PD filter for a block length.
import { ConfigError, NoFilterError } from './errors';
import type { CacheMode, DecoderConfig, EotpScope, Filter, FilterKind } from './types';

export const DECODER_NAMES = ['low_confidence', 'threshold', 'factor', 'eb_sampler', 'learn2pd', 'egp_oracle'] as const;
export type DecoderName = (typeof DECODER_NAMES)[number];

/** The commit rules that need no trained filter (the comparison's left pane, each with one knob). */
export const HEURISTICS = ['threshold', 'factor', 'eb_sampler'] as const satisfies readonly DecoderName[];
export type Heuristic = (typeof HEURISTICS)[number];

/**
 * A decoder to run: everything of a DecoderConfig but the model's ids and the canvas shape. `cache` (spec §7) is an
 * option of every decoder; absent means none, as in result files from before it. `eotpScope`: EoTP's rule 2 range
 * where it differs from the spec's for the cache setting (eotpScopeOf), a control row of the cache benchmark.
 */
export type DecoderSpec = (
  | { decoder: 'low_confidence'; eotp: boolean; steps?: number }
  | { decoder: 'threshold'; eotp: boolean; tau: number }
  | { decoder: 'factor'; eotp: boolean; factor: number }
  | { decoder: 'eb_sampler'; eotp: boolean; gamma: number }
  | { decoder: 'learn2pd'; eotp: boolean; tauFilter: number; filter?: string } // filter name; absent: PAPER_FILTER
  | { decoder: 'egp_oracle'; eotp: false }
) & { cache?: CacheMode; eotpScope?: EotpScope };

/** A spec's cache, absent read as none. */
export function cacheOf(spec: { cache?: CacheMode }): CacheMode {
  return spec.cache ?? 'none';
}

/** Where EoTP's rule 2 looks: as asked, else the spec's for the cache (§4: the canvas; §7: with a cache, the block). */
export function eotpScopeOf(spec: { cache?: CacheMode; eotpScope?: EotpScope }): EotpScope {
  return spec.eotpScope ?? (cacheOf(spec) === 'none' ? 'canvas' : 'block');
}

/** The canvas every pane of a comparison shares: slots after the prompt, a multiple of blockLength. */
export interface Canvas {
  genLength: number;
  blockLength: number;
}

/** Fast-dLLM's confidence threshold (spec §2). */
export const DEFAULT_TAU = 0.9;
/** Fast-dLLM's factor rule's f (spec §2). */
export const DEFAULT_FACTOR = 1;
/** The EB-Sampler's entropy bound gamma (spec §8; the middle of the spec's sweep 0.001 ... 1). */
export const DEFAULT_GAMMA = 0.1;
/** The paper's filter threshold for LLaDA (spec §3); a model's dllm.json may give each filter its own. */
export const DEFAULT_TAU_FILTER = 0.96;
/** The spec's block length (Notation); a model's dllm.json gives its own default canvas. */
export const DEFAULT_BLOCK_LENGTH = 32;

/**
 * The range each knob of a spec may take wherever a spec is read (a worker request, a CLI flag, a link). The core's
 * own validation (config.ts) is looser (any finite tau > 0); these bounds keep typed-in values sensible.
 */
export const KNOB_RANGES = {
  tau: { above: 0, max: 2 }, // above 1 nothing passes: the threshold decoder then commits one per step
  factor: { above: 0, max: 1000 },
  tauFilter: { min: 0, max: 1 },
  gamma: { min: 0, max: 1000 }, // large enough to commit a whole block at once
} as const satisfies Record<string, KnobRange>;

/** A closed or half-open range: `min <= x` or `above < x`, and `x <= max`. */
export interface KnobRange {
  min?: number;
  above?: number;
  max: number;
}

export function inKnobRange(x: number, range: KnobRange): boolean {
  return (
    Number.isFinite(x) &&
    (range.min === undefined || x >= range.min) &&
    (range.above === undefined || x > range.above) &&
    x <= range.max
  );
}

/** The range in words: `a number > 0 and <= 2`. */
export function knobRangeText(range: KnobRange): string {
  const low = range.above !== undefined ? `> ${range.above}` : range.min !== undefined ? `>= ${range.min}` : '';
  return `a number ${low}${low ? ' and ' : ''}<= ${range.max}`;
}

/** The one-token-per-step baseline (spec §1): the reference answer every other decoder is measured against. */
export const REFERENCE_SPEC = { decoder: 'low_confidence', eotp: false } as const satisfies DecoderSpec;

/** Whether `spec` decodes exactly what the reference does (then it need not be decoded twice: greedy is deterministic). */
export function isReferenceSpec(spec: DecoderSpec): boolean {
  return spec.decoder === 'low_confidence' && !spec.eotp && spec.steps === undefined && cacheOf(spec) === 'none';
}

/** The label a spec goes by in tables, result files and the app: `threshold tau=0.9 +EoTP`. */
export function specLabel(spec: DecoderSpec): string {
  const base = (() => {
    switch (spec.decoder) {
      case 'low_confidence':
        return spec.steps === undefined ? 'low_confidence' : `low_confidence steps=${spec.steps}`;
      case 'threshold':
        return `threshold tau=${spec.tau}`;
      case 'factor':
        return `factor f=${spec.factor}`;
      case 'eb_sampler':
        return `eb_sampler gamma=${spec.gamma}`;
      case 'learn2pd':
        return spec.filter === undefined || spec.filter === PAPER_FILTER
          ? `learn2pd tauFilter=${spec.tauFilter}`
          : `learn2pd:${spec.filter} tauFilter=${spec.tauFilter}`;
      case 'egp_oracle':
        return 'egp_oracle';
      default: {
        const exhaustive: never = spec;
        return exhaustive;
      }
    }
  })();
  const cache = cacheOf(spec);
  // The rule 2 range is named only where it differs from the spec's for this cache setting.
  const scope = eotpScopeOf(spec) === eotpScopeOf({ cache }) ? '' : `(${eotpScopeOf(spec)})`;
  return `${base}${spec.eotp ? ` +EoTP${scope}` : ''}${cache === 'none' ? '' : ` +${cache} cache`}`;
}

/** The ids of a model a config needs. */
export interface ModelIds {
  maskId: number;
  eosId: number;
}

/** The DecoderConfig for a spec on a model and canvas; the EGP oracle also needs the reference output. */
export function configFor(
  model: ModelIds,
  canvas: Canvas,
  spec: DecoderSpec,
  reference?: ArrayLike<number>,
): DecoderConfig {
  const common = {
    maskId: model.maskId,
    eosId: model.eosId,
    genLength: canvas.genLength,
    blockLength: canvas.blockLength,
  };
  if (spec.decoder === 'egp_oracle') {
    if (reference === undefined)
      throw new ConfigError('egp_oracle needs the reference output (the one-token-per-step decode of the same prompt)');
    return { ...common, ...spec, reference };
  }
  if (spec.decoder === 'learn2pd')
    return {
      ...common,
      decoder: 'learn2pd',
      eotp: spec.eotp,
      tauFilter: spec.tauFilter,
      ...(spec.cache === undefined ? {} : { cache: spec.cache }),
      ...(spec.eotpScope === undefined ? {} : { eotpScope: spec.eotpScope }),
    };
  return { ...common, ...spec };
}

/**
 * The width of the filter that serves `blockLength` among the widths a model ships (spec §3): its own width, else
 * the smallest wider one, which reads the block zero-padded to its width, as it reads a short final block.
 * undefined: none is wide enough.
 */
export function filterWidthFor(widths: Iterable<number>, blockLength: number): number | undefined {
  let best: number | undefined;
  for (const w of widths) if (w >= blockLength && (best === undefined || w < best)) best = w;
  return best;
}

/** What a filter's name may be (dllm.json keys, links, CLI flags): lowercase letters, digits and dashes. */
export const FILTER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The paper's filter (spec §3), the reference among a model's learned filters; a spec without a filter name means it. */
export const PAPER_FILTER = 'paper';

/** A filter as a model lists it: its name, its kind, the block length it was trained for and its tauFilter. */
export interface FilterListing {
  name: string;
  kind: FilterKind;
  blockLength: number;
  tauFilter: number;
}

/** A listed filter, ready to run. */
export interface ListedFilter extends FilterListing {
  filter: Filter;
}

/**
 * The filter named `name` that serves `blockLength`, among the filters a model lists (the one rule, everywhere):
 * the one trained for that length; else, for the paper's kind, the smallest wider one (filterWidthFor); for a slot
 * filter, which reads one slot at a time and serves any length, the one trained for the nearest length (the longer
 * on a tie). undefined: none of that name serves it.
 */
export function pickFilter<F extends FilterListing>(
  filters: readonly F[],
  blockLength: number,
  name: string = PAPER_FILTER,
): F | undefined {
  const named = filters.filter((f) => f.name === name);
  const own = named.find((f) => f.blockLength === blockLength);
  if (own !== undefined) return own;
  const blocks = named.filter((f) => f.kind === 'block');
  const width = filterWidthFor(
    blocks.map((f) => f.blockLength),
    blockLength,
  );
  if (width !== undefined) return blocks.find((f) => f.blockLength === width);
  const slots = named.filter((f) => f.kind === 'slot');
  const distance = (f: F) => Math.abs(f.blockLength - blockLength) - (f.blockLength > blockLength ? 0.5 : 0);
  return slots.sort((a, b) => distance(a) - distance(b))[0];
}

/** The names of the filters that serve `blockLength`, the paper's first, then as listed. */
export function filterNamesFor(filters: readonly FilterListing[], blockLength: number): string[] {
  const names = [...new Set(filters.map((f) => f.name))].filter((n) => pickFilter(filters, blockLength, n));
  return names.sort((a, b) => Number(b === PAPER_FILTER) - Number(a === PAPER_FILTER));
}

/** Like pickFilter, but a block length no filter of that name serves is a NoFilterError that says what there is. */
export function requireFilter<F extends FilterListing>(
  filters: readonly F[],
  blockLength: number,
  name: string = PAPER_FILTER,
): F {
  const filter = pickFilter(filters, blockLength, name);
  if (filter !== undefined) return filter;
  if (filters.length === 0) throw new NoFilterError('this model ships no Learn2PD filter (its dllm.json lists none)');
  const named = filters.filter((f) => f.name === name);
  if (named.length === 0)
    throw new NoFilterError(
      `this model has no Learn2PD filter named "${name}" (it has ${[...new Set(filters.map((f) => `"${f.name}"`))].join(', ')})`,
    );
  const widths = named.map((f) => f.blockLength).sort((a, b) => a - b);
  throw new NoFilterError(
    `this model has no "${name}" Learn2PD filter for block length ${blockLength} (it has ${widths.length === 1 ? 'one of width' : 'ones of widths'} ${widths.join(', ')}; a filter of the paper's kind serves its width and shorter blocks)`,
  );
}

/** The tauFilter of the filter that serves `blockLength` under `name`, else the spec's default. */
export function tauFilterFor(filters: readonly FilterListing[], blockLength: number, name?: string): number {
  return pickFilter(filters, blockLength, name)?.tauFilter ?? DEFAULT_TAU_FILTER;
}

/**
 * The filter a Learn2PD pane uses when none is asked for: the model's choice for the block length (dllm.json
 * `defaultFilters`, written by the rule in docs/BENCHMARKS.md) where it serves it, else the paper's, else the
 * first that serves it. undefined: none does.
 */
export function defaultFilterFor(
  filters: readonly FilterListing[],
  blockLength: number,
  defaults: Readonly<Record<string, string>> = {},
): string | undefined {
  const names = filterNamesFor(filters, blockLength);
  const chosen = defaults[String(blockLength)];
  return chosen !== undefined && names.includes(chosen) ? chosen : names[0];
}
