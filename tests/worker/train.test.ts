// The Train view's jobs over onnxruntime-node, through the worker's message path (issue 23): collection and training
// give what `npm run collect` + `npm run train-filter` give for the same prompts, settings and seed (the CLIs run
// here, on a copy of the model folder, since train-filter writes into it); a trained filter joins the model's
// filters and a comparison runs with it; bad input is refused with what is wrong; a cancel stops a job.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitPrompts } from '../../src/eval/prompts';
import { folderLoader, nodeOrt } from '../../src/runtime/node';
import { DllmClient } from '../../src/worker/client';
import { inProcessPort } from '../../src/worker/in-process';
import { isCancelled, type TrainEpoch, WorkerError } from '../../src/worker/protocol';
import { HAS_TEST_MODEL, TEST_MODEL_DIR } from './test-model';

const deps = () => ({
  probe: async () => ({ kind: 'none' as const, reason: 'Node has no WebGPU' }),
  ortFor: () => nodeOrt,
  loaderFor: () => ({ load: folderLoader(TEST_MODEL_DIR) }),
  threads: (asked: number | null) => asked ?? 1,
});

async function loaded() {
  const client = new DllmClient(inProcessPort(deps()));
  const info = await client.load({ modelUrl: 'file:', backend: 'wasm', variant: null });
  return { client, info };
}

const CANVAS = { genLength: 32, blockLength: 32 };
const PROMPTS = 4;

/** The samples file of a collection through the client: the header, then each prompt's lines in order. */
async function collectText(client: DllmClient, prompts: string[], first = 0, signal?: AbortSignal) {
  let header = '';
  const byPrompt = new Map<number, string[]>();
  await client.collect(
    { prompts, canvas: CANVAS, split: 'train', first },
    { signal, onHeader: (h) => (header = h), onPrompt: (i, lines) => byPrompt.set(i, lines) },
  );
  return { header, byPrompt };
}

const tsx = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(!HAS_TEST_MODEL)('filter training in the engine', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'train-'));
    cpSync(TEST_MODEL_DIR, join(dir, 'model'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('collects and trains exactly what npm run collect and npm run train-filter write (samples and filter file)', async () => {
    const model = join(dir, 'model');
    const traj = join(dir, 'traj.jsonl');
    tsx([
      'src/cli/collect.ts',
      '--model',
      model,
      '--limit',
      String(PROMPTS),
      '--gen-length',
      '32',
      '--block-length',
      '32',
      '--out',
      traj,
    ]);
    tsx(['src/cli/train-filter.ts', '--traj', traj, '--model', model, '--filter', 'paper', '--seed', '0']);
    const cliLines = readFileSync(traj, 'utf8').trimEnd().split('\n');
    const cliFilter = new Uint8Array(readFileSync(join(model, 'filter/filter_b32.onnx')));

    const { client } = await loaded();
    const prompts = splitPrompts('train', PROMPTS).map((p) => p.prompt);
    const { header, byPrompt } = await collectText(client, prompts);
    const lines = [header, ...prompts.flatMap((_, i) => byPrompt.get(i) ?? [])];
    expect(lines).toEqual(cliLines);

    const epochs: TrainEpoch[] = [];
    const report = await client.train(
      { trajectory: `${lines.join('\n')}\n`, variant: 'paper', name: 'here-1', tauFilter: 0.9, seed: 0 },
      { onEpoch: (e) => epochs.push(e) },
    );
    expect(report.filter.bytes).toEqual(cliFilter);
    expect(report.filter).toMatchObject({
      name: 'here-1',
      kind: 'block',
      blockLength: 32,
      file: 'filter/here-1_b32.onnx',
    });
    expect(report.filter.samples).toBe(lines.length - 1);
    expect(epochs.at(-1)?.epoch).toBe(report.epochs);
    expect(report.split.train + report.split.validation + report.split.test).toBe(lines.length - 1);
  }, 120_000);

  it('a trained filter joins the model (trainedOn), a Learn2PD pane decodes with it, and it can be removed', async () => {
    const { client } = await loaded();
    const prompts = splitPrompts('train', 3).map((p) => p.prompt);
    const { header, byPrompt } = await collectText(client, prompts);
    const text = `${[header, ...[...byPrompt.values()].flat()].join('\n')}\n`;
    const report = await client.train({
      trajectory: text,
      variant: 'slot-conf',
      name: 'here-2',
      tauFilter: 0.9,
      seed: 1,
    });
    const info = await client.addFilter(report.filter);
    expect(info.filters.find((f) => f.name === 'here-2')).toMatchObject({
      kind: 'slot',
      blockLength: 32,
      trainedOn: report.filter.samples,
    });
    let nfe = 0;
    await client.compare(
      {
        prompt: 'What is 3 plus 4?',
        canvas: CANVAS,
        panes: [{ decoder: 'learn2pd', eotp: false, tauFilter: 0.9, filter: 'here-2' }],
        reference: false,
        clockRuns: 1,
      },
      { onPaneDone: (_, r) => (nfe = r.nfe), onPaneError: (_, e) => expect.fail(e.message) },
    );
    expect(nfe).toBeGreaterThan(0);
    const after = await client.removeFilter('here-2');
    expect(after.filters.some((f) => f.name === 'here-2')).toBe(false);
  }, 120_000);

  it('refuses bad input by name: too few samples, another model, a shipped name, an unknown variant, a long prompt', async () => {
    const { client, info } = await loaded();
    const prompts = splitPrompts('train', 1).map((p) => p.prompt);
    const { header, byPrompt } = await collectText(client, prompts);
    const one = [header, ...(byPrompt.get(0) ?? []).slice(0, 2)].join('\n');
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => expect.fail('expected a refusal'),
        (e: unknown) => e as WorkerError,
      );
    const base = { variant: 'paper', name: 'here-3', tauFilter: 0.9, seed: 0 };
    expect(await fail(client.train({ ...base, trajectory: one }))).toMatchObject({ name: 'TrainingDataError' });
    const other = one.replace(`"model":"${info.id}"`, '"model":"another-model"');
    expect(await fail(client.train({ ...base, trajectory: other }))).toMatchObject({ name: 'TrajectoryFileError' });
    expect(await fail(client.train({ ...base, trajectory: one, name: 'paper' }))).toMatchObject({
      name: 'ConfigError',
    });
    expect(await fail(client.train({ ...base, trajectory: one, variant: 'nope' }))).toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('paper, slot, slot-conf'),
    });
    const long = 'nine '.repeat(300);
    const refused = await fail(
      client.collect({ prompts: ['What is 1 plus 1?', long], canvas: CANVAS, split: 'typed', first: 0 }),
    );
    expect(refused).toMatchObject({ name: 'PromptTooLongError', message: expect.stringMatching(/^prompt 2: /) });
  }, 120_000);

  it('a cancel stops a collection between prompts; resuming from the next prompt gives the rest', async () => {
    const { client } = await loaded();
    const prompts = splitPrompts('train', 3).map((p) => p.prompt);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = client.collect(
      { prompts, canvas: CANVAS, split: 'train', first: 0 },
      {
        signal: controller.signal,
        onPrompt: (i) => {
          seen.push(i);
          controller.abort();
        },
      },
    );
    expect(await run.then(() => false, isCancelled)).toBe(true);
    expect(seen).toEqual([0]);
    const rest = await collectText(client, prompts, 1);
    expect([...rest.byPrompt.keys()]).toEqual([1, 2]);
  }, 120_000);
});
