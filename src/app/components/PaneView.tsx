// One decoder's pane: title, counters, the canvas at the displayed step, the answer, and after the run the
// verdicts (steps against one token per step, agreement with the reference, correctness, a canvas too short for the
// answer, a prompt outside the model's task families) and where each step's time went. The root's data attributes
// say what it ran (method, EoTP, filter) for tests and scripts.
import { useMemo } from 'react';
import { PAPER_FILTER } from '../../core';
import { promptFamily } from '../../tasks';
import type { DecoderSpec } from '../../worker/protocol';
import { canvasAt, countersAt, partialText, sameIds } from '../derive';
import { isCorrect } from '../examples';
import { ms, rate, ratio, threshold } from '../format';
import { filterTitle, gammaText, paneColor, paneTitle } from '../palette';
import { effectiveCanvas, type PaneId, panePlan } from '../settings';
import { displayIndex } from '../store/runs-slice';
import type { PaneRun, PaneState, ReferenceCheck } from '../store/types';
import { ranOutOfCanvas } from '../summary';
import { useApp } from '../use-app';
import { CanvasGrid } from './CanvasGrid';
import { TimeSplit } from './TimeSplit';

function describeSpec(spec: DecoderSpec, filter: string): string {
  const eotp = spec.eotp ? ' · EoTP on' : ' · EoTP off';
  switch (spec.decoder) {
    case 'threshold':
      return `commits every guess with confidence ≥ τ ${threshold(spec.tau)}${eotp}`;
    case 'factor':
      return `commits the n most confident while (n+1)(1 − c) < f ${threshold(spec.factor)}${eotp}`;
    case 'eb_sampler':
      return `commits the lowest-entropy guesses, entropy bound γ ${gammaText(spec.gamma)}${eotp}`;
    case 'learn2pd':
      return `${filterTitle(filter)} picks the final guesses, τf ${threshold(spec.tauFilter)}${eotp}`;
    case 'low_confidence':
      return `the most confident guess only${spec.eotp ? ' · EoTP on' : ': the reference'}`;
    case 'egp_oracle':
      return 'commits exactly the guesses that match the reference (a lower bound on steps)';
    default: {
      const exhaustive: never = spec;
      return exhaustive;
    }
  }
}

const STATE_TEXT: Record<PaneState, string> = {
  idle: 'Waiting for a run',
  loading: 'Queued: waits for the pane before it',
  running: 'Decoding…',
  done: 'Done',
  error: 'Error',
};

function Counter({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="counter">
      <span className="counter-value" data-testid={testId}>
        {value}
      </span>
      <span className="counter-label">{label}</span>
    </div>
  );
}

export function PaneView({ id }: { id: PaneId }) {
  const pane = useApp((s) => s.comparison?.panes.find((p) => p.id === id) ?? null);
  const comparison = useApp((s) => s.comparison);
  const prompt = useApp((s) => s.prompt);
  const backend = useApp((s) => s.environment.backend);
  const playback = useApp((s) => s.playback);
  const info = useApp((s) => s.model.info);
  const settings = useApp((s) => s.settings);

  const spec = pane?.spec ?? panePlan(settings, info).find((p) => p.id === id)?.spec ?? null;
  const kind = comparison?.kind ?? settings.comparison;
  const { genLength, blockLength } = comparison?.canvas ?? effectiveCanvas(settings, info);
  const events = pane?.events ?? EMPTY;
  const index = pane ? displayIndex(pane, playback) : -1;
  const eosId = info?.eosId ?? 0;
  const view = useMemo(() => canvasAt(events, index, genLength), [events, index, genLength]);
  const counters = useMemo(
    () => countersAt(events, index, eosId, pane?.result ?? null),
    [events, index, eosId, pane?.result],
  );
  const vocab = info?.vocab ?? EMPTY_VOCAB;
  const state: PaneState = pane?.state ?? 'idle';
  const result = pane?.result ?? null;
  const atEnd = result !== null && index === events.length - 1;
  const answer = atEnd ? result.answerText : partialText(view.slots, vocab, eosId);
  const filter = spec?.decoder === 'learn2pd' ? (spec.filter ?? PAPER_FILTER) : '';
  // Results stay on screen after the prompt, the backend or the settings changed, marked as of an earlier run.
  const planned = useMemo(() => JSON.stringify(panePlan(settings, info)), [settings, info]);
  const stale =
    comparison !== null &&
    (comparison.prompt !== prompt ||
      comparison.backend !== backend ||
      planned !== JSON.stringify(comparison.panes.map((p) => ({ id: p.id, spec: p.spec }))) ||
      JSON.stringify(effectiveCanvas(settings, info)) !== JSON.stringify(comparison.canvas));
  const color = paneColor(id, spec?.decoder ?? 'low_confidence');

  return (
    <article
      className={stale ? 'pane stale' : 'pane'}
      data-testid={`pane-${id}`}
      data-method={spec?.decoder ?? ''}
      data-eotp={spec ? String(spec.eotp) : ''}
      data-filter={filter}
      data-cache={spec?.cache ?? 'none'}
      data-window-steps={counters.forwards.window.n}
      data-full-forward-ms={counters.forwards.full.forwardMs}
      data-window-forward-ms={counters.forwards.window.forwardMs}
      data-stale={String(stale)}
      data-state={state}
      data-nfe={events.length}
      data-answer={result?.answerText ?? ''}
      data-cancelled={pane?.cancelled ? 'true' : 'false'}
      data-run-id={pane && comparison ? `${id}-${comparison.id}` : ''}
      data-ms={result?.ms ?? ''}
      data-clock-ms={pane?.clockMs.join(',') ?? ''}
      data-forward-ms={result?.forwardMs ?? ''}
      data-readback-ms={result?.readbackMs ?? ''}
      data-filter-ms={result?.filterMs ?? ''}
      data-live-tensors={result?.memory.liveTensors ?? ''}
      data-created-tensors={result?.memory.createdTensors ?? ''}
      data-wasm-bytes={result?.memory.wasmBytes ?? ''}
      data-js-heap-bytes={result?.memory.jsHeapBytes ?? ''}
      style={{ borderTopColor: color }}
    >
      <header className="pane-head">
        <h2 style={{ color }}>{spec ? paneTitle(spec, kind) : ''}</h2>
        <p className="pane-desc">{spec ? describeSpec(spec, filter) : ''}</p>
        <p className={`pane-state state-${state}`} data-testid={`pane-${id}-status`}>
          {stale && state !== 'running' && state !== 'loading'
            ? 'These results are of an earlier prompt or settings: run again'
            : pane?.cancelled
              ? `Cancelled after ${events.length} steps`
              : state === 'error' && pane?.error
                ? `${pane.error.name}: ${pane.error.message}`
                : state === 'done' && index < events.length - 1
                  ? `Decoded in ${events.length} steps; showing step ${index + 1}`
                  : STATE_TEXT[state]}
        </p>
      </header>
      <div className="counters">
        <Counter label="steps (NFE)" value={String(counters.nfe)} testId={`pane-${id}-step`} />
        <Counter label="this step" value={String(counters.committedNow)} />
        <Counter label="time" value={counters.nfe > 0 ? ms(counters.ms) : '–'} />
        <Counter label="ms/step" value={counters.nfe > 0 ? counters.msPerStep.toFixed(1) : '–'} />
        <Counter label="tokens/s" value={counters.nfe > 0 ? rate(counters.tokensPerSecond) : '–'} />
      </div>
      <CanvasGrid view={view} vocab={vocab} eosId={eosId} blockLength={blockLength} />
      <p className="answer" data-testid={`pane-${id}-answer`}>
        <span className="answer-label">Answer</span> {answer.length > 0 ? answer : '\u00a0'}
      </p>
      <Verdicts pane={pane} genLength={genLength} reference={comparison?.reference ?? null} />
      <TimeSplit
        forward={counters.forwardMs}
        readback={counters.readbackMs}
        filter={counters.filterMs}
        other={counters.otherMs}
        forwards={counters.forwards}
      />
    </article>
  );
}

const EMPTY: PaneRun['events'] = [];

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
const EMPTY_VOCAB: string[] = [];

function Verdicts({
  pane,
  genLength,
  reference,
}: {
  pane: PaneRun | null;
  genLength: number;
  reference: ReferenceCheck | null;
}) {
  const comparison = useApp((s) => s.comparison);
  const result = pane?.result ?? null;
  if (result === null || pane === null || comparison === null) return <ul className="verdicts" aria-hidden="true" />;
  const source = comparison.source;
  const correct = isCorrect(source, result.answerText);
  const outside = promptFamily(comparison.prompt) === null;
  const refNfe = reference?.result?.nfe ?? genLength;
  const agrees = reference?.result ? sameIds(result.answerIds, reference.result.answerIds) : null;
  return (
    <ul className="verdicts">
      <li data-testid="verdict-speedup">
        <strong>{ratio(refNfe / Math.max(1, result.nfe))}</strong> fewer steps than one token per step ({refNfe} →{' '}
        {result.nfe})
      </li>
      <li data-testid="verdict-reference" data-agrees={agrees === null ? '' : String(agrees)}>
        {agrees === null
          ? reference?.state === 'off'
            ? 'Reference check off'
            : reference?.state === 'error' || reference?.state === 'cancelled'
              ? 'Reference check did not finish'
              : 'Checking against the reference…'
          : agrees
            ? '✓ Same answer as the one-token-per-step reference'
            : '✗ Differs from the one-token-per-step reference'}
      </li>
      {correct !== null ? (
        <li data-testid="verdict-correct" data-correct={String(correct)} className={correct ? 'good' : 'bad'}>
          {correct ? '✓ Correct' : `✗ Wrong: expected “${shorten(source?.answer ?? '', 70)}”`}
        </li>
      ) : null}
      {ranOutOfCanvas(pane) ? (
        <li data-testid="verdict-canvas" className="bad">
          ✗ The canvas ({result.canvasLength} tokens) ran out before the answer ended: choose a longer canvas
        </li>
      ) : null}
      {outside ? (
        <li data-testid="verdict-outside" className="bad">
          Outside the nine task families the model learned: this answer means nothing
        </li>
      ) : null}
    </ul>
  );
}
