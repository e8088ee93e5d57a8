// Every reference trajectory in tests/conformance (or $CONFORMANCE_DIR) must replay exactly through our
// decoders; plus the replay denoiser's and the vector parser's error messages.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVector, ReplayDenoiser, runVector, runVectorJson, vectorConfig } from '../../src/core';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.env.CONFORMANCE_DIR ?? resolve(repoRoot, 'tests', 'conformance');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string): unknown => JSON.parse(readFileSync(resolve(dir, f), 'utf8'));

describe('conformance vectors', () => {
  it('finds the vectors', () => {
    // The repository's copy holds 13; a folder given by $CONFORMANCE_DIR may hold any number.
    expect(files.length).toBeGreaterThanOrEqual(process.env.CONFORMANCE_DIR ? 1 : 13);
  });

  it.each(files)('%s replays exactly', async (file) => {
    const outcome = await runVectorJson(load(file), file);
    expect(outcome.reason).toBeUndefined();
    expect(outcome.ok).toBe(true);
  });
});

describe('replay denoiser', () => {
  const calls = [{ ids: [5, 39, 39], top1: [5, 7, 8], conf: [0.9, 0.8, 0.7] }];

  it('answers a matching call with the recorded output, confidences unrounded', async () => {
    const replay = new ReplayDenoiser(calls);
    const out = await replay.forward(Int32Array.from([5, 39, 39]));
    expect(Array.from(out.top1)).toEqual([5, 7, 8]);
    expect(out.conf[0]).toBe(0.9);
    expect(replay.used).toBe(1);
  });

  it('names the call and the first differing position', async () => {
    const replay = new ReplayDenoiser(calls);
    await expect(replay.forward(Int32Array.from([5, 39, 4]))).rejects.toThrow(
      'call 0: ids differ first at position 2 (got 4, expected 39)',
    );
  });

  it('reports a length mismatch and an extra call', async () => {
    await expect(new ReplayDenoiser(calls).forward(Int32Array.from([5, 39]))).rejects.toThrow(
      'call 0: ids have length 2, expected 3',
    );
    const replay = new ReplayDenoiser(calls);
    await replay.forward(Int32Array.from([5, 39, 39]));
    await expect(replay.forward(Int32Array.from([5, 39, 39]))).rejects.toThrow(
      'call 1: the decoder made more calls than the 1 recorded',
    );
  });
});

describe('vector runner', () => {
  const first = files.find((f) => f.startsWith('low_confidence-')) ?? files[0];

  it('fails a vector whose recorded output was altered, saying where', async () => {
    const vector = parseVector(load(first), first);
    vector.output = [...vector.output];
    vector.output[vector.output.length - 1] = 38;
    const outcome = await runVector(vector);
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toMatch(/^output first differs at position \d+/);
  });

  it('fails a vector with a missing call, naming the call', async () => {
    const vector = parseVector(load(first), first);
    vector.calls = vector.calls.slice(0, -1);
    const outcome = await runVector(vector);
    expect(outcome.reason).toMatch(/more calls than the \d+ recorded/);
  });

  it('turns a malformed vector into a failure naming the field', async () => {
    const outcome = await runVectorJson({ algorithm: 'threshold', params: { maskId: 'x' } }, 'bad.json');
    expect(outcome).toMatchObject({ ok: false, reason: 'bad.json.params.maskId must be a finite number' });
    expect((await runVectorJson([], 'list.json')).reason).toBe('list.json must be an object');
    expect((await runVectorJson({ algorithm: 'nope' }, 'a.json')).reason).toMatch(
      /^a.json.algorithm must be one of low_confidence/,
    );
  });

  it('maps every algorithm to a decoder config', () => {
    const byAlgorithm = new Map(files.map((f) => [parseVector(load(f), f).algorithm, parseVector(load(f), f)]));
    for (const [algorithm, vector] of byAlgorithm) {
      const config = vectorConfig(vector);
      expect(config.eotp).toBe(algorithm.endsWith('_eotp'));
      expect(config.decoder).toBe(algorithm.replace('_eotp', ''));
    }
  });
});
