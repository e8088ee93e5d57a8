// The built app on a plain static host (a sub-path, no COOP, COEP or CSP headers, like GitHub Pages), with its
// service worker: a second visit loads with the network gone and runs a comparison; from the second load on the
// page is cross-origin isolated, so onnxruntime's WebAssembly gets several threads; a second build deployed at the
// same URL replaces the first one's caches whole once the visitor agrees, with no "corrupt" error.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { type StaticHost, staticHost } from '../scripts/static-host';
import { wasmThreads } from '../src/worker/protocol';
import { expect, HAS_FILTER, HAS_MODEL, MODEL, NO_FILTER, test } from './fixtures';

test.skip(!HAS_MODEL, 'the bundled model (dllm.json) is not there yet');
test.use({ serviceWorkers: 'allow' });

const PARAMS = new URLSearchParams({ model: MODEL, backend: 'wasm', speed: 'max', ref: '0', clock: '1', gen: '32' });

let host: StaticHost;
let root: string;

test.beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'site-a-'));
  cpSync('dist', root, { recursive: true });
  host = await staticHost(root);
});

test.afterEach(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

async function ready(page: Page, timeout = 60_000) {
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout });
}

async function compareDone(page: Page) {
  await page.getByTestId('run').click();
  for (const id of HAS_FILTER ? ['left', 'right'] : ['left'])
    await expect(page.getByTestId(`pane-${id}`)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

test('a second visit loads with no network at all and runs a comparison', async ({ page, context }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  await page.goto(`${host.url}?${PARAMS}`);
  await ready(page);
  // The service worker took over and stored the shell and this backend's onnxruntime files.
  await expect(page.getByTestId('offline-status')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await context.setOffline(true);
  await host.close(); // the server is gone too: nothing can come from the network
  await page.reload();
  await ready(page);
  // Chromium 150 forgets the emulated navigator.onLine at a navigation (the network stays off: the host is closed
  // too), so the test sets it again; the page hears the `offline` event, as a visitor's would on losing the network.
  if (await page.evaluate(() => navigator.onLine)) {
    await context.setOffline(false);
    await context.setOffline(true);
  }
  await expect(page.getByTestId('offline-status')).toHaveAttribute('data-online', 'false');
  await expect(page.getByTestId('offline-status')).toContainText('Offline');
  await compareDone(page);
  await context.setOffline(false);
  host = await staticHost(root); // for afterEach
});

test('cross-origin isolated from the second load with no COOP/COEP from the server: WASM gets threads', async ({
  page,
}) => {
  // The rule gives this 2-core machine one thread (2 ran slower, docs/bench/threads.md), so the link asks for 2.
  const first = await page.goto(`${host.url}?${PARAMS}&threads=2`);
  expect(first?.headers()['cross-origin-embedder-policy']).toBeUndefined();
  await ready(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('offline-status')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await page.reload();
  await ready(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('.model-facts')).toContainText('2 threads');
  if (HAS_FILTER) await compareDone(page);
  // Without the ask, the rule: half the cores, at most 4 (a new worker, since the count changed).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = wasmThreads(null, true, cores);
  await page.goto(`${host.url}?${PARAMS}`);
  await ready(page);
  await expect(page.locator('.model-facts')).toContainText(`${threads} thread${threads > 1 ? 's' : ''}`);
});

test('a second build at the same URL replaces the first one whole, once the visitor agrees', async ({ page }) => {
  test.setTimeout(180_000);
  const second = mkdtempSync(join(tmpdir(), 'site-b-'));
  try {
    await promisify(execFile)('npx', ['vite', 'build', '--outDir', second, '--emptyOutDir'], {
      env: { ...process.env, VITE_BUILD_LABEL: 'B' },
    });
    await page.goto(`${host.url}?${PARAMS}`);
    await ready(page);
    await expect(page.getByTestId('offline-status')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
    const oldCaches = await page.evaluate(() => caches.keys());

    host.swap(second);
    // The browser checks sw.js on navigation: the new build installs and waits; the old one keeps serving its files.
    await page.reload();
    await ready(page);
    await expect(page.locator('.app')).toHaveAttribute('data-build', '');
    await expect(page.getByTestId('update-ready')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('update-reload').click();
    await expect(page.locator('.app')).toHaveAttribute('data-build', 'B', { timeout: 60_000 });
    await ready(page);
    await expect(page.getByTestId('load-error')).toHaveCount(0);

    // Every script the page runs now is the second build's, and only its shell cache is left of the two.
    const assets = new Set(readFileSync(join(second, 'sw.js'), 'utf8').match(/assets\/[\w.-]+\.(js|css)/g) ?? []);
    const loaded = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => /\/assets\/[\w.-]+\.(js|css)$/.test(p) && !/ort-wasm/.test(p)),
    );
    for (const p of loaded) expect(assets, p).toContain(p.slice(p.indexOf('assets/')));
    const newCaches = await page.evaluate(() => caches.keys());
    const shells = (names: string[]) => names.filter((n) => n.startsWith('learn2pd-shell-'));
    expect(shells(newCaches)).toHaveLength(1);
    expect(shells(newCaches)[0]).not.toBe(shells(oldCaches)[0]);
    if (HAS_FILTER) await compareDone(page);
  } finally {
    rmSync(second, { recursive: true, force: true });
  }
});
