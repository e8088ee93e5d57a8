// The slot filter end to end on the bundled model: collect records margin and entropy and writes the EoTP replay
// beside the plain one from one reference; train-filter --filter slot writes a JSON filter and lists it by name; eval
// decodes with it by name; a trajectory without its features, or an unknown filter name, is refused with why.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli, BUNDLED_MODEL as model } from './run-cli';

describe('the slot filter from collect to eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slot-'));

  it('collects, trains, lists and decodes with a slot filter, and refuses what it cannot use', async () => {
    const plain = join(dir, 'plain.jsonl');
    const eotp = join(dir, 'eotp.jsonl');
    const c = await cli('src/cli/collect.ts', [
      ...['--model', model, '--limit', '3', '--gen-length', '64', '--block-length', '32'],
      ...['--out', plain, '--eotp-out', eotp],
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/wrote .*eotp.jsonl: \d+ samples \(the EGP oracle replay with EoTP\)/);
    const lines = (path: string) =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [header, first] = lines(plain);
    expect(lines(eotp)[0]).toMatchObject({ eotp: true });
    expect(header.eotp).toBeUndefined();
    expect((first.margin as number[]).length).toBe((first.confidence as number[]).length);
    expect((first.entropy as number[]).length).toBe((first.confidence as number[]).length);

    const copy = join(dir, 'model');
    cpSync(model, copy, { recursive: true });
    const t = await cli('src/cli/train-filter.ts', [
      ...['--traj', plain, '--traj', eotp, '--model', copy, '--filter', 'slot', '--max-epochs', '40'],
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/the slot filter \(log-odds, margin, entropy/);
    const manifest = JSON.parse(readFileSync(join(copy, 'dllm.json'), 'utf8')) as {
      filters: Record<string, Record<string, { kind?: string; file: string }>>;
    };
    expect(manifest.filters['32'].slot).toMatchObject({ kind: 'slot', file: 'filter/slot_b32.json' });

    const e = await cli('src/cli/eval.ts', [
      ...['--model', copy, '--decoder', 'learn2pd', '--filter', 'slot', '--split', 'test', '--limit', '2'],
      ...['--gen-length', '64', '--block-length', '32'],
    ]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/learn2pd:slot tauFilter=0.96/);

    // A trajectory from before margin and entropy were recorded cannot train a slot filter.
    const old = join(dir, 'old.jsonl');
    writeFileSync(
      old,
      lines(plain)
        .map(({ margin: _m, entropy: _e, ...rest }) => JSON.stringify(rest))
        .join('\n'),
    );
    const bad = await cli('src/cli/train-filter.ts', ['--traj', old, '--model', copy, '--filter', 'slot']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(
      /has no margin, entropy, which the slot filter .* needs: collect the trajectories again/,
    );
    const unknown = await cli('src/cli/eval.ts', [
      ...['--model', copy, '--decoder', 'learn2pd', '--filter', 'gru', '--split', 'test', '--limit', '1'],
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no Learn2PD filter named "gru" \(it has "paper", "slot"/);
  });
});
