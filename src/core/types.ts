// The core's shared types: the Denoiser and Filter contracts, decoder configs, step events and results.
// Positions in StepEvent and OracleSample are relative to the generation canvas (index 0 = first position
// after the prompt), which is what a UI draws; the working sequence inside the loop is absolute (prompt first).

/**
 * Top-1 probabilities per position. Runtimes return float32; float64 is accepted too so that replayed
 * reference trajectories (whose confidences are float64) reach the oracle's training samples unrounded.
 */
export type Confidences = Float32Array | Float64Array;

/**
 * Outputs of the fused head beyond top1/conf (spec §8), fetched only when the decoder reads them: `entropy`
 * -sum_v p_v log p_v, `margin` top-1 minus top-2 probability.
 */
export const HEAD_EXTRAS = ['entropy', 'margin'] as const;
export type HeadExtra = (typeof HEAD_EXTRAS)[number];

/**
 * One forward pass of the dLLM: per position of `ids`, the argmax token and its softmax probability, and each
 * extra that was asked for.
 */
export interface StepOutput {
  top1: Int32Array; // [ids.length]
  conf: Confidences; // [ids.length]
  entropy?: Float32Array; // [ids.length], when asked for
  margin?: Float32Array; // [ids.length], when asked for
}

export interface Denoiser {
  /** `extras`: the outputs beyond top1/conf the caller reads (a denoiser may return more, never fewer). */
  forward(ids: Int32Array, extras?: readonly HeadExtra[]): Promise<StepOutput>;
  /** Fast-dLLM's KV cache (spec §7), where the model has its two graphs. */
  readonly kv?: KvForwards;
}

/**
 * What a decode with `cache: prefix | dual` calls (spec §7). The keys/values stay inside the runtime (on WebGPU, on
 * the GPU): the core never sees them, it only says when to keep, use and drop them.
 */
export interface KvForwards {
  /** A block-start forward over the whole sequence that keeps every layer's keys/values (replacing any kept). */
  full(ids: Int32Array, extras?: readonly HeadExtra[]): Promise<StepOutput>;
  /**
   * A forward of `ids` at positions [start, start + ids.length) attending to the kept keys/values elsewhere below
   * `length` (the sequence's length now; an EoTP cut since the block start shortens it). Outputs [ids.length].
   */
  window(ids: Int32Array, start: number, length: number, extras?: readonly HeadExtra[]): Promise<StepOutput>;
  /** Drops the kept keys/values (idempotent). */
  release(): void;
}

/**
 * The KV cache (spec §7): 'none' recomputes the whole sequence at every step; 'prefix' keeps the keys/values before
 * the current block and forwards the block and everything after it; 'dual' keeps them everywhere and forwards the
 * block alone. Both refresh them at each block's first step, a full forward.
 */
export const CACHE_MODES = ['none', 'prefix', 'dual'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/**
 * Where EoTP's rule 2 looks for a predicted EOS: the masked positions of the whole remaining canvas (spec §4), or of
 * the current block only (spec §7, Learn2PD's cache code). The spec's default is eotpScopeOf's: the canvas without
 * a cache, the block with one; the other is a named variant, measured against it.
 */
export const EOTP_SCOPES = ['canvas', 'block'] as const;
export type EotpScope = (typeof EOTP_SCOPES)[number];

/**
 * What the filter reads for each block position. 'confidence' (spec §3, the paper's filter): the top-1 probability.
 * This project's named variants (spec §6 "richer features"): 'context', the top-1 probability, whether the position
 * is still masked, and whether its prediction equals the previous forward's (three groups of blockLength inputs,
 * in that order); 'log-odds', the top-1 probability as log(c / (1 - c)) / 8 (c clipped to [1e-7, 1 - 1e-7]), which
 * spreads the confidences a small model puts within 0.01 of 1. None needs more than the fused head returns.
 */
export const FILTER_FEATURES = ['confidence', 'context', 'log-odds'] as const;
export type FilterFeatures = (typeof FILTER_FEATURES)[number];

/**
 * What a slot filter (weights shared across the block's slots) reads for each slot, one input each, in the order
 * the filter lists them: 'log-odds' of its confidence (as 'log-odds' above), 'margin' (top-1 minus top-2
 * probability, as log-odds), 'entropy' (log(H + 1e-6) / 8), 'position' in the block (i / blockLength), the 'step'
 * within the block (j / blockLength), 'stable' (its prediction equals the previous forward's: 0/1),
 * 'masked-fraction' of the block still masked, and 'left-known' (the slot before it is decoded: 0/1; the first
 * slot's left neighbour, the previous block or the prompt, always is).
 */
export const SLOT_FEATURES = [
  'log-odds',
  'margin',
  'entropy',
  'position',
  'step',
  'stable',
  'masked-fraction',
  'left-known',
] as const;
export type SlotFeature = (typeof SLOT_FEATURES)[number];

/** How a filter is shaped: 'block', the paper's (one MLP over the whole block); 'slot', one MLP shared by every slot. */
export const FILTER_KINDS = ['block', 'slot'] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

/**
 * One block's filter features at one step (block-relative); `masked` and `stable` for 'context' and slot filters,
 * `margin`, `entropy`, `step` and `blockLength` (the decoder's, which an EoTP cut does not change) for slot filters.
 */
export interface BlockFeatures {
  confidence: ArrayLike<number>; // all block positions, committed ones included
  masked?: readonly boolean[]; // still MASK before this step's commit
  stable?: readonly boolean[]; // top-1 equals the previous forward's top-1 there (false at the first forward)
  margin?: ArrayLike<number>;
  entropy?: ArrayLike<number>;
  step?: number; // steps already run in this block
  blockLength?: number;
}

/**
 * The paper's Learn2PD filter: one logit per position of a block (spec §3). Its input is `blockLength` values per
 * feature group of `features` (default 'confidence': the block's confidences, float32).
 */
export interface BlockFilter {
  kind?: 'block';
  blockLength: number;
  features?: FilterFeatures;
  logits(input: Float32Array /* [blockLength * groups] */): Promise<Float32Array> | Float32Array;
}

/**
 * A slot filter: one small MLP shared by every slot, reading that slot's `features` (so it can express a threshold
 * on the confidence, and it serves any block length). `blockLength`: the length it was trained for.
 */
export interface SlotFilter {
  kind: 'slot';
  blockLength: number;
  features: readonly SlotFeature[];
  /** One logit per position of the block, from the features it reads (so its cost includes writing them);
   * positions already decoded (masked false) may get -Infinity: their accept is never read. */
  logits(block: BlockFeatures): Promise<Float32Array> | Float32Array;
}

/** A learned filter of either kind. */
export type Filter = BlockFilter | SlotFilter;

/**
 * Weights of the filter MLP `out = w2 . relu(w1 . x + b1) + b2`, in the conformance layout: w1 [hidden][in],
 * b1 [hidden], w2 [out][hidden], b2 [out], with out = the filter size (32 in the paper; it may exceed the
 * decoder's blockLength, shorter blocks being zero-padded) and in = out times the feature groups (1 in the paper). Plain arrays so they are JSON as is, the same layout
 * as the conformance vectors' `filter` and runtime/filter-onnx.ts.
 */
export interface MlpWeights {
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

interface CommonConfig {
  maskId: number;
  eosId: number;
  genLength: number; // canvas length, a multiple of blockLength
  blockLength: number;
  /** Step budget of the one-token-per-step schedule (spec "Notation"); defaults to genLength. */
  steps?: number;
  /** End-of-text prediction (spec §4): rule 1 for learn2pd, rule 2 for every decoder. */
  eotp: boolean;
  /** The KV cache (spec §7); absent: none. */
  cache?: CacheMode;
  /** EoTP's rule 2 range (EOTP_SCOPES); absent: the spec's for the cache setting (eotpScopeOf). */
  eotpScope?: EotpScope;
}

export interface LowConfidenceConfig extends CommonConfig {
  decoder: 'low_confidence';
}
export interface ThresholdConfig extends CommonConfig {
  decoder: 'threshold';
  /** Commit every masked block position with conf >= tau. Any finite tau > 0; tau > 1 never passes. */
  tau: number;
}
export interface FactorConfig extends CommonConfig {
  decoder: 'factor';
  /** Fast-dLLM's f: accept the first n sorted while (n+1)(1-c(n)) < f. Finite, > 0. */
  factor: number;
}
export interface Learn2pdConfig extends CommonConfig {
  decoder: 'learn2pd';
  /** accept[i] = sigmoid(filter logit) > tauFilter, tauFilter in [0, 1]. */
  tauFilter: number;
}
export interface EbSamplerConfig extends CommonConfig {
  decoder: 'eb_sampler';
  /** The entropy bound: commit the lowest-entropy prefix U with sum(H) - max(H) <= gamma (spec §8). Finite, >= 0. */
  gamma: number;
}
export interface EgpOracleConfig extends CommonConfig {
  decoder: 'egp_oracle';
  /** The reference output: the whole sequence, prompt included (length prompt + genLength), e.g. decode().output. */
  reference: ArrayLike<number>;
}

export type DecoderConfig =
  | LowConfidenceConfig
  | ThresholdConfig
  | FactorConfig
  | Learn2pdConfig
  | EbSamplerConfig
  | EgpOracleConfig;

/** One forward (one NFE) and what the decoder did with it. Positions are canvas-relative. */
export interface StepEvent {
  run: string | number;
  step: number; // 0-based NFE index
  blockStart: number; // canvas position of the current block's first slot
  /** Positions newly committed at this step that survive this step's cut (if any), in increasing position. */
  committed: { pos: number; token: number }[];
  guesses: Int32Array; // [canvas length before this step's cut]: the denoiser's top-1 per canvas position
  conf: Float32Array; // [same]: its top-1 probability
  /**
   * Present when EoTP shortened the canvas at this step: the canvas position of the EOS slot kept as the last one;
   * the canvas is now cutAt + 1 long (a rule that re-picks the current last slot is not reported).
   */
  cutAt?: number;
  ms: number; // wall time of this step's forward and bookkeeping
  /**
   * What the forward computed (spec §7): 'full' the whole sequence, 'window' the canvas positions [window[0],
   * window[1]) against cached keys/values (the other guesses are the block start's, kept). `positions` is the
   * forward's query length (the prompt included in a full one).
   */
  forward: 'full' | 'window';
  positions: number;
  window?: [number, number];
}

/**
 * One training record (spec §3, step 2): block-relative features and match labels. `masked` and `stable` (the
 * 'context' features) are recorded by this project's loop, and `margin` and `entropy` where the model gives them;
 * files from before them lack them.
 */
export interface OracleSample {
  block: number;
  step: number; // the step index within the block
  confidence: number[]; // [current block length], all block positions, committed ones included
  isCorrect: boolean[]; // [same]: x0[i] === reference[i]
  masked?: boolean[]; // [same]
  stable?: boolean[]; // [same]
  /** The slot filters' extra inputs, [same], where the forward gave them (files from before them lack them). */
  margin?: number[];
  entropy?: number[];
}

export interface DecodeResult {
  output: Int32Array; // prompt + canvas after any EoTP cut
  promptLength: number;
  nfe: number;
  /** Generated tokens before the first EOS (see answerTokens). */
  answer: Int32Array;
  ms: number; // sum of the steps' ms
  /** Positions forwarded, summed over forwards (spec §7: the machine-independent cost a cache lowers). */
  positions: number;
  /** For the egp_oracle decoder, or any decoder given DecodeOptions.sampleReference: one sample per forward. */
  samples?: OracleSample[];
}

/** The subset of AbortSignal the loop reads; a DOM or Node AbortSignal fits it. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export interface DecodeOptions {
  signal?: AbortSignalLike;
  runId?: string | number;
  /** Millisecond clock; defaults to performance.now() where it exists, else Date.now(). */
  now?: () => number;
  /**
   * Record one training sample per forward, labelled against this reference (prompt + canvas ids), whatever the
   * decoder: the filter's own trajectory (collect --replay learn2pd). The egp_oracle decoder always records
   * against its config's reference.
   */
  sampleReference?: ArrayLike<number>;
}
