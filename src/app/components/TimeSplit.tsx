// Where a step's time goes, as one stacked bar of per-step means: the forward (session.run), copying top1/conf back
// from the GPU (which also waits for the GPU to finish the forward), the Learn2PD filter, and the decoder's own
// bookkeeping; with a KV cache, the full and window forwards apart (spec §7).
import type { Counters } from '../derive';

const PARTS = [
  { key: 'forward', label: 'forward', color: '#1c7ed6' },
  { key: 'readback', label: 'GPU sync + readback', color: '#9775fa' },
  { key: 'filter', label: 'filter', color: '#f08c00' },
  { key: 'other', label: 'decoder', color: '#adb5bd' },
] as const;

export function TimeSplit(props: {
  forward: number;
  readback: number;
  filter: number;
  other: number;
  /** With a KV cache: the steps of each forward kind and their mean forward time. */
  forwards?: Counters['forwards'];
}) {
  const total = props.forward + props.readback + props.filter + props.other;
  const kinds = props.forwards;
  return (
    <div className="time-split" aria-label="time per step">
      <div className="time-bar">
        {PARTS.map((p) => (
          <span
            key={p.key}
            style={{ width: total > 0 ? `${(100 * props[p.key]) / total}%` : '0%', background: p.color }}
          />
        ))}
      </div>
      <div className="time-legend">
        {PARTS.map((p) => (
          <span key={p.key}>
            <i style={{ background: p.color }} />
            {p.label} {total > 0 ? `${props[p.key].toFixed(props[p.key] < 10 ? 2 : 1)} ms` : '–'}
          </span>
        ))}
      </div>
      {kinds !== undefined && kinds.window.n > 0 ? (
        <div className="time-legend" data-testid="forward-kinds">
          <span>
            {kinds.full.n} full forwards, {kinds.full.forwardMs.toFixed(1)} ms each
          </span>
          <span>
            {kinds.window.n} window forwards, {kinds.window.forwardMs.toFixed(1)} ms each
          </span>
        </div>
      ) : null}
    </div>
  );
}
