// The run phase: one comparison. The prompt is tokenized once and the canvas checked once; each pane's decoder
// then runs on it in turn (one `step` per forward, with its time split), and the one-token-per-step reference is
// decoded at most once: for the EGP oracle pane, for the check after the panes, or taken from a reference pane or
// from the cache of earlier comparisons.
import {
  type Canvas,
  cacheOf,
  configFor,
  type DecodeResult,
  type DecoderSpec,
  decodeSteps,
  type Filter,
  isReferenceSpec,
  REFERENCE_SPEC,
  requireFilter,
  validateConfig,
} from '../../core';
import { type EvalModel, encodeChecked, evalModelOf } from '../../eval/evaluate';
import { StepClock, timedDenoiser, timedFilter } from '../../eval/timing';
import type { CompareOptions, CompareWatch } from '../api';
import { isCancelled, toWireError, type WireResult, type WireStep, type WorkerMemory } from '../protocol';
import { DeviceLostError, PromptError } from './errors';
import { type ActiveModel, ensureKv } from './load';

const REFERENCE_CACHE_SIZE = 8;

/** One-token-per-step results by prompt ids and canvas, so the agreement check and the EGP oracle reuse them. */
export class ReferenceCache {
  private readonly entries = new Map<string, DecodeResult>();

  private static key(ids: Int32Array, canvas: Canvas): string {
    return `${ids.join(',')}|${canvas.genLength}|${canvas.blockLength}`;
  }

  get(ids: Int32Array, canvas: Canvas): DecodeResult | undefined {
    return this.entries.get(ReferenceCache.key(ids, canvas));
  }

  set(ids: Int32Array, canvas: Canvas, result: DecodeResult): void {
    this.entries.set(ReferenceCache.key(ids, canvas), result);
    if (this.entries.size > REFERENCE_CACHE_SIZE) this.entries.delete(this.entries.keys().next().value ?? '');
  }

  clear(): void {
    this.entries.clear();
  }
}

export interface RunContext {
  model: ActiveModel;
  references: ReferenceCache;
  now: () => number;
  memory(): WorkerMemory;
}

/** The prompt's ids with the model's format; a blank prompt or one longer than the model takes is refused. */
export function encodePrompt(model: EvalModel, prompt: string): Int32Array {
  if (prompt.trim().length === 0) throw new PromptError('the prompt is empty: type a question or pick an example');
  return encodeChecked(model, prompt);
}

function resultOf(ctx: RunContext, r: DecodeResult, clock: StepClock, cached: boolean): WireResult {
  return {
    answerIds: r.answer.slice(),
    answerText: ctx.model.loaded.tokenizer.decodeAnswer(r.answer),
    nfe: r.nfe,
    ms: r.ms,
    ...clock.total,
    promptTokens: r.promptLength,
    canvasLength: r.output.length - r.promptLength,
    cached,
    memory: ctx.memory(),
  };
}

/** One pane's decode: the prompt's ids on the comparison's canvas with the pane's spec (and, for the EGP oracle, the reference output). */
interface PaneJob {
  ids: Int32Array;
  canvas: Canvas;
  spec: DecoderSpec;
  reference: Int32Array | undefined;
}

/** Decodes one pane with a time split per step; throws DeviceLostError between steps once the GPU is gone. */
async function decodePane(
  ctx: RunContext,
  job: PaneJob,
  onStep: (event: WireStep) => void,
  signal: AbortSignal,
): Promise<{ result: DecodeResult; clock: StepClock }> {
  const { model } = ctx;
  const clock = new StepClock();
  const filter: Filter | undefined =
    job.spec.decoder === 'learn2pd'
      ? timedFilter(requireFilter(model.loaded.filters, job.canvas.blockLength, job.spec.filter).filter, clock, ctx.now)
      : undefined;
  const denoiser = timedDenoiser(model.loaded.denoiser, clock, () => model.ort.lastReadbackMs?.() ?? 0, ctx.now);
  const config = configFor(model.info, job.canvas, job.spec, job.reference);
  const steps = decodeSteps(job.ids, config, denoiser, filter, { signal, now: ctx.now });
  for (;;) {
    if (model.lost !== null)
      throw new DeviceLostError(`the GPU device was lost: ${model.lost}. The next run rebuilds the model.`);
    const next = await steps.next();
    if (next.done) return { result: next.value, clock };
    const e = next.value;
    onStep({
      step: e.step,
      blockStart: e.blockStart,
      committed: e.committed,
      guesses: e.guesses,
      conf: e.conf,
      cutAt: e.cutAt ?? null,
      forward: e.forward,
      window: e.window ?? null,
      positions: e.positions,
      ms: e.ms,
      ...clock.take(),
    });
  }
}

/** The comparison of `options`; a pane that cannot run is reported and the next one runs. */
export async function runCompare(
  ctx: RunContext,
  options: CompareOptions,
  watch: CompareWatch,
  signal: AbortSignal,
): Promise<void> {
  const { model, references } = ctx;
  const { canvas } = options;
  const em = evalModelOf(model.loaded);
  const ids = encodePrompt(em, options.prompt);
  // A canvas the spec does not allow would fail every pane alike: it ends the comparison before any pane runs.
  validateConfig(configFor(model.info, canvas, REFERENCE_SPEC), ids);
  if (options.panes.some((spec) => cacheOf(spec) !== 'none')) await ensureKv(model);
  const reference = async (): Promise<{ result: DecodeResult; cached: boolean }> => {
    const hit = references.get(ids, canvas);
    if (hit) return { result: hit, cached: true };
    const steps = decodeSteps(ids, configFor(model.info, canvas, REFERENCE_SPEC), model.loaded.denoiser, undefined, {
      signal,
    });
    for (;;) {
      const next = await steps.next();
      if (next.done) {
        references.set(ids, canvas, next.value);
        return { result: next.value, cached: false };
      }
    }
  };
  const finished: { pane: number; job: PaneJob }[] = [];
  for (const [pane, spec] of options.panes.entries()) {
    watch.onPaneStart?.(pane);
    try {
      const job: PaneJob = {
        ids,
        canvas,
        spec,
        reference: spec.decoder === 'egp_oracle' ? (await reference()).result.output : undefined,
      };
      const { result, clock } = await decodePane(ctx, job, (event) => watch.onStep?.(pane, event), signal);
      if (isReferenceSpec(spec)) references.set(ids, canvas, result);
      watch.onPaneDone?.(pane, resultOf(ctx, result, clock, false));
      finished.push({ pane, job });
    } catch (error) {
      if (signal.aborted || isCancelled(error) || error instanceof DeviceLostError) throw error;
      watch.onPaneError?.(pane, toWireError(error));
    }
  }
  // The clock again: greedy decoding repeats the same steps, so only the time differs; the panes take turns, so the
  // machine's drift touches them alike.
  for (let run = 1; run < options.clockRuns; run++) {
    for (const { pane, job } of finished)
      watch.onClock?.(pane, (await decodePane(ctx, job, () => undefined, signal)).result.ms);
  }
  if (options.reference) {
    const ref = await reference();
    watch.onReference?.(resultOf(ctx, ref.result, new StepClock(), ref.cached));
  }
}
