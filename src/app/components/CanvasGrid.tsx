// The canvas as a run of slots that wraps like text, so every token shows whole (a slot is as wide as its text, at
// least a fixed minimum): a masked slot shows the model's current guess in italics on a blue that deepens with its
// confidence; a committed slot is solid, tinted by the step that committed it (ringed when committed at the displayed
// step); slots past EoTP's cut are struck out. Each block starts with a gap and a bar. During a KV-cache window
// forward (spec §7) the slots outside the window are dimmed: their keys/values are the block start's, stale.
// Text only, never HTML.
import { memo } from 'react';
import type { CanvasView, Slot } from '../derive';
import { stepTint } from '../palette';

const SPACE = '␣';

function slotText(slot: Slot, vocab: readonly string[], eosId: number): string {
  if (slot.token < 0) return '';
  if (slot.token === eosId) return 'EOS';
  // Word-start tokens carry a leading space; the gap between slots shows it.
  return (vocab[slot.token] ?? `#${slot.token}`).trim() || SPACE;
}

const SlotCell = memo(function SlotCell(props: {
  slot: Slot;
  text: string;
  eos: boolean;
  blockStart: boolean;
  active: boolean;
  stale: boolean;
}) {
  const { slot, text, eos, blockStart, active, stale } = props;
  const classes = [
    'slot',
    slot.state,
    eos || text === SPACE ? 'quiet' : '',
    slot.fresh ? 'fresh' : '',
    blockStart ? 'block-start' : '',
    active ? 'active' : '',
    stale ? 'stale' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const style =
    slot.state === 'committed'
      ? { background: stepTint(slot.step ?? 0) }
      : slot.state === 'masked' && slot.token >= 0
        ? { background: `rgba(28, 126, 214, ${(0.06 + 0.22 * slot.conf).toFixed(3)})` }
        : undefined;
  const title =
    slot.state === 'committed'
      ? `slot ${slot.pos}: "${text}" committed at step ${(slot.step ?? 0) + 1}`
      : slot.state === 'cut'
        ? `slot ${slot.pos}: removed by EoTP`
        : slot.token >= 0
          ? `slot ${slot.pos}: masked, guess "${text}" (confidence ${(slot.conf * 100).toFixed(0)}%)`
          : `slot ${slot.pos}: masked`;
  const staleNote = stale ? ' (KV cache: this step read its block-start keys and values, stale)' : '';
  return (
    <span className={classes} style={style} title={title + staleNote} data-stale={stale ? '' : undefined}>
      {slot.state === 'cut' ? '' : text}
    </span>
  );
});

export function CanvasGrid(props: { view: CanvasView; vocab: readonly string[]; eosId: number; blockLength: number }) {
  const { view, vocab, eosId, blockLength } = props;
  const { blockStart, window } = view;
  const grid = (
    <div
      className="canvas-grid"
      data-cut={view.cutAt ?? ''}
      data-window={window === null ? '' : `${window[0]}-${window[1]}`}
    >
      {view.slots.map((slot) => (
        <SlotCell
          key={slot.pos}
          slot={slot}
          text={slotText(slot, vocab, eosId)}
          eos={slot.token === eosId}
          blockStart={slot.pos % blockLength === 0}
          active={
            blockStart !== null &&
            slot.pos >= blockStart &&
            slot.pos < blockStart + blockLength &&
            slot.state === 'masked'
          }
          stale={window !== null && slot.state !== 'cut' && (slot.pos < window[0] || slot.pos >= window[1])}
        />
      ))}
    </div>
  );
  if (window === null) return grid;
  return (
    <>
      {grid}
      <p className="canvas-note" data-testid="stale-note">
        KV cache: this step forwarded slots {window[0]}-{window[1] - 1} only; the dashed slots kept their block-start
        keys and values (stale).
      </p>
    </>
  );
}
