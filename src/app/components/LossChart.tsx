// The filter's training and validation loss against the epoch (inline SVG), drawn as the worker reports epochs; the
// best validation loss so far is the early-stopping point.
import type { TrainEpoch } from '../../worker/protocol';

const W = 560;
const H = 200;
const PAD = { left: 52, right: 12, top: 12, bottom: 32 };

/** `best`: the epoch whose weights were kept (early stopping), once training has ended. */
export function LossChart({ epochs, best }: { epochs: TrainEpoch[]; best?: number }) {
  const last = epochs.at(-1);
  const maxEpoch = Math.max(1, last?.epoch ?? 1);
  const values = epochs.flatMap((e) => [e.trainLoss, e.valLoss]);
  const top = Math.max(1e-3, ...values);
  const bottom = Math.min(top * 0.99, ...values);
  const x = (epoch: number) => PAD.left + ((W - PAD.left - PAD.right) * epoch) / maxEpoch;
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * (v - bottom)) / (top - bottom);
  const line = (pick: (e: TrainEpoch) => number) =>
    epochs.map((e, i) => `${i === 0 ? 'M' : 'L'}${x(e.epoch).toFixed(1)},${y(pick(e)).toFixed(1)}`).join(' ');
  const yTicks = [bottom, (bottom + top) / 2, top];
  const xTicks = [...new Set([0, Math.round(maxEpoch / 2), maxEpoch])]; // one key each, also while maxEpoch is 1
  return (
    <figure className="chart loss-chart" data-testid="train-chart" data-points={epochs.length}>
      <figcaption>
        Loss (binary cross-entropy) per epoch: <span className="key train">training</span>{' '}
        <span className="key validation">validation</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Training and validation loss against the epoch">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid-line" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {t.toFixed(3)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text
            key={`x${t}`}
            x={x(t)}
            y={H - PAD.bottom + 16}
            textAnchor={t === maxEpoch ? 'end' : 'middle'}
            className="tick"
          >
            {t}
          </text>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 2} textAnchor="middle" className="axis-label">
          epoch
        </text>
        {best !== undefined ? (
          <g data-testid="train-best">
            <line x1={x(best)} x2={x(best)} y1={PAD.top} y2={H - PAD.bottom} className="cursor" />
            <text x={x(best) + 4} y={PAD.top + 12} className="tick">
              kept: epoch {best}
            </text>
          </g>
        ) : null}
        {epochs.length > 0 ? (
          <>
            <path d={line((e) => e.trainLoss)} className="loss train" />
            <path d={line((e) => e.valLoss)} className="loss validation" />
          </>
        ) : null}
      </svg>
    </figure>
  );
}
