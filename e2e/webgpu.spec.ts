// The WebGPU path on Chromium's software adapter (SwiftShader: slow, ~seconds per forward, so one short run): the
// badge says webgpu, a comparison completes, and its answers equal onnxruntime-node's for the same prompt and
// settings, computed here in the test process with the runtime's Node adapter and the core's decode. The left pane
// runs the EB-Sampler, so one forward fetches the entropy output from the GPU and the other pane's do not.
import { decode, defaultFilterFor, pickFilter } from '../src/core';
import { loadModel } from '../src/runtime/model';
import { folderLoader, nodeOrt } from '../src/runtime/node';
import { expect, HAS_FILTER, HAS_MODEL, MODEL_DIR, openApp, type PaneName, pane, runAndWait, test } from './fixtures';

test.skip(!HAS_MODEL, 'the bundled model (dllm.json) is not there yet');

const PROMPT = 'Spell the word dog.';
const CANVAS = { genLength: 32, blockLength: 32 };
const GAMMA = 0.5;
// Until the model ships its Learn2PD filter, only the left pane can be compared.
const PANES: PaneName[] = HAS_FILTER ? ['left', 'right'] : ['left'];

test('runs on WebGPU and agrees with onnxruntime-node', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(
    page,
    // WebGPU chosen: 'auto' passes over this software adapter (SwiftShader). One timed run per pane (seconds each).
    {
      backend: 'webgpu',
      speed: 'max',
      clock: '1',
      gen: String(CANVAS.genLength),
      block: String(CANVAS.blockLength),
      ref: '0',
      left: 'eb_sampler',
      gamma: String(GAMMA),
      p: PROMPT,
    },
    120_000,
  );
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  const variant = (await badge.getAttribute('data-variant')) ?? undefined;

  await runAndWait(page, PANES, 200_000);

  const model = await loadModel(folderLoader(MODEL_DIR), nodeOrt, { variant });
  try {
    const ids = model.tokenizer.encodePrompt(PROMPT);
    const base = { maskId: model.manifest.maskId, eosId: model.manifest.eosId, ...CANVAS };
    // The app's Learn2PD pane runs the model's default filter for the block length.
    const name = defaultFilterFor(model.filters, CANVAS.blockLength, model.manifest.defaultFilters);
    const listed = name === undefined ? undefined : pickFilter(model.filters, CANVAS.blockLength, name);
    const filter = listed?.filter;
    const tauFilter = listed?.tauFilter ?? 0.96;
    const expected: Record<string, { answer: string; nfe: number }> = {};
    // Both panes decode with EoTP, the app's default for every pane.
    const eb = await decode(ids, { ...base, decoder: 'eb_sampler', gamma: GAMMA, eotp: true }, model.denoiser);
    expected.left = { answer: model.tokenizer.decodeAnswer(eb.answer), nfe: eb.nfe };
    if (filter) {
      const learn2pd = await decode(
        ids,
        { ...base, decoder: 'learn2pd', tauFilter, eotp: true },
        model.denoiser,
        filter,
      );
      expected.right = { answer: model.tokenizer.decodeAnswer(learn2pd.answer), nfe: learn2pd.nfe };
    }
    const expectAgreement = async () => {
      for (const name of PANES) {
        await expect(pane(page, name)).toHaveAttribute('data-answer', expected[name].answer);
        await expect(pane(page, name)).toHaveAttribute('data-nfe', String(expected[name].nfe));
      }
    };
    await expectAgreement();

    // Switching the backend reloads the model on WASM in a new worker (onnxruntime's plain build); the answers
    // stay the same. 'Auto' stays on WASM here, saying why (the only adapter is a software one); choosing WebGPU
    // gets it again (a worker that started the WASM-only build could not).
    await page.getByTestId('backend-choice').selectOption('wasm');
    await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await runAndWait(page, PANES);
    await expectAgreement();
    await page.getByTestId('backend-choice').selectOption('auto');
    await expect(badge).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    await expect(page.getByTestId('fallback-reason')).toContainText('software fallback');
    await page.getByTestId('backend-choice').selectOption('webgpu');
    await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 120_000 });
  } finally {
    await model.release();
  }
});

test("the dual KV cache on WebGPU: the keys stay GPU tensors, the answer is onnxruntime-node's", async ({ page }) => {
  test.setTimeout(240_000);
  const canvas = { genLength: 32, blockLength: 16 };
  // A strict threshold without EoTP, so each block takes a few steps: its later ones are window forwards.
  await openApp(
    page,
    { backend: 'webgpu', speed: 'max', clock: '1', gen: '32', block: '16', ref: '0', tau: '0.99', eotp: '0' },
    120_000,
  );
  await page.getByTestId('set-cache').selectOption('dual');
  await page.getByTestId('prompt').fill(PROMPT);
  await runAndWait(page, PANES, 200_000);
  const left = pane(page, 'left');
  await expect(left).toHaveAttribute('data-cache', 'dual');
  await expect(left).toHaveAttribute('data-live-tensors', '0');
  expect(Number(await left.getAttribute('data-window-steps'))).toBeGreaterThan(0);
  const variant = (await page.getByTestId('backend').getAttribute('data-variant')) ?? undefined;
  const model = await loadModel(folderLoader(MODEL_DIR), nodeOrt, { variant, kvCache: true });
  try {
    const ids = model.tokenizer.encodePrompt(PROMPT);
    const config = {
      maskId: model.manifest.maskId,
      eosId: model.manifest.eosId,
      ...canvas,
      decoder: 'threshold' as const,
      tau: 0.99,
      eotp: false,
      cache: 'dual' as const,
    };
    const expected = await decode(ids, config, model.denoiser);
    await expect(left).toHaveAttribute('data-answer', model.tokenizer.decodeAnswer(expected.answer));
    await expect(left).toHaveAttribute('data-nfe', String(expected.nfe));
  } finally {
    await model.release();
  }
});
