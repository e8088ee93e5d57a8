// The app on the WASM backend (forced with ?backend=wasm): loading, the side-by-side comparison on prompts from
// several task families, replay, URL state, cancel and a second run, and the benchmark view.
import { BROWSER_TAU_FILTERS, BROWSER_TAUS } from '../src/eval/sweeps';
import {
  expect,
  HAS_FILTER,
  HAS_MODEL,
  NO_FILTER,
  openApp,
  pane,
  paneNfe,
  pickExample,
  runAndWait,
  test,
} from './fixtures';

test.skip(!HAS_MODEL, 'the bundled model (dllm.json) is not there yet');

// One timed run per pane: these tests check what is drawn, not the clock (comparison.spec.ts does).
const FAST = { backend: 'wasm', speed: 'max', clock: '1' };

test('loads on WASM with every file verified and says so', async ({ page }) => {
  const files: string[] = [];
  page.on('response', (r) => files.push(new URL(r.url()).pathname));
  await openApp(page, FAST);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).toHaveText('WASM');
  // onnxruntime-web's wasm comes from our own origin: the plain 14 MB build, not the 27 MB one WebGPU needs.
  expect(files.filter((f) => /\/assets\/ort-wasm.*\.wasm$/.test(f))).toEqual([
    expect.stringMatching(/\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/),
  ]);
  expect(files.some((f) => f.endsWith('/dllm.json'))).toBe(true);

  // A second visit loads every model file from the browser cache (only verified files were stored).
  await page.reload();
  await expect(badge).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.locator('.model-facts')).toContainText('(from cache)');
});

test('compares threshold and Learn2PD on prompts from three families', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, FAST);
  for (const family of ['sort', 'spell', 'compare']) {
    const prompt = await pickExample(page, family);
    expect(prompt.length).toBeGreaterThan(0);
    await runAndWait(page);
    // Both panes decode with EoTP (the default), far fewer steps than the canvas (128) has slots.
    for (const name of ['left', 'right'] as const) expect(await paneNfe(page, name)).toBeLessThan(64);
    await expect(pane(page, 'left')).toHaveAttribute('data-method', 'threshold');
    await expect(pane(page, 'right')).toHaveAttribute('data-method', 'learn2pd');
    await expect(page.getByTestId('summary-steps')).toContainText(/\bsteps?\b/);
    if (family === 'sort') {
      // The untimed one-token-per-step reference (128 forwards) answers the agreement check; once is enough here.
      await expect(pane(page, 'right').getByTestId('verdict-reference')).not.toHaveAttribute('data-agrees', '', {
        timeout: 60_000,
      });
      await page.getByTestId('set-ref').uncheck();
    }
  }
});

test('replays any step with the shared scrubber', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64', ref: '0' });
  await pickExample(page, 'arithmetic');
  await runAndWait(page);
  const total = Math.max(await paneNfe(page, 'left'), await paneNfe(page, 'right'));
  const label = page.getByTestId('replay-label');
  await expect(label).toHaveText(`Step ${total} of ${total}`);

  const scrubber = page.getByTestId('scrubber');
  await scrubber.fill('0');
  await expect(label).toHaveText(`Step 1 of ${total}`);
  await expect(page.getByTestId('pane-left-step')).toHaveText('1');
  await expect(page.getByTestId('pane-right-step')).toHaveText('1');
  await page.getByTestId('replay-forward').click();
  await expect(label).toHaveText(`Step 2 of ${total}`);
  await expect(page.getByTestId('pane-left-step')).toHaveText('2');
  await page.getByTestId('replay-back').click();
  await expect(label).toHaveText(`Step 1 of ${total}`);

  await page.getByTestId('replay-play').click();
  await expect(label).toHaveText(`Step ${total} of ${total}`, { timeout: 20_000 });
  await expect(page.getByTestId('pane-left-step')).toHaveText(String(await paneNfe(page, 'left')));
});

test('restores settings and prompt from the link and refuses bad values', async ({ page }) => {
  const prompt = 'Spell the word cat.';
  await openApp(page, {
    ...FAST,
    gen: '64',
    block: '16',
    tau: '0.8',
    tauf: '0.9',
    eotp: '0',
    third: 'low_confidence',
    p: prompt,
  });
  await expect(page.getByTestId('prompt')).toHaveValue(prompt);
  await expect(page.getByTestId('set-gen')).toHaveValue('64');
  await expect(page.getByTestId('set-block')).toHaveValue('16');
  await expect(page.getByTestId('set-tau')).toHaveValue('0.8');
  await expect(page.getByTestId('set-tauf')).toHaveValue('0.9');
  await expect(page.getByTestId('set-eotp')).not.toBeChecked();
  await expect(pane(page, 'third')).toBeVisible();
  await expect(page.getByTestId('notices')).toHaveCount(0);

  // A change goes back into the link.
  await page.getByTestId('set-third').selectOption('none');
  await expect(pane(page, 'third')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('third')).toBeNull();
  expect(new URL(page.url()).searchParams.get('tau')).toBe('0.8');

  // Refused values need no model: the notice is there at once.
  await page.goto(`./?${new URLSearchParams({ backend: 'wasm', tau: '7', gen: 'abc', speed: 'warp' }).toString()}`);
  const notices = page.getByTestId('notices');
  await expect(notices).toContainText('tau=7');
  await expect(notices).toContainText('gen=abc');
  await expect(notices).toContainText('speed=warp');
  await expect(page.getByTestId('set-tau')).toHaveValue('0.9');
});

test('cancels mid-run without a stuck state, then runs again', async ({ page }) => {
  await openApp(page, { ...FAST, gen: '64', third: 'low_confidence', ref: '0' });
  await pickExample(page, 'story');
  // The one-token-per-step pane runs last and takes 64 steps: the page itself clicks cancel at its third step,
  // however fast the machine.
  await page.evaluate(() => {
    const target = document.querySelector('[data-testid=pane-third]');
    const cancel = document.querySelector<HTMLButtonElement>('[data-testid=cancel]');
    if (!target || !cancel) throw new Error('no pane or cancel button');
    const observer = new MutationObserver(() => {
      if (Number(target.getAttribute('data-nfe')) < 3) return;
      observer.disconnect();
      cancel.click();
    });
    observer.observe(target, { attributes: true, attributeFilter: ['data-nfe'] });
  });
  await page.getByTestId('run').click();
  await expect(pane(page, 'third')).toHaveAttribute('data-cancelled', 'true', { timeout: 60_000 });
  await expect(pane(page, 'third')).toHaveAttribute('data-state', 'idle');
  expect(await paneNfe(page, 'third')).toBeLessThan(64);
  await expect(page.getByTestId('cancel')).toBeDisabled();

  // A second comparison after the cancelled one.
  await page.getByTestId('set-third').selectOption('none');
  await pickExample(page, 'sort');
  await runAndWait(page);
  await expect(pane(page, 'left')).toHaveAttribute('data-cancelled', 'false');
  await expect(pane(page, 'right')).toHaveAttribute('data-cancelled', 'false');
});

test('runs a second comparison after the first, replacing its results', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64', ref: '0' });
  await pickExample(page, 'count');
  await runAndWait(page);
  const firstRun = await pane(page, 'right').getAttribute('data-run-id');
  expect(firstRun).toBeTruthy();
  await pickExample(page, 'compare');
  await page.getByTestId('run').click();
  await expect(pane(page, 'right')).not.toHaveAttribute('data-run-id', firstRun ?? '');
  await expect(pane(page, 'right')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(pane(page, 'left')).toHaveAttribute('data-state', 'done');
  expect(await paneNfe(page, 'left')).toBeGreaterThan(0);
});

test('benchmark view draws accuracy against NFE for both methods', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '32', view: 'bench' });
  await page.getByTestId('bench-size').selectOption('5');
  await page.getByTestId('bench-run').click();
  await expect(page.getByTestId('bench')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const chart = page.getByTestId('bench-chart');
  await expect(chart.locator('[data-series=threshold] circle')).toHaveCount(BROWSER_TAUS.length);
  await expect(chart.locator('[data-series=learn2pd] circle')).toHaveCount(BROWSER_TAU_FILTERS.length);
  // Every point is named by a label (points on top of each other share one).
  const labels = (await chart.locator('[data-series=threshold] text').allTextContents()).join(' ');
  for (const tau of ['0.50', '0.70', '0.80', '0.90', '0.95']) expect(labels).toContain(tau);
  // The reference, then each row of the sweep.
  await expect(page.getByTestId('bench-table').locator('tbody tr')).toHaveCount(
    1 + BROWSER_TAUS.length + BROWSER_TAU_FILTERS.length,
  );
  await expect(page.getByTestId('bench-table')).toContainText('Fast-dLLM threshold τ 0.90');
  // Five prompts give far fewer than 30 checked answers: the view says so.
  await expect(page.getByTestId('bench-warning')).toContainText('could be checked');
});

test('an idle page asks for no animation frames: before a run, and once a run is over', async ({ page }) => {
  await page.addInitScript(() => {
    let frames = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) => {
      frames++;
      return raf(callback);
    };
    Object.defineProperty(window, '__frames', { get: () => frames });
  });
  const framesIn = async (ms: number) => {
    const count = () => page.evaluate(() => (window as unknown as { __frames: number }).__frames);
    const before = await count();
    await page.waitForTimeout(ms);
    return (await count()) - before;
  };
  await openApp(page, { backend: 'wasm', speed: 'fast', clock: '1' });
  expect(await framesIn(1000)).toBe(0);
  await page.getByTestId('run').click();
  // While a run is drawn the clock ticks every frame...
  await expect.poll(() => framesIn(300), { timeout: 30_000 }).toBeGreaterThan(5);
  for (const name of ['left', 'right'] as const)
    await expect(pane(page, name)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  // ...and stops once the animation has caught up and the reference check is in.
  await expect.poll(() => framesIn(1000), { timeout: 120_000 }).toBe(0);
});
