// Accuracy against mean NFE (inline SVG): threshold over its tau sweep, Learn2PD over its tauFilter sweep, and the
// one-token-per-step reference, like the paper's table drawn as a figure. Up and to the left is better.
import type { BenchReport, BenchResult } from '../../worker/protocol';
import { PANE_COLORS } from '../palette';

const W = 640;
const H = 320;
const PAD = { left: 56, right: 20, top: 16, bottom: 44 };

function param(r: BenchReport): string {
  switch (r.spec.decoder) {
    case 'threshold':
      return `τ ${r.spec.tau}`;
    case 'learn2pd':
      return `τf ${r.spec.tauFilter}`;
    default:
      return '';
  }
}

export function BenchChart({ result }: { result: BenchResult }) {
  const all = [result.reference, ...result.reports];
  const maxNfe = Math.max(1, ...all.map((r) => r.meanNfe));
  const x = (nfe: number) => PAD.left + ((W - PAD.left - PAD.right) * nfe) / (maxNfe * 1.05);
  const y = (acc: number) => H - PAD.bottom - (H - PAD.top - PAD.bottom) * acc;
  const lines = [
    { decoder: 'threshold' as const, label: 'Fast-dLLM threshold (τ sweep)', color: PANE_COLORS.threshold },
    { decoder: 'learn2pd' as const, label: 'Learn2PD (τf sweep)', color: PANE_COLORS.learn2pd },
  ];
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxNfe));
  const series = (decoder: 'threshold' | 'learn2pd') => result.reports.filter((r) => r.decoder === decoder && r.accuracy !== null).sort((a, b) => a.meanNfe - b.meanNfe);
  // Label a point only when it does not sit on the previous label (close sweeps bunch up).
  const labelled = { threshold: new Set<number>(), learn2pd: new Set<number>() };
  for (const decoder of ['threshold', 'learn2pd'] as const) {
    let last: { x: number; y: number } | null = null;
    series(decoder).forEach((r, i) => {
      const at = { x: x(r.meanNfe), y: y(r.accuracy ?? 0) };
      if (last === null || Math.abs(at.x - last.x) > 44 || Math.abs(at.y - last.y) > 16) {
        labelled[decoder].add(i);
        last = at;
      }
    });
  }
  return (
    <figure className="chart bench-chart" data-testid="bench-chart">
      <figcaption>Accuracy against mean steps (NFE) per prompt</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Accuracy against mean NFE">
        {[0, 0.25, 0.5, 0.75, 1].map((a) => (
          <g key={a}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(a)} y2={y(a)} className="grid-line" />
            <text x={PAD.left - 8} y={y(a) + 4} textAnchor="end" className="tick">
              {Math.round(a * 100)}%
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={t} x={x(t)} y={H - PAD.bottom + 18} textAnchor="middle" className="tick">
            {t}
          </text>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 6} textAnchor="middle" className="axis-label">
          mean NFE per prompt (fewer is faster)
        </text>
        <text x={14} y={(H - PAD.bottom) / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 14 ${(H - PAD.bottom) / 2})`}>
          accuracy
        </text>
        {lines.map((l) => {
          const pts = series(l.decoder);
          return (
            <g key={l.decoder} data-series={l.decoder}>
              <polyline fill="none" stroke={l.color} strokeWidth={2.5} points={pts.map((r) => `${x(r.meanNfe)},${y(r.accuracy ?? 0)}`).join(' ')} />
              {pts.map((r, i) => (
                <g key={r.label}>
                  <circle cx={x(r.meanNfe)} cy={y(r.accuracy ?? 0)} r={5} fill={l.color} />
                  {labelled[l.decoder].has(i) ? (
                    <text x={x(r.meanNfe) + 7} y={y(r.accuracy ?? 0) + (l.decoder === 'learn2pd' ? 18 : -8)} className="point-label">
                      {param(r)}
                    </text>
                  ) : null}
                </g>
              ))}
            </g>
          );
        })}
        {result.reference.accuracy !== null ? (
          <g data-series="reference">
            <rect x={x(result.reference.meanNfe) - 5} y={y(result.reference.accuracy) - 5} width={10} height={10} fill={PANE_COLORS.low_confidence} />
            <text x={x(result.reference.meanNfe) - 8} y={y(result.reference.accuracy) - 10} textAnchor="end" className="point-label">
              one token per step
            </text>
          </g>
        ) : null}
      </svg>
      <div className="legend">
        {lines.map((l) => (
          <span key={l.decoder}>
            <i style={{ background: l.color }} />
            {l.label}
          </span>
        ))}
        <span>
          <i style={{ background: PANE_COLORS.low_confidence }} />
          one token per step (reference)
        </span>
      </div>
    </figure>
  );
}
