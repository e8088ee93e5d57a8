// The app store's shape: four slices (model/backend, settings, runs, benchmark) over one state, and what the
// store needs from outside (the model engine, the page's base URL). Only serializable view state lives here:
// the Worker, sessions and tokenizer live in the worker; the jobs' abort controllers in the slices' closures.
import type { StoreApi } from 'zustand/vanilla';
import type { DllmEngine } from '../../worker/api';
import type {
  BackendChoice,
  BenchResult,
  Canvas,
  DecoderSpec,
  FileProgress,
  LoadPhase,
  ModelInfo,
  WireError,
  WireResult,
  WireStep,
} from '../../worker/protocol';
import type { ComparisonKind, Environment, PaneId, Settings } from '../settings';
import type { View } from '../url';
import type { TrainSlice, TrainStore } from './train-types';

export type { FileProgress } from '../../worker/protocol';

export interface AppDeps {
  /** The engine the store's actions call: the worker's client in the app, a scripted one in tests. */
  engine: DllmEngine;
  /** Absolute URL of the folder that holds `models/` (the page's base URL). */
  baseUrl: string;
  /** Switches to a waiting service worker (absent where there is none: dev, tests). */
  applyUpdate?(): void;
  /** Where the Train view keeps collections and filters (IndexedDB in the app; absent: for the page's life). */
  trainStore?: TrainStore;
}

// ---------------------------------------------------------------- model / backend

export interface ModelState {
  /** cancelled: the user stopped a load; nothing is loaded and Load starts again. */
  status: 'idle' | 'loading' | 'ready' | 'error' | 'cancelled';
  /** Which load this state is of (counts up; a superseded load's news is dropped by it). */
  loadId: number;
  phase: LoadPhase | null;
  phaseDetail: string;
  files: FileProgress[];
  info: ModelInfo | null;
  error: WireError | null;
}

export interface ModelSlice {
  model: ModelState;
  environment: Environment;
  loadModel(): void;
  /** Stops the load in progress (the worker aborts it at its next phase) and shows it as cancelled. */
  cancelLoad(): void;
  setBackend(choice: BackendChoice): void;
}

// ---------------------------------------------------------------- settings

export interface PromptCount {
  prompt: string;
  tokens: number;
  max: number;
}

export interface SettingsSlice {
  settings: Settings;
  prompt: string;
  view: View;
  /** Messages about refused input (URL values, settings), newest last. */
  notices: string[];
  promptCount: PromptCount | null;
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void;
  setPrompt(prompt: string): void;
  countPrompt(): Promise<void>;
  setView(view: View): void;
  dismissNotice(index: number): void;
}

// ---------------------------------------------------------------- runs

export type PaneState = 'idle' | 'loading' | 'running' | 'done' | 'error';

export interface PaneRun {
  id: PaneId;
  spec: DecoderSpec;
  state: PaneState;
  cancelled: boolean;
  events: WireStep[];
  result: WireResult | null;
  error: WireError | null;
  /** Live animation cursor: index of the displayed event (fractional while it advances). */
  shown: number;
  /** The decode's total time on each timed run: the streamed one first, then the worker's repeats (Settings.clockRuns). */
  clockMs: number[];
}

export interface ReferenceCheck {
  /** waiting: asked for; the worker decodes it after the panes (or has it already). */
  state: 'off' | 'waiting' | 'done' | 'error' | 'cancelled';
  result: WireResult | null;
  error: WireError | null;
}

/** The example the prompt came from, when it is one: its family and reference answer. */
export interface PromptSource {
  family: string;
  answer: string;
  checkable: boolean;
}

export interface Comparison {
  id: number;
  prompt: string;
  /** What the panes differ in (the settings' comparison when it started). */
  kind: ComparisonKind;
  /** The backend it ran on (results of another backend are stale). */
  backend: BackendChoice;
  /** Timed runs asked for each pane (Settings.clockRuns). */
  clockRuns: number;
  canvas: Canvas;
  source: PromptSource | null;
  panes: PaneRun[];
  reference: ReferenceCheck;
  status: 'running' | 'done' | 'cancelled' | 'error';
}

export interface Playback {
  /** live: each pane follows its own events; replay: one shared step for every pane. */
  mode: 'live' | 'replay';
  step: number; // replay position (fractional while playing)
  playing: boolean;
}

export interface RunsSlice {
  comparison: Comparison | null;
  playback: Playback;
  runComparison(): Promise<void>;
  cancelComparison(): void;
  seek(step: number): void;
  play(): void;
  pause(): void;
  stepBy(delta: number): void;
  tick(dtMs: number): void;
}

// ---------------------------------------------------------------- benchmark

export interface BenchState {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  /** Which benchmark run this state is of (counts up). */
  benchId: number;
  done: number;
  total: number;
  size: number; // prompts of the test split to run
  canvas: Canvas | null; // of the run shown (or running), not of the settings now
  eotp: boolean | null; // likewise
  result: BenchResult | null;
  error: WireError | null;
}

export interface BenchSlice {
  bench: BenchState;
  setBenchSize(size: number): void;
  runBench(): Promise<void>;
  cancelBench(): void;
}

// ---------------------------------------------------------------- offline

/** Where the app stands with its service worker (offline.ts writes it; no service worker in dev or tests). */
export interface OfflineState {
  online: boolean;
  /** The page is cross-origin isolated (its service worker added the headers): WebAssembly may use threads. */
  isolated: boolean;
  /** The shell and onnxruntime's files for this backend are stored: a visit without network loads (the model
   * files keep their own cache). */
  ready: boolean;
  /** A new build's service worker waits: reloading switches to it. */
  update: boolean;
}

export interface OfflineSlice {
  offline: OfflineState;
  /** Switches to the waiting build (the page reloads). */
  applyUpdate(): void;
}

export type AppState = ModelSlice & SettingsSlice & RunsSlice & BenchSlice & TrainSlice & OfflineSlice;
export type AppStore = StoreApi<AppState>;
export type SetState = AppStore['setState'];
export type GetState = AppStore['getState'];
