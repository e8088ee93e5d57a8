// The summary says what the panes share and what differs, the step ratio always, a clock ratio only with its
// spread (or "about the same"), and both answers' correctness and agreement in one sentence.
import { describe, expect, it } from 'vitest';
import type { Comparison, PaneRun } from '../../src/app/store/types';
import { summaryLines } from '../../src/app/summary';
import { familyInfo } from '../../src/tasks';
import type { DecoderSpec } from '../../src/worker/protocol';
import { result } from './store/scripted-engine';

const example = familyInfo().find((f) => f.name === 'arithmetic')?.examples[0];
if (!example) throw new Error('no arithmetic example');
const right = example.answer;
const wrong = example.answer.replace(/\d+\.$/, '99999.');

function pane(
  id: 'left' | 'right',
  spec: DecoderSpec,
  nfe: number,
  answer: string,
  ids: number[],
  clockMs: number[],
): PaneRun {
  return {
    id,
    spec,
    state: 'done',
    cancelled: false,
    events: [],
    result: { ...result(nfe, ids), answerText: answer, canvasLength: 32 },
    error: null,
    shown: nfe - 1,
    clockMs,
  };
}

function comparison(left: PaneRun, rightPane: PaneRun, change: Partial<Comparison> = {}): Comparison {
  return {
    id: 1,
    prompt: example?.prompt ?? '',
    kind: 'rules',
    backend: 'wasm',
    clockRuns: 3,
    canvas: { genLength: 32, blockLength: 32 },
    source: { family: 'arithmetic', answer: right, checkable: true },
    panes: [left, rightPane],
    reference: { state: 'done', result: result(32, [2, 3]), error: null },
    status: 'done',
    ...change,
  };
}

const threshold: DecoderSpec = { decoder: 'threshold', eotp: true, tau: 0.9 };
const learn2pd: DecoderSpec = { decoder: 'learn2pd', eotp: true, tauFilter: 0.96 };
const text = (c: Comparison, inFamily = true) =>
  Object.fromEntries(summaryLines(c, inFamily).map((l) => [l.kind, l.text]));

describe('summaryLines', () => {
  it('names what both panes share and the one thing that differs', () => {
    const c = comparison(
      pane('left', threshold, 8, right, [2, 3], [80, 82, 79]),
      pane('right', learn2pd, 5, right, [2, 3], [60, 61, 58]),
    );
    expect(text(c).setting).toBe(
      'Same canvas (32 slots), block (32) and EoTP (on) in both panes; only the commit rule differs: Fast-dLLM threshold τ 0.90 against Learn2PD τf 0.96.',
    );
    const eotp = comparison(
      pane('left', { ...threshold, eotp: false }, 8, right, [2, 3], [1, 1]),
      pane('right', threshold, 5, right, [2, 3], [1, 1]),
      {
        kind: 'eotp',
      },
    );
    expect(text(eotp).setting).toBe(
      'Same canvas (32 slots), block (32) and rule (Fast-dLLM threshold τ 0.90) in both panes; only EoTP differs: off on the left, on on the right.',
    );
    expect(text(eotp).steps).toBe('The run with EoTP took 5 steps, the run without EoTP 8: 1.6× fewer.');
  });

  it('for equal steps and the same answer: as many steps, and a clock within its spread is about the same', () => {
    const c = comparison(
      pane('left', threshold, 8, right, [2, 3], [80, 70, 90]),
      pane('right', learn2pd, 8, right, [2, 3], [75, 74, 85]),
    );
    const t = text(c);
    expect(t.steps).toBe('Both took 8 steps.');
    expect(t.clock).toMatch(/^By the clock about the same \(Learn2PD 0\.95× to 1\.07× over 3 runs each\)\.$/);
    expect(t.answers).toBe('Both answers are correct and the same; both match the one-token-per-step reference.');
  });

  it('a clock ratio is given with its spread when every run agrees', () => {
    const c = comparison(
      pane('left', threshold, 8, right, [2, 3], [160, 150, 170]),
      pane('right', learn2pd, 5, right, [2, 3], [80, 70, 90]),
    );
    expect(text(c).clock).toBe('By the clock Learn2PD was 2.0× faster (1.9× to 2.1× over 3 runs each).');
  });

  it('for a wrong answer: fewer steps are said beside the wrong answer, in the same summary', () => {
    const c = comparison(
      pane('left', threshold, 8, right, [2, 3], [80, 80, 80]),
      pane('right', learn2pd, 5, wrong, [2, 4], [50, 50, 50]),
    );
    const t = text(c);
    expect(t.steps).toBe('Learn2PD took 5 steps, Fast-dLLM threshold 8: 1.6× fewer.');
    expect(t.answers).toBe(
      "Fast-dLLM threshold's answer is correct, Learn2PD's is wrong; only Fast-dLLM threshold's matches the one-token-per-step reference.",
    );
  });

  it('says when the clock is still running, and that one run is too few', () => {
    const running = comparison(
      pane('left', threshold, 8, right, [2, 3], [80]),
      pane('right', learn2pd, 5, right, [2, 3], [60]),
      {
        status: 'running',
      },
    );
    expect(text(running).clock).toBe('By the clock: timing each pane 3 times…');
    expect(text({ ...running, status: 'done', clockRuns: 1 }).clock).toMatch(/one run each is too few/);
  });

  it('warns about a canvas too short for the answer and a prompt outside the families', () => {
    const cut = pane('right', learn2pd, 5, 'a b c', [1, 2, 3], [1, 1, 1]);
    if (cut.result) cut.result.canvasLength = 3;
    const lines = summaryLines(comparison(pane('left', threshold, 8, right, [2, 3], [1, 1, 1]), cut), false);
    expect(lines.filter((l) => l.kind === 'caveat').map((l) => l.text)).toEqual([
      'Learn2PD reached the end of the canvas before the answer ended: a longer canvas would let it finish.',
      'This prompt is outside the nine task families the model learned, so neither answer means much.',
    ]);
  });
});
