// The Train slice with a scripted engine and the in-memory store: each prompt's samples are kept as they arrive, a
// trained filter is kept and joins the model's filters, a cancel keeps the collection to resume, samples that
// cannot train a filter keep nothing, and after a load only the filters trained for that model's weights return.
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../../src/app/store';
import type { TrainStore } from '../../../src/app/store/train-types';
import type { AppStore } from '../../../src/app/store/types';
import { memoryTrainStore } from '../../../src/app/train-db';
import { parseUrl } from '../../../src/app/url';
import { type TrainReport, WorkerError } from '../../../src/worker/protocol';
import { INFO, ScriptedEngine } from './scripted-engine';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

const HEADER = '{"type":"header"}';

function report(name: string): TrainReport {
  return {
    filter: {
      name,
      kind: 'block',
      features: 'confidence',
      blockLength: 32,
      tauFilter: 0.9,
      file: `filter/${name}_b32.onnx`,
      bytes: new Uint8Array([1, 2, 3]),
      samples: 3,
    },
    variant: 'paper',
    split: { train: 1, validation: 1, test: 1 },
    epochs: 10,
    bestEpoch: 8,
    trainLoss: 0.2,
    valLoss: 0.3,
    testLoss: 0.3,
    test: { tauFilter: 0.9, falseAcceptRate: 0, falseRejectRate: 0.5, tp: 1, fp: 0, tn: 1, fn: 1 },
    curve: [],
    ms: 5,
  };
}

let engine: ScriptedEngine;
let kept: TrainStore;
let store: AppStore;

async function started(): Promise<AppStore> {
  const s = createAppStore({ engine, baseUrl: 'http://localhost/', trainStore: kept }, parseUrl(''));
  s.getState().loadModel();
  engine.lastLoad.resolve(INFO);
  await flush();
  return s;
}

beforeEach(async () => {
  engine = new ScriptedEngine();
  kept = memoryTrainStore();
  store = await started();
  store.getState().setTrainForm({ count: 2, genLength: 32, blockLength: 32 });
});

/** Runs the collection job to its end: the header, then one line per prompt. */
async function collectAll() {
  const job = engine.collects.at(-1);
  if (job === undefined) throw new Error('no collection started');
  job.watch.onHeader?.(HEADER);
  job.options.prompts.forEach((_, i) => {
    if (i >= job.options.first) job.watch.onPrompt?.(i, [`{"sample":${i}}`], 33);
  });
  await flush();
  job.resolve();
  await flush();
}

describe('the train slice', () => {
  it('keeps each prompt as it arrives, trains on the whole file, keeps the filter and adds it to the model', async () => {
    const run = store.getState().startTraining();
    await flush();
    expect(store.getState().train.status).toBe('collecting');
    await collectAll();
    expect(store.getState().train.status).toBe('training');
    const train = engine.trains[0];
    expect(train.options.trajectory).toBe(`${HEADER}\n{"sample":0}\n{"sample":1}\n`);
    expect(train.options).toMatchObject({ variant: 'paper', name: 'here-1', seed: 0, tauFilter: 0.9 });
    train.resolve(report('here-1'));
    await flush();
    const added = engine.added[0];
    expect(added.options.name).toBe('here-1');
    added.resolve({
      ...INFO,
      filters: [...INFO.filters, { name: 'here-1', kind: 'block', blockLength: 32, tauFilter: 0.9, trainedOn: 3 }],
    });
    await run;
    const { train: t, model } = store.getState();
    expect(t.status).toBe('done');
    expect(t.filters.map((f) => f.file.name)).toEqual(['here-1']);
    expect(model.info?.filters.some((f) => f.name === 'here-1')).toBe(true);
    expect((await kept.filters()).map((f) => f.file.name)).toEqual(['here-1']);
    expect(await store.getState().samplesText(t.filters[0].collection)).toBe(train.options.trajectory);
  });

  it('a cancel keeps what was collected, offered to resume from the next prompt', async () => {
    void store.getState().startTraining();
    await flush();
    const job = engine.collects[0];
    job.watch.onHeader?.(HEADER);
    job.watch.onPrompt?.(0, ['{"sample":0}'], 33);
    await flush();
    store.getState().cancelTraining();
    await flush();
    const { train } = store.getState();
    expect(train).toMatchObject({ status: 'idle', cancelled: true });
    expect(train.unfinished).toHaveLength(1);
    expect(train.unfinished[0].collected).toBe(1);
    // A new visit offers it too, and resuming asks only for the prompts after the saved ones.
    const again = await started();
    await flush();
    expect(again.getState().train.unfinished.map((c) => c.collected)).toEqual([1]);
    void again.getState().resumeTraining(again.getState().train.unfinished[0].id);
    await flush();
    expect(engine.collects.at(-1)?.options.first).toBe(1);
  });

  it('samples that cannot train a filter: the error is shown and nothing is kept', async () => {
    const run = store.getState().startTraining();
    await flush();
    await collectAll();
    engine.trains[0].reject(new WorkerError({ name: 'TrainingDataError', message: 'all 12 labels are true' }));
    await run;
    expect(store.getState().train).toMatchObject({ status: 'error', error: { name: 'TrainingDataError' } });
    expect(await kept.collections()).toEqual([]);
    expect(await kept.filters()).toEqual([]);
  });

  it('after a load, only filters trained for these weights join the model', async () => {
    const base = { collection: 'c', canvas: { genLength: 32, blockLength: 32 }, prompts: 2, createdAt: 1 };
    const { filter, ...rest } = report('here-1');
    await kept.putFilter({
      ...base,
      file: filter,
      report: rest,
      model: { id: INFO.id, variant: INFO.variant, sha256: INFO.modelSha256 },
    });
    const other = report('here-2');
    await kept.putFilter({
      ...base,
      file: other.filter,
      report: rest,
      model: { id: INFO.id, variant: INFO.variant, sha256: 'b'.repeat(64) },
    });
    const before = engine.added.length;
    const s = await started();
    expect(engine.added.slice(before).map((j) => j.options.name)).toEqual(['here-1']);
    engine.added.at(-1)?.resolve(INFO);
    await flush();
    expect(s.getState().train.filters.map((f) => f.file.name)).toEqual(['here-1']);
  });

  it('a sample write that fails stops the collection with its reason, and counts nothing unsaved', async () => {
    const failing: TrainStore = {
      ...kept,
      putPrompt: () => Promise.reject(new Error('QuotaExceededError: the disk is full')),
    };
    const s = createAppStore({ engine, baseUrl: 'http://localhost/', trainStore: failing }, parseUrl(''));
    s.getState().loadModel();
    engine.lastLoad.resolve(INFO);
    await flush();
    s.getState().setTrainForm({ count: 2, genLength: 32, blockLength: 32 });
    const run = s.getState().startTraining();
    await flush();
    const job = engine.collects.at(-1);
    job?.watch.onHeader?.(HEADER);
    job?.watch.onPrompt?.(0, ['{"sample":0}'], 33);
    await run;
    expect(job?.aborted).toBe(true);
    expect(s.getState().train).toMatchObject({
      status: 'error',
      error: { message: expect.stringContaining('disk is full') },
    });
    expect((await kept.collections())[0]?.collected).toBe(0);
    expect(engine.trains).toHaveLength(0);
  });

  it('a form that cannot start says why', () => {
    store.getState().setTrainForm({ source: 'typed', typed: '  \n ' });
    void store.getState().startTraining();
    expect(store.getState().train).toMatchObject({
      status: 'error',
      error: { message: 'type at least one prompt, one per line' },
    });
  });
});
