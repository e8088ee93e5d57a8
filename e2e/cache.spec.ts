// Fast-dLLM's KV cache (spec §7) in the real app on WASM: the setting is every pane's and lives in the link; the
// worker fetches the cache graphs when a run first asks for them; a block's later steps are window forwards, the
// canvas dims the slots whose keys/values are stale, the time split shows full and window forwards apart, and no
// tensor outlives the run. Weights without the cache graphs are refused with what is missing.
import { expect, HAS_FILTER, NO_FILTER, openApp, pane, pickExample, runAndWait, test } from './fixtures';

const FAST = { backend: 'wasm', speed: 'max', ref: '0', clock: '1' };

test('the dual cache: window forwards, stale slots, the split by forward kind, nothing left alive', async ({
  page,
}) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  // A strict threshold and no EoTP: each block takes several steps, so most of them are window forwards.
  await openApp(page, { ...FAST, gen: '64', tau: '0.99', eotp: '0' });
  await page.getByTestId('set-cache').selectOption('dual');
  await expect(page).toHaveURL(/cache=dual/);
  await pickExample(page, 'sort');
  await runAndWait(page);
  await expect(page.getByTestId('summary-setting')).toContainText('dual KV cache');
  for (const name of ['left', 'right'] as const) {
    const p = pane(page, name);
    await expect(p).toHaveAttribute('data-cache', 'dual');
    await expect(p).toHaveAttribute('data-live-tensors', '0');
    expect((await p.getAttribute('data-answer'))?.length ?? 0).toBeGreaterThan(0);
  }
  // The left pane (threshold) takes more than one step in a block: its later steps are window forwards.
  const left = pane(page, 'left');
  expect(Number(await left.getAttribute('data-window-steps'))).toBeGreaterThan(0);
  await expect(left.getByTestId('forward-kinds')).toContainText('window forwards');
  // Step back to a window forward: slots outside the block are marked stale.
  const steps = Number(await left.getAttribute('data-nfe'));
  for (let back = 0; back < steps; back++) {
    if ((await left.locator('.canvas-grid').getAttribute('data-window')) !== '') break;
    await page.getByTestId('replay-back').click();
  }
  await expect(left.locator('.canvas-grid')).not.toHaveAttribute('data-window', '');
  expect(await left.locator('.slot.stale').count()).toBeGreaterThan(0);
  await expect(left.getByTestId('stale-note')).toContainText('stale');
});

test('weights without the cache graphs: the cache is not offered, and a link asking for it is refused', async ({
  page,
}) => {
  await openApp(page, { ...FAST, gen: '64', variant: 'q8', cache: 'prefix' });
  await expect(page.getByTestId('set-cache').locator('option[value="prefix"]')).toBeDisabled();
  await pickExample(page, 'sort');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('notices')).toContainText('the q8 weights have no KV-cache graphs');
});
