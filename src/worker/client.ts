// The UI's handle on the model worker: DllmEngine (api.ts) over messages. Each method sends one request with a fresh
// runId and settles its promise from the messages carrying that runId; the watch's callbacks hear the rest. What
// belongs to no job (a crash, an unexpected error) goes to `onIncident` listeners. The transport is a `Port`: a real
// Web Worker in the app, the engine in-process in tests (in-process.ts), so both drive the same client.
import type {
  BenchOptions,
  BenchWatch,
  CollectOptions,
  CollectWatch,
  CompareOptions,
  CompareWatch,
  DllmEngine,
  LoadOptions,
  LoadWatch,
  TrainOptions,
  TrainWatch,
} from './api';
import {
  type BenchResult,
  type ModelInfo,
  type TokenCount,
  type TrainedFilterFile,
  type TrainReport,
  toWireError,
  type WireError,
  WorkerError,
  type WorkerMessage,
  type WorkerRequest,
} from './protocol';
import { parseMessage, salvageRunId } from './wire-check';

/** How the client reaches an engine. */
export interface Port {
  post(request: WorkerRequest): void;
  /** Registers the single receiver of raw incoming data and of crash reports. */
  listen(onData: (data: unknown) => void, onCrash: (message: string) => void): void;
  terminate(): void;
}

export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** The worker died before it said anything (its script did not load: offline, or the server is gone), or it keeps
 * crashing. The client then starts no new worker by itself: the next request does (the user's Retry). */
export class WorkerUnreachableError extends Error {
  override name = 'WorkerUnreachableError';
}

/** This many crashes within CRASH_WINDOW_MS and the client stops restarting the worker on its own. */
const CRASH_LIMIT = 3;
const CRASH_WINDOW_MS = 30_000;

/** A job waiting for its messages: `take` handles one (and says whether it ended the job), `fail` ends it. */
interface Pending {
  take(message: WorkerMessage): boolean;
  fail(error: Error): void;
}

export class DllmClient implements DllmEngine {
  private port: Port;
  private readonly pending = new Map<string, Pending>();
  private readonly incidents = new Set<(error: WireError) => void>();
  private seq = 0;
  /** The backend choice of the last load. */
  private backend: LoadOptions['backend'] | null = null;
  /** The onnxruntime build the worker reported in its last ready (null: not known yet, or one runtime). */
  private runtime: ModelInfo['runtime'] = null;
  /** Whether a load on this worker has probed for WebGPU (any choice but 'wasm') and reached ready. */
  private probed = false;
  /** The threads the current worker's first load asked for (null: no load yet); its runtime keeps that count. */
  private threadsAsked: { threads: number | undefined } | null = null;
  private readonly session = Math.random().toString(36).slice(2, 8);
  /** Whether the current worker has sent anything (a worker that crashes before it does never loaded). */
  private heard = false;
  /** The current worker is gone and none was started in its place: the next request starts one. */
  private dead = false;
  /** When recent crashes happened (ms since the epoch), to stop a crash loop. */
  private crashes: number[] = [];

  constructor(private readonly makePort: () => Port) {
    this.port = this.connect();
  }

  private connect(): Port {
    this.heard = false;
    this.threadsAsked = null;
    this.dead = false;
    const port = this.makePort();
    port.listen(
      (data) => this.receive(data),
      (message) => this.crashed(message),
    );
    return port;
  }

  /** Hears what belongs to no job: a crashed (and already replaced) worker, or an error the worker could not tie to one. */
  onIncident(listener: (error: WireError) => void): () => void {
    this.incidents.add(listener);
    return () => this.incidents.delete(listener);
  }

  load(options: LoadOptions, watch: LoadWatch = {}): Promise<ModelInfo> {
    if (this.needsNewWorker(options.backend)) this.restart('the backend changed');
    else if (this.threadsAsked !== null && this.threadsAsked.threads !== options.threads)
      this.restart('the thread count changed');
    this.threadsAsked ??= { threads: options.threads };
    this.backend = options.backend;
    return this.start<ModelInfo>(
      'load',
      (runId) => ({ type: 'load', runId, ...options }),
      watch.signal,
      (m, end) => {
        if (m.type === 'load-phase') watch.onPhase?.(m.phase, m.detail);
        else if (m.type === 'load-file') watch.onFile?.(m.progress);
        else if (m.type === 'ready') {
          this.runtime = m.info.runtime;
          this.probed ||= options.backend !== 'wasm';
          end(m.info);
        }
      },
    );
  }

  /**
   * A worker starts one onnxruntime build, for its first load: the WASM-only build for 'wasm', else the one the
   * WebGPU probe calls for (the WASM-only build when no adapter is found). The WASM-only build cannot run WebGPU
   * and the other runs WASM slower, so a switch that needs the other build gets a fresh worker. Once a load has
   * reported the build, that decides: forcing WASM where the probe already fell back to the WASM-only build keeps
   * the worker, and so does 'auto' on a worker whose probe found no adapter. Before any report, switching to or
   * from 'wasm' restarts ('auto' and 'webgpu' probe alike).
   */
  private needsNewWorker(choice: LoadOptions['backend']): boolean {
    if (this.backend === null) return false;
    if (this.runtime === null) return (this.backend === 'wasm') !== (choice === 'wasm');
    if (choice === 'wasm') return this.runtime === 'webgpu';
    // An explicit 'webgpu' always tries again; 'auto' only if this worker never probed (it started for a forced WASM).
    return this.runtime === 'wasm' && (choice === 'webgpu' || !this.probed);
  }

  countTokens(prompt: string): Promise<TokenCount> {
    return this.start<TokenCount>(
      'tok',
      (runId) => ({ type: 'tokenize', runId, prompt }),
      undefined,
      (m, end) => {
        if (m.type === 'token-count') end(m.count);
      },
    );
  }

  compare(options: CompareOptions, watch: CompareWatch = {}): Promise<void> {
    return this.start<void>(
      'cmp',
      (runId) => ({ type: 'compare', runId, ...options }),
      watch.signal,
      (m, end) => {
        if (m.type === 'model') watch.onModel?.(m.info);
        else if (m.type === 'pane-start') watch.onPaneStart?.(m.pane);
        else if (m.type === 'step') watch.onStep?.(m.pane, m.event);
        else if (m.type === 'pane-done') watch.onPaneDone?.(m.pane, m.result);
        else if (m.type === 'pane-error') watch.onPaneError?.(m.pane, m.error);
        else if (m.type === 'clock') watch.onClock?.(m.pane, m.ms);
        else if (m.type === 'reference') watch.onReference?.(m.result);
        else if (m.type === 'compare-done') end(undefined);
      },
    );
  }

  bench(options: BenchOptions, watch: BenchWatch = {}): Promise<BenchResult> {
    return this.start<BenchResult>(
      'bench',
      (runId) => ({ type: 'bench', runId, ...options }),
      watch.signal,
      (m, end) => {
        if (m.type === 'model') watch.onModel?.(m.info);
        else if (m.type === 'bench-progress') watch.onProgress?.(m.done, m.total);
        else if (m.type === 'bench-done') end(m.result);
      },
    );
  }

  collect(options: CollectOptions, watch: CollectWatch = {}): Promise<void> {
    return this.start<void>(
      'collect',
      (runId) => ({ type: 'collect', runId, ...options }),
      watch.signal,
      (m, end) => {
        if (m.type === 'model') watch.onModel?.(m.info);
        else if (m.type === 'collect-header') watch.onHeader?.(m.header);
        else if (m.type === 'collect-prompt') watch.onPrompt?.(m.index, m.lines, m.nfe);
        else if (m.type === 'collect-done') end(undefined);
      },
    );
  }

  train(options: TrainOptions, watch: TrainWatch = {}): Promise<TrainReport> {
    return this.start<TrainReport>(
      'train',
      (runId) => ({ type: 'train', runId, ...options }),
      watch.signal,
      (m, end) => {
        if (m.type === 'train-epoch') watch.onEpoch?.(m.epoch);
        else if (m.type === 'train-done') end(m.report);
      },
    );
  }

  addFilter(filter: TrainedFilterFile): Promise<ModelInfo> {
    return this.filtersJob((runId) => ({ type: 'add-filter', runId, filter }));
  }

  removeFilter(name: string): Promise<ModelInfo> {
    return this.filtersJob((runId) => ({ type: 'remove-filter', runId, name }));
  }

  private filtersJob(build: (runId: string) => WorkerRequest): Promise<ModelInfo> {
    return this.start<ModelInfo>('filter', build, undefined, (m, end) => m.type === 'filters' && end(m.info));
  }

  /**
   * Sends the request `build` makes for a fresh runId. `on` sees each of its messages but `cancelled` and `error` (which reject)
   * and calls `end` with the job's value. An abort of `signal` asks the worker to cancel; the promise then rejects
   * with DecodeCancelledError once the worker has stopped.
   */
  private start<T>(
    kind: string,
    build: (runId: string) => WorkerRequest,
    signal: AbortSignal | undefined,
    on: (message: WorkerMessage, end: (value: T) => void) => void,
  ): Promise<T> {
    if (this.dead) this.port = this.connect();
    this.seq += 1;
    const runId = `${kind}-${this.seq}-${this.session}`;
    return new Promise<T>((resolve, reject) => {
      const cancel = () => this.port.post({ type: 'cancel', runId });
      const settle = () => {
        this.pending.delete(runId);
        signal?.removeEventListener('abort', cancel);
      };
      this.pending.set(runId, {
        take: (message) => {
          if (message.type === 'cancelled' || message.type === 'error') {
            settle();
            reject(
              new WorkerError(
                message.type === 'error'
                  ? message.error
                  : { name: 'DecodeCancelledError', message: 'decoding was cancelled' },
              ),
            );
            return true;
          }
          let ended = false;
          on(message, (value) => {
            ended = true;
            settle();
            resolve(value);
          });
          return ended;
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      });
      this.port.post(build(runId));
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  /** Replaces the worker (after a crash, or to switch backends cleanly); pending jobs fail with `reason`. */
  restart(reason = 'the worker was restarted'): void {
    this.port.terminate();
    this.runtime = null;
    this.probed = false;
    this.failAll(new WorkerCrashedError(reason));
    this.port = this.connect();
  }

  dispose(): void {
    this.port.terminate();
    this.failAll(new WorkerCrashedError('the client was disposed'));
    this.incidents.clear();
  }

  private failAll(error: Error): void {
    const all = [...this.pending.values()];
    for (const p of all) p.fail(error);
  }

  private crashed(message: string): void {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (!this.heard || this.crashes.length >= CRASH_LIMIT) {
      // Starting another worker now would fail the same way (a script that cannot be fetched fails at once, over and
      // over): fail what waits, say so once, and start the next worker only when something is asked of it.
      const error = new WorkerUnreachableError(
        this.heard
          ? `the model worker crashed ${this.crashes.length} times in ${CRASH_WINDOW_MS / 1000} s (${message || 'no message'})`
          : 'cannot reach the server: the model worker could not be loaded (offline, or the site is being updated)',
      );
      this.port.terminate();
      this.runtime = null;
      this.probed = false;
      this.dead = true;
      this.failAll(error);
      this.incident(toWireError(error));
      return;
    }
    const error = new WorkerCrashedError(`the model worker crashed: ${message}`);
    // The new worker first, so listeners that react (reload the model) talk to it, not to the dead one.
    this.restart(error.message);
    this.incident(toWireError(error));
  }

  private incident(error: WireError): void {
    for (const listener of this.incidents) listener(error);
  }

  private receive(data: unknown): void {
    this.heard = true;
    let message: WorkerMessage;
    try {
      message = parseMessage(data);
    } catch (error) {
      // A message that fails its check still ends its job, when it names one; otherwise nobody waits for it.
      const runId = salvageRunId(data);
      const p = runId === null ? undefined : this.pending.get(runId);
      if (p) p.fail(new WorkerError(toWireError(error)));
      else this.incident(toWireError(error));
      return;
    }
    if (message.runId === null) {
      if (message.type === 'error') this.incident(message.error);
      return;
    }
    this.pending.get(message.runId)?.take(message); // a message of a job this client no longer waits for is dropped
  }
}
