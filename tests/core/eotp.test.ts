// EoTP (spec §4): rule 1 (the filter accepted an EOS in the current block), rule 2 (the most confident masked
// EOS anywhere), and how a cut shrinks the current and later blocks and ends the loop before the next forward.
import { describe, expect, it } from 'vitest';
import { decode, decodeSteps, eotpCutPosition, type StepEvent } from '../../src/core';
import { constantDenoiser, EOS, MASK, scriptedFilter } from './helpers';

const M = MASK;

async function events(gen: AsyncGenerator<StepEvent, unknown, void>): Promise<StepEvent[]> {
  const out: StepEvent[] = [];
  for (let n = await gen.next(); !n.done; n = await gen.next()) out.push(n.value);
  return out;
}

describe('EoTP rule 1: the filter accepted an EOS in the current block', () => {
  const base = {
    before: Int32Array.from([5, M, M, M, M]),
    top1: Int32Array.from([5, 1, 7, 1, 1]),
    conf: Float64Array.from([0, 0.2, 0.3, 0.4, 0.99]),
    maskId: M,
    eosId: EOS,
  };

  it('cuts right after the first accepted masked EOS, even when rule 2 would pick a more confident one', () => {
    expect(eotpCutPosition({ ...base, filter: { blockStart: 1, accept: [false, true, true, false] } })).toBe(3);
  });

  it('ignores accepted positions that were already committed or do not predict EOS', () => {
    const before = Int32Array.from([5, M, M, 1, M]);
    expect(eotpCutPosition({ ...base, before, filter: { blockStart: 1, accept: [false, true, true, false] } })).toBe(4); // falls to rule 2
  });
});

describe('EoTP rule 2: the most confident masked EOS of the whole remaining canvas', () => {
  it('looks at masked positions in future blocks too and keeps the cut position', () => {
    const input = {
      before: Int32Array.from([5, M, M, M, M]),
      top1: Int32Array.from([5, 1, 7, 1, 9]),
      conf: Float64Array.from([0, 0.2, 0.3, 0.4, 0.99]),
      maskId: M,
      eosId: EOS,
    };
    expect(eotpCutPosition(input)).toBe(3);
  });

  it('ignores committed positions and returns undefined when no masked position predicts EOS', () => {
    const input = {
      before: Int32Array.from([5, 1, M]),
      top1: Int32Array.from([5, 1, 7]),
      conf: Float64Array.from([0, 0.9, 0.3]),
      maskId: M,
      eosId: EOS,
    };
    expect(eotpCutPosition(input)).toBeUndefined();
  });

  it('breaks ties by lowest position', () => {
    const input = {
      before: Int32Array.from([5, M, M]),
      top1: Int32Array.from([5, 1, 1]),
      conf: Float64Array.from([0, 0.5, 0.5]),
      maskId: M,
      eosId: EOS,
    };
    expect(eotpCutPosition(input)).toBe(1);
  });
});

describe('EoTP in the step loop', () => {
  const cfg = { maskId: M, eosId: EOS, genLength: 4, blockLength: 2, eotp: true } as const;

  it('low_confidence: the cut keeps a still-masked EOS slot, truncates the next block, and the answer drops EOS', async () => {
    const d = constantDenoiser([5, 7, 8, 1, 9], [0.5, 0.9, 0.4, 0.6, 0.3]);
    const ev = await events(decodeSteps(Int32Array.from([5]), { ...cfg, decoder: 'low_confidence' }, d));
    expect(d.seen.map((ids) => Array.from(ids))).toEqual([
      [5, M, M, M, M],
      [5, 7, M, M], // cut after position 3 (canvas 2): block 1 is one slot long now
      [5, 7, 8, M],
    ]);
    expect(ev.map((e) => e.cutAt)).toEqual([2, undefined, undefined]);
    expect(ev[0].guesses.length).toBe(4); // guesses are reported before the cut
    expect(ev[2]).toMatchObject({ blockStart: 2, committed: [{ pos: 2, token: 1 }] });
  });

  it('stops before the next forward as soon as nothing is masked, even if blocks remain', async () => {
    const d = constantDenoiser([5, 1, 8, 9, 9], [0.5, 0.9, 0.4, 0.6, 0.3]);
    const r = await decode(Int32Array.from([5]), { ...cfg, decoder: 'low_confidence' }, d);
    expect(r.nfe).toBe(1); // EOS committed at position 1 is also the cut: nothing left
    expect(Array.from(r.output)).toEqual([5, 1]);
    expect(Array.from(r.answer)).toEqual([]);
  });

  it('learn2pd: rule 1 wins over rule 2 and commits past the cut are dropped from the event', async () => {
    const d = constantDenoiser([5, 7, 8, 1, 1], [0.5, 0.3, 0.4, 0.2, 0.95]);
    const filter = scriptedFilter(4, [[2]]); // accepts block slot 2 (position 3, an EOS) at the first call
    const ev = await events(
      decodeSteps(Int32Array.from([5]), { ...cfg, blockLength: 4, decoder: 'learn2pd', tauFilter: 0.5 }, d, filter),
    );
    // step 0 commits {3 (filter), 4 (top-1)}, then cuts after 3 (rule 2 would keep 4, the surer EOS): 4 goes with the cut
    expect(ev[0]).toMatchObject({ cutAt: 2, committed: [{ pos: 2, token: 1 }] });
    expect(d.seen.map((ids) => Array.from(ids))).toEqual([
      [5, M, M, M, M],
      [5, M, M, 1],
      [5, M, 8, 1],
    ]);
    expect(filter.inputs[1].length).toBe(4); // the cut block (3 slots) is still padded to the filter size
    expect(filter.inputs.length).toBe(2); // the last step (one masked slot, not EOS) is not asked
  });

  it('threshold and factor use rule 2', async () => {
    for (const decoder of [
      { decoder: 'threshold', tau: 0.99 } as const,
      { decoder: 'factor', factor: 0.01 } as const,
    ]) {
      const d = constantDenoiser([5, 7, 8, 1, 9], [0.5, 0.9, 0.4, 0.6, 0.3]);
      const r = await decode(Int32Array.from([5]), { ...cfg, ...decoder }, d);
      expect(Array.from(r.output)).toEqual([5, 7, 8, 1]);
      expect(r.nfe).toBe(3);
    }
  });

  it("eotpScope 'block': rule 2 reads the current block only, as with a cache (spec §7), and cuts later", async () => {
    const d = constantDenoiser([5, 7, 8, 1, 9], [0.5, 0.9, 0.4, 0.6, 0.3]);
    const ev = await events(
      decodeSteps(Int32Array.from([5]), { ...cfg, decoder: 'low_confidence', eotpScope: 'block' }, d),
    );
    expect(d.seen.map((ids) => Array.from(ids))).toEqual([
      [5, M, M, M, M], // the EOS guess at position 3 is in the next block: no cut yet
      [5, 7, M, M, M],
      [5, 7, 8, M, M],
    ]);
    expect(ev.map((e) => e.cutAt)).toEqual([undefined, undefined, 2]);
    await expect(
      decode(Int32Array.from([5]), { ...cfg, decoder: 'low_confidence', eotpScope: 'x' as 'block' }, d),
    ).rejects.toThrow(/eotpScope must be one of canvas, block/);
  });

  it('without eotp nothing is cut', async () => {
    const d = constantDenoiser([5, 7, 8, 1, 9], [0.5, 0.9, 0.4, 0.6, 0.3]);
    const r = await decode(Int32Array.from([5]), { ...cfg, eotp: false, decoder: 'low_confidence' }, d);
    expect(Array.from(r.output)).toEqual([5, 7, 8, 1, 9]);
    expect(Array.from(r.answer)).toEqual([7, 8]);
  });
});
