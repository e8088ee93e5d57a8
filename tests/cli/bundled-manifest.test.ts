// The bundled model's dllm.json must be what write-manifest writes for the folder as it is: an edit to the model card,
// the filter or the base that skips `npm run manifest` would ship a manifest whose hashes the app checks
// against other bytes (or, for the model card, a stale entry no load notices).
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifest } from '../../src/cli/write-manifest';
import { BUNDLED_MODEL } from './run-cli';

describe('the bundled dllm.json', () => {
  it('lists every file of the folder with its current sha256 and size', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'model');
    cpSync(BUNDLED_MODEL, copy, { recursive: true });
    writeManifest(copy);
    const fresh = JSON.parse(readFileSync(join(copy, 'dllm.json'), 'utf8')) as { files: Record<string, unknown> };
    const committed = JSON.parse(readFileSync(join(BUNDLED_MODEL, 'dllm.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    expect(committed.files).toEqual(fresh.files);
    expect(committed).toEqual(fresh);
  });
});
