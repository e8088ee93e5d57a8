// Steps (NFE) and answer tokens per second of each finished pane, as paired horizontal bars (inline SVG).
import { rate } from '../format';
import { paneColor, paneTitle } from '../palette';
import { useApp } from '../use-app';

const W = 640;
const ROW = 30;
const LABEL = 240;

export function SummaryBars() {
  const comparison = useApp((s) => s.comparison);
  const kind = comparison?.kind ?? 'rules';
  const done = (comparison?.panes ?? []).flatMap((p) =>
    p.result
      ? [
          {
            id: p.id,
            title: paneTitle(p.spec, kind),
            color: paneColor(p.id, p.spec.decoder),
            nfe: p.result.nfe,
            tps: p.result.ms > 0 ? (p.result.answerIds.length * 1000) / p.result.ms : 0,
          },
        ]
      : [],
  );
  if (done.length === 0) return null;
  const maxNfe = Math.max(1, ...done.map((d) => d.nfe));
  const maxTps = Math.max(1e-9, ...done.map((d) => d.tps));
  const half = (W - LABEL - 20) / 2;
  const H = ROW * done.length + 24;
  return (
    <figure className="chart" data-testid="summary-bars">
      <figcaption>Steps needed (fewer is better) and answer tokens per second (more is better)</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Steps and tokens per second per pane">
        <text x={LABEL} y={12} className="tick">
          steps (NFE)
        </text>
        <text x={LABEL + half + 20} y={12} className="tick">
          tokens / s
        </text>
        {done.map((d, i) => {
          const y = 20 + i * ROW;
          const nfeW = Math.max(2, ((half - 40) * d.nfe) / maxNfe);
          const tpsW = Math.max(2, ((half - 40) * d.tps) / maxTps);
          return (
            <g key={d.id}>
              <text x={LABEL - 8} y={y + 15} textAnchor="end" className="axis-label">
                {d.title}
              </text>
              <rect x={LABEL} y={y + 3} width={nfeW} height={ROW - 10} fill={d.color} rx={3} />
              <text x={LABEL + nfeW + 5} y={y + 16} className="point-label">
                {d.nfe}
              </text>
              <rect
                x={LABEL + half + 20}
                y={y + 3}
                width={tpsW}
                height={ROW - 10}
                fill={d.color}
                opacity={0.55}
                rx={3}
              />
              <text x={LABEL + half + 25 + tpsW} y={y + 16} className="point-label">
                {rate(d.tps)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
