// Filter training as the CLIs and the browser's Train view both run it (issue 23: the same prompts, settings and seed
// give the same samples and the same weights in both): the trajectory file's header and sample lines, one prompt's
// EGP collection (spec §3 steps 1-2), the training options of a named filter variant (step 3), and the filter's file
// (the paper's kind as ONNX, a slot filter as JSON) with its dllm.json entry. Pure: no file system, no DOM.
import {
  type CollectConfig,
  collectOracleSamples,
  type DecodeOptions,
  decodeReference,
  type FilterFeatures,
  type FilterVariant,
  type MlpWeights,
  type OracleSample,
  PAPER_FILTER,
  type TrainFilterOptions,
} from '../core';
import { filterToOnnx } from '../runtime/filter-onnx';
import { slotFilterFileText } from '../runtime/slot-filter-file';
import { type EvalModel, encodeChecked } from './evaluate';
import { TRAJECTORY_FORMAT, type TrajectoryHeader } from './trajectory-file';

/** What a trajectory file's header says of its collection (every field collect writes, none optional). */
export type HeaderFields = Required<
  Pick<
    TrajectoryHeader,
    'model' | 'variant' | 'modelSha256' | 'genLength' | 'blockLength' | 'split' | 'prompts' | 'offset' | 'replay'
  >
>;

/** The header line's object, its keys in the order collect has always written them. */
export function trajectoryHeader(f: HeaderFields): TrajectoryHeader {
  return {
    type: 'header',
    format: TRAJECTORY_FORMAT,
    model: f.model,
    variant: f.variant,
    modelSha256: f.modelSha256,
    genLength: f.genLength,
    blockLength: f.blockLength,
    split: f.split,
    prompts: f.prompts,
    offset: f.offset,
    replay: f.replay,
  };
}

const round = (v: readonly number[] | undefined) => v?.map((c) => Number(c.toPrecision(7)));

/** One sample's line: float32-worth of digits (7 significant), so a file reads back as the run recorded it. */
export function sampleLine(prompt: number, s: OracleSample): string {
  return JSON.stringify({
    type: 'sample',
    prompt,
    block: s.block,
    step: s.step,
    confidence: round(s.confidence),
    isCorrect: s.isCorrect,
    masked: s.masked,
    stable: s.stable,
    margin: round(s.margin),
    entropy: round(s.entropy),
  });
}

/** One prompt's samples (spec §3 steps 1-2): its reference, then the EGP oracle replayed against it. */
export async function collectPrompt(
  model: EvalModel,
  prompt: string,
  index: number,
  canvas: { genLength: number; blockLength: number },
  options: DecodeOptions = {},
): Promise<{ lines: string[]; samples: number; nfe: number }> {
  const ids = encodeChecked(model, prompt);
  const config: CollectConfig = { maskId: model.maskId, eosId: model.eosId, ...canvas };
  const reference = await decodeReference(ids, config, model.denoiser, options);
  const run = await collectOracleSamples(ids, config, model.denoiser, reference.output, options);
  return {
    lines: run.samples.map((s) => sampleLine(index, s)),
    samples: run.samples.length,
    nfe: reference.nfe + run.nfe,
  };
}

/** The trainer's options for a named variant at a block length: its recipe, with what a caller may change. */
export function variantTraining(
  variant: FilterVariant,
  blockLength: number,
  choice: {
    seed: number;
    tauFilter: number;
    features?: FilterFeatures;
    loss?: 'all' | 'masked';
    maxEpochs?: number;
    patience?: number;
  },
): TrainFilterOptions {
  return {
    ...variant.training,
    kind: variant.kind,
    filterSize: blockLength,
    blockLength,
    features: choice.features ?? (variant.kind === 'block' ? variant.features : 'confidence'),
    ...(variant.kind === 'slot' ? { slotFeatures: variant.slotFeatures } : {}),
    loss: choice.loss ?? variant.training.loss ?? 'all',
    seed: choice.seed,
    maxEpochs: choice.maxEpochs ?? variant.training.maxEpochs ?? 40_000,
    patience: choice.patience ?? variant.training.patience ?? 500,
    tauFilter: choice.tauFilter,
  };
}

/** A trained filter as a model folder holds it: its path, its bytes and its dllm.json entry. */
export interface FilterFile {
  file: string;
  bytes: Uint8Array;
  entry: { file: string; tauFilter: number; kind?: 'slot'; features?: FilterFeatures };
}

/**
 * The file train-filter writes for `variant` at `blockLength` (the paper's filter keeps its first name,
 * filter_b32.onnx; the others are named after themselves), `stem` overriding the name (the browser's filters).
 */
export function filterFile(
  variant: FilterVariant,
  blockLength: number,
  weights: MlpWeights,
  tauFilter: number,
  features: FilterFeatures = 'confidence',
  stem: string = variant.name === PAPER_FILTER ? 'filter' : variant.name,
): FilterFile {
  const slot = variant.kind === 'slot';
  const file = `filter/${stem}_b${blockLength}.${slot ? 'json' : 'onnx'}`;
  const bytes = slot
    ? new TextEncoder().encode(slotFilterFileText(variant.slotFeatures, blockLength, weights))
    : filterToOnnx(weights, features);
  // 'block' and 'confidence' (the paper's filter) stay implicit, so the shipped manifest reads as before.
  const entry = {
    file,
    tauFilter,
    ...(slot ? { kind: 'slot' as const } : {}),
    ...(!slot && features !== 'confidence' ? { features } : {}),
  };
  return { file, bytes, entry };
}
