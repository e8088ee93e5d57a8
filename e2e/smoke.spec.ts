// Smoke test: the built page renders in a real Chromium, WebGPU gives an adapter (SwiftShader here), and no
// request leaves our origin.
import { expect, test } from './fixtures';

test('the page renders and WebGPU offers an adapter', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Learn2PD in the browser' })).toBeVisible();
  await expect(page.getByTestId('prompt')).not.toHaveValue('');
  const adapter = await page.evaluate(async () => {
    if (!navigator.gpu) return null;
    const a = await navigator.gpu.requestAdapter();
    return a ? { features: [...a.features].length, maxBuffer: a.limits.maxBufferSize } : null;
  });
  expect(adapter, 'navigator.gpu.requestAdapter() gave no adapter').not.toBeNull();
});
