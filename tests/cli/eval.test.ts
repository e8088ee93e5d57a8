// The eval CLI end to end on the bundled model: a real (short) run writes the JSON it promises; bad input exits
// non-zero with a clear message and leaves no output file behind.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_MODEL as model, runCli } from './run-cli';

const cli = (args: string[]) => runCli('src/cli/eval.ts', args);

describe('npm run eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eval-'));

  it('evaluates a decoder and writes the promised JSON fields', async () => {
    const out = join(dir, 'ok.json');
    const r = await cli([
      '--model',
      model,
      '--decoder',
      'threshold',
      '--tau',
      '0.9',
      '--split',
      'test',
      '--limit',
      '3',
      '--family',
      'lookup',
      '--gen-length',
      '32',
      '--block-length',
      '32',
      '--json',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/threshold tau=0.9/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    for (const key of [
      'decoder',
      'n',
      'accuracy',
      'agreement',
      'meanNfe',
      'meanAnswerTokens',
      'tokensPerSecond',
      'perFamily',
    ])
      expect(json).toHaveProperty(key);
    expect(json.n).toBe(3);
    // Where each answer ended against the task's reference answer, in tokens (the EoTP length check).
    const { meanLengthError, meanAbsLengthError } = json as { meanLengthError: number; meanAbsLengthError: number };
    expect(Number.isFinite(meanLengthError)).toBe(true);
    expect(meanAbsLengthError).toBeGreaterThanOrEqual(Math.abs(meanLengthError));
    expect(r.stdout).toMatch(/length err/);
  });

  it('evaluates prompts from a JSONL file', async () => {
    const prompts = join(dir, 'prompts.jsonl');
    writeFileSync(
      prompts,
      `${JSON.stringify({ prompt: 'Tell me the capital of Ireland.', family: 'lookup', answer: 'The capital of Ireland is Dublin.' })}\n`,
    );
    const r = await cli([
      '--model',
      model,
      '--decoder',
      'low_confidence',
      '--prompts',
      prompts,
      '--gen-length',
      '32',
      '--block-length',
      '32',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 prompts/);
  });

  it('exits non-zero with no output file when the model folder is missing', async () => {
    const out = join(dir, 'missing.json');
    const r = await cli([
      '--model',
      join(dir, 'nope'),
      '--decoder',
      'threshold',
      '--split',
      'test',
      '--limit',
      '1',
      '--json',
      out,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/model folder .*nope does not exist/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits non-zero with no output file when a prompt is too long', async () => {
    const prompts = join(dir, 'long.jsonl');
    const out = join(dir, 'long.json');
    writeFileSync(prompts, `${JSON.stringify({ prompt: 'word '.repeat(300) })}\n`);
    const r = await cli(['--model', model, '--decoder', 'threshold', '--prompts', prompts, '--json', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/takes at most 56/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown decoder', async () => {
    const r = await cli(['--model', model, '--decoder', 'nope', '--split', 'test']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--decoder is required and must be one of/);
  });
});
