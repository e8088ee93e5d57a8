// Tokens committed at each step, one line per pane (inline SVG), with the displayed replay step marked. When a long
// run (one token per step) shares the chart with runs of a few steps, the step axis is logarithmic, so the short
// runs keep their room.
import { commitsPerStep } from '../derive';
import { paneColor, paneTitle } from '../palette';
import { lastStep, panesSettled } from '../store/runs-slice';
import { useApp } from '../use-app';

const W = 640;
const H = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 32 };
/** Past this many steps, the step axis is logarithmic. */
const LOG_AFTER = 32;

export function StepChart() {
  const comparison = useApp((s) => s.comparison);
  const playback = useApp((s) => s.playback);
  const panes = comparison?.panes ?? [];
  const series = panes.map((p) => ({ pane: p, values: commitsPerStep(p.events) }));
  const steps = Math.max(1, lastStep(comparison) + 1);
  const log = steps > LOG_AFTER;
  const top = Math.max(4, ...series.flatMap((s) => s.values));
  const span = W - PAD.left - PAD.right;
  // Step i (0-based) sits at the middle of its column, or on a log scale at log(i + 1) of log(steps).
  const x = (i: number) => PAD.left + (log ? (span * Math.log(i + 1)) / Math.log(steps) : (span * (i + 0.5)) / steps);
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / top;
  const yTicks = [0, Math.round(top / 2), top];
  const xTicks = log
    ? [1, 2, 4, 8, 16, 32, 64, 128, 256].filter((t) => t <= steps)
    : [...new Set([1, Math.ceil(steps / 4), Math.ceil(steps / 2), Math.ceil((3 * steps) / 4), steps])].filter(
        (t) => t >= 1,
      );
  const cursor = playback.mode === 'replay' && panesSettled(comparison) ? Math.floor(playback.step) : null;
  const kind = comparison?.kind ?? 'rules';
  return (
    <figure className="chart" data-testid="step-chart" data-log={String(log)}>
      <figcaption>Tokens committed per step</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Tokens committed per step for each pane">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid-line" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {t}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={x(t - 1)} y={H - PAD.bottom + 16} textAnchor="middle" className="tick">
            {t}
          </text>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 2} textAnchor="middle" className="axis-label">
          {log ? 'step (log scale)' : 'step'}
        </text>
        {cursor !== null ? (
          <line x1={x(cursor)} x2={x(cursor)} y1={PAD.top} y2={H - PAD.bottom} className="cursor" />
        ) : null}
        {series.map(({ pane, values }) =>
          values.length === 0 ? null : (
            <g key={pane.id}>
              <polyline
                fill="none"
                stroke={paneColor(pane.id, pane.spec.decoder)}
                strokeWidth={2.5}
                points={values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
              />
              {values.length <= 64
                ? values.map((v, i) => (
                    <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={paneColor(pane.id, pane.spec.decoder)} />
                  ))
                : null}
            </g>
          ),
        )}
      </svg>
      <div className="legend">
        {panes.map((p) => (
          <span key={p.id}>
            <i style={{ background: paneColor(p.id, p.spec.decoder) }} />
            {paneTitle(p.spec, kind)}: {p.events.length} steps
          </span>
        ))}
      </div>
    </figure>
  );
}
