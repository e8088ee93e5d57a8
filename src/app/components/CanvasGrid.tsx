// The canvas as a grid of slots (`columns` per row, blocks separated by a gap): a masked slot shows the model's current guess
// faintly, shaded by its confidence; a committed slot is solid, tinted by the step that committed it (ringed when
// committed at the displayed step); slots past EoTP's cut are struck out. Text only, never HTML.
import { memo } from 'react';
import type { CanvasView, Slot } from '../derive';
import { stepTint } from '../palette';

const SPACE = '␣';

function slotText(slot: Slot, vocab: readonly string[], eosId: number): string {
  if (slot.token < 0) return '';
  if (slot.token === eosId) return 'EOS';
  // Word-start tokens carry a leading space; in a fixed-width slot it only costs room.
  return (vocab[slot.token] ?? `#${slot.token}`).trim() || SPACE;
}

const SlotCell = memo(function SlotCell(props: {
  slot: Slot;
  text: string;
  eos: boolean;
  blockTop: boolean;
  blockLeft: boolean;
  active: boolean;
}) {
  const { slot, text, eos, blockTop, blockLeft, active } = props;
  const classes = [
    'slot',
    slot.state,
    eos || text === SPACE ? 'quiet' : '',
    slot.fresh ? 'fresh' : '',
    blockTop ? 'block-top' : '',
    blockLeft ? 'block-left' : '',
    active ? 'active' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const style =
    slot.state === 'committed'
      ? { background: stepTint(slot.step ?? 0) }
      : slot.state === 'masked' && slot.token >= 0
        ? {
            background: `rgba(28, 126, 214, ${(0.05 + 0.3 * slot.conf).toFixed(3)})`,
            color: `rgba(33, 37, 41, ${(0.3 + 0.45 * slot.conf).toFixed(3)})`,
          }
        : undefined;
  const title =
    slot.state === 'committed'
      ? `slot ${slot.pos}: "${text}" committed at step ${(slot.step ?? 0) + 1}`
      : slot.state === 'cut'
        ? `slot ${slot.pos}: removed by EoTP`
        : slot.token >= 0
          ? `slot ${slot.pos}: masked, guess "${text}" (confidence ${(slot.conf * 100).toFixed(0)}%)`
          : `slot ${slot.pos}: masked`;
  return (
    <span className={classes} style={style} title={title}>
      {slot.state === 'cut' ? '' : text}
    </span>
  );
});

export function CanvasGrid(props: {
  view: CanvasView;
  vocab: readonly string[];
  eosId: number;
  blockLength: number;
  columns: number;
}) {
  const { view, vocab, eosId, blockLength, columns } = props;
  const { blockStart } = view;
  return (
    <div
      className="canvas-grid"
      style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
      data-cut={view.cutAt ?? ''}
    >
      {view.slots.map((slot) => {
        const row = Math.floor(slot.pos / columns);
        const startsBlock = slot.pos % blockLength === 0;
        // A block that starts a row gets a gap above it; one that starts mid-row, a gap to its left.
        const blockTop =
          row > 0 && (blockLength >= columns ? (slot.pos - (slot.pos % columns)) % blockLength === 0 : false);
        const active =
          blockStart !== null &&
          slot.pos >= blockStart &&
          slot.pos < blockStart + blockLength &&
          slot.state === 'masked';
        return (
          <SlotCell
            key={slot.pos}
            slot={slot}
            text={slotText(slot, vocab, eosId)}
            eos={slot.token === eosId}
            blockTop={blockTop}
            blockLeft={startsBlock && slot.pos % columns !== 0}
            active={active}
          />
        );
      })}
    </div>
  );
}
