// docs/BENCHMARKS.md is rebuilt from the `npm run bench` results in docs/bench/, a folder that also holds the
// browser measurements (other JSON shapes): those are skipped, not parsed as results.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_RESULTS_END, README_RESULTS_START, summaryTable } from '../../src/cli/bench-readme';
import { readBenchResults, readmeResult, writeBenchmarksDoc } from '../../src/cli/bench-report';
import type { BenchResult, BenchRow } from '../../src/eval/bench-file';
import { mcnemarExact, pairedComparison } from '../../src/eval/paired';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');

describe('writeBenchmarksDoc', () => {
  it('writes a section per bench result and skips the other JSON files of docs/bench', () => {
    const docs = mkdtempSync(join(tmpdir(), 'bench-doc-'));
    mkdirSync(join(docs, 'bench'));
    copyFileSync(join(root, 'docs', 'bench', 'gen128.json'), join(docs, 'bench', 'gen128.json'));
    writeFileSync(join(docs, 'bench', 'load-time.json'), JSON.stringify({ what: 'load time', median: {} }));
    writeBenchmarksDoc(docs);
    const md = readFileSync(join(docs, 'BENCHMARKS.md'), 'utf8');
    expect(md).toContain('## genLength 128, blockLength 32 (gen128)');
    expect(md).not.toContain('load time');
    expect(md).toMatch(/Filter cost .*without EoTP/);
    expect(readFileSync(join(docs, 'bench', 'gen128.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('says at how many steps the filter was asked and what a call took, where the rows record it', () => {
    const docs = mkdtempSync(join(tmpdir(), 'bench-doc-'));
    mkdirSync(join(docs, 'bench'));
    const result = JSON.parse(readFileSync(join(root, 'docs', 'bench', 'gen128.json'), 'utf8')) as BenchResult;
    // 1% of 10 ms per step at 0.8 calls per step: 125 us per call; at 0.5 calls: 200.
    result.rows = result.rows.map((r) =>
      r.spec.decoder === 'learn2pd'
        ? {
            ...r,
            filterShare: 0.01,
            msPerStep: 10,
            filterCallsPerStep: r.spec.eotp ? 0.88 : r.spec.tauFilter === 0.99 ? 0.5 : 0.8,
          }
        : r,
    );
    writeFileSync(join(docs, 'bench', 'gen128.json'), JSON.stringify(result));
    writeBenchmarksDoc(docs);
    const md = readFileSync(join(docs, 'BENCHMARKS.md'), 'utf8');
    expect(md).toMatch(/without EoTP, the filter asked at 50-80% of steps, 125-200 us per call;/);
    expect(md).toMatch(
      /with EoTP \(its cut canvases make the forwards cheaper\), the filter asked at 88% of steps, 114 us per call\./,
    );
  });

  it('is rewritten by `npm run bench -- --doc-only <docs>` without a model or any decoding', async () => {
    const docs = mkdtempSync(join(tmpdir(), 'bench-doc-'));
    mkdirSync(join(docs, 'bench'));
    copyFileSync(join(root, 'docs', 'bench', 'gen128.json'), join(docs, 'bench', 'gen128.json'));
    const { code, stdout } = await runCli('src/cli/bench.ts', ['--doc-only', docs]);
    expect(code).toBe(0);
    expect(stdout).toContain('(1 result files)');
    expect(readFileSync(join(docs, 'BENCHMARKS.md'), 'utf8')).toContain('## genLength 128, blockLength 32 (gen128)');
  });

  it("rewrites the README's results block from the longest canvas, and the repository's README is current", () => {
    const top = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    const docs = join(top, 'docs');
    mkdirSync(join(docs, 'bench'), { recursive: true });
    for (const f of ['gen128.json', 'gen256.json'])
      copyFileSync(join(root, 'docs', 'bench', f), join(docs, 'bench', f));
    writeFileSync(
      join(top, 'README.md'),
      `# x\n\n${README_RESULTS_START}\nSTALE-BLOCK\n${README_RESULTS_END}\n\nafter\n`,
    );
    writeBenchmarksDoc(docs);
    const readme = readFileSync(join(top, 'README.md'), 'utf8');
    const gen256 = JSON.parse(readFileSync(join(root, 'docs', 'bench', 'gen256.json'), 'utf8')) as BenchResult;
    expect(readme).toContain(summaryTable(gen256));
    expect(readme).not.toContain('STALE-BLOCK');
    expect(readme).toMatch(/after\n$/);
    expect(summaryTable(gen256)).toMatch(/\| low_confidence \| off \| 256\.0 \| 1\.0x \|/);
    expect(summaryTable(gen256)).toMatch(
      /\| learn2pd tauFilter=0\.96 \| on \| .* \| .* \| .* \| [-+]\d+\.\d \(\d+ \/ \d+\) \| /,
    );
    // The repository's README holds what the committed results give (so a re-run bench cannot leave it stale).
    const ours = readFileSync(join(root, 'README.md'), 'utf8');
    const source = readmeResult(readBenchResults(join(root, 'docs')));
    if (source === undefined) throw new Error('docs/bench has no bench result');
    expect(ours.slice(ours.indexOf(README_RESULTS_START), ours.indexOf(README_RESULTS_END))).toContain(
      summaryTable(source),
    );
  });

  it('adds the paired comparisons when the rows carry per-prompt outcomes', () => {
    const docs = mkdtempSync(join(tmpdir(), 'bench-doc-'));
    mkdirSync(join(docs, 'bench'));
    const result = JSON.parse(readFileSync(join(root, 'docs', 'bench', 'gen128.json'), 'utf8')) as BenchResult;
    const withOutcomes = (r: BenchRow, correct: string): BenchRow => ({
      ...r,
      perPrompt: { correct, agrees: '1'.repeat(correct.length) },
    });
    result.reference = withOutcomes(result.reference, '1111111111-0');
    result.rows = result.rows.map((r) => {
      if (r.spec.eotp) return r;
      if (r.spec.decoder === 'learn2pd' && r.spec.tauFilter === 0.96) return withOutcomes(r, '0000011111-0');
      if (r.spec.decoder === 'threshold' && r.spec.tau === 0.9) return withOutcomes(r, '1111111110-1');
      return r;
    });
    writeFileSync(join(docs, 'bench', 'gen128.json'), JSON.stringify(result));
    writeBenchmarksDoc(docs);
    const md = readFileSync(join(docs, 'BENCHMARKS.md'), 'utf8');
    // learn2pd vs the reference: 11 checkable prompts, 5 only the reference gets right, none the other way.
    expect(md).toContain('| learn2pd tauFilter=0.96 | low_confidence | -45.5 | 0 | 5 | 0.063 |');
    expect(md).toContain('| learn2pd tauFilter=0.96 | threshold tau=0.9 | -45.5 | 1 | 6 | 0.125 |');
    expect(md).toContain('| threshold tau=0.9 | low_confidence | +0.0 | 1 | 1 | 1.000 |');
    expect(md).not.toMatch(/\| learn2pd tauFilter=0.96 \+EoTP \| low_confidence \|/); // rows without outcomes are skipped
  });
});

describe('paired comparison', () => {
  it('exact McNemar matches the binomial tail', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(10, 3)).toBeCloseTo(0.09228515625, 12); // 2 * sum_{i<=3} C(13, i) / 2^13
    expect(mcnemarExact(3, 10)).toBeCloseTo(0.09228515625, 12);
    expect(mcnemarExact(20, 8)).toBeCloseTo(0.035698138, 8);
    expect(mcnemarExact(400, 300)).toBeLessThan(0.001);
  });

  it('counts the four cells over prompts checkable in both, and refuses rows of other prompts', () => {
    const row = (label: string, correct: string) => ({ label, perPrompt: { correct, agrees: '' } }) as BenchRow;
    expect(pairedComparison(row('a', '110-01'), row('b', '1011-0'))).toMatchObject({
      both: 1,
      onlyA: 2,
      onlyB: 1,
      neither: 0,
    });
    expect(pairedComparison(row('a', '11'), row('b', '111'))).toBeNull();
  });
});
