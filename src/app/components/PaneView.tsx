// One decoder's pane: title, counters, the canvas at the displayed step, the answer, and after the run the
// verdicts (speedup, agreement with the reference, correctness) and where each step's time went.
import { useMemo } from 'react';
import type { DecoderSpec } from '../../worker/protocol';
import { canvasAt, countersAt, partialText, sameIds } from '../derive';
import { isCorrect } from '../examples';
import { ms, rate, ratio } from '../format';
import { PANE_COLORS, PANE_TITLES } from '../palette';
import { effectiveCanvas, type PaneId, panePlan } from '../settings';
import { displayIndex } from '../store/runs-slice';
import type { PaneRun, PaneState } from '../store/types';
import { useApp } from '../use-app';
import { CanvasGrid } from './CanvasGrid';
import { TimeSplit } from './TimeSplit';

function describeSpec(spec: DecoderSpec): string {
  switch (spec.decoder) {
    case 'threshold':
      return `commits every guess with confidence ≥ τ = ${spec.tau.toFixed(2)}`;
    case 'learn2pd':
      return `a learned filter picks the final guesses (τf = ${spec.tauFilter.toFixed(2)})${spec.eotp ? ' + EoTP' : ''}`;
    case 'low_confidence':
      return 'the most confident guess only: the reference';
    case 'egp_oracle':
      return 'commits exactly the guesses that match the reference (upper bound)';
    case 'factor':
      return `Fast-dLLM factor rule (f = ${spec.factor})`;
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

export function PaneView({ id, columns }: { id: PaneId; columns: number }) {
  const pane = useApp((s) => s.comparison?.panes.find((p) => p.id === id) ?? null);
  const canvas = useApp((s) => s.comparison?.canvas ?? null);
  const comparisonId = useApp((s) => s.comparison?.id ?? null);
  const reference = useApp((s) => s.comparison?.reference ?? null);
  const source = useApp((s) => s.comparison?.source ?? null);
  const playback = useApp((s) => s.playback);
  const info = useApp((s) => s.model.info);
  const settings = useApp((s) => s.settings);

  const spec = pane?.spec ?? panePlan(settings, info).find((p) => p.id === id)?.spec ?? null;
  const { genLength, blockLength } = canvas ?? effectiveCanvas(settings, info);
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

  return (
    <article
      className="pane"
      data-testid={`pane-${id}`}
      data-state={state}
      data-nfe={events.length}
      data-answer={result?.answerText ?? ''}
      data-cancelled={pane?.cancelled ? 'true' : 'false'}
      data-run-id={pane && comparisonId !== null ? `${id}-${comparisonId}` : ''}
      data-ms={result?.ms ?? ''}
      data-forward-ms={result?.forwardMs ?? ''}
      data-readback-ms={result?.readbackMs ?? ''}
      data-filter-ms={result?.filterMs ?? ''}
      data-live-tensors={result?.memory.liveTensors ?? ''}
      data-created-tensors={result?.memory.createdTensors ?? ''}
      data-wasm-bytes={result?.memory.wasmBytes ?? ''}
      data-js-heap-bytes={result?.memory.jsHeapBytes ?? ''}
      style={{ borderTopColor: PANE_COLORS[id] }}
    >
      <header className="pane-head">
        <h2 style={{ color: PANE_COLORS[id] }}>{PANE_TITLES[id]}</h2>
        <p className="pane-desc">{spec ? describeSpec(spec) : ''}</p>
        <p className={`pane-state state-${state}`} data-testid={`pane-${id}-status`}>
          {pane?.cancelled
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
      <CanvasGrid view={view} vocab={vocab} eosId={eosId} blockLength={blockLength} columns={columns} />
      <p className="answer" data-testid={`pane-${id}-answer`}>
        <span className="answer-label">Answer</span> {answer.length > 0 ? answer : '\u00a0'}
      </p>
      <Verdicts
        pane={pane}
        genLength={genLength}
        reference={reference}
        sourceCheck={result ? isCorrect(source, result.answerText) : null}
        expected={source?.checkable ? source.answer : null}
      />
      <TimeSplit
        forward={counters.forwardMs}
        readback={counters.readbackMs}
        filter={counters.filterMs}
        other={counters.otherMs}
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
  sourceCheck,
  expected,
}: {
  pane: PaneRun | null;
  genLength: number;
  reference: { state: string; result: { answerIds: Int32Array; nfe: number } | null } | null;
  sourceCheck: boolean | null;
  expected: string | null;
}) {
  const result = pane?.result ?? null;
  if (result === null) return <ul className="verdicts" aria-hidden="true" />;
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
      {sourceCheck !== null ? (
        <li data-testid="verdict-correct" data-correct={String(sourceCheck)} className={sourceCheck ? 'good' : 'bad'}>
          {sourceCheck ? '✓ Correct' : `✗ Wrong: expected “${shorten(expected ?? '', 70)}”`}
        </li>
      ) : null}
    </ul>
  );
}
