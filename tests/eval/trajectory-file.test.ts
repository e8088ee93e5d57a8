import { describe, expect, it } from 'vitest';
import {
  mergeSamples,
  TRAJECTORY_FORMAT,
  type TrajectoryFile,
  type TrajectoryHeader,
  type TrajectorySample,
} from '../../src/eval/trajectory-file';

const sample = (
  prompt: number,
  step: number,
  confidence: number[],
  isCorrect: boolean[],
  flags?: { masked: boolean[]; stable: boolean[] },
): TrajectorySample => ({
  type: 'sample',
  prompt,
  block: 0,
  step,
  confidence,
  isCorrect,
  ...flags,
});

const header = (over: Partial<TrajectoryHeader> = {}): TrajectoryHeader => ({
  type: 'header',
  format: TRAJECTORY_FORMAT,
  model: 'm',
  variant: 'q4',
  modelSha256: 'x',
  genLength: 128,
  blockLength: 32,
  split: 'train',
  prompts: 2,
  offset: 0,
  replay: 'egp_oracle',
  ...over,
});
const file = (samples: TrajectorySample[], over: Partial<TrajectoryHeader> = {}): TrajectoryFile => ({
  header: header(over),
  samples,
});

describe('mergeSamples', () => {
  it("leaves out a later file's repeats of an earlier file's forwards, in order, and counts them", () => {
    const a = sample(0, 0, [0.5, 0.9], [false, true]);
    const b = sample(0, 1, [0.6, 0.9], [true, true]);
    const c = sample(0, 1, [0.7, 0.2], [true, false]);
    const again = sample(0, 0, [0.5, 0.9], [false, true]); // the EoTP replay's first step, before any cut
    const { samples, duplicates } = mergeSamples([file([a, b]), file([again, c, { ...b }], { eotp: true })]);
    expect(samples).toEqual([a, b, c]);
    expect(samples[0]).toBe(a);
    expect(duplicates).toBe(2);
  });

  it("keeps repeats within one file: the oracle's stuck step repeats the forward before it (spec section 3)", () => {
    const a = sample(0, 0, [0.5, 0.9], [false, true]);
    const same = { ...a }; // the same key: were repeats within a file dropped, this one would go
    expect(mergeSamples([file([a, same])])).toEqual({ samples: [a, same], duplicates: 0 });
    // ...while a later file's copies of both go.
    expect(mergeSamples([file([a, same]), file([{ ...a }])]).duplicates).toBe(1);
  });

  it('counts nothing of a file without an offset as a repeat: it cannot say which prompts it holds', () => {
    const a = sample(0, 0, [0.5, 0.9], [false, true]);
    const old = file([{ ...a }], { offset: undefined });
    expect(mergeSamples([file([a]), old]).duplicates).toBe(0);
    expect(mergeSamples([old, file([a])]).duplicates).toBe(0);
  });

  it('keeps equal samples of other prompts: other index, offset, genLength or split', () => {
    const pad = sample(0, 0, [1, 1], [true, true]); // an all-EOS padding block reads the same in many answers
    const others = [
      file([sample(1, 0, [1, 1], [true, true])]),
      file([pad], { offset: 240 }),
      file([pad], { genLength: 256 }),
      file([pad], { split: 'validation' }),
    ];
    expect(mergeSamples([file([pad]), ...others]).duplicates).toBe(0);
    // The same prompt named by another offset and index is the same forward.
    expect(
      mergeSamples([
        file([sample(5, 0, [1, 1], [true, true])], { offset: 0 }),
        file([sample(1, 0, [1, 1], [true, true])], { offset: 4 }),
      ]).duplicates,
    ).toBe(1);
  });

  it('tells forwards apart by any confidence, label or flag', () => {
    const base = sample(0, 0, [0.5, 0.9], [false, true], { masked: [true, true], stable: [false, false] });
    const variants = [
      sample(0, 0, [0.5, 0.91], [false, true], { masked: [true, true], stable: [false, false] }),
      sample(0, 0, [0.5, 0.9], [true, true], { masked: [true, true], stable: [false, false] }),
      sample(0, 0, [0.5, 0.9], [false, true], { masked: [true, false], stable: [false, false] }),
      sample(0, 0, [0.5, 0.9], [false, true], { masked: [true, true], stable: [false, true] }),
      sample(0, 0, [0.5, 0.9], [false, true]), // a file from before the flags
      sample(0, 0, [0.5], [false]), // a cut block
    ];
    expect(mergeSamples([file([base]), ...variants.map((v) => file([v]))]).duplicates).toBe(0);
  });
});
