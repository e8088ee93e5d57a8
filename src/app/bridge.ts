// What reaches the store from the worker outside any job: a crash (the client has already started a new worker)
// or an error the worker could not tie to a request. Each becomes a notice; a crash also stops what ran and reloads
// the model. Everything a job reports reaches the store through that job's callbacks in the slices, once.
import type { WireError } from '../worker/protocol';
import type { AppStore } from './store/types';

export interface IncidentSource {
  onIncident(listener: (error: WireError) => void): () => void;
}

export function bindBridge(source: IncidentSource, store: AppStore): () => void {
  return source.onIncident((error) => {
    const text = `The model worker reported ${error.name}: ${error.message}`;
    const unreachable = error.name === 'WorkerUnreachableError';
    store.setState((state) => ({
      // The same news twice is one notice.
      notices: state.notices[state.notices.length - 1] === text ? state.notices : [...state.notices, text],
      // A worker that cannot be reached leaves no model: the model bar says why, with a Retry.
      model: state.model.status === 'loading' || unreachable ? { ...state.model, status: 'error', error } : state.model,
    }));
    if (error.name === 'WorkerCrashedError' || unreachable) {
      store.getState().cancelComparison();
      store.getState().cancelBench();
    }
    // A crashed worker was replaced at once: load the model into the new one. An unreachable one waits for Retry.
    if (error.name === 'WorkerCrashedError') store.getState().loadModel();
  });
}
