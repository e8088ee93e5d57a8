// Train slice (issue 23): collect the form's prompts on the loaded model (each prompt's samples saved as they
// arrive), train the filter in the worker (the losses drawn as they come), keep it and add it to the model's filters,
// so the comparison's and the benchmark's filter picker offer it at once. What is kept outlives the tab: after each
// load the kept filters of that model are added again and its unfinished collections are offered for resuming.
import { filterVariant } from '../../core';
import { splitPrompts } from '../../eval/prompts';
import { isCancelled, MAX_TRAIN_PROMPTS, type ModelInfo, toWireError } from '../../worker/protocol';
import { memoryTrainStore } from '../train-db';
import type { ModelKey, StoredCollection, TrainForm, TrainSlice, TrainState, TrainStore } from './train-types';
import type { AppDeps, GetState, SetState } from './types';

export const DEFAULT_TRAIN_FORM: TrainForm = {
  source: 'train',
  count: 40,
  typed: '',
  genLength: 64,
  blockLength: 32,
  variant: 'paper',
  tauFilter: 0.9,
};

export const initialTrain: TrainState = {
  status: 'idle',
  jobId: 0,
  form: DEFAULT_TRAIN_FORM,
  collection: null,
  collected: 0,
  total: 0,
  samples: 0,
  startedAt: null,
  startedWith: 0,
  epochs: [],
  report: null,
  error: null,
  cancelled: false,
  filters: [],
  unfinished: [],
};

/** The most loss points the chart keeps (older ones are thinned to every other). */
const MAX_EPOCH_POINTS = 400;

const keyOf = (info: ModelInfo): ModelKey => ({ id: info.id, variant: info.variant, sha256: info.modelSha256 });
const sameModel = (a: ModelKey, b: ModelKey) => a.id === b.id && a.variant === b.variant && a.sha256 === b.sha256;

/** The form's prompts: the train split's first `count` (as npm run collect reads them), or the typed lines. */
export function formPrompts(form: TrainForm): string[] {
  if (form.source === 'train') return splitPrompts('train', form.count).map((p) => p.prompt);
  return form.typed
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Why the form cannot start, in words; null when it can. */
export function formProblem(form: TrainForm): string | null {
  if (filterVariant(form.variant) === undefined) return `there is no filter variant "${form.variant}"`;
  if (form.genLength % form.blockLength !== 0)
    return `the canvas (${form.genLength}) must be a multiple of the block length (${form.blockLength})`;
  const n = formPrompts(form).length;
  if (n === 0)
    return form.source === 'typed' ? 'type at least one prompt, one per line' : 'collect at least one prompt';
  if (n > MAX_TRAIN_PROMPTS) return `at most ${MAX_TRAIN_PROMPTS} prompts (${n} given)`;
  return null;
}

/** The first free name "here-N" among the model's filters and those kept. */
function freshName(info: ModelInfo | null, kept: readonly string[]): string {
  const taken = new Set([...(info?.filters ?? []).map((f) => f.name), ...kept]);
  let k = 1;
  while (taken.has(`here-${k}`)) k++;
  return `here-${k}`;
}

export function createTrainSlice(set: SetState, get: GetState, deps: AppDeps): TrainSlice {
  const store: TrainStore = deps.trainStore ?? memoryTrainStore();
  let abort: AbortController | null = null;
  /** Changes job `jobId`'s state only while it is the current job. */
  const patch = (jobId: number, change: (t: TrainState) => Partial<TrainState>) => {
    const now = get().train;
    if (now.jobId === jobId) set({ train: { ...now, ...change(now) } });
  };
  const setInfo = (info: ModelInfo) => set({ model: { ...get().model, info } });

  /** Collects what `c` lacks, trains on it, keeps the filter and adds it to the model. */
  async function run(c: StoredCollection): Promise<void> {
    const { model, train } = get();
    if (model.status !== 'ready' || model.info === null) return;
    if (train.status === 'collecting' || train.status === 'training') return; // one job at a time
    if (!sameModel(c.model, keyOf(model.info))) {
      const message = `this collection was made with other weights (${c.model.id} ${c.model.variant}) than the loaded model`;
      set({ train: { ...train, status: 'error', error: { name: 'ConfigError', message } } });
      return;
    }
    const jobId = train.jobId + 1;
    abort = new AbortController();
    const { signal } = abort;
    set({
      train: {
        ...train,
        status: c.collected < c.prompts.length ? 'collecting' : 'training',
        jobId,
        collection: c.id,
        collected: c.collected,
        total: c.prompts.length,
        samples: c.samples,
        startedAt: Date.now(),
        startedWith: c.collected,
        epochs: [],
        report: null,
        error: null,
        cancelled: false,
        unfinished: get().train.unfinished.filter((u) => u.id !== c.id),
      },
    });
    let record = c;
    // Every write in order, one after the other: a prompt's lines, then the record that counts it, so a closed tab
    // resumes after the last prompt whose lines are saved. A failed write stops the collection (nothing is counted
    // that is not saved).
    let writes: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const write = (op: () => Promise<void>) => {
      writes = writes
        .then(() => (writeError === null ? op() : undefined)) // after a failure, nothing more is written
        .catch((error: unknown) => {
          writeError ??= error;
          abort?.abort();
        });
    };
    try {
      await store.putCollection(record);
      if (record.collected < record.prompts.length)
        await deps.engine.collect(
          { prompts: record.prompts, canvas: record.canvas, split: record.split, first: record.collected },
          {
            signal,
            onModel: setInfo,
            onHeader: (header) => {
              record = { ...record, header };
              const saved = record;
              write(() => store.putCollection(saved));
            },
            onPrompt: (index, lines) => {
              record = { ...record, collected: index + 1, samples: record.samples + lines.length };
              const saved = record;
              write(() => store.putPrompt(saved.id, index, lines));
              write(() => store.putCollection(saved));
              patch(jobId, () => ({ collected: saved.collected, samples: saved.samples }));
            },
          },
        );
      await writes;
      if (writeError !== null) throw writeError;
      patch(jobId, () => ({ status: 'training' }));
      const lines = (await store.promptLines(record.id, record.prompts.length)).flat();
      const kept = (await store.filters()).map((f) => f.file.name);
      const name = freshName(get().model.info, kept);
      const report = await deps.engine.train(
        {
          trajectory: `${[record.header, ...lines].join('\n')}\n`,
          variant: record.variant,
          name,
          tauFilter: record.tauFilter,
          seed: 0,
        },
        {
          signal,
          onEpoch: (e) =>
            patch(jobId, (t) => {
              const epochs = t.epochs.length >= MAX_EPOCH_POINTS ? t.epochs.filter((_, i) => i % 2 === 0) : t.epochs;
              return { epochs: [...epochs, e] };
            }),
        },
      );
      const { filter, ...rest } = report;
      const stored = {
        file: filter,
        model: record.model,
        collection: record.id,
        canvas: record.canvas,
        prompts: record.prompts.length,
        report: rest,
        createdAt: Date.now(),
      };
      setInfo(await deps.engine.addFilter(filter));
      await store.putFilter(stored);
      patch(jobId, (t) => ({
        status: 'done',
        report,
        // The worker's curve of the whole run replaces the few epochs a fast run had time to report.
        epochs: report.curve.length > t.epochs.length ? report.curve : t.epochs,
        filters: [stored, ...t.filters],
      }));
    } catch (thrown) {
      await writes;
      const error = writeError ?? thrown;
      if (isCancelled(error)) {
        // What was collected stays, to resume.
        patch(jobId, (t) => ({ status: 'idle', cancelled: true, unfinished: [record, ...t.unfinished] }));
        return;
      }
      const wire = toWireError(error);
      // Samples that cannot train a filter (too few, one class) are not kept: nothing is saved.
      if (wire.name === 'TrainingDataError') await store.deleteCollection(record.id).catch(() => undefined);
      else
        patch(jobId, (t) => ({
          unfinished: t.unfinished.some((u) => u.id === record.id) ? t.unfinished : [record, ...t.unfinished],
        }));
      patch(jobId, () => ({ status: 'error', error: wire }));
    }
  }

  return {
    train: initialTrain,
    setTrainForm(change) {
      set({ train: { ...get().train, form: { ...get().train.form, ...change } } });
    },
    async startTraining() {
      const { model, train } = get();
      if (model.info === null || train.status === 'collecting' || train.status === 'training') return;
      const problem = formProblem(train.form);
      if (problem !== null) {
        set({ train: { ...train, status: 'error', error: { name: 'ConfigError', message: problem } } });
        return;
      }
      const { form } = train;
      await run({
        id: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        model: keyOf(model.info),
        canvas: { genLength: form.genLength, blockLength: form.blockLength },
        split: form.source,
        prompts: formPrompts(form),
        header: '',
        collected: 0,
        samples: 0,
        variant: form.variant,
        tauFilter: form.tauFilter,
        createdAt: Date.now(),
      });
    },
    async resumeTraining(id) {
      const c = get().train.unfinished.find((u) => u.id === id);
      if (c !== undefined) await run(c);
    },
    cancelTraining() {
      abort?.abort();
    },
    async discardCollection(id) {
      await store.deleteCollection(id);
      set({ train: { ...get().train, unfinished: get().train.unfinished.filter((u) => u.id !== id) } });
    },
    async deleteTrainedFilter(name) {
      const kept = await store.filters();
      const gone = kept.find((f) => f.file.name === name);
      await store.deleteFilter(name);
      if (gone !== undefined && !kept.some((f) => f.file.name !== name && f.collection === gone.collection))
        await store.deleteCollection(gone.collection);
      if (get().model.info?.filters.some((f) => f.name === name)) setInfo(await deps.engine.removeFilter(name));
      if (get().settings.filter === name) get().setSetting('filter', null);
      set({ train: { ...get().train, filters: get().train.filters.filter((f) => f.file.name !== name) } });
    },
    async samplesText(collection) {
      const c = (await store.collections()).find((x) => x.id === collection);
      if (c === undefined) throw new Error('the samples of this filter are no longer kept');
      const lines = (await store.promptLines(c.id, c.collected)).flat();
      return `${[c.header, ...lines].join('\n')}\n`;
    },
    async restoreTrained() {
      const { info, loadId } = get().model;
      if (info === null) return;
      const current = () => get().model.loadId === loadId; // a later load has its own restore
      const key = keyOf(info);
      try {
        const filters = (await store.filters())
          .filter((f) => sameModel(f.model, key))
          .sort((a, b) => b.createdAt - a.createdAt);
        let latest = info;
        for (const f of filters) {
          if (!current()) return;
          try {
            latest = await deps.engine.addFilter(f.file);
          } catch (error) {
            const why = toWireError(error).message;
            set({ notices: [...get().notices, `The filter ${f.file.name} trained here could not be loaded: ${why}`] });
          }
        }
        if (!current()) return;
        if (filters.length > 0) setInfo(latest);
        const trainedOn = new Set(filters.map((f) => f.collection));
        const running = get().train.collection;
        const unfinished = (await store.collections()).filter(
          (c) => sameModel(c.model, key) && !trainedOn.has(c.id) && c.id !== running,
        );
        if (current()) set({ train: { ...get().train, filters, unfinished } });
      } catch (error) {
        const why = toWireError(error).message;
        set({ notices: [...get().notices, `The filters trained here could not be read back: ${why}`] });
      }
    },
  };
}
