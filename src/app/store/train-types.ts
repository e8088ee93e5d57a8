// The Train view's part of the store (issue 23): the form, the job's progress (collection, then training with its
// losses), what is kept across visits (train-db.ts), and the actions.
import type { Canvas, TrainEpoch, TrainedFilterFile, TrainReport, WireError } from '../../worker/protocol';

/** Which model a collection or a filter was made with: a filter trained for other weights is not offered. */
export interface ModelKey {
  id: string;
  variant: string;
  sha256: string;
}

/** A collection as kept: its prompts and header, how many prompts are saved, and the training it is for. */
export interface StoredCollection {
  id: string;
  model: ModelKey;
  canvas: Canvas;
  split: 'train' | 'typed';
  prompts: string[];
  /** The trajectory file's first line ('' until the worker sent it). */
  header: string;
  /** Prompts whose samples are saved (always the first ones). */
  collected: number;
  samples: number;
  variant: string;
  tauFilter: number;
  createdAt: number;
}

/** A filter trained here, as kept: its file, and what it was trained on and how it did. */
export interface StoredFilter {
  file: TrainedFilterFile;
  model: ModelKey;
  collection: string;
  canvas: Canvas;
  prompts: number;
  report: Omit<TrainReport, 'filter'>;
  createdAt: number;
}

export interface TrainStore {
  putCollection(c: StoredCollection): Promise<void>;
  putPrompt(id: string, index: number, lines: string[]): Promise<void>;
  /** The sample lines of the collection's first `count` prompts, in order. */
  promptLines(id: string, count: number): Promise<string[][]>;
  collections(): Promise<StoredCollection[]>;
  deleteCollection(id: string): Promise<void>;
  putFilter(f: StoredFilter): Promise<void>;
  filters(): Promise<StoredFilter[]>;
  deleteFilter(name: string): Promise<void>;
}

export interface TrainForm {
  source: 'train' | 'typed';
  /** Train-split prompts to collect (source 'train'). */
  count: number;
  /** One prompt per line (source 'typed'). */
  typed: string;
  genLength: number;
  blockLength: number;
  /** A filter variant's name (core's FILTER_VARIANTS). */
  variant: string;
  tauFilter: number;
}

export type TrainStatus = 'idle' | 'collecting' | 'training' | 'done' | 'error';

export interface TrainState {
  status: TrainStatus;
  /** Which job this state is of (counts up; a superseded job's news is dropped). */
  jobId: number;
  form: TrainForm;
  /** The collection being collected or trained on. */
  collection: string | null;
  collected: number;
  total: number;
  samples: number;
  /** When this job's collection started and how many prompts it had then (for the ETA). */
  startedAt: number | null;
  startedWith: number;
  /** Epochs as reported (a few a second), for the loss chart. */
  epochs: TrainEpoch[];
  report: TrainReport | null;
  error: WireError | null;
  /** The job was cancelled (status back to idle). */
  cancelled: boolean;
  /** Filters trained here for the loaded model, newest first. */
  filters: StoredFilter[];
  /** Collections of the loaded model that no filter was trained on yet (a closed tab, a cancel): resumable. */
  unfinished: StoredCollection[];
}

export interface TrainSlice {
  train: TrainState;
  setTrainForm(patch: Partial<TrainForm>): void;
  /** Collects the form's prompts, then trains; the filter is saved and joins the model's filters. */
  startTraining(): Promise<void>;
  /** Collects what a kept collection still lacks, then trains on it. */
  resumeTraining(id: string): Promise<void>;
  cancelTraining(): void;
  discardCollection(id: string): Promise<void>;
  deleteTrainedFilter(name: string): Promise<void>;
  /** The samples a kept filter (or collection) was trained on, as a JSONL file's text. */
  samplesText(collection: string): Promise<string>;
  /** After a load: the kept filters of this model join its filters, its unfinished collections are offered. */
  restoreTrained(): Promise<void>;
}
