// The public surface of the decoding core. Everything here is pure TypeScript: no DOM, no Node, no onnxruntime.

export { AdamW, type AdamWOptions } from './adamw';
export { answerTokens } from './answer';
export { type ResolvedConfig, validateConfig } from './config';
export { outcomeLine, runVector, runVectorJson, type VectorOutcome } from './conformance';
export {
  type ConformanceVector,
  parseVector,
  VECTOR_ALGORITHMS,
  type VectorAlgorithm,
  VectorFormatError,
  type VectorParams,
  vectorConfig,
} from './conformance-vector';
export {
  type Commit,
  ebSamplerRule,
  egpOracleRule,
  factorRule,
  learn2pdRule,
  lowConfidenceRule,
  type OracleStep,
  type StepView,
  scheduledK,
  thresholdRule,
} from './decoders';
export { type EotpInput, eotpCutPosition } from './eotp';
export { ConfigError, DecodeCancelledError, ModelOutputError, NoFilterError, TrainingDataError } from './errors';
export { type FakeDenoiserOptions, fakeDenoiser } from './fake-denoiser';
export {
  type BlockPlace,
  blockFeatures,
  featureGroups,
  filterAccepts,
  mlpFilter,
  mlpShape,
  type RecordedFeatures,
  writeFilterInput,
} from './filter';
export {
  type BlockVariant,
  FILTER_VARIANT_NAMES,
  FILTER_VARIANTS,
  type FilterVariant,
  filterVariant,
  type SlotVariant,
} from './filter-variants';
export { decode, decodeSteps, extrasFor } from './loop';
export { checkedMlpShape, logOdds, mlpForward, sigmoid } from './mlp';
export {
  type Batch,
  bceWithLogits,
  forwardLogits,
  initParams,
  lossAndGrad,
  type MlpShape,
  paramLayout,
  paramsToWeights,
} from './mlp-train';
export { createRng, shuffled, uniform } from './prng';
export { type RecordedCall, ReplayDenoiser, ReplayMismatchError } from './replay';
export { rankByConfidence, topK, transferSchedule } from './schedule';
export { slotExtras, slotFilter, slotFilterAccepts, slotShape, writeSlotInput } from './slot-filter';
export {
  errorRates,
  type FilterErrorRates,
  FilterTrainer,
  type LabelledBlock,
  splitIndices,
  type TrainedFilter,
  type TrainFilterOptions,
  trainFilter,
} from './train-filter';
export {
  type CollectConfig,
  collectFilterSamples,
  collectOracleSamples,
  collectTrainingSamples,
  decodeReference,
  type OracleRun,
  type TrainingRun,
} from './trajectory';
export * from './types';
export * from './vocabulary';
