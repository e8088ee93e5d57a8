// A fair comparison that a classroom can read, in the real app on WASM: every pane on the same EoTP setting (one
// switch flips them all), a summary that names what is shared and what differs, says "Both took N steps" when they
// did and puts a wrong answer beside the steps it saved; presentation mode on a 1280x720 projector; a 390 px phone;
// contrast (axe-core); and a worker whose script cannot be fetched, which must not loop.
import AxeBuilder from '@axe-core/playwright';
import { expect, HAS_FILTER, NO_FILTER, openApp, pane, pickExample, runAndWait, test } from './fixtures';

const FAST = { backend: 'wasm', speed: 'max' };

test('every pane has the same EoTP setting; the switch flips both; the summary names it', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64', ref: '0', clock: '1' });
  for (const name of ['left', 'right'] as const) await expect(pane(page, name)).toHaveAttribute('data-eotp', 'true');
  await expect(pane(page, 'left')).toHaveAttribute('data-method', 'threshold');
  await expect(pane(page, 'right')).toHaveAttribute('data-method', 'learn2pd');
  await pickExample(page, 'sort');
  await runAndWait(page);
  await expect(page.getByTestId('summary-setting')).toContainText('and EoTP (on) in both panes');

  await page.getByTestId('set-eotp').uncheck();
  // The finished panes are now of other settings: they say so until the next run.
  for (const name of ['left', 'right'] as const) await expect(pane(page, name)).toHaveAttribute('data-stale', 'true');
  await runAndWait(page);
  for (const name of ['left', 'right'] as const) await expect(pane(page, name)).toHaveAttribute('data-eotp', 'false');
  await expect(page.getByTestId('summary-setting')).toContainText('and EoTP (off) in both panes');

  // EoTP off against on is its own comparison, and the titles say which pane is which.
  await page.getByTestId('set-comparison').selectOption('eotp');
  await runAndWait(page);
  await expect(pane(page, 'left')).toHaveAttribute('data-eotp', 'false');
  await expect(pane(page, 'right')).toHaveAttribute('data-eotp', 'true');
  await expect(pane(page, 'left').locator('h2')).toHaveText('Fast-dLLM threshold · without EoTP');
  await expect(pane(page, 'right').locator('h2')).toHaveText('Fast-dLLM threshold · with EoTP');
  await expect(page.getByTestId('summary-setting')).toContainText('only EoTP differs');
});

test('the summary: equal steps are equal, the clock comes with its spread, a wrong answer is named', async ({
  page,
}) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  // The paper's filter, whichever the model picks by default: the step counts below are its.
  await openApp(page, { ...FAST, clock: '3', filter: 'paper' });
  // Canvas 128: both decoders take 2 steps on this conversion and both answer it correctly.
  await pickExample(page, 'convert', 0);
  await runAndWait(page);
  await expect(page.getByTestId('summary-steps')).toHaveText('Both took 2 steps.');
  await expect(page.getByTestId('summary-clock')).toContainText('over 3 runs each', { timeout: 60_000 });
  await expect(page.getByTestId('summary-answers')).toContainText('Both answers are correct');
  await expect(pane(page, 'left')).toHaveAttribute('data-clock-ms', /^[\d.]+,[\d.]+,[\d.]+$/);

  // Canvas 64: Learn2PD saves a step on this word problem and gets it wrong; the summary says both.
  await page.getByTestId('set-gen').selectOption('64');
  await pickExample(page, 'arithmetic', 2);
  await runAndWait(page);
  await expect(page.getByTestId('summary-steps')).toHaveText(
    'Learn2PD took 4 steps, Fast-dLLM threshold 5: 1.3× fewer.',
  );
  await expect(page.getByTestId('summary-answers')).toContainText(
    "Fast-dLLM threshold's answer is correct, Learn2PD's is wrong",
    { timeout: 60_000 },
  );
  await expect(pane(page, 'right').getByTestId('verdict-correct')).toHaveAttribute('data-correct', 'false');
});

test('a prompt outside the task families says so, and the family chips fill in examples', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '32', ref: '0', clock: '1', p: 'what is the capital of france' });
  await expect(page.getByTestId('prompt-source')).toContainText('Not one of the nine task families');
  await runAndWait(page);
  await expect(pane(page, 'left').getByTestId('verdict-outside')).toBeVisible();
  await expect(page.getByTestId('summary')).toContainText('outside the nine task families');
  await page.getByTestId('family-lookup').click();
  await expect(page.getByTestId('prompt-source')).toContainText('Example of “lookup”');
});

test('presentation mode at 1280x720: both canvases and answers on screen, slot text at least 20 px', async ({
  page,
}) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, { ...FAST, ref: '0', clock: '1' });
  await pickExample(page, 'arithmetic', 1);
  await page.getByTestId('present').click();
  await expect(page).toHaveURL(/present=1/);
  await runAndWait(page);
  for (const name of ['left', 'right'] as const) {
    for (const part of [pane(page, name).locator('.canvas-grid'), page.getByTestId(`pane-${name}-answer`)]) {
      const box = await part.boundingBox();
      expect(box, `${name}: no box`).not.toBeNull();
      if (box) expect(box.y + box.height, `${name} ends below the screen`).toBeLessThanOrEqual(720);
    }
  }
  const sizes = await page
    .locator('.slot')
    .evaluateAll((slots) => slots.map((s) => parseFloat(getComputedStyle(s).fontSize)));
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(20);
  // Whole words: no slot cuts its text short.
  const clipped = await page
    .locator('.slot')
    .evaluateAll((slots) => slots.filter((s) => s.scrollWidth > s.clientWidth + 1).length);
  expect(clipped).toBe(0);
  await page.getByTestId('present').click();
  await expect(page).not.toHaveURL(/present=1/);
});

test('a 390 px phone: no sideways scrolling, panes stacked', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, { ...FAST, gen: '32', ref: '0', clock: '1' });
  await runAndWait(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const left = await pane(page, 'left').boundingBox();
  const right = await pane(page, 'right').boundingBox();
  expect(left && right && right.y >= left.y + left.height).toBe(true);
});

test('no text on the finished comparison falls short of 4.5:1 contrast (axe-core)', async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64', ref: '0', clock: '1' });
  await pickExample(page, 'arithmetic', 0);
  await runAndWait(page);
  const results = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
  const found = results.violations.flatMap((v) =>
    v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  );
  expect(found).toEqual([]);
});

test('a worker whose script cannot be fetched: one error with Retry, no loop of requests', async ({
  page,
  context,
}) => {
  await openApp(page, FAST);
  let requests = 0;
  await context.route(/\/assets\/worker-[^/]*\.js(\?.*)?$/, (route) => {
    requests++;
    return route.abort('internetdisconnected');
  });
  // A backend switch starts a new worker: its script request fails.
  await page.getByTestId('backend-choice').selectOption('auto');
  await expect(page.getByTestId('load-error')).toContainText('cannot reach the server', { timeout: 20_000 });
  await page.waitForTimeout(10_000);
  expect(requests).toBeGreaterThan(0);
  expect(requests).toBeLessThan(10);
  await expect(page.getByTestId('notices').locator('li')).toHaveCount(1);
  await context.unroute(/\/assets\/worker-[^/]*\.js(\?.*)?$/);
  await page.getByTestId('load-retry').click();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
});

test('Copy link gives a link that opens the comparison and runs it', async ({ page, context }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, { ...FAST, gen: '32', ref: '0', clock: '1', cmp: 'eotp' });
  await pickExample(page, 'reverse', 1);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link')).toHaveText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(new URL(link).searchParams.get('run')).toBe('1');
  expect(new URL(link).searchParams.get('cmp')).toBe('eotp');
  await page.goto(link);
  // run=1: the comparison starts by itself once the model is ready.
  for (const name of ['left', 'right'] as const)
    await expect(pane(page, name)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(pane(page, 'right')).toHaveAttribute('data-eotp', 'true');
});

test('the views are tabs: the arrow keys move between them', async ({ page }) => {
  await openApp(page, FAST);
  const compare = page.getByRole('tab', { name: 'Side by side' });
  await expect(compare).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'tab-compare');
  await compare.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Benchmark' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Benchmark' })).toBeFocused();
  await expect(page.getByTestId('bench')).toBeVisible();
  await page.keyboard.press('Home');
  await expect(compare).toHaveAttribute('aria-selected', 'true');
});

test('the EB-Sampler as the left rule: picked in the panel, its γ slider, the entropy output read on WASM', async ({
  page,
}) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64', ref: '0', clock: '1' });
  await page.getByTestId('set-heuristic').selectOption('eb_sampler');
  await expect(page.getByTestId('set-gamma')).toHaveValue('0.1');
  await page.getByTestId('set-gamma').fill('0.5');
  await pickExample(page, 'sort');
  await runAndWait(page);
  await expect(pane(page, 'left')).toHaveAttribute('data-method', 'eb_sampler');
  await expect(pane(page, 'left').locator('h2')).toHaveText('EB-Sampler');
  await expect(pane(page, 'left')).toContainText('γ 0.5');
  await expect(page.getByTestId('summary-setting')).toContainText('EoTP (on) in both panes');
  // The link keeps the rule and its bound.
  await expect(page).toHaveURL(/left=eb_sampler/);
  await expect(page).toHaveURL(/gamma=0.5/);
});

test('the filter picker offers the learned filters of the block length; the pane and the link say which ran', async ({
  page,
}) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await openApp(page, { ...FAST, gen: '64', ref: '0', clock: '1' });
  const picker = page.getByTestId('filter-picker');
  await expect(picker.locator('option')).toHaveText([/paper's MLP/, /^slot/, /^slot-conf/]);
  await picker.selectOption('slot');
  await expect(page).toHaveURL(/filter=slot/);
  await pickExample(page, 'sort');
  await runAndWait(page);
  await expect(pane(page, 'right')).toHaveAttribute('data-filter', 'slot');
  await expect(pane(page, 'right').locator('.pane-desc')).toContainText('the slot filter picks the final guesses');
  // Block 64: the filters trained at 64 serve it (the paper's kind is one MLP per block width).
  await page.getByTestId('set-block').selectOption('64');
  await expect(picker.locator('option')).toHaveText([/paper's MLP/, /^slot/, /^slot-conf/]);
});
