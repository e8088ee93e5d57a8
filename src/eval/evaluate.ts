// Evaluation of decoders on task prompts with a loaded model: the one-token-per-step reference first (for
// agreement and speedups), then every decoder on the same prompts. Shared by `npm run eval`, `npm run bench` and
// the browser's benchmark view, so every number is computed one way. No Node or DOM APIs here.
import {
  type AbortSignalLike,
  type Canvas,
  configFor,
  type DecodeResult,
  type DecoderConfig,
  type DecoderSpec,
  type Denoiser,
  decode,
  type Filter,
  isReferenceSpec,
  type ListedFilter,
  REFERENCE_SPEC,
  requireFilter,
  type StepEvent,
  specLabel,
} from '../core';
import type { LoadedModel } from '../runtime/model';
import type { DllmTokenizer } from '../runtime/tokenizer';
import { checkAnswer, isFamilyName } from '../tasks';
import { StepClock, timedFilter } from './timing';

export interface EvalPrompt {
  prompt: string;
  family?: string; // a task family name, when the prompt comes from one (then `answer` is checkable)
  answer?: string;
}

export interface EvalModel {
  denoiser: Denoiser;
  tokenizer: DllmTokenizer;
  maskId: number;
  eosId: number;
  maxPromptTokens: number;
  /** The learned filters the model lists (vocabulary.ts picks the one that serves a block length). */
  filters: readonly ListedFilter[];
}

/** The evaluation view of a loaded model folder. */
export function evalModelOf(model: LoadedModel): EvalModel {
  return {
    denoiser: model.denoiser,
    tokenizer: model.tokenizer,
    maskId: model.manifest.maskId,
    eosId: model.manifest.eosId,
    maxPromptTokens: model.manifest.maxPromptTokens,
    filters: model.filters,
  };
}

export interface PromptOutcome {
  family: string | undefined;
  answerText: string;
  answerTokens: number;
  nfe: number;
  ms: number;
  agrees: boolean; // answer ids equal the one-token-per-step reference's
  correct: boolean | null; // null when not checkable
  /** Answer tokens minus the task's reference answer tokens: where EOS (or EoTP's cut) ended it; null without one. */
  lengthError: number | null;
  /** Positions forwarded (spec §7), and each kind of forward's count and step time (a window only with a cache). */
  positions: number;
  forwards: ForwardSplit;
}

/** Steps by the forward they made: 'full' (the whole sequence) or 'window' (KV cache), with their summed ms. */
export type ForwardSplit = Record<StepEvent['forward'], { n: number; ms: number }>;

export interface FamilyStats {
  n: number;
  checked: number;
  accuracy: number | null;
  agreement: number;
  meanNfe: number;
}

export interface DecoderReport {
  label: string;
  decoder: string;
  spec: DecoderSpec;
  n: number;
  checked: number; // prompts with a checkable answer
  accuracy: number | null; // share correct among checked
  agreement: number;
  meanNfe: number;
  meanAnswerTokens: number;
  /** Mean of lengthError over prompts with a reference answer (signed: < 0 ends early), and of its size. */
  meanLengthError: number | null;
  meanAbsLengthError: number | null;
  tokensPerStep: number; // answer tokens / NFE, summed over prompts
  tokensPerSecond: number; // answer tokens / decoding seconds, summed over prompts
  msPerStep: number;
  nfeSpeedup: number; // reference NFE / this NFE, summed over prompts
  timeSpeedup: number; // reference tokens/s ratio, same run
  /** Positions forwarded per prompt (spec §7: what a KV cache saves, machine-independent). */
  meanPositions: number;
  /** Mean step time by forward kind over all prompts; null where the row made none of that kind. */
  msPerFullStep: number | null;
  msPerWindowStep: number | null;
  /** The filter's calls and their time over all prompts (0 for decoders without one): its share of decoding time. */
  filterCalls: number;
  filterMs: number;
  perFamily: Record<string, FamilyStats>;
  outcomes: PromptOutcome[];
}

export class PromptTooLongError extends Error {
  override name = 'PromptTooLongError';
}

/** Tokenizes a prompt with the model's format and refuses one longer than the model was trained with. */
export function encodeChecked(model: EvalModel, prompt: string): Int32Array {
  const ids = model.tokenizer.encodePrompt(prompt);
  if (ids.length > model.maxPromptTokens) {
    throw new PromptTooLongError(
      `prompt is ${ids.length} tokens with its role markers; this model takes at most ${model.maxPromptTokens}`,
    );
  }
  return ids;
}

function filterFor(model: EvalModel, canvas: Canvas, spec: DecoderSpec, clock: StepClock): Filter | undefined {
  return spec.decoder === 'learn2pd'
    ? timedFilter(requireFilter(model.filters, canvas.blockLength, spec.filter).filter, clock)
    : undefined;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

function equal(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const noForwards = (): ForwardSplit => ({ full: { n: 0, ms: 0 }, window: { n: 0, ms: 0 } });

function outcomeOf(
  model: EvalModel,
  p: EvalPrompt,
  result: DecodeResult,
  reference: DecodeResult,
  forwards: ForwardSplit,
): PromptOutcome {
  const answerText = model.tokenizer.decodeAnswer(result.answer);
  const correct =
    p.family !== undefined && isFamilyName(p.family) && p.answer !== undefined
      ? checkAnswer(p.family, p.answer, answerText)
      : null;
  return {
    family: p.family,
    answerText,
    answerTokens: result.answer.length,
    nfe: result.nfe,
    ms: result.ms,
    agrees: equal(result.answer, reference.answer),
    correct,
    lengthError: p.answer === undefined ? null : result.answer.length - model.tokenizer.encodeText(p.answer).length,
    positions: result.positions,
    forwards,
  };
}

function perStep(outcomes: readonly PromptOutcome[], kind: StepEvent['forward']): number | null {
  const n = sum(outcomes.map((o) => o.forwards[kind].n));
  return n === 0 ? null : sum(outcomes.map((o) => o.forwards[kind].ms)) / n;
}

function summarize(
  spec: DecoderSpec,
  outcomes: PromptOutcome[],
  reference: PromptOutcome[],
  clock: StepClock,
): DecoderReport {
  const checkedOutcomes = outcomes.filter((o) => o.correct !== null);
  const tokens = sum(outcomes.map((o) => o.answerTokens));
  const nfe = sum(outcomes.map((o) => o.nfe));
  const seconds = sum(outcomes.map((o) => o.ms)) / 1000;
  const refTokensPerSecond = sum(reference.map((o) => o.answerTokens)) / (sum(reference.map((o) => o.ms)) / 1000);
  const perFamily: Record<string, FamilyStats> = {};
  for (const family of [...new Set(outcomes.map((o) => o.family ?? 'custom'))].sort()) {
    const fam = outcomes.filter((o) => (o.family ?? 'custom') === family);
    const checked = fam.filter((o) => o.correct !== null);
    perFamily[family] = {
      n: fam.length,
      checked: checked.length,
      accuracy: checked.length === 0 ? null : checked.filter((o) => o.correct).length / checked.length,
      agreement: fam.filter((o) => o.agrees).length / fam.length,
      meanNfe: mean(fam.map((o) => o.nfe)),
    };
  }
  const tokensPerSecond = seconds > 0 ? tokens / seconds : 0;
  const lengthErrors = outcomes.flatMap((o) => (o.lengthError === null ? [] : [o.lengthError]));
  return {
    label: specLabel(spec),
    decoder: spec.decoder,
    spec,
    n: outcomes.length,
    checked: checkedOutcomes.length,
    accuracy:
      checkedOutcomes.length === 0 ? null : checkedOutcomes.filter((o) => o.correct).length / checkedOutcomes.length,
    agreement: outcomes.length === 0 ? 0 : outcomes.filter((o) => o.agrees).length / outcomes.length,
    meanNfe: mean(outcomes.map((o) => o.nfe)),
    meanAnswerTokens: mean(outcomes.map((o) => o.answerTokens)),
    meanLengthError: lengthErrors.length === 0 ? null : mean(lengthErrors),
    meanAbsLengthError: lengthErrors.length === 0 ? null : mean(lengthErrors.map(Math.abs)),
    tokensPerStep: nfe > 0 ? tokens / nfe : 0,
    tokensPerSecond,
    msPerStep: nfe > 0 ? (seconds * 1000) / nfe : 0,
    nfeSpeedup: nfe > 0 ? sum(reference.map((o) => o.nfe)) / nfe : 0,
    timeSpeedup: refTokensPerSecond > 0 ? tokensPerSecond / refTokensPerSecond : 0,
    meanPositions: mean(outcomes.map((o) => o.positions)),
    msPerFullStep: perStep(outcomes, 'full'),
    msPerWindowStep: perStep(outcomes, 'window'),
    filterCalls: clock.filterCalls,
    filterMs: clock.filterMsSoFar(),
    perFamily,
    outcomes,
  };
}

export interface EvaluateOptions {
  onProgress?: (done: number, total: number) => void;
  /** Stops between forwards (DecodeCancelledError). */
  signal?: AbortSignalLike;
}

/**
 * Runs the one-token-per-step reference and then each spec on every prompt (prompt-major, so a slow machine's
 * drift hits all decoders alike), and returns one report per spec plus the reference's.
 */
export async function evaluate(
  model: EvalModel,
  prompts: readonly EvalPrompt[],
  canvas: Canvas,
  specs: readonly DecoderSpec[],
  options: EvaluateOptions = {},
): Promise<{ reference: DecoderReport; reports: DecoderReport[] }> {
  const encoded = prompts.map((p) => encodeChecked(model, p.prompt));
  const { signal } = options;
  const refOutcomes: PromptOutcome[] = [];
  const outcomes: PromptOutcome[][] = specs.map(() => []);
  // One clock per spec: each row reports its own filter's calls and time.
  const clocks = specs.map(() => new StepClock());
  const filters = specs.map((spec, s) => filterFor(model, canvas, spec, clocks[s]));
  const decodeCounted = async (ids: Int32Array, config: DecoderConfig, filter?: Filter) => {
    const forwards = noForwards();
    const onStep = (e: StepEvent) => {
      forwards[e.forward].n++;
      forwards[e.forward].ms += e.ms;
    };
    return { result: await decode(ids, config, model.denoiser, filter, { signal, onStep }), forwards };
  };
  for (let i = 0; i < prompts.length; i++) {
    const ref = await decodeCounted(encoded[i], configFor(model, canvas, REFERENCE_SPEC));
    const reference = ref.result;
    refOutcomes.push(outcomeOf(model, prompts[i], reference, reference, ref.forwards));
    for (let s = 0; s < specs.length; s++) {
      const spec = specs[s];
      // The reference spec itself is not decoded twice: greedy decoding is deterministic.
      const run = isReferenceSpec(spec)
        ? ref
        : await decodeCounted(encoded[i], configFor(model, canvas, spec, reference.output), filters[s]);
      outcomes[s].push(outcomeOf(model, prompts[i], run.result, reference, run.forwards));
    }
    options.onProgress?.(i + 1, prompts.length);
  }
  return {
    reference: summarize(REFERENCE_SPEC, refOutcomes, refOutcomes, new StepClock()),
    reports: specs.map((spec, s) => summarize(spec, outcomes[s], refOutcomes, clocks[s])),
  };
}
