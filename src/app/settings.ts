// The comparison's settings: defaults, allowed values and the checks shared by the settings panel and the URL, and
// the panes they make. A comparison is fair (spec §9): every pane decodes on the same canvas and block length, and
// with the same EoTP setting, unless the comparison is about EoTP, and then only that differs and the titles say so.
// `null` for genLength/blockLength/tauFilter means "the model's own (dllm.json)".
import {
  type CacheMode,
  DEFAULT_BLOCK_LENGTH,
  DEFAULT_FACTOR,
  DEFAULT_GAMMA,
  DEFAULT_TAU,
  type DecoderName,
  type DecoderSpec,
  defaultFilterFor,
  extrasFor,
  type FilterListing,
  filterNamesFor,
  HEURISTICS,
  type Heuristic,
  PAPER_FILTER,
  pickFilter,
  tauFilterFor,
} from '../core';

export { HEURISTICS, type Heuristic };

import {
  type BackendChoice,
  type Canvas,
  type FilterInfo,
  MAX_CLOCK_RUNS,
  MAX_GEN_LENGTH,
  type ModelInfo,
} from '../worker/protocol';

export const SPEEDS = ['slow', 'normal', 'fast', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];
/** Animation rate of the canvas, in steps per second ('max': as fast as events arrive). */
export const STEPS_PER_SECOND: Record<Speed, number> = { slow: 2, normal: 6, fast: 20, max: Number.POSITIVE_INFINITY };
/** Replaying at 'max' would skip to the end; it plays at this rate instead. */
export const MAX_REPLAY_RATE = 40;

/** What a comparison is about: two commit rules on the same EoTP setting, or one rule with EoTP off and on. */
export const COMPARISONS = ['rules', 'eotp'] as const;
export type ComparisonKind = (typeof COMPARISONS)[number];
/** The rule both panes run in a comparison of EoTP off against on (the left pane of a comparison of rules is one
 * of the core's HEURISTICS, the right one the learned filter). */
export const EOTP_RULES = ['threshold', 'factor', 'eb_sampler', 'learn2pd'] as const satisfies readonly DecoderName[];
export type EotpRule = (typeof EOTP_RULES)[number];

export const THIRD_PANES = ['none', 'low_confidence', 'egp_oracle'] as const;
export type ThirdPane = (typeof THIRD_PANES)[number];

export const GEN_LENGTHS = [16, 32, 64, 96, 128, 192, 256] as const satisfies readonly number[];
/** Block lengths a link may ask for; the panel offers those a filter of the model serves (blockLengthsFor). */
export const BLOCK_LENGTHS = [8, 16, 32, 64, 128, 256] as const;

export const DEFAULT_CLOCK_RUNS = 3;
export const CLOCK_RUN_CHOICES = Array.from({ length: MAX_CLOCK_RUNS }, (_, i) => i + 1);

export interface Settings {
  genLength: number | null;
  blockLength: number | null;
  comparison: ComparisonKind;
  heuristic: Heuristic; // the left pane in a comparison of rules
  rule: EotpRule; // both panes in a comparison of EoTP
  tau: number; // Fast-dLLM threshold: commit every masked slot with confidence >= tau
  factor: number; // Fast-dLLM factor rule: commit the first n sorted while (n + 1)(1 - c(n)) < f
  gamma: number; // EB-Sampler: commit the lowest-entropy slots while their entropy, less the largest, is <= gamma
  tauFilter: number | null; // Learn2PD: commit where sigmoid(filter logit) > tauFilter
  /** The learned filter of the Learn2PD pane (a name of the model's dllm.json); null: the model's choice. */
  filter: string | null;
  eotp: boolean; // end-of-text prediction in every pane of a comparison of rules
  /** Fast-dLLM's KV cache (spec §7), the same for every pane. */
  cache: CacheMode;
  speed: Speed;
  third: ThirdPane;
  reference: boolean; // also run the one-token-per-step reference (untimed) to check each answer against it
  /** How many times each pane's decode is timed, for the clock ratio's spread. */
  clockRuns: number;
  /** Presentation mode: large slots, the panes and their answers on one screen, no charts. */
  present: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  genLength: null,
  blockLength: null,
  comparison: 'rules',
  heuristic: 'threshold',
  rule: 'threshold',
  tau: DEFAULT_TAU,
  factor: DEFAULT_FACTOR,
  gamma: DEFAULT_GAMMA,
  tauFilter: null,
  filter: null,
  eotp: true,
  cache: 'none',
  speed: 'normal',
  third: 'none',
  reference: true,
  clockRuns: DEFAULT_CLOCK_RUNS,
  present: false,
};

/** Where the app loads the model from and on which backend. */
export interface Environment {
  backend: BackendChoice;
  model: string; // a folder name under ./models/
  variant: string | null; // a weight variant of dllm.json (fp32, q8, q4); null: the model's default
  /** WebAssembly threads on a cross-origin-isolated page; null: the worker's rule (wasmThreads in the protocol). */
  threads: number | null;
}

export const DEFAULT_ENVIRONMENT: Environment = { backend: 'auto', model: 'tiny-dllm', variant: null, threads: null };
export const VARIANT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Used before the model is loaded (its dllm.json has the real defaults). */
export const FALLBACK_CANVAS: Canvas = { genLength: 128, blockLength: DEFAULT_BLOCK_LENGTH };

export function effectiveCanvas(settings: Settings, info: ModelInfo | null): Canvas {
  const defaults = info?.defaults ?? FALLBACK_CANVAS;
  return {
    genLength: settings.genLength ?? defaults.genLength,
    blockLength: settings.blockLength ?? defaults.blockLength,
  };
}

/**
 * The model's filters the app offers at `blockLength`: those it ships (core's pickFilter decides which serves), and
 * those trained here only at the block length they were trained for (issue 23).
 */
export function offeredFilters(info: ModelInfo | null, blockLength: number): FilterInfo[] {
  return (info?.filters ?? []).filter((f) => f.trainedOn === undefined || f.blockLength === blockLength);
}

/** The name of the Learn2PD pane's filter: the one asked for where it serves the block length, else the model's. */
export function effectiveFilter(settings: Settings, info: ModelInfo | null): string {
  const { blockLength } = effectiveCanvas(settings, info);
  const filters = offeredFilters(info, blockLength);
  if (settings.filter !== null && (info === null || pickFilter(filters, blockLength, settings.filter)))
    return settings.filter;
  const defaults = Object.fromEntries((info?.defaultFilters ?? []).map((d) => [String(d.blockLength), d.name]));
  return defaultFilterFor(filters, blockLength, defaults) ?? PAPER_FILTER;
}

/** The filter the Learn2PD pane runs (null: none serves the block length). */
export function servingFilter(settings: Settings, info: ModelInfo | null): FilterListing | null {
  const { blockLength } = effectiveCanvas(settings, info);
  return pickFilter(offeredFilters(info, blockLength), blockLength, effectiveFilter(settings, info)) ?? null;
}

/** The names of the filters that serve the settings' block length, for the picker. */
export function filterChoices(settings: Settings, info: ModelInfo | null): string[] {
  const { blockLength } = effectiveCanvas(settings, info);
  return filterNamesFor(offeredFilters(info, blockLength), blockLength);
}

export function effectiveTauFilter(settings: Settings, info: ModelInfo | null): number {
  const { blockLength } = effectiveCanvas(settings, info);
  return (
    settings.tauFilter ?? tauFilterFor(offeredFilters(info, blockLength), blockLength, effectiveFilter(settings, info))
  );
}

/** The block lengths the panel offers: those some filter of the model serves (all of them before it loads). */
export function blockLengthsFor(info: ModelInfo | null): number[] {
  return BLOCK_LENGTHS.filter((b) => info === null || filterNamesFor(offeredFilters(info, b), b).length > 0);
}

/** Whether the loaded model gives every head output `decoder` reads (the EB-Sampler needs entropy, spec §8). */
export function modelRuns(decoder: DecoderName, info: ModelInfo | null): boolean {
  return info === null || extrasFor(decoder).every((e) => info.extras.includes(e));
}

export type PaneId = 'left' | 'right' | 'third';

export interface PanePlan {
  id: PaneId;
  spec: DecoderSpec;
}

function ruleSpec(rule: EotpRule, eotp: boolean, settings: Settings, info: ModelInfo | null): DecoderSpec {
  switch (rule) {
    case 'threshold':
      return { decoder: 'threshold', eotp, tau: settings.tau };
    case 'factor':
      return { decoder: 'factor', eotp, factor: settings.factor };
    case 'eb_sampler':
      return { decoder: 'eb_sampler', eotp, gamma: settings.gamma };
    case 'learn2pd': {
      const filter = effectiveFilter(settings, info);
      const tauFilter = effectiveTauFilter(settings, info);
      return filter === PAPER_FILTER
        ? { decoder: 'learn2pd', eotp, tauFilter }
        : { decoder: 'learn2pd', eotp, tauFilter, filter };
    }
    default: {
      const exhaustive: never = rule;
      return exhaustive;
    }
  }
}

/** The panes of a comparison, in the order the worker runs them. */
export function panePlan(settings: Settings, info: ModelInfo | null): PanePlan[] {
  const rules = settings.comparison === 'rules';
  const panes: PanePlan[] = rules
    ? [
        { id: 'left', spec: ruleSpec(settings.heuristic, settings.eotp, settings, info) },
        { id: 'right', spec: ruleSpec('learn2pd', settings.eotp, settings, info) },
      ]
    : [
        { id: 'left', spec: ruleSpec(settings.rule, false, settings, info) },
        { id: 'right', spec: ruleSpec(settings.rule, true, settings, info) },
      ];
  // The baseline takes the comparison's EoTP setting (rule 2); against EoTP off and on, it is the reference itself.
  if (settings.third === 'low_confidence')
    panes.push({ id: 'third', spec: { decoder: 'low_confidence', eotp: rules && settings.eotp } });
  // The oracle replays the reference answer: it has no EoTP, whatever the others do (its title says so).
  if (settings.third === 'egp_oracle') panes.push({ id: 'third', spec: { decoder: 'egp_oracle', eotp: false } });
  // The cache is every pane's or none's: a comparison of rules or of EoTP with the cache on one side only is unfair.
  return settings.cache === 'none' ? panes : panes.map((p) => ({ ...p, spec: { ...p.spec, cache: settings.cache } }));
}

/** Problems of a settings combination in words (empty when fine); `info` adds the model's own constraints. */
export function settingsProblems(settings: Settings, info: ModelInfo | null): string[] {
  const problems: string[] = [];
  const { genLength, blockLength } = effectiveCanvas(settings, info);
  if (genLength > MAX_GEN_LENGTH) problems.push(`the canvas may hold at most ${MAX_GEN_LENGTH} tokens`);
  if (genLength % blockLength !== 0)
    problems.push(`the canvas length (${genLength}) must be a multiple of the block length (${blockLength})`);
  if (settings.cache !== 'none' && info && !info.kvCache)
    problems.push(`the ${info.variant} weights have no KV-cache graphs (training/kv.py): the cache needs them`);
  const learned = panePlan(settings, info).some((p) => p.spec.decoder === 'learn2pd');
  if (learned && info && servingFilter(settings, info) === null) {
    const widths = info.filters.map((f) => f.blockLength);
    problems.push(
      widths.length === 0
        ? 'this model ships no Learn2PD filter'
        : `no learned filter of this model serves block length ${blockLength} (it has filters for ${[...new Set(widths)].join(', ')})`,
    );
  }
  return problems;
}
