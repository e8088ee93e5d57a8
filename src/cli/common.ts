// What the Node CLIs share: loading a model folder with onnxruntime-node, reading prompts (a task split or a
// JSONL file), writing result files atomically, and failing with one clear line.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { generateSplit, isFamilyName, SPLITS, type Split } from '../tasks';
import type { EvalPrompt } from '../runtime/evaluate';
import { loadModel, type LoadedModel } from '../runtime/model';
import { folderLoader, nodeOrt } from '../runtime/node';

export class CliError extends Error {
  override name = 'CliError';
}

/** Runs a CLI body; any error prints `error: message` and exits 1 (no stack trace for expected failures). */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    console.error(`error: ${e.message}`);
    if (process.env.DEBUG) console.error(e.stack);
    process.exit(1);
  });
}

export async function loadNodeModel(folder: string, variant?: string): Promise<LoadedModel> {
  if (!existsSync(folder)) throw new CliError(`model folder ${folder} does not exist`);
  return loadModel(folderLoader(folder), nodeOrt, { variant });
}

export function parseSplit(value: string): Split {
  const split = SPLITS.find((s) => s === value);
  if (!split) throw new CliError(`--split must be one of ${SPLITS.join(', ')}, got "${value}"`);
  return split;
}

/** Prompts from a task split (deterministic: the first `limit` of the split's fixed order). */
export function splitPrompts(split: Split, limit: number, families?: string[]): EvalPrompt[] {
  if (families) for (const f of families) if (!isFamilyName(f)) throw new CliError(`unknown task family "${f}"`);
  const options = families ? { families: families.filter(isFamilyName) } : {};
  return generateSplit(split, limit, options).map((e) => ({ prompt: e.prompt, family: e.family, answer: e.answer }));
}

/** Prompts from a JSONL file with lines `{ "prompt": ..., "family"?: ..., "answer"?: ... }`. */
export function filePrompts(path: string): EvalPrompt[] {
  if (!existsSync(path)) throw new CliError(`prompts file ${path} does not exist`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line.length > 0)
    .map(([line, n]) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new CliError(`${path}:${n} is not valid JSON`);
      }
      if (typeof raw !== 'object' || raw === null) throw new CliError(`${path}:${n} must be a JSON object`);
      const { prompt, family, answer } = raw as Record<string, unknown>;
      if (typeof prompt !== 'string') throw new CliError(`${path}:${n} needs a string "prompt"`);
      if (family !== undefined && typeof family !== 'string') throw new CliError(`${path}:${n}: "family" must be a string`);
      if (answer !== undefined && typeof answer !== 'string') throw new CliError(`${path}:${n}: "answer" must be a string`);
      return { prompt, family, answer };
    });
}

export function intArg(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export function numArg(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new CliError(`--${name} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
}

/** Writes a file via a temporary name and a rename, so a failed run never leaves a partial file behind. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function pct(x: number | null): string {
  return x === null ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`;
}

/** A plain text table: header row, then rows; columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
