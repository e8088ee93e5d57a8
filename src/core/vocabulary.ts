// The decoder vocabulary, in one place for every layer above (runtime, eval, worker protocol, app, CLIs): the decoder
// names, a DecoderSpec (a decoder and its knobs, without a model's ids or the canvas) with its label and the allowed
// range of each knob, the defaults, configFor (spec + model ids + canvas = a DecoderConfig), and the one rule that
// picks a Learn2PD filter for a block length.
import { ConfigError, NoFilterError } from './errors';
import type { DecoderConfig } from './types';

export const DECODER_NAMES = ['low_confidence', 'threshold', 'factor', 'eb_sampler', 'learn2pd', 'egp_oracle'] as const;
export type DecoderName = (typeof DECODER_NAMES)[number];

/** The commit rules that need no trained filter (the comparison's left pane, each with one knob). */
export const HEURISTICS = ['threshold', 'factor', 'eb_sampler'] as const satisfies readonly DecoderName[];
export type Heuristic = (typeof HEURISTICS)[number];

/** A decoder to run: everything of a DecoderConfig but the model's ids and the canvas shape. */
export type DecoderSpec =
  | { decoder: 'low_confidence'; eotp: boolean; steps?: number }
  | { decoder: 'threshold'; eotp: boolean; tau: number }
  | { decoder: 'factor'; eotp: boolean; factor: number }
  | { decoder: 'eb_sampler'; eotp: boolean; gamma: number }
  | { decoder: 'learn2pd'; eotp: boolean; tauFilter: number }
  | { decoder: 'egp_oracle'; eotp: false };

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
  return spec.decoder === 'low_confidence' && !spec.eotp && spec.steps === undefined;
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
        return `learn2pd tauFilter=${spec.tauFilter}`;
      case 'egp_oracle':
        return 'egp_oracle';
      default: {
        const exhaustive: never = spec;
        return exhaustive;
      }
    }
  })();
  return spec.eotp ? `${base} +EoTP` : base;
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

/** The filter that serves `blockLength` (the rule of filterWidthFor), from filters keyed by width. */
export function pickFilter<F>(filters: ReadonlyMap<number, F>, blockLength: number): F | undefined {
  const width = filterWidthFor(filters.keys(), blockLength);
  return width === undefined ? undefined : filters.get(width);
}

/** Like pickFilter, but a block length no filter serves is a NoFilterError that says which widths there are. */
export function requireFilter<F>(filters: ReadonlyMap<number, F>, blockLength: number): F {
  const filter = pickFilter(filters, blockLength);
  if (filter !== undefined) return filter;
  const widths = [...filters.keys()].sort((a, b) => a - b);
  throw new NoFilterError(
    widths.length === 0
      ? 'this model ships no Learn2PD filter (its dllm.json lists none)'
      : `this model has no Learn2PD filter for block length ${blockLength} (it has filters ${widths.length === 1 ? 'of width' : 'of widths'} ${widths.join(', ')}; a filter serves its width and shorter blocks)`,
  );
}

/** A filter as a model lists it: its width and the tauFilter it was tuned for. */
export interface FilterListing {
  blockLength: number;
  tauFilter: number;
}

/** The tauFilter of the filter that serves `blockLength`, else the spec's default. */
export function tauFilterFor(filters: readonly FilterListing[], blockLength: number): number {
  const width = filterWidthFor(
    filters.map((f) => f.blockLength),
    blockLength,
  );
  return filters.find((f) => f.blockLength === width)?.tauFilter ?? DEFAULT_TAU_FILTER;
}
