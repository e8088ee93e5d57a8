// The cache-agreement CLI end to end on the bundled model (3 prompts, a 64-token canvas): the JSON and Markdown it
// promises, figures that agree with its own per-prompt record, and a usage line without --json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBenchResult } from '../../src/cli/bench-report';
import { BUNDLED_MODEL as model, runCli } from './run-cli';

const cli = (args: string[]) => runCli('src/cli/cache-agreement.ts', args);

interface Setting {
  label: string;
  sameAnswer: number;
  onlyHere: number;
  onlyReference: number;
  pValue: number;
  movedAlsoByWeights: number | null;
  perPrompt: string;
}

describe('npm run cache-agreement', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-agreement-'));

  it('compares each setting with the q4 no-cache answers prompt by prompt', async () => {
    const out = join(dir, 'agreement.json');
    const r = await cli(['--model', model, '--limit', '3', '--gen-length', '64', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { n: number; genLength: number; settings: Setting[] };
    expect(json.n).toBe(3);
    expect(json.genLength).toBe(64);
    expect(json.settings.map((s) => s.label)).toEqual([
      'q4, prefix cache',
      'q4, dual cache',
      'q8, no cache',
      'fp32, no cache',
    ]);
    for (const s of json.settings) {
      expect(s.perPrompt).toMatch(/^[01]{3}$/);
      expect(s.sameAnswer).toBeCloseTo([...s.perPrompt].filter((c) => c === '1').length / 3, 10);
      // A prompt that changes correctness changes its answer.
      expect(s.onlyHere + s.onlyReference).toBeLessThanOrEqual([...s.perPrompt].filter((c) => c === '0').length);
      expect(s.pValue).toBeGreaterThan(0);
    }
    expect(json.settings.filter((s) => s.movedAlsoByWeights !== null).every((s) => s.label.includes('cache'))).toBe(
      true,
    );
    // Not a bench result: BENCHMARKS.md does not read it as one.
    expect(isBenchResult(json)).toBe(false);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toContain('| q4, dual cache |');
    expect(md).toContain('npm run cache-agreement -- --model');
  }, 120_000);

  it('needs --json and says how to call it', async () => {
    const r = await cli(['--model', model]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/usage: npm run cache-agreement/);
  });
});
