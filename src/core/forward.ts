// One step's forward, with or without Fast-dLLM's KV cache (spec §7), and the check of what the denoiser returned.
import type { ResolvedConfig } from './config';
import { ModelOutputError } from './errors';
import { type Denoiser, HEAD_EXTRAS, type HeadExtra, type KvForwards, type StepEvent, type StepOutput } from './types';

/** What one decode asks of each forward: the extras it needs, and those it records where the model has them. */
export interface Asks {
  required: readonly HeadExtra[];
  asked: readonly HeadExtra[];
}

/** What a step's forward reads of the decode, and `held`, which it updates: the outputs the last step left. */
export interface ForwardContext {
  cfg: ResolvedConfig;
  denoiser: Denoiser;
  asks: Asks;
  kv?: KvForwards;
  held?: StepOutput;
}

/** Refuses a forward's output that lacks a field the decode needs or has the wrong length (`length` ids). */
function checkedOutput(
  out: StepOutput,
  length: number,
  step: number,
  decoder: ResolvedConfig['decoder'],
  asks: Asks,
): StepOutput {
  for (const field of ['top1', 'conf', ...asks.asked] as const) {
    const len = out?.[field]?.length;
    if (len === undefined && field !== 'top1' && field !== 'conf') {
      if (!asks.required.includes(field)) continue; // recorded where the model gives it
      throw new ModelOutputError(
        `the model gives no ${field} output, which the ${decoder} decoder reads (a graph from before spec §8: re-export it with training/export.py)`,
      );
    }
    if (len !== length) {
      throw new ModelOutputError(
        `denoiser returned ${field} of length ${String(len)} for ${length} ids at step ${step}`,
      );
    }
  }
  return out;
}

/** What one step's forward computed: its outputs over the whole sequence, and what kind of forward it was. */
export interface Forwarded {
  out: StepOutput;
  forward: StepEvent['forward'];
  positions: number;
  window?: [number, number]; // absolute [start, end)
}

/** A copy of a forward's outputs (each field the forward gave). */
function copied(out: StepOutput): StepOutput {
  const copy: StepOutput = { top1: out.top1.slice(), conf: out.conf.slice() };
  for (const e of HEAD_EXTRAS) {
    const values = out[e];
    if (values !== undefined) copy[e] = values.slice();
  }
  return copy;
}

/** `held` (the last outputs over the sequence) cut to `length`, with `w` written at [start, start + w.length). */
function merged(held: StepOutput, w: StepOutput, start: number, length: number): StepOutput {
  const top1 = held.top1.slice(0, length);
  top1.set(w.top1, start);
  const conf = held.conf.slice(0, length);
  conf.set(w.conf, start);
  const out: StepOutput = { top1, conf };
  for (const e of HEAD_EXTRAS) {
    const h = held[e];
    const fresh = w[e];
    if (h === undefined || fresh === undefined) continue;
    const arr = h.slice(0, length);
    arr.set(fresh, start);
    out[e] = arr;
  }
  return out;
}

/**
 * The step's forward (spec §7). Without a cache, the whole sequence. With one, a block's first step is a full
 * forward that keeps the keys/values, and each later step a window: the block and everything after it (prefix),
 * or the block alone (dual); outside the window the block start's outputs stand (the guesses a UI draws as stale).
 */
export async function forwardStep(
  ctx: ForwardContext,
  x: Int32Array,
  block: { start: number; step: number },
  blockEnd: number,
  nfe: number,
): Promise<Forwarded> {
  const { cfg, asks, kv } = ctx;
  if (kv === undefined) {
    const out = await ctx.denoiser.forward(x.slice(), asks.asked);
    return { out: checkedOutput(out, x.length, nfe, cfg.decoder, asks), forward: 'full', positions: x.length };
  }
  if (block.step === 0 || ctx.held === undefined) {
    const out = checkedOutput(await kv.full(x.slice(), asks.asked), x.length, nfe, cfg.decoder, asks);
    ctx.held = copied(out); // the Denoiser contract does not promise a fresh array per forward
    return { out: ctx.held, forward: 'full', positions: x.length };
  }
  const end = cfg.cache === 'prefix' ? x.length : blockEnd;
  const w = await kv.window(x.slice(block.start, end), block.start, x.length, asks.asked);
  ctx.held = merged(ctx.held, checkedOutput(w, end - block.start, nfe, cfg.decoder, asks), block.start, x.length);
  return { out: ctx.held, forward: 'window', positions: end - block.start, window: [block.start, end] };
}
