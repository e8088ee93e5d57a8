// The public surface of the decoding core. Everything here is pure TypeScript: no DOM, no Node, no onnxruntime.
export * from './types';
export { ConfigError, DecodeCancelledError, ModelOutputError, TrainingDataError } from './errors';
export { validateConfig, type ResolvedConfig } from './config';
export { transferSchedule, rankByConfidence, topK } from './schedule';
export { lowConfidenceRule, thresholdRule, factorRule, learn2pdRule, egpOracleRule, scheduledK, type StepView, type Commit, type OracleStep } from './decoders';
export { eotpCutPosition, type EotpInput } from './eotp';
export { mlpForward, mlpFilter, mlpShape, filterAccepts, featureGroups, writeFilterInput, blockFeatures, logOdds, type RecordedFeatures } from './filter';
export { decodeSteps, decode } from './loop';
export { answerTokens } from './answer';
export { collectFilterSamples, collectOracleSamples, collectTrainingSamples, decodeReference, type CollectConfig, type OracleRun, type TrainingRun } from './trajectory';
export { trainFilter, splitIndices, errorRates, type TrainFilterOptions, type TrainedFilter, type FilterErrorRates, type LabelledBlock } from './train-filter';
export { initParams, paramLayout, paramsToWeights, lossAndGrad, forwardLogits, bceWithLogits, type Batch, type MlpShape } from './mlp-train';
export { AdamW, type AdamWOptions } from './adamw';
export { createRng, uniform, shuffled } from './prng';
export { fakeDenoiser, type FakeDenoiserOptions } from './fake-denoiser';
export { ReplayDenoiser, ReplayMismatchError, type RecordedCall } from './replay';
export { parseVector, vectorConfig, VectorFormatError, VECTOR_ALGORITHMS, type ConformanceVector, type VectorAlgorithm, type VectorParams } from './conformance-vector';
export { runVector, runVectorJson, outcomeLine, type VectorOutcome } from './conformance';
