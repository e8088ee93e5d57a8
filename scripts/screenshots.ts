// Takes the README screenshots into docs/screenshots/ from the built app, at the sizes a classroom meets: the
// comparison mid-run and finished (1440x900), the EB-Sampler against Learn2PD, presentation mode on a 1280x720 projector, a 390x844 phone, three
// panes replayed, the dual KV cache at a window step, the benchmark view and the Train view.
//   npm run build && npm run screenshots [-- --backend wasm|webgpu] [--model tiny-dllm]
// Uses a running `vite preview` on http://localhost:4173 (--port) when there is one, else starts one (and stops it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { arg, ensurePreview, launchChromium, stopPreview } from './preview';

const PORT = Number(arg('port', '4173'));
const ORIGIN = `http://localhost:${PORT}/`;
const OUT = join('docs', 'screenshots');

async function open(page: Page, params: Record<string, string>): Promise<void> {
  await page.goto(`${ORIGIN}?${new URLSearchParams(params).toString()}`);
  await page.getByTestId('backend').and(page.locator('[data-status=ready]')).waitFor({ timeout: 120_000 });
}

async function main(): Promise<void> {
  const backend = arg('backend', 'wasm');
  const model = arg('model', 'tiny-dllm');
  mkdirSync(OUT, { recursive: true });
  const preview = await ensurePreview(PORT);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const base = { backend, model };
    const referenceChecked = (p: Page) =>
      p
        .getByTestId('verdict-reference')
        .first()
        .filter({ hasText: /Same|Differs/ })
        .waitFor({ timeout: 180_000 });
    const finished = async (p: Page) => {
      await p
        .getByTestId('replay-label')
        .filter({ hasText: /^Step (\d+) of \1$/ })
        .waitFor({ timeout: 180_000 });
      await p
        .getByTestId('summary-clock')
        .filter({ hasText: /over \d runs each/ })
        .waitFor({ timeout: 180_000 });
    };

    // 1. Mid-run: a story (the longest answers, so the most steps) part-way through the threshold pane while
    // Learn2PD waits for its turn (the worker runs one decode at a time). 'max' speed: the canvas shows the step
    // the worker is at.
    await open(page, { ...base, speed: 'max' });
    await page.getByTestId('examples').selectOption('story:1');
    await page.getByTestId('run').click();
    await page.waitForFunction(
      () => {
        const pane = document.querySelector('[data-testid=pane-left]');
        return pane?.getAttribute('data-state') === 'running' && Number(pane.getAttribute('data-nfe')) >= 6;
      },
      null,
      { timeout: 120_000, polling: 'raf' },
    );
    await page.screenshot({ path: join(OUT, 'comparison-running.png') });

    await open(page, { ...base, speed: 'max' });
    await page.getByTestId('examples').selectOption('arithmetic:1');
    await page.getByTestId('run').click();
    // 2. Finished, replay at the last step, with the reference check.
    await page
      .getByTestId('replay-label')
      .filter({ hasText: /^Step (\d+) of \1$/ })
      .waitFor({ timeout: 180_000 });
    await referenceChecked(page);
    await finished(page);
    await page.screenshot({ path: join(OUT, 'comparison-done.png') });
    await page.screenshot({ path: join(OUT, 'comparison-done-full.png'), fullPage: true });

    // The EB-Sampler (entropy bound) as the left rule, against Learn2PD on the same prompt and EoTP setting.
    await open(page, { ...base, speed: 'max', left: 'eb_sampler', gamma: '0.5' });
    await page.getByTestId('examples').selectOption('arithmetic:1');
    await page.getByTestId('run').click();
    await finished(page);
    await page.screenshot({ path: join(OUT, 'eb-sampler.png') });

    // Presentation mode on a 1280x720 projector: the panes, their canvases and answers on one screen.
    const projector = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
    await open(projector, { ...base, speed: 'max', present: '1', ref: '0' });
    await projector.getByTestId('prompt').fill(await page.getByTestId('prompt').inputValue());
    await projector.getByTestId('run').click();
    await finished(projector);
    await projector.screenshot({ path: join(OUT, 'present-1280x720.png') });
    await projector.close();

    // A phone: everything stacked, no sideways scrolling.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await open(phone, { ...base, speed: 'max', ref: '0', gen: '64' });
    await phone.getByTestId('examples').selectOption('sort:0');
    await phone.getByTestId('run').click();
    await finished(phone);
    await phone.screenshot({ path: join(OUT, 'phone-390x844.png'), fullPage: true });
    await phone.close();

    // 3. Three panes: the one-token-per-step reference beside them, replayed to a middle step.
    await open(page, { ...base, speed: 'max', third: 'low_confidence', gen: '64' });
    await page.getByTestId('examples').selectOption('convert:2');
    await page.getByTestId('run').click();
    await page.getByTestId('pane-third').and(page.locator('[data-state=done]')).waitFor({ timeout: 180_000 });
    await finished(page);
    await page
      .getByTestId('replay-label')
      .filter({ hasText: /^Step (\d+) of \1$/ })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('scrubber').fill('12');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, 'three-panes-replay.png') });

    // The dual KV cache (spec §7) replayed to a window step: the canvas dims the slots whose keys/values are the
    // block start's, and the time split shows full and window forwards apart.
    await open(page, { ...base, speed: 'max', cache: 'dual' });
    await page.getByTestId('examples').selectOption('story:1');
    await page.getByTestId('run').click();
    await referenceChecked(page);
    await finished(page);
    await page.getByTestId('scrubber').fill('2');
    await page.getByTestId('stale-note').first().waitFor({ timeout: 10_000 });
    await page.evaluate(() => document.querySelector('[data-testid=pane-left]')?.scrollIntoView());
    await page.screenshot({ path: join(OUT, 'kv-cache.png') });

    // 4. The benchmark view on a few test prompts.
    await open(page, { ...base, view: 'bench', gen: '64' });
    await page.getByTestId('bench-size').selectOption('5');
    await page.getByTestId('bench-run').click();
    await page.getByTestId('bench').and(page.locator('[data-status=done]')).waitFor({ timeout: 600_000 });
    await page.screenshot({ path: join(OUT, 'benchmark.png'), fullPage: true });

    // 5. The Train view after its default run (40 train prompts at canvas 64, the paper's filter; about 90 s on WASM),
    // at the three sizes (the same page, so the kept filter shows in each).
    await open(page, { ...base, view: 'train' });
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').and(page.locator('[data-state=done]')).waitFor({ timeout: 300_000 });
    await page.screenshot({ path: join(OUT, 'train.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: join(OUT, 'train-1280x720.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(OUT, 'train-phone-390x844.png'), fullPage: true });
    console.log(
      `wrote ${OUT}/comparison-running.png, comparison-done.png, comparison-done-full.png, eb-sampler.png, present-1280x720.png, phone-390x844.png, three-panes-replay.png, kv-cache.png, benchmark.png, train.png, train-1280x720.png, train-phone-390x844.png`,
    );
  } finally {
    await browser.close();
    stopPreview(preview);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
