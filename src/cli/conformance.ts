// `npm run conformance [-- <files or folders>...]`: replays reference trajectories (by default the repository's
// tests/conformance/*.json) through our decoders. One line per vector (`PASS name (nfe N)` / `FAIL name: reason`), then `N passed, N failed`;
// exit code 1 on any failure, 2 on a usage error (no path, missing path, no vectors found).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outcomeLine, runVectorJson, type VectorOutcome } from '../core/conformance';

class UsageError extends Error {
  override name = 'UsageError';
}

/** Every .json file named or inside a named folder (not recursive), folders' files sorted by name. */
async function vectorFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(p);
    const info = await stat(full).catch(() => {
      throw new UsageError(`no such file or folder: ${p}`);
    });
    if (info.isDirectory()) {
      const names = (await readdir(full)).filter((n) => n.endsWith('.json')).sort();
      if (names.length === 0) throw new UsageError(`no .json vectors in folder ${p}`);
      files.push(...names.map((n) => join(full, n)));
    } else {
      files.push(full);
    }
  }
  return files;
}

async function runFile(file: string): Promise<VectorOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return {
      name: file,
      ok: false,
      nfe: 0,
      reason: `cannot read JSON: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  return runVectorJson(json, file);
}

/** The vectors this repository keeps (a copy of the reference trajectories, with their README). */
const DEFAULT_VECTORS = fileURLToPath(new URL('../../tests/conformance', import.meta.url));

async function main(argv: string[]): Promise<number> {
  let passed = 0;
  let failed = 0;
  for (const file of await vectorFiles(argv.length === 0 ? [DEFAULT_VECTORS] : argv)) {
    const outcome = await runFile(file);
    console.log(outcomeLine(outcome));
    if (outcome.ok) passed++;
    else failed++;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof UsageError ? err.message : err);
    process.exitCode = 2;
  },
);
