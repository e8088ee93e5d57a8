// Accuracy against mean NFE (inline SVG): the left pane's heuristic over its sweep (threshold tau, factor f or gamma),
// Learn2PD over its tauFilter sweep (both with or both without EoTP, as run), and the one-token-per-step reference,
// like docs/BENCHMARKS.md's figure. Every point is labelled (where no free spot is left, to its right). NFE is on
// a log scale: the parallel decoders need a few steps and the reference needs one per slot, so a linear axis
// squeezes both sweeps into its first tenth. Up and to the left is better.
import { HEURISTICS } from '../../core';
import type { BenchReport, BenchResult } from '../../worker/protocol';
import { placeLabels } from '../chart-labels';
import { KNOB_SYMBOLS, knobText, METHOD_NAMES, paneColor } from '../palette';

const W = 760;
const H = 360;
/** Points closer than this (px) share a label. */
const NEAR_PX = 14;
const PAD = { left: 56, right: 20, top: 16, bottom: 44 };

type Swept = 'threshold' | 'factor' | 'eb_sampler' | 'learn2pd';
const param = (r: BenchReport): string => knobText(r.spec);

export function BenchChart({ result }: { result: BenchResult }) {
  const all = [result.reference, ...result.reports].filter((r) => r.meanNfe > 0);
  // Powers of two around the data: ticks read as "steps", and the reference (genLength) sits on one.
  const lo = 2 ** Math.floor(Math.log2(Math.max(1, Math.min(...all.map((r) => r.meanNfe)) * 0.9)));
  const hi = 2 ** Math.ceil(Math.log2(Math.max(2, ...all.map((r) => r.meanNfe)))); // PAD.right keeps a marker there inside
  const x = (nfe: number) =>
    PAD.left +
    ((W - PAD.left - PAD.right) * (Math.log2(Math.max(nfe, lo)) - Math.log2(lo))) / (Math.log2(hi) - Math.log2(lo));
  const y = (acc: number) => H - PAD.bottom - (H - PAD.top - PAD.bottom) * acc;
  const eotp = (decoder: Swept) => result.reports.some((r) => r.decoder === decoder && r.spec.eotp);
  const heuristic: Swept = HEURISTICS.find((h) => result.reports.some((r) => r.decoder === h)) ?? 'threshold';
  const lines = ([heuristic, 'learn2pd'] as const).map((decoder) => ({
    decoder,
    label: `${METHOD_NAMES[decoder]} (${KNOB_SYMBOLS[decoder]} sweep)${eotp(decoder) ? ' + EoTP' : ''}`,
    color: paneColor(decoder === 'learn2pd' ? 'right' : 'left', decoder),
  }));
  const xTicks: number[] = [];
  for (let t = lo; t <= hi; t *= 2) xTicks.push(t);
  const sweep = (decoder: Swept) =>
    result.reports.filter((r) => r.decoder === decoder && r.accuracy !== null).sort((a, b) => a.meanNfe - b.meanNfe);
  const series: Record<Swept, BenchReport[]> = {
    threshold: sweep('threshold'),
    factor: sweep('factor'),
    eb_sampler: sweep('eb_sampler'),
    learn2pd: sweep('learn2pd'),
  };
  // Points of a series that fall on top of each other share one label naming all of them ("τf 0.80 · 0.90"), so
  // every point is named and no label covers another.
  const labelled = lines.flatMap((l) => {
    const groups: { r: BenchReport; x: number; y: number; members: BenchReport[] }[] = [];
    for (const r of series[l.decoder]) {
      const px = x(r.meanNfe);
      const py = y(r.accuracy ?? 0);
      const near = groups.find((g) => Math.hypot(g.x - px, g.y - py) < NEAR_PX);
      if (near) near.members.push(r);
      else groups.push({ r, x: px, y: py, members: [r] });
    }
    return groups.map((g) => ({
      r: g.r,
      x: g.x,
      y: g.y,
      below: l.decoder !== 'learn2pd', // the heuristic's labels below its points, Learn2PD's above

      text: [param(g.members[0]), ...g.members.slice(1).map((m) => param(m).replace(/^\S+ /, ''))].join(' · '),
    }));
  });
  const ref = result.reference;
  // The reference's own label is placed first, so sweep labels make room for it.
  const refPoint = ref.accuracy !== null ? [{ x: x(ref.meanNfe), y: y(ref.accuracy), text: 'one token per step' }] : [];
  const segments = lines.flatMap((l) => {
    const pts = series[l.decoder].map((r) => [x(r.meanNfe), y(r.accuracy ?? 0)] as const);
    return pts.slice(1).map((b, i) => [pts[i][0], pts[i][1], b[0], b[1]] as const);
  });
  const spots = placeLabels([...refPoint, ...labelled], { x0: PAD.left, y0: 0, x1: W, y1: H - PAD.bottom }, segments);
  const refSpot = refPoint.length > 0 ? spots[0] : null;
  // A label with no free spot still goes to the right of its point: every point is named.
  const spotOf = new Map(
    labelled.map((p, i) => [
      p.r,
      { text: p.text, ...(spots[i + refPoint.length] ?? { x: p.x + 8, y: p.y + 4, anchor: 'start' as const }) },
    ]),
  );
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
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={PAD.top} y2={H - PAD.bottom} className="grid-line" />
            <text x={x(t)} y={H - PAD.bottom + 18} textAnchor="middle" className="tick">
              {t}
            </text>
          </g>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 6} textAnchor="middle" className="axis-label">
          mean NFE per prompt (log scale; fewer is faster)
        </text>
        <text
          x={14}
          y={(H - PAD.bottom) / 2}
          textAnchor="middle"
          className="axis-label"
          transform={`rotate(-90 14 ${(H - PAD.bottom) / 2})`}
        >
          accuracy
        </text>
        {lines.map((l) => {
          const pts = series[l.decoder];
          return (
            <g key={l.decoder} data-series={l.decoder}>
              <polyline
                fill="none"
                stroke={l.color}
                strokeWidth={2.5}
                points={pts.map((r) => `${x(r.meanNfe)},${y(r.accuracy ?? 0)}`).join(' ')}
              />
              {pts.map((r) => {
                const spot = spotOf.get(r) ?? null;
                return (
                  <g key={r.label}>
                    <circle cx={x(r.meanNfe)} cy={y(r.accuracy ?? 0)} r={5} fill={l.color}>
                      <title>{`${r.label}: ${Math.round((r.accuracy ?? 0) * 1000) / 10}% at ${r.meanNfe.toFixed(1)} NFE`}</title>
                    </circle>
                    {spot ? (
                      <text x={spot.x} y={spot.y} textAnchor={spot.anchor} className="point-label">
                        {spot.text}
                      </text>
                    ) : null}
                  </g>
                );
              })}
            </g>
          );
        })}
        {ref.accuracy !== null ? (
          <g data-series="reference">
            <rect
              x={x(ref.meanNfe) - 5}
              y={y(ref.accuracy) - 5}
              width={10}
              height={10}
              fill={paneColor('third', 'low_confidence')}
            />
            {refSpot ? (
              <text x={refSpot.x} y={refSpot.y} textAnchor={refSpot.anchor} className="point-label">
                one token per step
              </text>
            ) : null}
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
          <i style={{ background: paneColor('third', 'low_confidence') }} />
          one token per step (reference)
        </span>
      </div>
    </figure>
  );
}
