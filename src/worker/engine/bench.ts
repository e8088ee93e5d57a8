// The bench phase: the browser's benchmark view runs evaluate(), the code of `npm run bench`, on the prompts and
// specs it sends, and gets the rows without their per-prompt outcomes.
import { type DecoderReport, type EvalPrompt, evalModelOf, evaluate } from '../../eval/evaluate';
import type { BenchOptions, BenchWatch } from '../api';
import type { BenchReport, BenchResult } from '../protocol';
import type { ActiveModel } from './load';

function trimReport(r: DecoderReport): BenchReport {
  return {
    label: r.label,
    decoder: r.spec.decoder,
    spec: r.spec,
    n: r.n,
    checked: r.checked,
    accuracy: r.accuracy,
    agreement: r.agreement,
    meanNfe: r.meanNfe,
    tokensPerSecond: r.tokensPerSecond,
    msPerStep: r.msPerStep,
    nfeSpeedup: r.nfeSpeedup,
  };
}

export async function runBench(
  model: ActiveModel,
  options: BenchOptions,
  watch: BenchWatch,
  signal: AbortSignal,
  now: () => number,
): Promise<BenchResult> {
  const t0 = now();
  const prompts: EvalPrompt[] = options.prompts.map((p) => ({
    prompt: p.prompt,
    ...(p.family !== null ? { family: p.family } : {}),
    ...(p.answer !== null ? { answer: p.answer } : {}),
  }));
  const { reference, reports } = await evaluate(evalModelOf(model.loaded), prompts, options.canvas, options.specs, {
    signal,
    onProgress: watch.onProgress,
  });
  return { reference: trimReport(reference), reports: reports.map(trimReport), ms: now() - t0 };
}
