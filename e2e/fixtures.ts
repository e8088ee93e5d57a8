// Shared e2e fixtures: every test fails on a page error, an unexpected console error (onnxruntime-web's harmless
// "VerifyEachNodeIsAssignedToAnEp" warning arrives through console.error and is allowed) or a request that leaves
// our origin (the app must never fetch from a CDN). Helpers drive the app through its test ids.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { parseManifest } from '../src/runtime/manifest';

/** The model folder under public/models the tests load: the bundled one, or E2E_MODEL. */
export const MODEL = process.env.E2E_MODEL ?? 'tiny-dllm';
export const MODEL_DIR = join('public', 'models', MODEL);
export const HAS_MODEL = existsSync(join(MODEL_DIR, 'dllm.json'));
/** The Learn2PD filter is trained after the model; tests of the Learn2PD pane wait for it. */
export const HAS_FILTER =
  HAS_MODEL && Object.keys(parseManifest(readFileSync(join(MODEL_DIR, 'dllm.json'), 'utf8')).filters).length > 0;
export const NO_FILTER = 'the model ships no Learn2PD filter yet (dllm.json "filters" is empty)';

const ALLOWED_CONSOLE_ERRORS = [/VerifyEachNodeIsAssignedToAnEp/];

export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !ALLOWED_CONSOLE_ERRORS.some((re) => re.test(message.text())))
          problems.push(`console.error: ${message.text()}`);
      });
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol.startsWith('http') && url.hostname !== 'localhost')
          problems.push(`external request: ${request.url()}`);
      });
      await use(problems);
      expect(problems, 'page errors, console errors or external requests').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export type PaneName = 'left' | 'right' | 'third';

/** Opens the app with these query parameters (the model folder added) and waits until the model is ready. */
export async function openApp(page: Page, params: Record<string, string> = {}, timeout = 60_000): Promise<void> {
  const query = new URLSearchParams({ model: MODEL, ...params });
  await page.goto(`./?${query.toString()}`);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout });
}

export function pane(page: Page, name: PaneName) {
  return page.getByTestId(`pane-${name}`);
}

export async function paneNfe(page: Page, name: PaneName): Promise<number> {
  return Number(await pane(page, name).getAttribute('data-nfe'));
}

/** Clicks run and waits until every listed pane is done. */
export async function runAndWait(page: Page, panes: PaneName[] = ['left', 'right'], timeout = 90_000): Promise<void> {
  await page.getByTestId('run').click();
  for (const name of panes) await expect(pane(page, name)).toHaveAttribute('data-state', 'done', { timeout });
}

/** Picks the first example prompt of a task family from the menu. */
export async function pickExample(page: Page, family: string, index = 0): Promise<string> {
  await page.getByTestId('examples').selectOption(`${family}:${index}`);
  return page.getByTestId('prompt').inputValue();
}
