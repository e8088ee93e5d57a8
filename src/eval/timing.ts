// Step timing, measured one way for `npm run bench`, evaluate() and the worker: a clock, and wrappers around a
// Denoiser and a Filter that add each call's time to it. The worker takes one step's split after every forward;
// evaluate() keeps one clock per decoder spec, so each row reports its filter's share of decoding time.
import type { BlockFilter, Denoiser, Filter, SlotFilter, StepOutput } from '../core';

/** Where one step's time went (milliseconds). */
export interface StepSplit {
  forwardMs: number; // the dLLM's session run, the copy of its outputs included
  readbackMs: number; // of forwardMs: copying the outputs off the GPU (0 on CPU backends)
  filterMs: number; // the Learn2PD filter's calls
}

export class StepClock {
  private step: StepSplit = { forwardMs: 0, readbackMs: 0, filterMs: 0 };
  /** Totals over every step taken so far. */
  readonly total: StepSplit = { forwardMs: 0, readbackMs: 0, filterMs: 0 };
  /** Filter calls so far (the loop skips calls that cannot change a step). */
  filterCalls = 0;

  addForward(ms: number, readbackMs: number): void {
    this.step.forwardMs += ms;
    this.step.readbackMs += readbackMs;
  }

  addFilter(ms: number): void {
    this.step.filterMs += ms;
    this.filterCalls++;
  }

  /** The split since the last take (one step's, when taken after each StepEvent), added to the totals. */
  take(): StepSplit {
    const split = this.step;
    this.total.forwardMs += split.forwardMs;
    this.total.readbackMs += split.readbackMs;
    this.total.filterMs += split.filterMs;
    this.step = { forwardMs: 0, readbackMs: 0, filterMs: 0 };
    return split;
  }

  /** Filter time not yet taken plus the totals: what a clock that is never taken (evaluate's) has measured. */
  filterMsSoFar(): number {
    return this.total.filterMs + this.step.filterMs;
  }
}

/** A denoiser that knows how long its last forward took (the onnxruntime one measures its own session run). */
export interface SelfTimedDenoiser extends Denoiser {
  readonly lastForwardMs?: number;
}

type Now = () => number;
const defaultNow: Now = () => performance.now();

/** `inner`, adding each forward's time to `clock` (its own measure where it has one) and the readback it reports. */
export function timedDenoiser(
  inner: SelfTimedDenoiser,
  clock: StepClock,
  readbackMs: () => number = () => 0,
  now: Now = defaultNow,
): Denoiser {
  const timed = async (
    call: () => Promise<StepOutput>,
    selfMs: () => number | undefined = () => inner.lastForwardMs,
  ): Promise<StepOutput> => {
    const t0 = now();
    const out = await call();
    clock.addForward(selfMs() ?? now() - t0, readbackMs());
    return out;
  };
  const kv = inner.kv;
  return {
    forward: (ids, extras) => timed(() => inner.forward(ids, extras)),
    // The KV cache's forwards are timed alike (spec §7): a window step's forward is what the cache saves.
    ...(kv === undefined
      ? {}
      : {
          kv: {
            full: (ids, extras) =>
              timed(
                () => kv.full(ids, extras),
                () => undefined,
              ),
            window: (ids, start, length, extras) =>
              timed(
                () => kv.window(ids, start, length, extras),
                () => undefined,
              ),
            release: () => kv.release(),
          },
        }),
  };
}

/** `inner`, adding each call's time and count to `clock`. */
export function timedFilter(inner: Filter, clock: StepClock, now: Now = defaultNow): Filter {
  const timed = async (call: () => Promise<Float32Array> | Float32Array): Promise<Float32Array> => {
    const t0 = now();
    const out = await call();
    clock.addFilter(now() - t0);
    return out;
  };
  if (inner.kind === 'slot') {
    const slot = inner;
    const out: SlotFilter = { ...slot, logits: (block) => timed(() => slot.logits(block)) };
    return out;
  }
  const block = inner;
  const out: BlockFilter = { ...block, logits: (input) => timed(() => block.logits(input)) };
  return out;
}
