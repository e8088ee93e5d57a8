// The ONNX verifier end to end on the bundled model: cases recorded from its fp32 graph pass (as PyTorch's do in
// training/run_all.sh), one flipped token in them fails with exit 1 naming the graph, and a malformed file is refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_MODEL as model, runCli } from './run-cli';

const cli = (args: string[]) => runCli('src/cli/verify-onnx.ts', args);
/** PyTorch's outputs of the shipped weights, written by training/export.py (8 cases, 1716 positions). */
const TORCH_CASES = 'tests/cli/fixtures/verify-torch.json';

interface Case {
  shape: [number, number];
  input_ids: number[];
  top1: number[];
  conf: number[];
}

describe('npm run verify-onnx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  const good = join(dir, 'verify.json');
  let cases: Case[] = [];

  beforeAll(async () => {
    const session = await ort.InferenceSession.create(join(model, 'onnx', 'model.onnx'));
    for (const seq of [12, 40]) {
      const ids = Array.from({ length: seq }, (_, i) => (i * 37 + 5) % 2048);
      const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, seq]) });
      const top1 = Array.from(out.top1.data as BigInt64Array | Int32Array, Number);
      cases.push({ shape: [1, seq], input_ids: ids, top1, conf: Array.from(out.conf.data as Float32Array) });
    }
    await session.release();
    writeFileSync(good, JSON.stringify({ cases }));
  });

  it('passes graphs that agree with the recorded outputs and writes a report per variant', async () => {
    const report = join(dir, 'report.json');
    const r = await cli([model, good, '--json', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/model\.onnx .* argmax mismatches 0\/52/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      ep: string;
      reports: { file: string; mismatches: number }[];
    };
    expect(json.ep).toBe('cpu');
    expect(json.reports.map((x) => x.file.split('/').pop())).toEqual(
      expect.arrayContaining(['model.onnx', 'model_q4.onnx', 'model_q8.onnx']),
    );
  });

  it('fails with exit 1 when the fp32 graph disagrees on one token', async () => {
    const bad = join(dir, 'bad.json');
    const flipped = structuredClone(cases);
    flipped[0].top1[3] = (flipped[0].top1[3] + 1) % 2048;
    writeFileSync(bad, JSON.stringify({ cases: flipped }));
    const r = await cli([model, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/model\.onnx .* argmax mismatches 1\/52 .* FAIL/);
    expect(r.stderr).toContain('an fp32 graph disagrees with PyTorch');
  });

  it("checks every graph's entropy and margin against PyTorch's (tests/cli/fixtures/verify-torch.json, export.py)", async () => {
    const report = join(dir, 'torch.json');
    const r = await cli([model, TORCH_CASES, '--json', report]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      reports: { file: string; mismatches: number; maxExtraDiff: { entropy: number; margin: number } }[];
    };
    const fp32 = json.reports.find((x) => x.file.endsWith('/model.onnx'));
    expect(fp32?.mismatches).toBe(0);
    expect(fp32?.maxExtraDiff.entropy).toBeLessThan(1e-4);
    expect(fp32?.maxExtraDiff.margin).toBeLessThan(1e-4);
    // One recorded entropy off by 0.01 fails the fp32 graph, naming it.
    const cases = JSON.parse(readFileSync(TORCH_CASES, 'utf8')) as { cases: Case[] };
    const shifted = structuredClone(cases);
    const first = shifted.cases[0] as Case & { entropy: number[] };
    first.entropy[0] += 0.01;
    const bad = join(dir, 'torch-bad.json');
    writeFileSync(bad, JSON.stringify(shifted));
    const failed = await cli([model, bad]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/model\.onnx .* \|entropy diff\| max 1\.\d+e-2 .* FAIL/);
  });

  it('refuses a file without cases and a wrong --ep, naming what is wrong', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{"cases": []}');
    expect((await cli([model, empty])).stderr).toContain('must hold a non-empty "cases" array');
    expect((await cli([model, good, '--ep', 'cuda'])).stderr).toContain('--ep must be cpu or webgpu');
  });
});
