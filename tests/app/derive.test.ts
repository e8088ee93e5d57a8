// What a pane draws, from its events alone: committed slots keep the step that committed them, masked slots show
// the latest guess, EoTP's cut removes the tail, and the counters add up the steps shown.
import { describe, expect, it } from 'vitest';
import { canvasAt, commitsPerStep, countersAt, partialText } from '../../src/app/derive';
import type { WireStep } from '../../src/worker/protocol';

function step(i: number, committed: [number, number][], guesses: number[], extra: Partial<WireStep> = {}): WireStep {
  return {
    step: i,
    blockStart: 0,
    committed: committed.map(([pos, token]) => ({ pos, token })),
    guesses: Int32Array.from(guesses),
    conf: Float32Array.from(guesses.map((_, k) => 0.5 + k / 100)),
    cutAt: null,
    forward: 'full',
    window: null,
    positions: guesses.length,
    ms: 10,
    forwardMs: 8,
    readbackMs: 1,
    filterMs: 0.5,
    ...extra,
  };
}

const EOS = 0;
// Canvas of 6 slots: step 0 commits slot 0, step 1 commits slots 1 and 2 and cuts after slot 3 (EOS at 3).
const events = [
  step(0, [[0, 7]], [7, 8, 9, 0, 0, 0]),
  step(
    1,
    [
      [1, 8],
      [2, 9],
      [3, EOS],
    ],
    [7, 8, 9, 0, 0, 0],
    { cutAt: 3 },
  ),
];

describe('canvasAt', () => {
  it('before any step: every slot masked, no guess', () => {
    const view = canvasAt(events, -1, 6);
    expect(view.slots.map((s) => s.state)).toEqual(['masked', 'masked', 'masked', 'masked', 'masked', 'masked']);
    expect(view.slots.every((s) => s.token === -1)).toBe(true);
  });

  it('after step 0: one committed slot, guesses with their confidence on the rest', () => {
    const view = canvasAt(events, 0, 6);
    expect(view.slots[0]).toMatchObject({ state: 'committed', token: 7, step: 0, fresh: true });
    expect(view.slots[1]).toMatchObject({ state: 'masked', token: 8, step: null });
    expect(view.slots[1].conf).toBeCloseTo(0.51);
  });

  it('after step 1: the cut greys out the tail and earlier commits are no longer fresh', () => {
    const view = canvasAt(events, 1, 6);
    expect(view.slots.map((s) => s.state)).toEqual(['committed', 'committed', 'committed', 'committed', 'cut', 'cut']);
    expect(view.slots[0].fresh).toBe(false);
    expect(view.slots[2]).toMatchObject({ step: 1, fresh: true });
    expect(view.cutAt).toBe(3);
  });
});

describe('countersAt', () => {
  it('adds up the steps shown and splits the time', () => {
    const c = countersAt(events, 1, EOS, null);
    expect(c).toMatchObject({ nfe: 2, committedNow: 3, committed: 4, ms: 20, msPerStep: 10 });
    expect(c.forwardMs).toBeCloseTo(7);
    expect(c.readbackMs).toBeCloseTo(1);
    expect(c.filterMs).toBeCloseTo(0.5);
    expect(c.otherMs).toBeCloseTo(1.5);
    expect(c.tokensPerSecond).toBeCloseTo(3 / 0.02); // three answer tokens before the EOS, in 20 ms
  });
});

describe('partialText and commitsPerStep', () => {
  it('reads the committed prefix and marks gaps', () => {
    const vocab = ['<eos>', '', '', '', '', '', '', 'The', ' cat', ' sat'];
    expect(partialText(canvasAt(events, 0, 6).slots, vocab, EOS)).toBe('The …');
    expect(partialText(canvasAt(events, 1, 6).slots, vocab, EOS)).toBe('The cat sat');
    expect(commitsPerStep(events)).toEqual([1, 3]);
  });
});
