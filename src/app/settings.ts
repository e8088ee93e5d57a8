// The comparison's settings: defaults, allowed ranges and the checks shared by the settings panel and the URL.
// Defaults live here once. `null` for genLength/blockLength/tauFilter means "the model's own (dllm.json)".
import type { BackendChoice, Canvas, DecoderSpec, ModelInfo } from '../worker/protocol';

export const SPEEDS = ['slow', 'normal', 'fast', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];
/** Animation rate of the canvas, in steps per second ('max': as fast as events arrive). */
export const STEPS_PER_SECOND: Record<Speed, number> = { slow: 2, normal: 6, fast: 20, max: Number.POSITIVE_INFINITY };
/** Replaying at 'max' would skip to the end; it plays at this rate instead. */
export const MAX_REPLAY_RATE = 40;

export const THIRD_PANES = ['none', 'low_confidence', 'egp_oracle'] as const;
export type ThirdPane = (typeof THIRD_PANES)[number];

export const BLOCK_LENGTHS = [8, 16, 32, 64] as const;
export const GEN_LENGTHS = [16, 32, 64, 96, 128, 192, 256] as const;
export const MIN_GEN_LENGTH = 8;
export const MAX_GEN_LENGTH = 256;
/** Longest prompt the UI sends (the model's own limit, in tokens, is much lower and checked by the worker). */
export const MAX_PROMPT_CHARS = 2000;

export interface Settings {
  genLength: number | null;
  blockLength: number | null;
  tau: number; // threshold pane (Fast-dLLM): commit every masked slot with confidence >= tau
  tauFilter: number | null; // learn2pd pane: commit where sigmoid(filter logit) > tauFilter
  eotp: boolean; // end-of-text prediction in the learn2pd pane
  speed: Speed;
  third: ThirdPane;
  reference: boolean; // also run the one-token-per-step reference (untimed) to check each answer against it
}

export const DEFAULT_SETTINGS: Settings = {
  genLength: null,
  blockLength: null,
  tau: 0.9,
  tauFilter: null,
  eotp: true,
  speed: 'normal',
  third: 'none',
  reference: true,
};

/** Where the app loads the model from and on which backend. */
export interface Environment {
  backend: BackendChoice;
  model: string; // a folder name under ./models/
  variant: string | null; // a weight variant of dllm.json (fp32, q8, q4); null: the model's default
}

export const DEFAULT_ENVIRONMENT: Environment = { backend: 'auto', model: 'tiny-dllm', variant: null };
export const VARIANT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Used before the model is loaded (its dllm.json has the real defaults). */
export const FALLBACK_CANVAS: Canvas = { genLength: 128, blockLength: 32 };
export const FALLBACK_TAU_FILTER = 0.96;

export function effectiveCanvas(settings: Settings, info: ModelInfo | null): Canvas {
  const defaults = info?.defaults ?? FALLBACK_CANVAS;
  return {
    genLength: settings.genLength ?? defaults.genLength,
    blockLength: settings.blockLength ?? defaults.blockLength,
  };
}

/** The model's tauFilter for this block length (the filter the worker picks: exact, else the smallest larger). */
export function modelTauFilter(info: ModelInfo | null, blockLength: number): number {
  const fit = info?.filters
    .filter((f) => f.blockLength >= blockLength)
    .sort((a, b) => a.blockLength - b.blockLength)[0];
  return fit?.tauFilter ?? FALLBACK_TAU_FILTER;
}

export function effectiveTauFilter(settings: Settings, info: ModelInfo | null): number {
  return settings.tauFilter ?? modelTauFilter(info, effectiveCanvas(settings, info).blockLength);
}

export type PaneId = 'threshold' | 'learn2pd' | 'low_confidence' | 'egp_oracle';

export interface PanePlan {
  id: PaneId;
  spec: DecoderSpec;
}

/** The panes of a comparison, in the order the worker runs them. */
export function panePlan(settings: Settings, info: ModelInfo | null): PanePlan[] {
  const panes: PanePlan[] = [
    { id: 'threshold', spec: { decoder: 'threshold', eotp: false, tau: settings.tau } },
    {
      id: 'learn2pd',
      spec: { decoder: 'learn2pd', eotp: settings.eotp, tauFilter: effectiveTauFilter(settings, info) },
    },
  ];
  if (settings.third === 'low_confidence')
    panes.push({ id: 'low_confidence', spec: { decoder: 'low_confidence', eotp: false } });
  if (settings.third === 'egp_oracle') panes.push({ id: 'egp_oracle', spec: { decoder: 'egp_oracle', eotp: false } });
  return panes;
}

/** Problems of a settings combination in words (empty when fine); `info` adds the model's own constraints. */
export function settingsProblems(settings: Settings, info: ModelInfo | null): string[] {
  const problems: string[] = [];
  const { genLength, blockLength } = effectiveCanvas(settings, info);
  if (genLength % blockLength !== 0)
    problems.push(`the canvas length (${genLength}) must be a multiple of the block length (${blockLength})`);
  if (info && info.filters.length > 0 && !info.filters.some((f) => f.blockLength >= blockLength)) {
    problems.push(
      `this model ships Learn2PD filters for block lengths up to ${Math.max(...info.filters.map((f) => f.blockLength))}, not ${blockLength}`,
    );
  }
  return problems;
}
