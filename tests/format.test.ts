// The house format: Biome (biome.json) formats and checks every source file; a file it would change fails here, so
// `npm test` keeps the code formatted (`npm run format` fixes it).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const biome = join(ROOT, 'node_modules', '.bin', 'biome');

describe('format and lint', () => {
  it('biome ci finds nothing to change', async () => {
    const outcome = await promisify(execFile)(biome, ['ci', '--colors=off', '.'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    expect(outcome.output.slice(0, 4000)).toBe('');
    expect(outcome.code).toBe(0);
  });
});
