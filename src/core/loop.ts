// The step loop, written once for every decoder: blocks left to right, one forward (one NFE) per step, the
// decoder's rule picks the commits, EoTP may cut, one StepEvent per forward. It stops as soon as no masked
// position remains anywhere in the (possibly cut) sequence, before calling the denoiser again.
import { answerTokens } from './answer';
import { defaultClock } from './clock';
import { type ResolvedConfig, validateConfig } from './config';
import {
  type Commit,
  ebSamplerRule,
  egpOracleRule,
  factorRule,
  learn2pdRule,
  lowConfidenceRule,
  type StepView,
  scheduledK,
  thresholdRule,
} from './decoders';
import { eotpCutPosition } from './eotp';
import { ConfigError, DecodeCancelledError } from './errors';
import { blockFeatures, filterAccepts, type RecordedFeatures } from './filter';
import { type Asks, forwardStep } from './forward';
import { transferSchedule } from './schedule';
import { slotExtras } from './slot-filter';
import {
  type BlockFeatures,
  type DecodeOptions,
  type DecodeResult,
  type DecoderConfig,
  type Denoiser,
  type Filter,
  HEAD_EXTRAS,
  type HeadExtra,
  type KvForwards,
  type OracleSample,
  type StepEvent,
  type StepOutput,
} from './types';
import { eotpScopeOf } from './vocabulary';

/** The masked positions of [start, end), less those settled as [MASK] (decodeSteps). */
function maskedIn(x: Int32Array, start: number, end: number, maskId: number, settled: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) if (x[i] === maskId && !settled.has(i)) out.push(i);
  return out;
}

function throwIfAborted(options: DecodeOptions): void {
  if (options.signal?.aborted) throw new DecodeCancelledError(options.signal.reason);
}

const NO_EXTRAS: readonly HeadExtra[] = [];
const ENTROPY: readonly HeadExtra[] = ['entropy'];

/**
 * The head outputs beyond top1/conf a decoder reads (only these leave the device): the EB-Sampler's entropy, and
 * what a slot filter's features read.
 */
export function extrasFor(decoder: DecoderConfig['decoder'], filter?: Filter): readonly HeadExtra[] {
  if (decoder === 'eb_sampler') return ENTROPY;
  if (decoder === 'learn2pd' && filter?.kind === 'slot') return slotExtras(filter.features);
  return NO_EXTRAS;
}

function asksOf(cfg: ResolvedConfig, filter: Filter | undefined, options: DecodeOptions): Asks {
  const required = extrasFor(cfg.decoder, filter);
  const records = cfg.decoder === 'egp_oracle' || options.sampleReference !== undefined;
  return { required, asked: records ? HEAD_EXTRAS : required };
}

/** Per block state that outlives one step: the schedule fixed at block start and the oracle's last guesses. */
interface BlockState {
  index: number;
  start: number;
  schedule: number[];
  step: number;
  prevTop1?: Int32Array;
}

interface RuleResult {
  commits: Commit[];
  accept?: readonly boolean[]; // learn2pd's filter accepts, for EoTP rule 1
  stuck?: boolean;
}

/**
 * Whether this step's commits and cut are the same whatever the filter answers, so the call can be skipped:
 * the schedule alone commits every masked block position (its k_j most confident are all of them), and EoTP's
 * rule 1, the only other reader of the accepts, has no masked block position predicting EOS to accept (without
 * a cut from it, rule 2 runs either way). Typically a block's last step, where one masked position is left.
 */
function filterCannotMatter(cfg: ResolvedConfig, view: StepView): boolean {
  if (view.masked.length > scheduledK(view)) return false;
  return !(cfg.eotp && view.masked.some((i) => view.top1[i] === cfg.eosId));
}

async function applyRule(
  cfg: ResolvedConfig,
  view: StepView,
  block: BlockState,
  filter: Filter | undefined,
  features: () => BlockFeatures,
): Promise<RuleResult> {
  switch (cfg.decoder) {
    case 'low_confidence':
      return { commits: lowConfidenceRule(view) };
    case 'threshold':
      return { commits: thresholdRule(view, cfg.tau) };
    case 'factor':
      return { commits: factorRule(view, cfg.factor) };
    case 'eb_sampler':
      return { commits: ebSamplerRule(view, cfg.gamma) };
    case 'learn2pd': {
      if (filter === undefined) throw new ConfigError('filter is required for the learn2pd decoder');
      if (filterCannotMatter(cfg, view)) return { commits: learn2pdRule(view, []) };
      const accept = await filterAccepts(filter, features(), cfg.tauFilter);
      return { commits: learn2pdRule(view, accept), accept };
    }
    case 'egp_oracle': {
      // A denoiser that is a function of its input finishes a block within blockLength + 1 steps (a step that
      // commits nothing is followed by a stuck step); past that, treat the block as stuck rather than loop.
      const prev = block.step > cfg.blockLength ? view.top1.slice(view.blockStart, view.blockEnd) : block.prevTop1;
      return egpOracleRule(view, cfg.reference, prev);
    }
    default: {
      const exhaustive: never = cfg;
      return exhaustive;
    }
  }
}

/** The training sample of this step (spec §3 step 2): for the oracle, or for any decoder asked to record one. */
function trainingSample(
  cfg: ResolvedConfig,
  options: DecodeOptions,
  view: StepView,
  block: BlockState,
  features: () => RecordedFeatures,
): OracleSample | undefined {
  const reference = cfg.decoder === 'egp_oracle' ? cfg.reference : options.sampleReference;
  if (reference === undefined) return undefined;
  const { confidence, masked, stable, margin, entropy } = features();
  const isCorrect: boolean[] = [];
  for (let i = view.blockStart; i < view.blockEnd; i++) isCorrect.push(view.top1[i] === reference[i]);
  const sample: OracleSample = { block: block.index, step: block.step, confidence, isCorrect, masked, stable };
  if (margin !== undefined) sample.margin = margin;
  if (entropy !== undefined) sample.entropy = entropy;
  return sample;
}

interface StepContext {
  cfg: ResolvedConfig;
  denoiser: Denoiser;
  filter: Filter | undefined;
  options: DecodeOptions;
  now: () => number;
  run: string | number;
  promptLength: number;
  asks: Asks;
  /** The previous forward's top-1 over the whole sequence (the 'context' filter's stable flags). */
  lastTop1?: Int32Array;
  /** With a cache (spec §7): the model's two forwards, and the outputs over the sequence the last step left. */
  kv?: KvForwards;
  held?: StepOutput;
}

interface StepOutcome {
  x: Int32Array; // the working sequence after the commit and any cut
  event: StepEvent;
  sample?: OracleSample;
}

/** One forward and its bookkeeping: rule, commit, EoTP cut, event. `x` is not modified; the outcome holds the new one. */
async function runStep(
  ctx: StepContext,
  x: Int32Array,
  block: BlockState,
  masked: number[],
  nfe: number,
): Promise<StepOutcome> {
  const { cfg, promptLength: p } = ctx;
  throwIfAborted(ctx.options);
  const t0 = ctx.now();
  const blockEnd = Math.min(block.start + cfg.blockLength, x.length);
  const forwarded = await forwardStep(ctx, x, block, blockEnd, nfe);
  const { out } = forwarded;
  throwIfAborted(ctx.options);
  const view: StepView = {
    x,
    top1: out.top1,
    conf: out.conf,
    entropy: out.entropy,
    blockStart: block.start,
    blockEnd,
    masked,
    blockStep: block.step,
    schedule: block.schedule,
  };
  let features: RecordedFeatures | undefined;
  const featuresOnce = (): RecordedFeatures =>
    (features ??= blockFeatures(
      x,
      out,
      ctx.lastTop1,
      { start: block.start, end: blockEnd, step: block.step, blockLength: cfg.blockLength },
      cfg.maskId,
    ));
  const sample = trainingSample(cfg, ctx.options, view, block, featuresOnce);
  const rule = await applyRule(cfg, view, block, ctx.filter, featuresOnce);
  // Kept only where a later step reads it (learn2pd's or a sample's stable flags), as a copy: the Denoiser contract
  // does not promise a fresh array per forward.
  if (cfg.decoder === 'learn2pd' || sample !== undefined) ctx.lastTop1 = out.top1.slice();
  let next = x.slice();
  for (const c of rule.commits) next[c.pos] = c.token;
  const cut = cfg.eotp
    ? eotpCutPosition({
        before: x,
        top1: out.top1,
        conf: out.conf,
        maskId: cfg.maskId,
        eosId: cfg.eosId,
        filter: rule.accept === undefined ? undefined : { blockStart: block.start, accept: rule.accept },
        // With a cache, rule 2 reads the current block only (spec §7, Learn2PD's cache code), unless asked otherwise.
        range: eotpScopeOf(cfg) === 'canvas' ? undefined : { start: block.start, end: blockEnd },
      })
    : undefined;
  // Only a cut that shortens the sequence is reported; the rules often re-pick the current last position.
  const shortened = cut !== undefined && cut + 1 < next.length;
  if (shortened) next = next.slice(0, cut + 1);
  block.prevTop1 = out.top1.slice(block.start, blockEnd);
  block.step++;
  const kept = next.length;
  const event: StepEvent = {
    run: ctx.run,
    step: nfe,
    blockStart: block.start - p,
    committed: rule.commits.filter((c) => c.pos < kept).map((c) => ({ pos: c.pos - p, token: c.token })),
    guesses: out.top1.slice(p),
    conf: Float32Array.from(out.conf.subarray(p)),
    ms: ctx.now() - t0,
    forward: forwarded.forward,
    positions: forwarded.positions,
  };
  if (forwarded.window !== undefined) event.window = [forwarded.window[0] - p, forwarded.window[1] - p];
  if (shortened) event.cutAt = cut - p;
  return { x: next, event, sample };
}

/**
 * Decodes `prompt` with `config`, yielding one StepEvent per forward and returning the final result.
 * Cancellation: when `options.signal` fires, the next check (before or right after a forward, never inside a
 * commit) throws DecodeCancelledError.
 */
export async function* decodeSteps(
  prompt: Int32Array,
  config: DecoderConfig,
  denoiser: Denoiser,
  filter?: Filter,
  options: DecodeOptions = {},
): AsyncGenerator<StepEvent, DecodeResult, void> {
  const cfg = validateConfig(config, prompt, filter);
  const p = prompt.length;
  const ctx: StepContext = {
    cfg,
    denoiser,
    filter,
    options,
    now: options.now ?? defaultClock(),
    run: options.runId ?? 0,
    promptLength: p,
    asks: asksOf(cfg, filter, options),
  };
  if (cfg.cache !== undefined && cfg.cache !== 'none') {
    if (denoiser.kv === undefined)
      throw new ConfigError(
        `cache ${cfg.cache} needs the model's KV-cache graphs (onnx/model_kv*.onnx and onnx/model_window*.onnx, training/kv.py), which this model does not have`,
      );
    ctx.kv = denoiser.kv;
  }
  let x: Int32Array = new Int32Array(p + cfg.genLength).fill(cfg.maskId);
  x.set(prompt);
  const samples: OracleSample[] = [];
  let nfe = 0;
  let totalMs = 0;
  let positions = 0;
  // Positions committed with the mask token itself (the model's top-1 there was [MASK]): the spec's loops ("until
  // the block has no mask") would repeat such a step forever, so the commit settles the position as it stands, the
  // way LLaDA's fixed-step loop leaves a [MASK] in its output. Seen with a cache's stale keys after EoTP cuts.
  const settled = new Set<number>();
  try {
    for (let b = 0; b < cfg.numBlocks; b++) {
      const start = p + b * cfg.blockLength;
      if (start >= x.length) break; // an EoTP cut removed this block and every later one
      const maskedNow = (): number[] =>
        maskedIn(x, start, Math.min(start + cfg.blockLength, x.length), cfg.maskId, settled);
      // The schedule is fixed from the block's masked count when the block starts (it may start already cut short).
      const block: BlockState = {
        index: b,
        start,
        step: 0,
        schedule: transferSchedule(maskedNow().length, cfg.stepsPerBlock),
      };
      for (let masked = maskedNow(); masked.length > 0; masked = maskedNow()) {
        const step = await runStep(ctx, x, block, masked, nfe);
        x = step.x;
        for (const c of step.event.committed) if (c.token === cfg.maskId) settled.add(c.pos + p);
        if (step.sample !== undefined) samples.push(step.sample);
        totalMs += step.event.ms;
        positions += step.event.positions;
        nfe++;
        yield step.event;
      }
    }
  } finally {
    ctx.kv?.release(); // done, cancelled or failed: no cache outlives its decode
  }
  const result: DecodeResult = {
    output: x,
    promptLength: p,
    nfe,
    answer: answerTokens(x, p, cfg.eosId),
    ms: totalMs,
    positions,
  };
  if (cfg.decoder === 'egp_oracle' || options.sampleReference !== undefined) result.samples = samples;
  return result;
}

/** Runs decodeSteps to the end, handing each event to `onStep` if given, and returns the result. */
export async function decode(
  prompt: Int32Array,
  config: DecoderConfig,
  denoiser: Denoiser,
  filter?: Filter,
  options: DecodeOptions & { onStep?: (event: StepEvent) => void } = {},
): Promise<DecodeResult> {
  const steps = decodeSteps(prompt, config, denoiser, filter, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
    options.onStep?.(next.value);
  }
}
