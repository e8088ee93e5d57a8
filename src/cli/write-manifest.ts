// Writes `dllm.json` for a model folder: the static description in <folder>/manifest.base.json merged with the
// sha256 and size of every file in the folder (dllm.json and the base itself excluded), validated with the same
// parser the app uses. Run after any file of the folder changes (train-filter runs it itself):
//   npm run manifest -- public/models/tiny-dllm
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '../runtime/manifest';

const SKIP = new Set(['dllm.json', 'manifest.base.json']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Rewrites <folder>/dllm.json and returns a one-line summary. */
export function writeManifest(folder: string): string {
  const files: Record<string, { sha256: string; bytes: number }> = {};
  for (const path of walk(folder).sort()) {
    const rel = relative(folder, path).split('\\').join('/');
    if (SKIP.has(rel)) continue;
    const bytes = readFileSync(path);
    files[rel] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
  }
  const base = JSON.parse(readFileSync(join(folder, 'manifest.base.json'), 'utf8')) as Record<string, unknown>;
  const text = `${JSON.stringify({ ...base, files }, null, 2)}\n`;
  parseManifest(text); // refuse to write a manifest the app would reject
  writeFileSync(join(folder, 'dllm.json'), text);
  const total = Object.values(files).reduce((s, f) => s + f.bytes, 0);
  return `wrote ${join(folder, 'dllm.json')}: ${Object.keys(files).length} files, ${(total / 1e6).toFixed(2)} MB`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: npm run manifest -- <model folder>');
    process.exit(2);
  }
  console.log(writeManifest(folder));
}
