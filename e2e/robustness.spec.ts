// Faults a classroom provokes, in the real app on WASM: the worker crashing (an exception inside it), pressing run
// many times quickly, changing settings mid-run, and a 1 MB paste into the prompt box.
import { expect, HAS_FILTER, NO_FILTER, openApp, pane, pickExample, runAndWait, test } from './fixtures';

const FAST = { backend: 'wasm', speed: 'max', ref: '0', clock: '1' };

test('a crashed worker is reported and replaced; the next run works', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '32' });
  const worker = page.workers().find((w) => w.url().includes('worker'));
  if (!worker) throw new Error('no model worker found');
  // An exception nobody catches, thrown inside the worker: its global error handler is the browser's.
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('a test-provoked crash');
    }, 0);
  });
  await expect(page.getByTestId('notices')).toContainText('a test-provoked crash', { timeout: 10_000 });
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  expect(page.workers().length).toBe(1); // the dead worker was terminated, one new one runs
  await pickExample(page, 'reverse');
  await runAndWait(page);
});

test('pressing run many times quickly leaves one finished comparison', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64' });
  await pickExample(page, 'sort');
  const run = page.getByTestId('run');
  for (let i = 0; i < 6; i++) await run.click();
  for (const name of ['left', 'right'] as const)
    await expect(pane(page, name)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('cancel')).toBeDisabled();
  // Every pane shows the run that finished last: one runId each, from the same comparison.
  const ids = await Promise.all(
    ['left', 'right'].map((n) => page.getByTestId(`pane-${n}`).getAttribute('data-run-id')),
  );
  const sessions = new Set(ids.map((id) => id?.split('-').pop()));
  expect(sessions.size).toBe(1);
  const nfe = Number(await pane(page, 'left').getAttribute('data-nfe'));
  expect(nfe).toBeGreaterThan(0);
});

test('changing settings mid-run does not disturb the running comparison; the next run uses them', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64' });
  await pickExample(page, 'story');
  await page.getByTestId('run').click();
  await page.getByTestId('set-tau').fill('0.5');
  for (const name of ['left', 'right'] as const)
    await expect(pane(page, name)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(pane(page, 'left').locator('.pane-desc')).toContainText('0.9'); // the run keeps the settings it started with
  await runAndWait(page);
  await expect(pane(page, 'left').locator('.pane-desc')).toContainText('0.5');
});

test('a 1 MB paste is refused with its size, keeps the page responsive and stays out of the link', async ({ page }) => {
  await openApp(page, FAST);
  const huge = 'apples and pears '.repeat(62_000); // ~1 MB
  const prompt = page.getByTestId('prompt');
  await prompt.fill(huge);
  await expect(page.getByTestId('prompt-tokens')).toContainText('far too long');
  await expect(page.getByTestId('run')).toBeDisabled();
  const t0 = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(page.url().length).toBeLessThan(4000);
  // Back to a normal prompt: it runs.
  await pickExample(page, 'reverse');
  await expect(page.getByTestId('run')).toBeEnabled();
});
