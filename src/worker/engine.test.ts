// The engine over onnxruntime-node and the model folder: load phases, streamed steps with their time split, the
// reference cache, cancellation, errors as messages. The same engine runs in the Web Worker.
import { describe, expect, it } from 'vitest';
import { decode } from '../core';
import { loadModel } from '../runtime/model';
import { folderLoader, nodeOrt } from '../runtime/node';
import { DllmClient } from './client';
import type { EngineDeps } from './engine';
import { inProcessPort } from './in-process';
import type { WireStep, WorkerMessage } from './protocol';
import { HAS_TEST_FILTER, HAS_TEST_MODEL, TEST_MODEL_DIR } from './test-model';

function deps(probe: EngineDeps['probe'] = async () => ({ kind: 'none', reason: 'Node has no WebGPU' })): EngineDeps {
  return { probe, ortFor: () => nodeOrt, loaderFor: () => ({ load: folderLoader(TEST_MODEL_DIR) }), threads: 1 };
}

async function loadedClient() {
  const client = new DllmClient(inProcessPort(deps()));
  const messages: WorkerMessage[] = [];
  client.subscribe((m) => messages.push(m));
  const info = await client.load({ modelUrl: 'file:', backend: 'auto', variant: null }).done;
  return { client, info, messages };
}

describe.skipIf(!HAS_TEST_MODEL)(`engine over ${TEST_MODEL_DIR}`, () => {
  it('loads through the phases, falls back to WASM with the reason, reports every file verified', async () => {
    const { info, messages } = await loadedClient();
    expect(info.backend).toBe('wasm');
    expect(info.fallbackReason).toBe('Node has no WebGPU');
    expect(info.vocab.length).toBeGreaterThan(100);
    const phases = messages.flatMap((m) => (m.type === 'load-phase' ? [m.phase] : []));
    expect(phases).toEqual(['probe', 'manifest', 'download', 'session', 'warmup']);
    const verified = new Set(messages.flatMap((m) => (m.type === 'load-file' && m.verified ? [m.file] : [])));
    expect(verified.size).toBe(info.totalFiles);
  });

  it('streams one step per forward and ends with the same answer as the core in Node', async () => {
    const { client, info } = await loadedClient();
    const canvas = { genLength: info.defaults.genLength, blockLength: info.defaults.blockLength };
    const prompt = 'What is 12 plus 7?';
    const steps: WireStep[] = [];
    const decoders = [{ decoder: 'threshold', eotp: false, tau: 0.9 }, { decoder: 'learn2pd', eotp: true, tauFilter: 0.96 }] as const;
    for (const decoder of decoders.filter((d) => HAS_TEST_FILTER || d.decoder !== 'learn2pd')) {
      steps.length = 0;
      const outcome = await client.run({ prompt, canvas, decoder, stream: true }, (s) => steps.push(s)).done;
      if (outcome.kind !== 'done') throw new Error('cancelled');
      expect(steps.length).toBe(outcome.result.nfe);
      expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i));
      for (const s of steps) expect(s.forwardMs + s.filterMs).toBeLessThanOrEqual(s.ms + 1e-6);
      if (decoder.decoder === 'learn2pd') expect(steps.some((s) => s.filterMs > 0)).toBe(true);

      const model = await loadModel(folderLoader(TEST_MODEL_DIR), nodeOrt);
      const ids = model.tokenizer.encodePrompt(prompt);
      const config = { ...decoder, maskId: info.maskId, eosId: info.eosId, ...canvas };
      const expected = await decode(ids, config, model.denoiser, model.filters.get(32));
      expect(Array.from(outcome.result.answerIds)).toEqual(Array.from(expected.answer));
      expect(outcome.result.nfe).toBe(expected.nfe);
      await model.release();
    }
  });

  it('computes the reference once and serves it from the cache', async () => {
    const { client } = await loadedClient();
    const opts = { prompt: 'Sort: 3 1 2', canvas: { genLength: 32, blockLength: 32 }, decoder: { decoder: 'low_confidence', eotp: false } as const, stream: false };
    const first = await client.run(opts).done;
    const second = await client.run(opts).done;
    if (first.kind !== 'done' || second.kind !== 'done') throw new Error('cancelled');
    expect(first.result.cached).toBe(false);
    expect(second.result.cached).toBe(true);
    expect(first.result.nfe).toBe(32);
    expect(Array.from(second.result.answerIds)).toEqual(Array.from(first.result.answerIds));
  });

  it('cancels between steps and then runs the next request', async () => {
    const { client } = await loadedClient();
    const opts = { prompt: 'Tell a story.', canvas: { genLength: 64, blockLength: 32 }, decoder: { decoder: 'low_confidence', eotp: false } as const, stream: true };
    let seen = 0;
    const started = client.run(opts, () => {
      seen++;
      if (seen === 3) client.cancel(started.runId);
    });
    const outcome = await started.done;
    expect(outcome.kind).toBe('cancelled');
    expect(seen).toBeLessThan(64);
    const next = await client.run({ ...opts, decoder: { decoder: 'threshold', eotp: false, tau: 0.9 } }).done;
    expect(next.kind).toBe('done');
  });

  it('answers a prompt that is too long, or empty, with a named error', async () => {
    const { client, info } = await loadedClient();
    const canvas = { genLength: 32, blockLength: 32 };
    const decoder = { decoder: 'threshold', eotp: false, tau: 0.9 } as const;
    await expect(client.run({ prompt: 'word '.repeat(info.maxPromptTokens * 2), canvas, decoder, stream: true }).done).rejects.toMatchObject({ name: 'PromptTooLongError' });
    await expect(client.run({ prompt: '   ', canvas, decoder, stream: true }).done).rejects.toMatchObject({ name: 'PromptError' });
    await expect(client.run({ prompt: 'hi', canvas: { genLength: 40, blockLength: 32 }, decoder, stream: true }).done).rejects.toMatchObject({ name: 'ConfigError' });
  });

  it.skipIf(HAS_TEST_FILTER)('answers a Learn2PD run with NoFilterError while the model ships no filter', async () => {
    const { client } = await loadedClient();
    const run = client.run({ prompt: 'hi', canvas: { genLength: 32, blockLength: 32 }, decoder: { decoder: 'learn2pd', eotp: true, tauFilter: 0.96 }, stream: true });
    await expect(run.done).rejects.toMatchObject({ name: 'NoFilterError' });
  });

  it('runs a small benchmark and reports progress', async () => {
    const { client } = await loadedClient();
    const progress: number[] = [];
    const result = await client.bench(
      {
        prompts: [{ prompt: 'What is 2 plus 2?', family: 'arithmetic', answer: 'The answer is 4.' }, { prompt: 'Spell cat.', family: null, answer: null }],
        canvas: { genLength: 32, blockLength: 32 },
        specs: [{ decoder: 'threshold', eotp: false, tau: 0.9 }, ...(HAS_TEST_FILTER ? [{ decoder: 'learn2pd', eotp: true, tauFilter: 0.96 } as const] : [])],
      },
      (done) => progress.push(done),
    ).done;
    expect(progress).toEqual([1, 2]);
    expect(result?.reports.map((r) => r.decoder)).toEqual(HAS_TEST_FILTER ? ['threshold', 'learn2pd'] : ['threshold']);
    expect(result?.reference.meanNfe).toBe(32);
  });
});

describe('engine without a model', () => {
  it('answers a run before any load with NotReadyError', async () => {
    const client = new DllmClient(inProcessPort(deps()));
    await expect(client.run({ prompt: 'hi', canvas: { genLength: 32, blockLength: 32 }, decoder: { decoder: 'low_confidence', eotp: false }, stream: true }).done).rejects.toMatchObject({
      name: 'NotReadyError',
    });
  });

  it('names the file when the model folder cannot be read', async () => {
    const client = new DllmClient(inProcessPort({ ...deps(), loaderFor: () => ({ load: folderLoader('/nonexistent-model-folder') }) }));
    await expect(client.load({ modelUrl: 'file:', backend: 'wasm', variant: null }).done).rejects.toMatchObject({ name: 'ModelFileError', message: expect.stringContaining('dllm.json') });
  });
});
