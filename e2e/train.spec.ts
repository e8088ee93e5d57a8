// The Train view in the real app on WASM (issue 23): a small collection (6 train prompts, canvas 32) and the paper's
// filter trained on it; the samples the browser downloads are the ones `npm run collect` (onnxruntime-node) writes
// for the same prompts (header, labels and flags equal, confidences within float noise); the filter joins the Learn2PD pane's picker and
// a comparison runs with it; it is still there after a reload (IndexedDB); a tab closed mid-collection offers to
// resume with what it had saved.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, HAS_MODEL, MODEL_DIR, openApp, pane, pickExample, runAndWait, test } from './fixtures';

const PROMPTS = 6;

async function openTrain(page: Parameters<typeof openApp>[0]) {
  await openApp(page, { backend: 'wasm', view: 'train', speed: 'max', ref: '0', clock: '1' });
  await expect(page.getByTestId('train')).toBeVisible();
}

interface Line {
  confidence: number[];
  margin?: number[];
  entropy?: number[];
  isCorrect: boolean[];
  masked: boolean[];
  stable: boolean[];
  prompt: number;
  block: number;
  step: number;
}

test('collect and train the paper filter here, use it in a comparison, keep it across a reload', async ({ page }) => {
  test.skip(!HAS_MODEL, 'no bundled model');
  await openTrain(page);
  await page.getByTestId('train-prompts').fill(String(PROMPTS));
  await page.getByTestId('train-gen').selectOption('32');
  await page.getByTestId('train-kind').selectOption('paper');
  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-state', 'idle');
  await page.getByTestId('train-start').click();
  await expect(status).toHaveAttribute('data-state', /collecting|training|done/);
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('train-chart')).toBeVisible();
  await expect(page.getByTestId('train-result')).toContainText('false accepts');
  const row = page.getByTestId('kept-filter');
  await expect(row).toHaveAttribute('data-name', 'here-1');

  // The samples, as the browser collected them, against onnxruntime-node's for the same prompts and canvas.
  const download = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Samples (JSONL)' }).click();
  const text = readFileSync(await (await download).path(), 'utf8');
  const [header, ...lines] = text.trimEnd().split('\n');
  expect(JSON.parse(header)).toMatchObject({ split: 'train', genLength: 32, blockLength: 32, prompts: PROMPTS });
  const out = join(mkdtempSync(join(tmpdir(), 'e2e-train-')), 'cli.jsonl');
  const collect = ['src/cli/collect.ts', '--model', MODEL_DIR, '--limit', String(PROMPTS), '--gen-length', '32'];
  execFileSync(process.execPath, ['--import', 'tsx', ...collect, '--block-length', '32', '--out', out], {
    stdio: 'pipe',
  });
  const [cliHeader, ...expected] = readFileSync(out, 'utf8').trimEnd().split('\n');
  expect(header).toBe(cliHeader);
  expect(lines.length).toBe(expected.length);
  // Labels, flags and places equal; the head's numbers (confidence, margin, entropy) within float noise of WASM's.
  const NUMBERS = ['confidence', 'margin', 'entropy'] as const;
  lines.forEach((l, k) => {
    const got = JSON.parse(l) as Line;
    const want = JSON.parse(expected[k]) as Line;
    const bare = (x: Line) => ({ ...x, confidence: [], margin: [], entropy: [] });
    expect(bare(got)).toEqual(bare(want));
    for (const key of NUMBERS) {
      expect(got[key]?.length).toBe(want[key]?.length);
      got[key]?.forEach((c, i) => expect(Math.abs(c - (want[key]?.[i] ?? Number.NaN))).toBeLessThan(1e-4));
    }
  });

  // It is offered at once in the Learn2PD pane's picker, and a comparison runs with it.
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('filter-picker').selectOption('here-1');
  await pickExample(page, 'sort');
  await runAndWait(page);
  await expect(pane(page, 'right')).toHaveAttribute('data-filter', 'here-1');

  // A visit later: still there.
  await page.reload();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('filter-picker').locator('option[value="here-1"]')).toHaveCount(1);
});

test('a tab closed mid-collection offers to resume with what it saved', async ({ page }) => {
  test.skip(!HAS_MODEL, 'no bundled model');
  await openTrain(page);
  await page.getByTestId('train-prompts').fill('8');
  await page.getByTestId('train-gen').selectOption('32');
  await page.getByTestId('train-kind').selectOption('slot-conf');
  await page.getByTestId('train-start').click();
  const status = page.getByTestId('train-status');
  await expect(status).toContainText(/Collecting: [2-7] of 8/, { timeout: 60_000 });
  await page.reload(); // the tab goes away mid-collection
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  const note = page.getByTestId('train-unfinished');
  await expect(note).toContainText(/of 8 prompts|8 prompts/);
  await expect(note).toContainText(/has [1-8] prompts collected/);
  await page.getByTestId('train-resume').click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('kept-filter')).toHaveCount(1);
  await expect(note).toHaveCount(0);
});
