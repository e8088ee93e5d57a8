// What the Train view's jobs carry across the worker boundary (protocol.ts re-exports the types, its requests and
// messages use them), with their readers for wire-check.ts: a trained filter's file, one epoch, a train job's report.
import {
  FILTER_FEATURES,
  FILTER_KINDS,
  FILTER_NAME_PATTERN,
  type FilterErrorRates,
  type FilterFeatures,
  type FilterKind,
  KNOB_RANGES,
} from '../core';
import { type Fields, itemFields, SchemaError } from './fields';

/** The most epochs a train report's loss curve holds. */
export const MAX_CURVE_POINTS = 400;

/** The largest filter file an add-filter request may carry (the paper's 256-wide filter is about 0.5 MB). */
export const MAX_FILTER_FILE_BYTES = 8_000_000;

/** A filter trained in the browser, as its file: what a model folder would hold, and how dllm.json would list it. */
export interface TrainedFilterFile {
  name: string;
  kind: FilterKind;
  features: FilterFeatures;
  blockLength: number;
  tauFilter: number;
  /** The file's path as train-filter names it (filter/<name>_b<block>.onnx or .json). */
  file: string;
  bytes: Uint8Array;
  /** The samples it was trained on. */
  samples: number;
}

/** One epoch of a train job: its losses, and the best validation loss so far (sent a few times a second). */
export interface TrainEpoch {
  epoch: number;
  maxEpochs: number;
  trainLoss: number;
  valLoss: number;
  bestValLoss: number;
}

/** What a train job ends with: the filter's file and how it did (train-filter's report). */
export interface TrainReport {
  filter: TrainedFilterFile;
  variant: string;
  split: { train: number; validation: number; test: number };
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  valLoss: number;
  testLoss: number;
  /** The test split's false-accept and false-reject rates at the filter's tauFilter. */
  test: FilterErrorRates;
  /** The losses over the whole run, at most MAX_CURVE_POINTS epochs evenly spaced (the chart's final drawing). */
  curve: TrainEpoch[];
  ms: number;
}

/** A filter's name: what dllm.json keys and links allow (FILTER_NAME_PATTERN). */
export function readFilterName(f: Fields, key: string): string {
  const name = f.string(key, 64);
  if (!FILTER_NAME_PATTERN.test(name))
    throw new SchemaError(
      `${key} must be lowercase letters, digits and dashes (starting with a letter or digit), got ${JSON.stringify(name)}`,
    );
  return name;
}

export function readTrainedFilter(f: Fields, maxBlockLength: number): TrainedFilterFile {
  return {
    name: readFilterName(f, 'name'),
    kind: f.oneOf('kind', FILTER_KINDS),
    features: f.oneOf('features', FILTER_FEATURES),
    blockLength: f.int('blockLength', { min: 1, max: maxBlockLength }),
    tauFilter: f.number('tauFilter', KNOB_RANGES.tauFilter),
    file: f.string('file', 200),
    bytes: f.uint8Array('bytes', MAX_FILTER_FILE_BYTES),
    samples: f.int('samples', { min: 0 }),
  };
}

function readErrorRates(f: Fields): FilterErrorRates {
  return {
    tauFilter: f.number('tauFilter', KNOB_RANGES.tauFilter),
    falseAcceptRate: f.number('falseAcceptRate', { min: 0, max: 1 }),
    falseRejectRate: f.number('falseRejectRate', { min: 0, max: 1 }),
    tp: f.int('tp', { min: 0 }),
    fp: f.int('fp', { min: 0 }),
    tn: f.int('tn', { min: 0 }),
    fn: f.int('fn', { min: 0 }),
  };
}

export function readTrainEpoch(f: Fields): TrainEpoch {
  return {
    epoch: f.int('epoch', { min: 0 }),
    maxEpochs: f.int('maxEpochs', { min: 0 }),
    trainLoss: f.number('trainLoss', { min: 0 }),
    valLoss: f.number('valLoss', { min: 0 }),
    bestValLoss: f.number('bestValLoss', { min: 0 }),
  };
}

export function readTrainReport(f: Fields, maxBlockLength: number): TrainReport {
  return {
    filter: f.object('filter', (g) => readTrainedFilter(g, maxBlockLength)),
    variant: f.string('variant', 64),
    split: f.object('split', (g) => ({
      train: g.int('train', { min: 0 }),
      validation: g.int('validation', { min: 0 }),
      test: g.int('test', { min: 0 }),
    })),
    epochs: f.int('epochs', { min: 0 }),
    bestEpoch: f.int('bestEpoch', { min: 0 }),
    trainLoss: f.number('trainLoss', { min: 0 }),
    valLoss: f.number('valLoss', { min: 0 }),
    testLoss: f.number('testLoss', { min: 0 }),
    test: f.object('test', readErrorRates),
    curve: f.array('curve', itemFields(readTrainEpoch), MAX_CURVE_POINTS),
    ms: f.number('ms', { min: 0 }),
  };
}
