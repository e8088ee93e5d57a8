// Model / backend slice: which model folder and backend, and how far loading got (phase, bytes per file).
// `loadModel` asks the worker; the bridge writes its progress messages in with the reducers below. A cancelled
// load shows as cancelled at once: the worker stops it at its next phase, and a new load queues behind it.
import type { WireError, WorkerMessage } from '../../worker/protocol';
import { DEFAULT_ENVIRONMENT } from '../settings';
import type { AppDeps, AppState, FileProgress, GetState, ModelSlice, ModelState, SetState } from './types';

export const initialModel: ModelState = { status: 'idle', runId: null, phase: null, phaseDetail: '', files: [], info: null, error: null };

export function modelUrl(baseUrl: string, model: string): string {
  return new URL(`models/${model}/`, baseUrl).href;
}

export function createModelSlice(set: SetState, get: GetState, deps: AppDeps): ModelSlice {
  return {
    model: initialModel,
    environment: DEFAULT_ENVIRONMENT,
    loadModel() {
      const { environment } = get();
      const { runId, done } = deps.client.load({ modelUrl: modelUrl(deps.baseUrl, environment.model), backend: environment.backend, variant: environment.variant });
      set({ model: { ...initialModel, status: 'loading', runId } });
      // Outcomes arrive through the bridge (ready / error); this promise only must not go unhandled.
      done.catch(() => undefined);
    },
    cancelLoad() {
      const { model } = get();
      if (model.status !== 'loading' || model.runId === null) return;
      deps.client.cancel(model.runId);
      // The runId stays: should the worker finish the load before the cancel reaches it, its `ready` still counts
      // (the model is loaded); its `cancelled` answer needs no handling here.
      set({ model: { ...model, status: 'cancelled', phase: null, phaseDetail: '', files: [] } });
    },
    setBackend(backend) {
      if (get().environment.backend === backend) return;
      set({ environment: { ...get().environment, backend } });
      // The load on the new backend gets a new worker (client.ts): stop what runs on the old one first.
      get().cancelComparison();
      get().cancelBench();
      get().loadModel();
    },
  };
}

function updateFile(files: FileProgress[], next: FileProgress): FileProgress[] {
  const at = files.findIndex((f) => f.file === next.file);
  if (at === -1) return [...files, next];
  const copy = files.slice();
  copy[at] = next;
  return copy;
}

/** The bridge's reducer for load messages; messages of a superseded load, or progress after a cancel, are ignored. */
export function reduceLoad(state: AppState, message: Extract<WorkerMessage, { type: 'load-phase' | 'load-file' | 'ready' }>): Partial<AppState> {
  const model = state.model;
  if (model.runId !== message.runId) return {};
  switch (message.type) {
    case 'load-phase':
      if (model.status !== 'loading') return {};
      return { model: { ...model, phase: message.phase, phaseDetail: message.detail } };
    case 'load-file': {
      if (model.status !== 'loading') return {};
      const { file, loaded, total, verified, cached } = message;
      return { model: { ...model, files: updateFile(model.files, { file, loaded, total, verified, cached }) } };
    }
    case 'ready':
      return { model: { ...model, status: 'ready', info: message.info, error: null } };
  }
}

/**
 * A load failure in words, after "Could not load the model: ". A file error already starts with the file and its
 * cause; a manifest error is about dllm.json's content unless it names a missing variant; anything else keeps
 * its error name.
 */
export function loadErrorText(error: WireError): string {
  let text: string;
  if (error.name === 'ModelFileError') {
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
