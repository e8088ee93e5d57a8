// A Denoiser that replays a recorded trajectory: call k must be given exactly calls[k].ids and answers with
// calls[k].top1 / calls[k].conf. Any divergence throws, naming the call and the first differing position.

import type { Denoiser, StepOutput } from './types';

export interface RecordedCall {
  ids: readonly number[];
  top1: readonly number[];
  conf: readonly number[];
}

export class ReplayMismatchError extends Error {
  override name = 'ReplayMismatchError';
}

export class ReplayDenoiser implements Denoiser {
  private next = 0;

  constructor(private readonly calls: readonly RecordedCall[]) {}

  /** How many recorded calls have been answered. */
  get used(): number {
    return this.next;
  }

  async forward(ids: Int32Array): Promise<StepOutput> {
    const k = this.next;
    if (k >= this.calls.length) {
      throw new ReplayMismatchError(`call ${k}: the decoder made more calls than the ${this.calls.length} recorded`);
    }
    const want = this.calls[k].ids;
    const n = Math.min(want.length, ids.length);
    for (let i = 0; i < n; i++) {
      if (ids[i] !== want[i])
        throw new ReplayMismatchError(
          `call ${k}: ids differ first at position ${i} (got ${ids[i]}, expected ${want[i]})`,
        );
    }
    if (ids.length !== want.length) {
      throw new ReplayMismatchError(
        `call ${k}: ids have length ${ids.length}, expected ${want.length} (equal up to position ${n})`,
      );
    }
    this.next++;
    // Float64 keeps the recorded confidences exact, so oracle samples compare equal to the vector's.
    return { top1: Int32Array.from(this.calls[k].top1), conf: Float64Array.from(this.calls[k].conf) };
  }
}
