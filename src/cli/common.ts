// What the Node CLIs share beyond src/eval: reading their flags and a JSONL file of prompts, and failing with one
// clear line.
import { existsSync, readFileSync } from 'node:fs';
import { inKnobRange, type KnobRange, knobRangeText } from '../core';
import type { EvalPrompt } from '../eval/evaluate';

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
      if (family !== undefined && typeof family !== 'string')
        throw new CliError(`${path}:${n}: "family" must be a string`);
      if (answer !== undefined && typeof answer !== 'string')
        throw new CliError(`${path}:${n}: "answer" must be a string`);
      return { prompt, family, answer };
    });
}

export function intArg(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** A number flag within `range` (a knob's range from core/vocabulary.ts, or any closed range). */
export function numArg(name: string, value: string | undefined, fallback: number, range: KnobRange): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !inKnobRange(n, range))
    throw new CliError(`--${name} must be ${knobRangeText(range)}, got "${value}"`);
  return n;
}
