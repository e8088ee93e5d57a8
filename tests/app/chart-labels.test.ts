import { describe, expect, it } from 'vitest';
import { type Box, crosses, labelBox, overlaps, placeLabels } from '../../src/app/chart-labels';

const BOUNDS: Box = { x0: 0, y0: 0, x1: 640, y1: 280 };
const pointBox = (p: { x: number; y: number }): Box => ({ x0: p.x - 6, y0: p.y - 6, x1: p.x + 6, y1: p.y + 6 });

function check(points: { x: number; y: number; text: string }[]) {
  const spots = placeLabels(points, BOUNDS);
  const boxes = spots.flatMap((s, i) => (s === null ? [] : [labelBox(s, points[i].text)]));
  for (const [i, a] of boxes.entries()) {
    expect(a.x0 >= BOUNDS.x0 && a.x1 <= BOUNDS.x1 && a.y0 >= BOUNDS.y0 && a.y1 <= BOUNDS.y1).toBe(true);
    for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    for (const p of points) expect(overlaps(a, pointBox(p))).toBe(false);
  }
  return spots;
}

describe('placeLabels', () => {
  it('labels well-spread points above and to the right', () => {
    const spots = check([
      { x: 100, y: 100, text: 'τ 0.5' },
      { x: 300, y: 200, text: 'τ 0.9' },
    ]);
    expect(spots).toEqual([
      { x: 108, y: 92, anchor: 'start' },
      { x: 308, y: 192, anchor: 'start' },
    ]);
  });

  it('moves a label that would cover a neighbour, and leaves out one that has no room, never overlapping', () => {
    // The bunched sweeps of a 5-prompt run in the browser: two series on nearly the same points.
    const points = [0.5, 0.7, 0.8, 0.9, 0.95].flatMap((t, i) => [
      { x: 120 + i * 6, y: 150 - i * 3, text: `τ ${t}` },
      { x: 118 + i * 5, y: 152 - i * 2, text: `τf ${t}` },
    ]);
    const spots = check(points);
    expect(spots.filter((s) => s !== null).length).toBeGreaterThanOrEqual(3);
    expect(spots.some((s) => s === null)).toBe(true);
  });

  it('keeps labels inside the plot: a point at the right edge is labelled on its left', () => {
    const [spot] = check([{ x: 630, y: 100, text: 'one token per step' }]);
    expect(spot?.anchor).toBe('end');
  });
});

describe('placeLabels with lines', () => {
  it('moves a label off a line that runs through its first spot', () => {
    const point = { x: 100, y: 100, text: 'τ 0.5' };
    const line = [100, 100, 160, 80] as const; // up and to the right: through the above-right spot
    expect(crosses(line, labelBox({ x: 108, y: 92, anchor: 'start' }, point.text))).toBe(true);
    const [spot] = placeLabels([point], BOUNDS, [line]);
    expect(spot).not.toBeNull();
    expect(crosses(line, labelBox(spot as NonNullable<typeof spot>, point.text))).toBe(false);
  });
});
