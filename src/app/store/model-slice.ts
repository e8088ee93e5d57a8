// Model / backend slice: which model folder and backend, and how far loading got (phase, bytes per file).
// `loadModel` asks the engine and writes its progress in as it comes. A cancelled load shows as cancelled at once:
// the worker stops it at its next phase, and a new load supersedes it.
import { isCancelled, toWireError, type WireError } from '../../worker/protocol';
import { DEFAULT_ENVIRONMENT } from '../settings';
import type { AppDeps, FileProgress, GetState, ModelSlice, ModelState, SetState } from './types';

export const initialModel: ModelState = {
  status: 'idle',
  loadId: 0,
  phase: null,
  phaseDetail: '',
  files: [],
  info: null,
  error: null,
};

export function modelUrl(baseUrl: string, model: string): string {
  return new URL(`models/${model}/`, baseUrl).href;
}

function updateFile(files: FileProgress[], next: FileProgress): FileProgress[] {
  const at = files.findIndex((f) => f.file === next.file);
  if (at === -1) return [...files, next];
  const copy = files.slice();
  copy[at] = next;
  return copy;
}

export function createModelSlice(set: SetState, get: GetState, deps: AppDeps): ModelSlice {
  let abort: AbortController | null = null;
  /** Changes the model state of load `loadId` only, and only while it loads (unless `always`). */
  const patch = (loadId: number, change: (m: ModelState) => ModelState, always = false) => {
    const model = get().model;
    if (model.loadId === loadId && (always || model.status === 'loading')) set({ model: change(model) });
  };
  return {
    model: initialModel,
    environment: DEFAULT_ENVIRONMENT,
    loadModel() {
      const { environment, model } = get();
      const loadId = model.loadId + 1;
      abort = new AbortController();
      set({ model: { ...initialModel, status: 'loading', loadId } });
      deps.engine
        .load(
          {
            modelUrl: modelUrl(deps.baseUrl, environment.model),
            backend: environment.backend,
            variant: environment.variant,
            ...(environment.threads === null ? {} : { threads: environment.threads }),
          },
          {
            signal: abort.signal,
            onPhase: (phase, phaseDetail) => patch(loadId, (m) => ({ ...m, phase, phaseDetail })),
            onFile: (progress) => patch(loadId, (m) => ({ ...m, files: updateFile(m.files, progress) })),
          },
        )
        .then(
          // A load that finished before its cancel reached the worker still counts: the model is loaded.
          (info) => {
            patch(loadId, (m) => ({ ...m, status: 'ready', info, error: null }), true);
            // The filters trained here for this model join it again (a load starts from the model's own).
            if (get().model.loadId === loadId) void get().restoreTrained();
          },
          (error: unknown) => {
            if (!isCancelled(error)) patch(loadId, (m) => ({ ...m, status: 'error', error: toWireError(error) }), true);
          },
        );
    },
    cancelLoad() {
      const { model } = get();
      if (model.status !== 'loading') return;
      abort?.abort();
      set({ model: { ...model, status: 'cancelled', phase: null, phaseDetail: '', files: [] } });
    },
    setBackend(backend) {
      if (get().environment.backend === backend) return;
      set({ environment: { ...get().environment, backend } });
      // The load on the new backend gets a new worker (client.ts): stop what runs on the old one first.
      get().cancelComparison();
      get().cancelBench();
      get().cancelTraining();
      get().loadModel();
    },
  };
}

/**
 * A load failure in words, after "Could not load the model: ". A file error already starts with the file and its
 * cause; a manifest error is about dllm.json's content unless it names a missing variant; anything else keeps
 * its error name.
 */
export function loadErrorText(error: WireError): string {
  let text: string;
  if (error.name === 'ModelFileError' || error.name === 'WorkerUnreachableError') {
    text = error.message;
  } else if (error.name === 'ManifestError' && error.message.startsWith('dllm.json')) {
    text = `dllm.json is malformed (${error.message})`;
  } else if (error.name === 'ManifestError') {
    text = error.message;
  } else {
    text = `${error.name}: ${error.message}`;
  }
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
