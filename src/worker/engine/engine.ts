// The model engine: it owns the loaded model (onnxruntime sessions + tokenizer) and runs one job at a time, each
// by its phase's module (load.ts, compare.ts, bench.ts). It implements DllmEngine (api.ts): serve.ts adapts it to
// the worker's messages, and tests drive it directly. Everything environment-specific is injected (deps.ts).
import { countingOrt, type TensorCounts } from '../../runtime/ort';
import type { DllmEngine, LoadOptions, LoadWatch, ModelWatch } from '../api';
import type { Backend, WorkerMemory } from '../protocol';
import { runBench } from './bench';
import { ReferenceCache, runCompare } from './compare';
import type { EngineDeps, EngineOrt } from './deps';
import { NotReadyError } from './errors';
import { JobQueue } from './jobs';
import { type ActiveModel, loadPhases } from './load';
import { addTrainedFilter, releaseTrained, removeTrainedFilter, runCollect, runTrain } from './train';

export interface LocalEngine extends DllmEngine {
  /** Resolves when every job queued so far has ended (tests). */
  idle(): Promise<void>;
}

export function createEngine(deps: EngineDeps): LocalEngine {
  const now = deps.now ?? (() => performance.now());
  const queue = new JobQueue();
  const references = new ReferenceCache();
  let active: ActiveModel | null = null;
  /** Every onnxruntime adapter this engine made, counting the tensors made through it. */
  const tensorCounters: (() => TensorCounts)[] = [];

  function ortFor(backend: Backend): EngineOrt {
    const { ort, counts } = countingOrt(deps.ortFor(backend));
    tensorCounters.push(counts);
    return ort;
  }

  function memory(): WorkerMemory {
    let created = 0;
    let live = 0;
    for (const counts of tensorCounters) {
      const c = counts();
      created += c.created;
      live += c.live;
    }
    return { createdTensors: created, liveTensors: live, ...(deps.heap?.() ?? { jsHeapBytes: null, wasmBytes: null }) };
  }

  async function release(): Promise<void> {
    const old = active;
    active = null;
    references.clear();
    if (old) {
      await releaseTrained(old);
      await old.loaded.release().catch(() => undefined);
    }
  }

  /** Loads and, on WebGPU, watches the device: a lost one marks the model for a rebuild before the next job. */
  async function activate(options: LoadOptions, watch: LoadWatch, signal: AbortSignal): Promise<ActiveModel> {
    await release();
    const model = await loadPhases({ deps, now, ortFor }, options, watch, signal);
    active = model;
    if (model.info.backend === 'webgpu') {
      void model.ort.gpuDevice?.().then((device) =>
        device?.lost.then((lost) => {
          if (active === model) model.lost = lost.message || `device lost (${lost.reason})`;
        }),
      );
    }
    return model;
  }

  /** The loaded model; rebuilt first (same options, no progress) when the GPU device was lost, and then told. */
  async function model(signal: AbortSignal, watch: ModelWatch): Promise<ActiveModel> {
    if (active === null) throw new NotReadyError('the model is not loaded yet');
    if (active.lost === null) return active;
    const trained = [...active.trained.values()].map((t) => t.file);
    const rebuilt = await activate(active.options, {}, signal);
    for (const file of trained) await addTrainedFilter(rebuilt, file); // the filters trained here survive a rebuild
    watch.onModel?.(rebuilt.info);
    return rebuilt;
  }

  return {
    load(options, watch = {}) {
      // A new load supersedes everything queued or running.
      queue.abortAll('a new model load started');
      return queue.run(watch.signal, async (signal) => (await activate(options, watch, signal)).info);
    },
    async countTokens(prompt) {
      if (active === null) throw new NotReadyError('the model is not loaded yet');
      return { tokens: active.loaded.tokenizer.encodePrompt(prompt).length, max: active.info.maxPromptTokens };
    },
    compare(options, watch = {}) {
      return queue.run(watch.signal, async (signal) =>
        runCompare({ model: await model(signal, watch), references, now, memory }, options, watch, signal),
      );
    },
    bench(options, watch = {}) {
      return queue.run(watch.signal, async (signal) =>
        runBench(await model(signal, watch), options, watch, signal, now),
      );
    },
    collect(options, watch = {}) {
      return queue.run(watch.signal, async (signal) => runCollect(await model(signal, watch), options, watch, signal));
    },
    train(options, watch = {}) {
      return queue.run(watch.signal, async (signal) => runTrain(await model(signal, {}), options, watch, signal, now));
    },
    addFilter(filter) {
      return queue.run(undefined, async (signal) => addTrainedFilter(await model(signal, {}), filter));
    },
    removeFilter(name) {
      return queue.run(undefined, async (signal) => removeTrainedFilter(await model(signal, {}), name));
    },
    idle: () => queue.idle(),
  };
}
