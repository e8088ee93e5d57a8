// The benchmark view: a small slice of the test split, decoded on this machine with threshold over a tau sweep and
// Learn2PD over a tauFilter sweep; the figure and a table of the same numbers.

import { BROWSER_BENCH_SIZES, BROWSER_TAU_FILTERS, BROWSER_TAUS } from '../../eval/sweeps';
import { ms, percent, rate, ratio } from '../format';
import { effectiveCanvas } from '../settings';
import { useApp } from '../use-app';
import { BenchChart } from './BenchChart';

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
  const specsPerPrompt = 1 + BROWSER_TAUS.length + BROWSER_TAU_FILTERS.length;
  return (
    <section className="bench" aria-label="Benchmark" data-testid="bench" data-status={bench.status}>
      <p className="bench-intro">
        Decodes {bench.size} prompts of the test split (never trained on) on <em>this</em> machine: the
        one-token-per-step reference, Fast-dLLM's threshold at τ ∈ {'{'}
        {BROWSER_TAUS.join(', ')}
        {'}'} and Learn2PD at τf ∈ {'{'}
        {BROWSER_TAU_FILTERS.join(', ')}
        {'}'}, both {eotp ? 'with' : 'without'} EoTP, {specsPerPrompt} decodes per prompt, canvas {canvas.genLength} /
        block {canvas.blockLength} (EoTP and canvas from the settings).
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
                  <td>{r.label}</td>
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
