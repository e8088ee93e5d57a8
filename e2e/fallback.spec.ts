// With WebGPU unavailable (this browser starts without --enable-unsafe-webgpu, so requestAdapter() returns null on
// a machine with no GPU), the app falls back to WASM, says why, and still runs.
import { existsSync } from 'node:fs';
import { expect, HAS_FILTER, HAS_MODEL, openApp, runAndWait, test } from './fixtures';

const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));
test.use({
  launchOptions: {
    executablePath: chromium,
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  },
});
test.skip(!HAS_MODEL, 'the bundled model (dllm.json) is not there yet');

test('falls back to WASM with a visible reason when WebGPU gives no adapter', async ({ page }) => {
  await openApp(page, { speed: 'max', gen: '32', ref: '0', clock: '1' });
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('fallback-reason')).toContainText('Running on WASM');
  await expect(page.getByTestId('fallback-reason')).toContainText('requestAdapter()');
  await runAndWait(page, HAS_FILTER ? ['left', 'right'] : ['left']);
});

test('forcing WASM after the fallback keeps the worker: it already runs the WASM-only build', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await openApp(page, { speed: 'max', gen: '32', ref: '0', clock: '1' });
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await page.getByTestId('backend-choice').selectOption('wasm');
  await expect(page).toHaveURL(/backend=wasm/);
  await expect(page.getByTestId('fallback-reason')).toHaveCount(0, { timeout: 60_000 }); // the reload finished: WASM was asked for
  await expect(badge).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await runAndWait(page, HAS_FILTER ? ['left', 'right'] : ['left']);
  expect(workers).toHaveLength(1);
});
