// The house rules of src/, read from the code's own import lines: each layer imports only from the layers below it
// (core <- tasks, runtime <- eval <- worker <- app; cli beside the app, over eval; sw alone), no import cycle, nothing outside
// src/cli imports a CLI, and no source file grows past ~350 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = /\.(ts|tsx|mjs)$/;

/** What each layer of src/ may import, besides itself (README "Layout"). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  tasks: ['core'],
  runtime: ['core'],
  eval: ['core', 'tasks', 'runtime'],
  worker: ['core', 'runtime', 'eval'],
  app: ['core', 'tasks', 'eval', 'worker', 'sw'],
  sw: [], // built alone: it imports nothing (the app reads its message types)
  cli: ['core', 'tasks', 'runtime', 'eval'],
};

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return SOURCE.test(e.name) ? [path] : [];
  });
}

/** The repository files a source file imports (relative imports only; packages are not files of ours). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specs.map((spec) => {
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
    for (const candidate of [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts')]) {
      if (SOURCE.test(candidate) && safeExists(candidate)) return candidate;
    }
    return target; // a stylesheet or a file that is not code
  });
}

function safeExists(file: string): boolean {
  try {
    readFileSync(join(ROOT, file));
    return true;
  } catch {
    return false;
  }
}

const layerOf = (file: string) => (file.startsWith('src/') ? file.split('/')[1] : null);
const SRC = files('src');

describe('layers', () => {
  it('every folder of src/ is a known layer', () => {
    expect([...new Set(SRC.map(layerOf))].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('no import runs up the layers or sideways', () => {
    const wrong = SRC.flatMap((file) => {
      const from = layerOf(file) ?? '';
      return importsOf(file).flatMap((target) => {
        const to = layerOf(target);
        if (to === null || to === from || ALLOWED[from].includes(to)) return [];
        return [`${file} -> ${target}`];
      });
    });
    expect(wrong).toEqual([]);
  });

  it('no import cycle among the files of src/', () => {
    const graph = new Map(SRC.map((f) => [f, importsOf(f).filter((t) => t.startsWith('src/') && SOURCE.test(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of SRC) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('nothing but a CLI imports a CLI: scripts, experiments, e2e and the other layers use src/ below it', () => {
    const outside = [
      ...files('scripts'),
      ...files('e2e'),
      ...(safeDir('experiments') ? files('experiments') : []),
      ...SRC.filter((f) => layerOf(f) !== 'cli'),
    ];
    const wrong = outside.flatMap((file) =>
      importsOf(file).flatMap((target) => (target.startsWith('src/cli/') ? [`${file} -> ${target}`] : [])),
    );
    expect(wrong).toEqual([]);
  });
});

function safeDir(dir: string): boolean {
  try {
    readdirSync(join(ROOT, dir));
    return true;
  } catch {
    return false;
  }
}

describe('file size', () => {
  it('no source file of src/ is over 350 lines', () => {
    const long = SRC.flatMap((file) => {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n').length;
      return lines > 350 ? [`${file}: ${lines} lines`] : [];
    });
    expect(long).toEqual([]);
  });
});
