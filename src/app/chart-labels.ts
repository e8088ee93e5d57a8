// Point labels for the small SVG charts: each label takes the first of six spots around its point that stays
// inside the plot and covers no point, no line and no label placed before it; a label with no free spot is left
// out (its point keeps a tooltip and a table row).

const LABEL_H = 14;
const CHAR_W = 6.6; // the point labels' 12px font, roughly

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export interface LabelSpot {
  x: number;
  y: number; // the text's baseline
  anchor: 'start' | 'end';
}

export const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The box a label's text covers at a spot (approximate: 12px text). */
export function labelBox(spot: LabelSpot, text: string): Box {
  const w = text.length * CHAR_W;
  const x0 = spot.anchor === 'start' ? spot.x : spot.x - w;
  return { x0, y0: spot.y - LABEL_H + 3, x1: x0 + w, y1: spot.y + 3 };
}

/** A line drawn on the chart: [x1, y1, x2, y2]. */
export type Segment = readonly [number, number, number, number];

/** Whether a segment passes through a box (sampled every 2 px: the chart's lines are a few hundred px long). */
export function crosses(s: Segment, box: Box): boolean {
  const [x1, y1, x2, y2] = s;
  const n = Math.max(1, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 2));
  for (let i = 0; i <= n; i++) {
    const x = x1 + ((x2 - x1) * i) / n;
    const y = y1 + ((y2 - y1) * i) / n;
    if (x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1) return true;
  }
  return false;
}

/** Where each point's label goes (null: left out). Labels are placed in the order given. */
export function placeLabels(
  points: { x: number; y: number; text: string; below?: boolean }[],
  bounds: Box,
  lines: readonly Segment[] = [],
): (LabelSpot | null)[] {
  const taken: Box[] = points.map((p) => ({ x0: p.x - 6, y0: p.y - 6, x1: p.x + 6, y1: p.y + 6 }));
  return points.map((p) => {
    const above: LabelSpot[] = [
      { x: p.x + 8, y: p.y - 8, anchor: 'start' },
      { x: p.x - 8, y: p.y - 8, anchor: 'end' },
    ];
    const below: LabelSpot[] = [
      { x: p.x + 8, y: p.y + 18, anchor: 'start' },
      { x: p.x - 8, y: p.y + 18, anchor: 'end' },
    ];
    // A point that prefers its label below (two series drawn over each other label on opposite sides).
    const spots: LabelSpot[] = [
      ...(p.below ? [...below, ...above] : [above[0], below[0], above[1], below[1]]),
      { x: p.x + 9, y: p.y + 5, anchor: 'start' },
      { x: p.x - 9, y: p.y + 5, anchor: 'end' },
    ];
    for (const spot of spots) {
      const box = labelBox(spot, p.text);
      if (box.x0 < bounds.x0 || box.x1 > bounds.x1 || box.y0 < bounds.y0 || box.y1 > bounds.y1) continue;
      if (taken.some((t) => overlaps(t, box)) || lines.some((s) => crosses(s, box))) continue;
      taken.push(box);
      return spot;
    }
    return null; // no room: the point keeps its tooltip and its table row
  });
}
