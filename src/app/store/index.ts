// The app store: four slices over one state (zustand, vanilla so tests and the bridge use it outside React).
// `initialState` is exported so tests can reset a store; `createAppStore` takes the engine and base URL.
import { createStore } from 'zustand/vanilla';
import { parseUrl, type UrlState } from '../url';
import { createBenchSlice, initialBench } from './bench-slice';
import { createModelSlice, initialModel } from './model-slice';
import { createRunsSlice, initialPlayback } from './runs-slice';
import { createTrainSlice, initialTrain } from './train-slice';

export { isAnimating } from './runs-slice';

import { DEFAULT_ENVIRONMENT, DEFAULT_SETTINGS } from '../settings';
import { createSettingsSlice } from './settings-slice';
import type { AppDeps, AppState, AppStore, OfflineState } from './types';

/** Before the service worker says anything: online, not isolated, nothing stored yet. */
export const initialOffline: OfflineState = { online: true, isolated: false, ready: false, update: false };

export type { AppState, AppStore } from './types';

/** The data part of a fresh store (no actions). */
export const initialState = {
  model: initialModel,
  environment: DEFAULT_ENVIRONMENT,
  settings: DEFAULT_SETTINGS,
  prompt: '',
  view: 'compare',
  notices: [],
  promptCount: null,
  comparison: null,
  playback: initialPlayback,
  bench: initialBench,
  train: initialTrain,
  offline: initialOffline,
} satisfies Partial<AppState>;

export function createAppStore(
  deps: AppDeps,
  url: Omit<UrlState, 'errors'> & { errors?: string[] } = parseUrl(''),
): AppStore {
  const store = createStore<AppState>()((set, get) => ({
    ...createModelSlice(set, get, deps),
    ...createSettingsSlice(set, get, deps),
    ...createRunsSlice(set, get, deps),
    ...createBenchSlice(set, get, deps),
    ...createTrainSlice(set, get, deps),
    offline: initialOffline,
    applyUpdate: () => deps.applyUpdate?.(),
  }));
  store.setState({
    settings: url.settings,
    environment: url.environment,
    prompt: url.prompt ?? '',
    view: url.view,
    notices: url.errors ?? [],
  });
  return store;
}
