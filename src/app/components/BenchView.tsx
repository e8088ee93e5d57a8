// The benchmark view: a small slice of the test split, decoded on this machine with the left pane's heuristic over
// its sweep and Learn2PD over a tauFilter sweep, on the settings' canvas and EoTP; the figure and a table of the same
// numbers, named as the panes name them, with a warning when too few answers were checked to compare accuracies.

import { BROWSER_BENCH_SIZES, BROWSER_KNOBS, BROWSER_TAU_FILTERS } from '../../eval/sweeps';
import type { BenchReport } from '../../worker/protocol';
import { ms, percent, rate, ratio } from '../format';
import { filterTitle, KNOB_SYMBOLS, knobText, METHOD_NAMES } from '../palette';
import { effectiveCanvas, effectiveFilter } from '../settings';
import { useApp } from '../use-app';
import { BenchChart } from './BenchChart';
import { FilterPicker } from './SettingsPanel';

/** Fewer checked answers than this get a warning: a few points of accuracy are then within noise. */
const MIN_CHECKED = 30;

function rowName(r: BenchReport, reference: boolean): string {
  if (reference) return 'One token per step (reference)';
  return `${METHOD_NAMES[r.decoder]} ${knobText(r.spec)}${r.spec.eotp ? ' + EoTP' : ''}`;
}

export function BenchView() {
  const bench = useApp((s) => s.bench);
  const ready = useApp((s) => s.model.status === 'ready');
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.model.info);
  const setSize = useApp((s) => s.setBenchSize);
  const run = useApp((s) => s.runBench);
  const cancel = useApp((s) => s.cancelBench);
  const canvas = bench.canvas ?? effectiveCanvas(settings, info);
  const eotp = bench.eotp ?? settings.eotp;
  const heuristic = settings.heuristic;
  const knobs = BROWSER_KNOBS[heuristic];
  const specsPerPrompt = 1 + knobs.length + BROWSER_TAU_FILTERS.length;
  const checked = bench.result?.reference.checked ?? 0;
  return (
    <section className="bench" aria-label="Benchmark" data-testid="bench" data-status={bench.status}>
      <p className="bench-intro">
        Decodes {bench.size} prompts of the test split (never trained on) on <em>this</em> machine: the
        one-token-per-step reference, {METHOD_NAMES[heuristic]} at {KNOB_SYMBOLS[heuristic]} ∈ {'{'}
        {knobs.join(', ')}
        {'}'} and Learn2PD with {filterTitle(effectiveFilter(settings, info))} at τf ∈ {'{'}
        {BROWSER_TAU_FILTERS.join(', ')}
        {'}'}, both {eotp ? 'with' : 'without'} EoTP, {specsPerPrompt} decodes per prompt, canvas {canvas.genLength} /
        block {canvas.blockLength} (heuristic, filter, EoTP and canvas from the settings).
      </p>
      <div className="buttons">
        <label>
          Prompts{' '}
          <select
            data-testid="bench-size"
            value={bench.size}
            onChange={(e) => setSize(Number(e.target.value))}
            disabled={bench.status === 'running'}
          >
            {BROWSER_BENCH_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <FilterPicker />
        <button
          type="button"
          className="primary"
          data-testid="bench-run"
          disabled={!ready || bench.status === 'running'}
          onClick={() => void run()}
        >
          Run benchmark
        </button>
        <button type="button" data-testid="bench-cancel" disabled={bench.status !== 'running'} onClick={cancel}>
          Cancel
        </button>
        {bench.status === 'running' ? (
          <span className="bench-progress">
            <progress max={Math.max(1, bench.total)} value={bench.done} /> {bench.done} / {bench.total} prompts
          </span>
        ) : null}
        {bench.status === 'cancelled' ? <span>Cancelled.</span> : null}
        {bench.status === 'error' && bench.error ? (
          <span className="load-error" role="alert">
            {bench.error.name}: {bench.error.message}
          </span>
        ) : null}
      </div>
      {bench.result && checked < MIN_CHECKED ? (
        <p className="bench-warning" role="note" data-testid="bench-warning">
          Only {checked} answers could be checked: accuracies this close apart are noise at that size. Run{' '}
          {Math.max(...BROWSER_BENCH_SIZES)} prompts here, or see the 300-prompt benchmark of the README.
        </p>
      ) : null}
      {bench.result ? (
        <>
          <BenchChart result={bench.result} />
          <table className="bench-table" data-testid="bench-table">
            <thead>
              <tr>
                <th>decoder</th>
                <th>accuracy</th>
                <th>same as reference</th>
                <th>mean NFE</th>
                <th>fewer steps</th>
                <th>ms / step</th>
                <th>tokens / s</th>
              </tr>
            </thead>
            <tbody>
              {[bench.result.reference, ...bench.result.reports].map((r) => (
                <tr key={r.label}>
                  <td>{rowName(r, r === bench.result?.reference)}</td>
                  <td>
                    {percent(r.accuracy)} <small>({r.checked} checked)</small>
                  </td>
                  <td>{percent(r.agreement)}</td>
                  <td>{r.meanNfe.toFixed(1)}</td>
                  <td>{ratio(r.nfeSpeedup)}</td>
                  <td>{r.msPerStep.toFixed(1)}</td>
                  <td>{rate(r.tokensPerSecond)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="bench-foot">
            Measured in {ms(bench.result.ms)} on{' '}
            {info?.backend === 'webgpu' ? `WebGPU (${info.adapter ?? ''})` : 'WASM'}.
          </p>
        </>
      ) : null}
    </section>
  );
}
