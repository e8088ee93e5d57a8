// The one place worker messages enter the store: every checked message goes through `reduceMessage` (pure,
// one case per message type) and is written with a single setState. Messages of superseded runs are dropped by
// runId inside the slice reducers. A crashed worker (the client has already started a new one) reloads the model.
import type { WorkerMessage } from '../worker/protocol';
import { reduceBench } from './store/bench-slice';
import { reduceLoad } from './store/model-slice';
import { reduceRun } from './store/runs-slice';
import type { AppState, AppStore } from './store/types';

export function reduceMessage(state: AppState, message: WorkerMessage): Partial<AppState> {
  switch (message.type) {
    case 'load-phase':
    case 'load-file':
    case 'ready':
      return reduceLoad(state, message);
    case 'token-count':
      return {}; // answered through the client's promise (settings slice)
    case 'step':
      return reduceRun(state, message);
    case 'done':
      return reduceRun(state, message);
    case 'bench-progress':
    case 'bench-done':
      return reduceBench(state, message);
    case 'cancelled':
      return { ...reduceRun(state, message), ...reduceBench(state, message) };
    case 'error': {
      if (message.runId !== null && message.runId === state.model.runId) {
        return { model: { ...state.model, status: 'error', error: message.error } };
      }
      if (message.runId === null) {
        // Not tied to a request: a crash or an unexpected failure inside the worker. Say so.
        const text = `The model worker reported ${message.error.name}: ${message.error.message}`;
        const model = state.model.status === 'loading' ? { ...state.model, status: 'error' as const, error: message.error } : state.model;
        return { notices: [...state.notices, text], model };
      }
      return { ...reduceRun(state, message), ...reduceBench(state, message) };
    }
    default: {
      const exhaustive: never = message;
      return exhaustive;
    }
  }
}

export interface MessageSource {
  subscribe(listener: (message: WorkerMessage) => void): () => void;
}

export function bindBridge(source: MessageSource, store: AppStore): () => void {
  return source.subscribe((message) => {
    store.setState((state) => reduceMessage(state, message));
    if (message.type === 'error' && message.error.name === 'WorkerCrashedError') {
      store.getState().cancelComparison();
      store.getState().loadModel();
    }
  });
}
