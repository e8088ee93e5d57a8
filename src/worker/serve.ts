// The engine behind messages: each checked request becomes one call of the engine's interface (api.ts), its
// callbacks become messages carrying the request's runId, and its end one last message (a result, `cancelled` or
// `error`). Nothing here throws at the caller: a request that fails its check is answered with a SchemaError.
import { DecodeCancelledError } from '../core';
import type { DllmEngine } from './api';
import { isCancelled, toWireError, transferablesOf, type WorkerMessage } from './protocol';
import { parseRequest, salvageRunId } from './wire-check';

export type Post = (message: WorkerMessage, transfer: ArrayBuffer[]) => void;

export class DuplicateRunIdError extends Error {
  override name = 'DuplicateRunIdError';
}

/** A handler for incoming message data that drives `engine` and answers through `post`. */
export function serveEngine(engine: DllmEngine, post: Post): (data: unknown) => void {
  const jobs = new Map<string, AbortController>();
  const send = (message: WorkerMessage) => post(message, transferablesOf(message));

  /** Runs one job under `runId`: `run` gets the job's signal, `last` turns its value into the final message. */
  function start<T>(runId: string, run: (signal: AbortSignal) => Promise<T>, last: (value: T) => WorkerMessage): void {
    if (jobs.has(runId)) {
      send({ type: 'error', runId, error: toWireError(new DuplicateRunIdError(`runId ${runId} is already in use`)) });
      return;
    }
    const controller = new AbortController();
    jobs.set(runId, controller);
    // The job starts in a microtask, so even a synchronous failure of the engine is answered as a message.
    void Promise.resolve()
      .then(() => run(controller.signal))
      .then(
        (value) => send(last(value)),
        (error: unknown) =>
          send(isCancelled(error) ? { type: 'cancelled', runId } : { type: 'error', runId, error: toWireError(error) }),
      )
      .finally(() => jobs.delete(runId));
  }

  return (data) => {
    let request;
    try {
      request = parseRequest(data);
    } catch (error) {
      send({ type: 'error', runId: salvageRunId(data), error: toWireError(error) });
      return;
    }
    switch (request.type) {
      case 'cancel':
        jobs.get(request.runId)?.abort(new DecodeCancelledError('cancelled by the user'));
        return;
      case 'tokenize': {
        const { runId, prompt } = request;
        start(
          runId,
          () => engine.countTokens(prompt),
          (count) => ({ type: 'token-count', runId, count }),
        );
        return;
      }
      case 'load': {
        const { type: _, runId, ...options } = request;
        start(
          runId,
          (signal) =>
            engine.load(options, {
              signal,
              onPhase: (phase, detail) => send({ type: 'load-phase', runId, phase, detail }),
              onFile: (progress) => send({ type: 'load-file', runId, progress }),
            }),
          (info) => ({ type: 'ready', runId, info }),
        );
        return;
      }
      case 'compare': {
        const { type: _, runId, ...options } = request;
        start(
          runId,
          (signal) =>
            engine.compare(options, {
              signal,
              onModel: (info) => send({ type: 'model', runId, info }),
              onPaneStart: (pane) => send({ type: 'pane-start', runId, pane }),
              onStep: (pane, event) => send({ type: 'step', runId, pane, event }),
              onPaneDone: (pane, result) => send({ type: 'pane-done', runId, pane, result }),
              onPaneError: (pane, error) => send({ type: 'pane-error', runId, pane, error }),
              onClock: (pane, ms) => send({ type: 'clock', runId, pane, ms }),
              onReference: (result) => send({ type: 'reference', runId, result }),
            }),
          () => ({ type: 'compare-done', runId }),
        );
        return;
      }
      case 'bench': {
        const { type: _, runId, ...options } = request;
        start(
          runId,
          (signal) =>
            engine.bench(options, {
              signal,
              onModel: (info) => send({ type: 'model', runId, info }),
              onProgress: (done, total) => send({ type: 'bench-progress', runId, done, total }),
            }),
          (result) => ({ type: 'bench-done', runId, result }),
        );
        return;
      }
      case 'collect': {
        const { type: _, runId, ...options } = request;
        start(
          runId,
          (signal) =>
            engine.collect(options, {
              signal,
              onModel: (info) => send({ type: 'model', runId, info }),
              onHeader: (header) => send({ type: 'collect-header', runId, header }),
              onPrompt: (index, lines, nfe) => send({ type: 'collect-prompt', runId, index, lines, nfe }),
            }),
          () => ({ type: 'collect-done', runId }),
        );
        return;
      }
      case 'train': {
        const { type: _, runId, ...options } = request;
        start(
          runId,
          (signal) =>
            engine.train(options, { signal, onEpoch: (epoch) => send({ type: 'train-epoch', runId, epoch }) }),
          (report) => ({ type: 'train-done', runId, report }),
        );
        return;
      }
      case 'add-filter': {
        const { runId, filter } = request;
        start(
          runId,
          () => engine.addFilter(filter),
          (info) => ({ type: 'filters', runId, info }),
        );
        return;
      }
      case 'remove-filter': {
        const { runId, name } = request;
        start(
          runId,
          () => engine.removeFilter(name),
          (info) => ({ type: 'filters', runId, info }),
        );
        return;
      }
      default: {
        const exhaustive: never = request;
        return exhaustive;
      }
    }
  };
}
