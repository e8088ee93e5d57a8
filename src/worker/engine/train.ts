// The Train view's jobs (issue 23): collect filter training data on the loaded model, train a filter on it, and add
// the trained filter to the model's filters so a comparison or a benchmark can pick it. Collection and training run
// the code of `npm run collect` and `npm run train-filter` (eval/filter-training.ts), so the same prompts, settings
// and seed give the same samples and the same filter file; training runs in slices so the worker hears a cancel.
import {
  ConfigError,
  DecodeCancelledError,
  FILTER_VARIANT_NAMES,
  type Filter,
  FilterTrainer,
  filterVariant,
} from '../../core';
import { encodeChecked, evalModelOf } from '../../eval/evaluate';
import { collectPrompt, filterFile, trajectoryHeader, variantTraining } from '../../eval/filter-training';
import { mergeSamples, parseTrajectoryText, TrajectoryFileError } from '../../eval/trajectory-file';
import { manifestFilters } from '../../runtime/manifest';
import { OrtFilter } from '../../runtime/ort';
import { parseSlotFilter } from '../../runtime/slot-filter-file';
import type { CollectOptions, CollectWatch, TrainOptions, TrainWatch } from '../api';
import {
  type FilterInfo,
  MAX_CURVE_POINTS,
  type ModelInfo,
  type TrainEpoch,
  type TrainedFilterFile,
  type TrainReport,
} from '../protocol';
import { PromptError } from './errors';
import type { ActiveModel } from './load';

/** How long training runs between two looks at the worker's messages (a cancel), and between two epoch reports. */
const SLICE_MS = 100;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The trajectory file's header for this model and collection, as collect writes it. */
function headerOf(model: ActiveModel, options: CollectOptions): string {
  const { manifest, variant } = model.loaded;
  return JSON.stringify(
    trajectoryHeader({
      model: manifest.id,
      variant,
      modelSha256: model.info.modelSha256,
      genLength: options.canvas.genLength,
      blockLength: options.canvas.blockLength,
      split: options.split,
      prompts: options.prompts.length,
      offset: 0,
      replay: 'egp_oracle',
    }),
  );
}

export async function runCollect(
  model: ActiveModel,
  options: CollectOptions,
  watch: CollectWatch,
  signal: AbortSignal,
): Promise<void> {
  const { genLength, blockLength } = options.canvas;
  if (genLength % blockLength !== 0)
    throw new ConfigError(`the canvas (${genLength}) must be a multiple of the block length (${blockLength})`);
  if (options.prompts.length === 0) throw new PromptError('no prompts to collect samples from');
  const em = evalModelOf(model.loaded);
  // Every prompt is checked before the first forward, so a bad last one does not cost the whole collection.
  options.prompts.forEach((prompt, i) => {
    if (prompt.trim() === '') throw new PromptError(`prompt ${i + 1} is empty`);
    try {
      encodeChecked(em, prompt);
    } catch (error) {
      if (error instanceof Error) error.message = `prompt ${i + 1}: ${error.message}`;
      throw error;
    }
  });
  watch.onHeader?.(headerOf(model, options));
  for (let i = options.first; i < options.prompts.length; i++) {
    if (signal.aborted) throw new DecodeCancelledError(signal.reason);
    const { lines, nfe } = await collectPrompt(em, options.prompts[i], i, options.canvas, { signal });
    watch.onPrompt?.(i, lines, nfe);
  }
}

export async function runTrain(
  model: ActiveModel,
  options: TrainOptions,
  watch: TrainWatch,
  signal: AbortSignal,
  now: () => number,
): Promise<TrainReport> {
  const t0 = now();
  const { manifest, variant: modelVariant } = model.loaded;
  const variant = filterVariant(options.variant);
  if (variant === undefined)
    throw new ConfigError(
      `there is no filter variant "${options.variant}" (this version trains ${FILTER_VARIANT_NAMES.join(', ')})`,
    );
  if (manifestFilters(manifest).some((f) => f.name === options.name))
    throw new ConfigError(`"${options.name}" is the name of a filter the model ships: pick another`);
  const file = parseTrajectoryText(options.trajectory, 'the samples');
  const { header } = file;
  if (header.model !== manifest.id || header.variant !== modelVariant)
    throw new TrajectoryFileError(
      `the samples were collected with ${header.model} ${header.variant}, not the loaded ${manifest.id} ${modelVariant}`,
    );
  if (header.modelSha256 !== model.info.modelSha256)
    throw new TrajectoryFileError('the samples were collected with other weights than the loaded model: collect again');
  const { samples } = mergeSamples([file]);
  const { blockLength } = header;
  const training = variantTraining(variant, blockLength, {
    seed: options.seed,
    tauFilter: options.tauFilter,
    ...(options.maxEpochs === undefined ? {} : { maxEpochs: options.maxEpochs }),
  });
  const maxEpochs = training.maxEpochs ?? 0;
  let lastReport = -Infinity;
  let last: TrainEpoch | null = null;
  // The whole run's losses, evenly thinned: every `stride`-th epoch, the stride doubling when the curve is full.
  let curve: TrainEpoch[] = [];
  let stride = 1;
  const trainer = new FilterTrainer(samples, {
    ...training,
    onEpoch: (e) => {
      last = { ...e, maxEpochs };
      if (e.epoch % stride === 0) curve.push(last);
      if (curve.length >= MAX_CURVE_POINTS) {
        curve = curve.filter((_, i) => i % 2 === 1);
        stride *= 2;
      }
      if (now() - lastReport < SLICE_MS) return;
      lastReport = now();
      watch.onEpoch?.(last);
    },
  });
  let sliceStart = now();
  while (!trainer.run(1)) {
    if (now() - sliceStart < SLICE_MS) continue;
    await nextTask();
    if (signal.aborted) throw new DecodeCancelledError(signal.reason);
    sliceStart = now();
  }
  if (last !== null) {
    watch.onEpoch?.(last); // the final epoch, always
    if (curve.at(-1) !== last) curve.push(last);
  }
  const trained = trainer.result();
  const features = training.features ?? 'confidence';
  const { file: path, bytes } = filterFile(
    variant,
    blockLength,
    trained.weights,
    options.tauFilter,
    features,
    options.name,
  );
  return {
    filter: {
      name: options.name,
      kind: variant.kind,
      features,
      blockLength,
      tauFilter: options.tauFilter,
      file: path,
      bytes,
      samples: samples.length,
    },
    variant: variant.name,
    split: trained.split,
    epochs: trained.epochs,
    bestEpoch: trained.bestEpoch,
    trainLoss: trained.trainLoss,
    valLoss: trained.valLoss,
    testLoss: trained.testLoss,
    test: trained.test,
    curve,
    ms: now() - t0,
  };
}

/** The model's filters as ModelInfo lists them: the shipped ones, then those trained here. */
function filterInfos(model: ActiveModel): FilterInfo[] {
  const shipped = manifestFilters(model.loaded.manifest).map(({ name, kind, blockLength, tauFilter }) => ({
    name,
    kind,
    blockLength,
    tauFilter,
  }));
  const here = [...model.trained.values()].map(({ file }) => ({
    name: file.name,
    kind: file.kind,
    blockLength: file.blockLength,
    tauFilter: file.tauFilter,
    trainedOn: file.samples,
  }));
  return [...shipped, ...here];
}

/** Removes a filter trained here from the model (releasing its session); false: there was none of that name. */
async function dropTrained(model: ActiveModel, name: string): Promise<boolean> {
  const entry = model.trained.get(name);
  if (entry === undefined) return false;
  model.trained.delete(name);
  const at = model.loaded.filters.findIndex((f) => f.name === name);
  if (at >= 0) model.loaded.filters.splice(at, 1);
  await entry.release();
  return true;
}

/** Adds a filter trained here (the same name again replaces it); the paper's kind runs on onnxruntime as shipped ones do. */
export async function addTrainedFilter(model: ActiveModel, file: TrainedFilterFile): Promise<ModelInfo> {
  if (manifestFilters(model.loaded.manifest).some((f) => f.name === file.name))
    throw new ConfigError(`"${file.name}" is the name of a filter the model ships: pick another`);
  let filter: Filter;
  let release = async (): Promise<void> => undefined;
  if (file.kind === 'slot') {
    filter = parseSlotFilter(file.bytes, file.file);
  } else {
    const session = await OrtFilter.create(model.ort, file.bytes, file.blockLength, file.features);
    filter = session;
    release = () => session.release();
  }
  await dropTrained(model, file.name).catch(() => false); // the same name again: the new one replaces it
  model.trained.set(file.name, { file, release });
  const { name, kind, blockLength, tauFilter, features } = file;
  model.loaded.filters.push({ name, kind, blockLength, tauFilter, features, file: file.file, filter });
  model.info = { ...model.info, filters: filterInfos(model) };
  return model.info;
}

export async function removeTrainedFilter(model: ActiveModel, name: string): Promise<ModelInfo> {
  if (!(await dropTrained(model, name))) throw new ConfigError(`no filter trained here is named "${name}"`);
  model.info = { ...model.info, filters: filterInfos(model) };
  return model.info;
}

/** Releases every filter trained here (the model is being released). */
export async function releaseTrained(model: ActiveModel): Promise<void> {
  for (const name of [...model.trained.keys()]) await dropTrained(model, name).catch(() => false);
}
