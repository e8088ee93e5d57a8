// How long the Train view takes in the browser (issue 23's target: 40 train prompts at canvas 64 and the paper's
// filter within 3 minutes on WASM on this 2-core machine): the app itself, in Chromium, from the click on "Collect
// and train" to the filter kept, split into the collection (the reference and the EGP replay of each prompt) and
// the training (the worker's own clock), with the samples and epochs it took.
//   npm run build && npm run measure:train -- [--prompts 40] [--gen 64] [--kind paper] [--backend wasm]
// Writes docs/bench/browser-train.json. Run it on an otherwise idle machine: both cores are the browser's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { arg, ensurePreview, launchChromium, stopPreview } from './preview';

const PORT = Number(arg('port', '4173'));
const ORIGIN = `http://localhost:${PORT}/`;
const PROMPTS = arg('prompts', '40');
const GEN = arg('gen', '64');
const KIND = arg('kind', 'paper');
const BACKEND = arg('backend', 'wasm');
const TARGET_S = 180;

async function main(): Promise<void> {
  const preview = await ensurePreview(PORT);
  const browser = await launchChromium(BACKEND === 'webgpu');
  try {
    const page = await browser.newPage();
    const params = { model: 'tiny-dllm', backend: BACKEND, view: 'train' };
    await page.goto(`${ORIGIN}?${new URLSearchParams(params).toString()}`);
    await page.getByTestId('backend').and(page.locator('[data-status=ready]')).waitFor({ timeout: 300_000 });
    await page.getByTestId('train-prompts').fill(PROMPTS);
    await page.getByTestId('train-gen').selectOption(GEN);
    await page.getByTestId('train-kind').selectOption(KIND);
    const status = page.getByTestId('train-status');
    const t0 = Date.now();
    await page.getByTestId('train-start').click();
    await status.and(page.locator('[data-state=training]')).waitFor({ timeout: 900_000 });
    const collectS = (Date.now() - t0) / 1000;
    await status.and(page.locator('[data-state=done]')).waitFor({ timeout: 900_000 });
    const totalS = (Date.now() - t0) / 1000;
    const num = async (name: string) => Number(await status.getAttribute(name));
    const result = {
      command: `npm run measure:train -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: `${cpus().length}x ${cpus()[0]?.model ?? 'CPU'}, Chromium (Playwright)`,
      date: new Date().toISOString().slice(0, 10),
      backend: (await page.getByTestId('backend').getAttribute('data-backend')) ?? BACKEND,
      prompts: Number(PROMPTS),
      genLength: Number(GEN),
      blockLength: 32,
      kind: KIND,
      samples: await num('data-samples'),
      epochs: await num('data-epochs'),
      collectSeconds: collectS,
      trainSeconds: (await num('data-train-ms')) / 1000,
      totalSeconds: totalS,
      targetSeconds: TARGET_S,
      met: totalS <= TARGET_S,
    };
    console.log(
      `${result.prompts} prompts at canvas ${GEN}, ${KIND} filter on ${result.backend}: collection ${collectS.toFixed(1)} s, training ${result.trainSeconds.toFixed(1)} s (${result.epochs} epochs, ${result.samples} samples), total ${totalS.toFixed(1)} s (target ${TARGET_S} s: ${result.met ? 'met' : 'not met'})`,
    );
    const dir = join('docs', 'bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'browser-train.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote docs/bench/browser-train.json');
  } finally {
    await browser.close();
    stopPreview(preview);
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
