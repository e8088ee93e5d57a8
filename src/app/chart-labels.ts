// Point labels for the small SVG charts: each label takes the first of four spots around its point that stays
// inside the plot and covers no point and no label placed before it; a label with no free spot is left out (its
// point keeps a tooltip and a table row).

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

/** Where each point's label goes (null: left out). Labels are placed in the order given. */
export function placeLabels(points: { x: number; y: number; text: string }[], bounds: Box): (LabelSpot | null)[] {
  const taken: Box[] = points.map((p) => ({ x0: p.x - 6, y0: p.y - 6, x1: p.x + 6, y1: p.y + 6 }));
  return points.map((p) => {
    const spots: LabelSpot[] = [
      { x: p.x + 8, y: p.y - 8, anchor: 'start' },
      { x: p.x + 8, y: p.y + 18, anchor: 'start' },
      { x: p.x - 8, y: p.y - 8, anchor: 'end' },
      { x: p.x - 8, y: p.y + 18, anchor: 'end' },
    ];
    for (const spot of spots) {
      const box = labelBox(spot, p.text);
      if (box.x0 < bounds.x0 || box.x1 > bounds.x1 || box.y0 < bounds.y0 || box.y1 > bounds.y1) continue;
      if (taken.some((t) => overlaps(t, box))) continue;
      taken.push(box);
      return spot;
    }
    return null; // no room: the point keeps its tooltip and its table row
  });
}
