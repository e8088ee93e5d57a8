// The CI summary line counts from the runners' reports: a test file that failed to load and a missing report are
// failures, skipped tests are counted and named in the line, never as passed.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'test-summary.mjs');

async function summary(vitest: unknown, playwright: unknown): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  mkdirSync(join(dir, '.reports'));
  if (vitest !== null) writeFileSync(join(dir, '.reports', 'vitest.json'), JSON.stringify(vitest));
  if (playwright !== null) writeFileSync(join(dir, '.reports', 'playwright.json'), JSON.stringify(playwright));
  return promisify(execFile)('node', [SCRIPT], { cwd: dir }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
}

const okFile = { name: 'a.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }] };
const vitest = (extra: object = {}) => ({
  numPassedTests: 3,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 0,
  testResults: [okFile],
  ...extra,
});
const playwright = { stats: { expected: 2, unexpected: 0, flaky: 0, skipped: 1 }, errors: [] };

describe('test-summary', () => {
  it('adds the runners up and says how many were skipped', async () => {
    const r = await summary(vitest(), playwright);
    expect(r.out.trim().split('\n').pop()).toBe('5 passed, 0 failed (2 skipped)');
    expect(r.code).toBe(0);
  });

  it('counts a test file that failed to load as a failure', async () => {
    const broken = { name: 'b.test.ts', status: 'failed', assertionResults: [] };
    const r = await summary(vitest({ testResults: [okFile, broken] }), playwright);
    expect(r.out).toContain('test file failed to load (counted as a failure): b.test.ts');
    expect(r.out.trim().split('\n').pop()).toBe('5 passed, 1 failed (2 skipped)');
    expect(r.code).toBe(1);
  });

  it('counts a missing report as a failure', async () => {
    const r = await summary(vitest(), null);
    expect(r.out.trim().split('\n').pop()).toBe('3 passed, 1 failed (1 skipped)');
    expect(r.code).toBe(1);
  });
});
