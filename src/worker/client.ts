// The UI's typed handle on the model worker. Each method sends one request with a fresh runId and returns a
// promise (or an async iterator of steps) settled by the messages carrying that runId; `subscribe` sees every
// checked message (the app's bridge writes them into the store). The transport is a `Port`: a real Web Worker in
// the app, the engine in-process in tests, so both drive the same client.
import {
  parseMessage,
  toWireError,
  WorkerError,
  type BenchRequest,
  type BenchResult,
  type LoadRequest,
  type ModelInfo,
  type RunRequest,
  type WireResult,
  type WireStep,
  type WorkerMessage,
  type WorkerRequest,
} from './protocol';

/** How the client reaches an engine. */
export interface Port {
  post(request: WorkerRequest): void;
  /** Registers the single receiver of raw incoming data and of crash reports. */
  listen(onData: (data: unknown) => void, onCrash: (message: string) => void): void;
  terminate(): void;
}

export type RunOutcome = { kind: 'done'; result: WireResult } | { kind: 'cancelled' };

export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
}

type Pending =
  | { kind: 'load'; resolve: (info: ModelInfo) => void; reject: (e: Error) => void }
  | { kind: 'tokenize'; resolve: (count: { tokens: number; max: number }) => void; reject: (e: Error) => void }
  | { kind: 'run'; onStep?: (step: WireStep) => void; resolve: (outcome: RunOutcome) => void; reject: (e: Error) => void }
  | { kind: 'bench'; onProgress?: (done: number, total: number) => void; resolve: (result: BenchResult | null) => void; reject: (e: Error) => void };

export type LoadOptions = Omit<LoadRequest, 'type' | 'runId'>;
export type RunOptions = Omit<RunRequest, 'type' | 'runId'>;
export type BenchOptions = Omit<BenchRequest, 'type' | 'runId'>;

export interface Started<T> {
  runId: string;
  done: Promise<T>;
}

export class DllmClient {
  private port: Port;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<(message: WorkerMessage) => void>();
  private seq = 0;
  /** The backend choice of the last load. */
  private backend: LoadOptions['backend'] | null = null;
  /** The onnxruntime build the worker reported in its last ready (null: not known yet, or one runtime). */
  private runtime: ModelInfo['runtime'] = null;
  /** Whether a load on this worker has probed for WebGPU (any choice but 'wasm') and reached ready. */
  private probed = false;
  private readonly session = Math.random().toString(36).slice(2, 8);

  constructor(private readonly makePort: () => Port) {
    this.port = this.connect();
  }

  private connect(): Port {
    const port = this.makePort();
    port.listen(
      (data) => this.receive(data),
      (message) => this.crashed(message),
    );
    return port;
  }

  /** A runId unique to this client: `<kind>-<n>-<session>`. */
  newRunId(kind: string): string {
    this.seq += 1;
    return `${kind}-${this.seq}-${this.session}`;
  }

  subscribe(listener: (message: WorkerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(options: LoadOptions): Started<ModelInfo> {
    if (this.needsNewWorker(options.backend)) this.restart('the backend changed');
    this.backend = options.backend;
    const runId = this.newRunId('load');
    const done = new Promise<ModelInfo>((resolve, reject) =>
      this.pending.set(runId, {
        kind: 'load',
        resolve: (info) => {
          this.runtime = info.runtime;
          this.probed ||= options.backend !== 'wasm';
          resolve(info);
        },
        reject,
      }),
    );
    this.port.post({ type: 'load', runId, ...options });
    return { runId, done };
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

  tokenize(prompt: string): Promise<{ tokens: number; max: number }> {
    const runId = this.newRunId('tok');
    const done = new Promise<{ tokens: number; max: number }>((resolve, reject) => this.pending.set(runId, { kind: 'tokenize', resolve, reject }));
    this.port.post({ type: 'tokenize', runId, prompt });
    return done;
  }

  run(options: RunOptions, onStep?: (step: WireStep) => void): Started<RunOutcome> {
    const runId = this.newRunId('run');
    const done = new Promise<RunOutcome>((resolve, reject) => this.pending.set(runId, { kind: 'run', onStep, resolve, reject }));
    this.port.post({ type: 'run', runId, ...options });
    return { runId, done };
  }

  /** The same run as an async iterator of its steps; returns the outcome; throws the run's error. */
  async *stream(options: RunOptions): AsyncGenerator<WireStep, RunOutcome, void> {
    const queue: WireStep[] = [];
    let wake: (() => void) | null = null;
    const { done } = this.run(options, (step) => {
      queue.push(step);
      wake?.();
    });
    let outcome: RunOutcome | null = null;
    let failure: Error | null = null;
    done.then(
      (o) => {
        outcome = o;
        wake?.();
      },
      (e: Error) => {
        failure = e;
        wake?.();
      },
    );
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (failure !== null) throw failure;
      if (outcome !== null) return outcome;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  }

  bench(options: BenchOptions, onProgress?: (done: number, total: number) => void): Started<BenchResult | null> {
    const runId = this.newRunId('bench');
    const done = new Promise<BenchResult | null>((resolve, reject) => this.pending.set(runId, { kind: 'bench', onProgress, resolve, reject }));
    this.port.post({ type: 'bench', runId, ...options });
    return { runId, done };
  }

  cancel(runId: string): void {
    this.port.post({ type: 'cancel', runId });
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
    this.listeners.clear();
  }

  private failAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }

  private crashed(message: string): void {
    const error = new WorkerCrashedError(`the model worker crashed: ${message}`);
    // The new worker first, so listeners that react (reload the model) talk to it, not to the dead one.
    this.restart(error.message);
    this.emit({ type: 'error', runId: null, error: toWireError(error) });
  }

  private emit(message: WorkerMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  private receive(data: unknown): void {
    let message: WorkerMessage;
    try {
      message = parseMessage(data);
    } catch (error) {
      this.emit({ type: 'error', runId: null, error: toWireError(error) });
      return;
    }
    this.emit(message);
    if (message.runId === null) return;
    const p = this.pending.get(message.runId);
    if (!p) return; // a message for a run this client no longer waits for
    this.settle(p, message);
  }

  private settle(p: Pending, message: WorkerMessage): void {
    const finish = () => {
      if (message.runId !== null) this.pending.delete(message.runId);
    };
    switch (message.type) {
      case 'load-phase':
      case 'load-file':
        return;
      case 'ready':
        if (p.kind === 'load') {
          finish();
          p.resolve(message.info);
        }
        return;
      case 'token-count':
        if (p.kind === 'tokenize') {
          finish();
          p.resolve({ tokens: message.tokens, max: message.max });
        }
        return;
      case 'step':
        if (p.kind === 'run') p.onStep?.(message.event);
        return;
      case 'done':
        if (p.kind === 'run') {
          finish();
          p.resolve({ kind: 'done', result: message.result });
        }
        return;
      case 'bench-progress':
        if (p.kind === 'bench') p.onProgress?.(message.done, message.total);
        return;
      case 'bench-done':
        if (p.kind === 'bench') {
          finish();
          p.resolve(message.result);
        }
        return;
      case 'cancelled':
        finish();
        if (p.kind === 'run') p.resolve({ kind: 'cancelled' });
        else if (p.kind === 'bench') p.resolve(null);
        else p.reject(new RunCancelledError('cancelled'));
        return;
      case 'error':
        finish();
        p.reject(new WorkerError(message.error));
        return;
      default: {
        const exhaustive: never = message;
        return exhaustive;
      }
    }
  }
}

/** A port over a module Web Worker. */
export function workerPort(create: () => Worker): () => Port {
  return () => {
    const worker = create();
    return {
      post: (request) => worker.postMessage(request),
      listen(onData, onCrash) {
        worker.addEventListener('message', (event: MessageEvent<unknown>) => onData(event.data));
        worker.addEventListener('messageerror', () => onData({ type: 'invalid', reason: 'a message could not be deserialized' }));
        worker.addEventListener('error', (event: ErrorEvent) => {
          event.preventDefault();
          onCrash(event.message || 'an uncaught error in the worker');
        });
      },
      terminate: () => worker.terminate(),
    };
  };
}

/** The app's client: the model worker bundled by Vite from worker.ts. */
export function createWorkerClient(): DllmClient {
  return new DllmClient(workerPort(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dllm' })));
}
