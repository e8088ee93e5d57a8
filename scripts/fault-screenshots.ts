// What a user sees when something goes wrong: one screenshot per visible fault state, from the built app, into
// docs/screenshots/faults/. The faults are provoked the way the e2e tests provoke them (routes, a browser without
// WebGPU, an exception thrown inside the worker).
//   npm run build && npx tsx scripts/fault-screenshots.ts [--port 4173]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { arg, ensurePreview, launchChromium, stopPreview } from './preview';

const PORT = Number(arg('port', '4173'));
const ORIGIN = `http://localhost:${PORT}/`;
const OUT = join('docs', 'screenshots', 'faults');
const GRAPH = /\/models\/tiny-dllm\/onnx\/model_q4\.onnx$/;

const url = (params: Record<string, string>) =>
  `${ORIGIN}?${new URLSearchParams({ model: 'tiny-dllm', backend: 'wasm', speed: 'max', ...params }).toString()}`;

async function ready(page: Page): Promise<void> {
  await page.getByTestId('backend').and(page.locator('[data-status=ready]')).waitFor({ timeout: 120_000 });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`wrote ${OUT}/${name}.png`);
}

async function withPage(browser: Browser, run: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  try {
    await run(await context.newPage());
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const preview = await ensurePreview(PORT);
  const browser = await launchChromium();
  const noGpu = await launchChromium(false);
  try {
    // No WebGPU adapter: the app runs on WASM and says why.
    await withPage(noGpu, async (page) => {
      await page.goto(url({ backend: 'auto' }));
      await ready(page);
      await shot(page, 'no-webgpu-fallback');
    });
    // The model graph answers HTTP 500: the file, the status, and Retry.
    await withPage(browser, async (page) => {
      await page.route(GRAPH, (route) => route.fulfill({ status: 500, body: 'boom' }));
      await page.goto(url({}));
      await page.getByTestId('load-error').waitFor();
      await shot(page, 'download-http-error');
    });
    // A corrupt model graph (one byte flipped): refused by sha256, never cached.
    await withPage(browser, async (page) => {
      await page.route(GRAPH, async (route) => {
        const response = await route.fetch();
        const body = Buffer.from(await response.body());
        body[body.length >> 1] ^= 0xff;
        await route.fulfill({ response, body });
      });
      await page.goto(url({}));
      await page.getByTestId('load-error').waitFor();
      await shot(page, 'download-corrupt');
    });
    // Cancel while loading.
    await withPage(browser, async (page) => {
      await page.route(GRAPH, async (route) => {
        await new Promise((r) => setTimeout(r, 3000));
        await route.continue().catch(() => undefined);
      });
      await page.goto(url({}));
      await page.getByTestId('cancel-load').click();
      await page.getByTestId('load-cancelled').waitFor();
      await shot(page, 'load-cancelled');
    });
    // A link with settings out of range: refused with a notice, defaults kept.
    await withPage(browser, async (page) => {
      await page.goto(url({ tau: '7', gen: '100', block: '3' }));
      await ready(page);
      await shot(page, 'bad-link-settings');
    });
    // Prompts: over the model's token limit, and a 1 MB paste.
    await withPage(browser, async (page) => {
      await page.goto(url({}));
      await ready(page);
      await page
        .getByTestId('prompt')
        .fill(
          'Please count how many apples and pears and plums are in the basket on the table by the window. '.repeat(3),
        );
      await page.getByTestId('prompt-tokens').filter({ hasText: 'too long' }).waitFor();
      await shot(page, 'prompt-over-token-limit');
      await page.getByTestId('prompt').fill('apples and pears '.repeat(62_000));
      await page.getByTestId('prompt-tokens').filter({ hasText: 'far too long' }).waitFor();
      await shot(page, 'prompt-1mb-paste');
    });
    // The worker crashes: the notice says so, a new worker loads the model.
    await withPage(browser, async (page) => {
      await page.goto(url({}));
      await ready(page);
      const worker = page.workers()[0];
      await worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('a test-provoked crash');
        }, 0);
      });
      await page.getByTestId('notices').filter({ hasText: 'crash' }).waitFor();
      await ready(page);
      await shot(page, 'worker-crashed');
    });
  } finally {
    await browser.close();
    await noGpu.close();
    stopPreview(preview);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
