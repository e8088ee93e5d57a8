// docs/BENCHMARKS.md is rebuilt from the `npm run bench` results in docs/bench/, a folder that also holds the
// browser measurements (other JSON shapes): those are skipped, not parsed as results.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBenchmarksDoc } from '../../src/cli/bench-report';

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
});
