// The engine's job queue: one job at a time (one model cannot decode twice at once), each with its own abort
// signal, linked to the caller's, so a cancel stops it between forwards and a new model load stops them all.
import { DecodeCancelledError } from '../../core';

export class JobQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly running = new Set<AbortController>();

  /**
   * Runs `job` after every job queued before it. It rejects with DecodeCancelledError once cancelled (by `signal`
   * or abortAll), whatever the job threw after the abort.
   */
  run<T>(signal: AbortSignal | undefined, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const follow = () => controller.abort(signal?.reason);
    if (signal?.aborted) follow();
    else signal?.addEventListener('abort', follow, { once: true });
    this.running.add(controller);
    const done = this.tail
      .then(() => {
        if (controller.signal.aborted) throw new DecodeCancelledError(controller.signal.reason);
        return job(controller.signal);
      })
      .catch((error: unknown) => {
        throw controller.signal.aborted && !(error instanceof DecodeCancelledError)
          ? new DecodeCancelledError(controller.signal.reason)
          : error;
      })
      .finally(() => {
        this.running.delete(controller);
        signal?.removeEventListener('abort', follow);
      });
    this.tail = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** Cancels every job queued or running. */
  abortAll(reason: string): void {
    for (const controller of this.running) controller.abort(new DecodeCancelledError(reason));
  }

  /** Resolves once every job queued so far has ended. */
  idle(): Promise<void> {
    return this.tail;
  }
}
