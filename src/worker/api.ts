// The model engine's interface, the same in and out of the worker (as web-llm's MLCEngineInterface): the engine
// itself (engine/engine.ts) runs in the worker or in-process in tests; the client (client.ts) implements it over
// messages. So the UI cannot tell which it holds, and tests drive one interface with or without a worker.
//
// Each method is one job. Its progress arrives through the watch's callbacks, its end through the promise: a
// result, or a rejection with a named error (`isCancelled` tells a cancel). The watch's signal cancels the job.
import type {
  BenchRequest,
  BenchResult,
  CollectRequest,
  CompareRequest,
  FileProgress,
  LoadPhase,
  LoadRequest,
  ModelInfo,
  TokenCount,
  TrainEpoch,
  TrainedFilterFile,
  TrainReport,
  TrainRequest,
  WireError,
  WireResult,
  WireStep,
} from './protocol';

export type LoadOptions = Omit<LoadRequest, 'type' | 'runId'>;
export type CompareOptions = Omit<CompareRequest, 'type' | 'runId'>;
export type BenchOptions = Omit<BenchRequest, 'type' | 'runId'>;
export type CollectOptions = Omit<CollectRequest, 'type' | 'runId'>;
export type TrainOptions = Omit<TrainRequest, 'type' | 'runId'>;

/** The signal every watch may carry: aborting it cancels the job. */
export interface Watch {
  signal?: AbortSignal;
}

/** What a job on the loaded model hears besides its own progress. */
export interface ModelWatch extends Watch {
  /** The model was rebuilt before the job ran (its GPU device was lost): what now runs, perhaps on WASM. */
  onModel?(info: ModelInfo): void;
}

export interface LoadWatch extends Watch {
  onPhase?(phase: LoadPhase, detail: string): void;
  onFile?(progress: FileProgress): void;
}

/** A comparison's panes are named by their index in `CompareOptions.panes`. */
export interface CompareWatch extends ModelWatch {
  onPaneStart?(pane: number): void;
  onStep?(pane: number, step: WireStep): void;
  onPaneDone?(pane: number, result: WireResult): void;
  /** One pane failed (its decoder cannot run here, e.g. no filter for the block length); the next pane runs. */
  onPaneError?(pane: number, error: WireError): void;
  /** One more timed decode of a finished pane (CompareOptions.clockRuns - 1 of them per pane, after all panes). */
  onClock?(pane: number, ms: number): void;
  /** The one-token-per-step reference, when CompareOptions.reference asked for it (after the panes). */
  onReference?(result: WireResult): void;
}

export interface BenchWatch extends ModelWatch {
  onProgress?(done: number, total: number): void;
}

export interface CollectWatch extends ModelWatch {
  /** The trajectory file's first line (before any prompt). */
  onHeader?(header: string): void;
  /** One prompt's sample lines, as soon as they are collected (the caller saves them as they arrive). */
  onPrompt?(index: number, lines: string[], nfe: number): void;
}

export interface TrainWatch extends Watch {
  onEpoch?(epoch: TrainEpoch): void;
}

export interface DllmEngine {
  /** Loads a model folder (a new load supersedes every job queued or running). */
  load(options: LoadOptions, watch?: LoadWatch): Promise<ModelInfo>;
  /** The prompt's length in tokens, role markers included, and the most the model takes. */
  countTokens(prompt: string): Promise<TokenCount>;
  /** Tokenizes the prompt once and decodes it with each pane's spec in turn; rejects when no pane can run at all. */
  compare(options: CompareOptions, watch?: CompareWatch): Promise<void>;
  /** Every spec on every prompt (runs evaluate(), the code of `npm run bench`). */
  bench(options: BenchOptions, watch?: BenchWatch): Promise<BenchResult>;
  /** Filter training data for the prompts from `first` on (the code of `npm run collect`). */
  collect(options: CollectOptions, watch?: CollectWatch): Promise<void>;
  /** Trains a filter on a trajectory file (the code of `npm run train-filter`); the model's filters do not change. */
  train(options: TrainOptions, watch?: TrainWatch): Promise<TrainReport>;
  /** Adds a trained filter to the loaded model's (until the next load) and answers the model's new info. */
  addFilter(filter: TrainedFilterFile): Promise<ModelInfo>;
  /** Removes a filter addFilter added. */
  removeFilter(name: string): Promise<ModelInfo>;
}
