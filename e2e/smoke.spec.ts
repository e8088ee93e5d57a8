// Smoke test: the built page renders in a real Chromium, and WebGPU gives an adapter (SwiftShader here).
import { expect, test } from '@playwright/test';

test('the page renders and WebGPU offers an adapter', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Learn2PD in the browser' })).toBeVisible();

  const adapter = await page.evaluate(async () => {
    if (!navigator.gpu) return null;
    const a = await navigator.gpu.requestAdapter();
    return a ? { features: [...a.features].length, maxBuffer: a.limits.maxBufferSize } : null;
  });
  expect(adapter, 'navigator.gpu.requestAdapter() gave no adapter').not.toBeNull();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  expect(errors).toEqual([]);
});
