// The collect CLI end to end on the bundled model: the learn2pd replay (the filter's own steps, labelled against
// the one-token-per-step reference) and the EoTP replay write headers that say so; train-filter refuses a header it
// cannot read.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli, BUNDLED_MODEL as model } from './run-cli';

describe('npm run collect: the learn2pd and EoTP replays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'collect-'));

  it("records the filter's own steps, one sample per forward, and says so in the header", async () => {
    const out = join(dir, 'own.jsonl');
    const r = await cli('src/cli/collect.ts', [
      '--model',
      model,
      '--limit',
      '2',
      '--gen-length',
      '32',
      '--block-length',
      '32',
      '--replay',
      'learn2pd',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/learn2pd's own steps at tauFilter 0.96/);
    const [header, ...samples] = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({
      type: 'header',
      replay: 'learn2pd',
      tauFilter: 0.96,
      genLength: 32,
      blockLength: 32,
      prompts: 2,
    });
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expect(s).toMatchObject({ type: 'sample', block: 0 });
    // Each prompt's steps count up from 0.
    const prompt0 = samples.filter((s) => s.prompt === 0).map((s) => s.step);
    expect(prompt0).toEqual(prompt0.map((_, i) => i));
  });

  it('refuses --tau-filter without the learn2pd replay, and an unknown replay', async () => {
    const a = await cli('src/cli/collect.ts', [
      '--model',
      model,
      '--limit',
      '1',
      '--tau-filter',
      '0.9',
      '--out',
      join(dir, 'a.jsonl'),
    ]);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/--filter and --tau-filter are only for --replay learn2pd/);
    const b = await cli('src/cli/collect.ts', [
      '--model',
      model,
      '--limit',
      '1',
      '--replay',
      'greedy',
      '--out',
      join(dir, 'b.jsonl'),
    ]);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/--replay must be egp_oracle or learn2pd/);
    expect(existsSync(join(dir, 'a.jsonl')) || existsSync(join(dir, 'b.jsonl'))).toBe(false);
  });

  it("trains a 'context' filter, lists it in dllm.json, and decodes with it through onnxruntime", async () => {
    const oracle = join(dir, 'oracle.jsonl');
    const a = await cli('src/cli/collect.ts', [
      '--model',
      model,
      '--limit',
      '3',
      '--gen-length',
      '32',
      '--block-length',
      '32',
      '--out',
      oracle,
    ]);
    expect(a.code, a.stderr).toBe(0);
    const samples = readFileSync(oracle, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as { masked: boolean[]; stable: boolean[] });
    expect(samples[0].masked.every(Boolean)).toBe(true); // the first forward: all masked, nothing stable yet
    expect(samples[0].stable.some(Boolean)).toBe(false);
    const copy = join(dir, 'model');
    cpSync(model, copy, { recursive: true });
    const t = await cli('src/cli/train-filter.ts', [
      '--traj',
      oracle,
      '--model',
      copy,
      '--features',
      'context',
      '--max-epochs',
      '50',
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/context features/);
    const manifest = JSON.parse(readFileSync(join(copy, 'dllm.json'), 'utf8')) as {
      filters: Record<string, Record<string, { features?: string }>>;
    };
    expect(manifest.filters['32'].paper.features).toBe('context');
    const own = join(dir, 'own-context.jsonl');
    const d = await cli('src/cli/collect.ts', [
      '--model',
      copy,
      '--limit',
      '1',
      '--gen-length',
      '32',
      '--block-length',
      '32',
      '--replay',
      'learn2pd',
      '--out',
      own,
    ]);
    expect(d.code, d.stderr).toBe(0);
    const bad = await cli('src/cli/train-filter.ts', ['--traj', oracle, '--model', copy, '--features', 'entropy']);
    expect(bad.stderr).toMatch(/--features must be confidence .*, context .* or log-odds/);
  });

  it('--eotp replays with end-of-text prediction: the header says so and cut blocks give short samples', async () => {
    const out = join(dir, 'eotp.jsonl');
    const r = await cli('src/cli/collect.ts', [
      '--model',
      model,
      '--limit',
      '1',
      '--gen-length',
      '128',
      '--block-length',
      '32',
      '--eotp',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/the EGP oracle replay with EoTP/);
    const [header, ...samples] = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { eotp?: boolean; confidence: number[]; isCorrect: boolean[] });
    expect(header).toMatchObject({ replay: 'egp_oracle', eotp: true, offset: 0 });
    const lengths = samples.map((s) => s.confidence.length);
    // Train prompt 0's answer ends inside a later block: EoTP cuts the canvas there, and that block's steps see fewer slots.
    expect(Math.min(...lengths)).toBeLessThan(32);
    for (const s of samples) expect(s.isCorrect.length).toBe(s.confidence.length);
    const plain = join(dir, 'plain.jsonl');
    expect(
      (
        await cli('src/cli/collect.ts', [
          '--model',
          model,
          '--limit',
          '1',
          '--gen-length',
          '128',
          '--block-length',
          '32',
          '--out',
          plain,
        ])
      ).code,
    ).toBe(0);
    const plainSamples = readFileSync(plain, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as { confidence: number[] });
    expect(plainSamples.every((s) => s.confidence.length === 32)).toBe(true);
  });

  it('train-filter refuses a trajectory header with an unknown replay or a non-boolean eotp', async () => {
    const file = join(dir, 'bad.jsonl');
    const header = {
      type: 'header',
      format: 'learn2pd-trajectories/1',
      model: 'tiny-dllm',
      variant: 'q4',
      modelSha256: 'x',
      genLength: 32,
      blockLength: 32,
      split: 'train',
      prompts: 1,
      replay: 'beam',
    };
    writeFileSync(file, `${JSON.stringify(header)}\n`);
    const r = await cli('src/cli/train-filter.ts', ['--traj', file, '--model', model]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/header field "replay" must be "egp_oracle" or "learn2pd"/);
    writeFileSync(file, `${JSON.stringify({ ...header, replay: 'egp_oracle', eotp: 'yes' })}\n`);
    const e = await cli('src/cli/train-filter.ts', ['--traj', file, '--model', model]);
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(/header field "eotp" must be true or false/);
    writeFileSync(file, `${JSON.stringify({ ...header, replay: 'egp_oracle', offset: -1 })}\n`);
    const o = await cli('src/cli/train-filter.ts', ['--traj', file, '--model', model]);
    expect(o.code).not.toBe(0);
    expect(o.stderr).toMatch(/header field "offset" must not be negative/);
  });

  it("train-filter counts a forward recorded by two replays once: the EoTP replay's steps before its first cut", async () => {
    const oracle = join(dir, 'dup-oracle.jsonl');
    const eotp = join(dir, 'dup-eotp.jsonl');
    const args = ['--model', model, '--limit', '2', '--offset', '3', '--gen-length', '64', '--block-length', '32'];
    expect((await cli('src/cli/collect.ts', [...args, '--out', oracle])).code).toBe(0);
    expect((await cli('src/cli/collect.ts', [...args, '--eotp', '--out', eotp])).code).toBe(0);
    const lines = (f: string) => readFileSync(f, 'utf8').trim().split('\n').slice(1);
    // Both replays start from the same fully masked canvas: each prompt's first forward is in both files.
    const firstSteps = lines(eotp).filter((l) => lines(oracle).includes(l)).length;
    expect(firstSteps).toBeGreaterThanOrEqual(2);
    const copy = join(dir, 'dup-model');
    cpSync(model, copy, { recursive: true });
    const report = join(dir, 'dup-report.json');
    const t = await cli('src/cli/train-filter.ts', [
      '--traj',
      oracle,
      '--traj',
      eotp,
      '--model',
      copy,
      '--max-epochs',
      '20',
      '--report',
      report,
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain(`left out ${firstSteps} samples that repeat one of an earlier file`);
    const r = JSON.parse(readFileSync(report, 'utf8')) as {
      samples: number;
      duplicatesLeftOut: number;
      headers: { offset?: number }[];
    };
    expect(r).toMatchObject({
      samples: lines(oracle).length + lines(eotp).length - firstSteps,
      duplicatesLeftOut: firstSteps,
    });
    expect(r.headers.map((h) => h.offset)).toEqual([3, 3]);
    // --keep-repeats reads every sample, as train-filter did before (to rebuild older filters).
    const k = await cli('src/cli/train-filter.ts', [
      '--traj',
      oracle,
      '--traj',
      eotp,
      '--model',
      copy,
      '--max-epochs',
      '20',
      '--keep-repeats',
    ]);
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).not.toContain('left out');
    expect(k.stdout).toContain(`samples: ${lines(oracle).length + lines(eotp).length} `);
  });
});
