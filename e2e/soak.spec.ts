// A long classroom session: SOAK_N (100) consecutive comparisons in one page on WASM, every other one with the dual
// KV cache (spec §7). After every comparison no onnxruntime tensor may be alive in the worker (the cache's keys and
// values included), and neither onnxruntime's WebAssembly memory nor the page's JS
// heap (after a forced GC) may keep growing once warm. The numbers go to .reports/soak.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, HAS_FILTER, NO_FILTER, openApp, pane, pickExample, test } from './fixtures';

const N = Number(process.env.SOAK_N ?? 100);
const WARM = Math.min(10, Math.floor(N / 2)); // comparisons before the baseline is taken
const FAMILIES = ['reverse', 'sort', 'arithmetic', 'lookup', 'spell'];

interface Sample {
  i: number;
  cache: 'none' | 'dual';
  liveTensors: number;
  createdTensors: number;
  wasmBytes: number | null;
  pageHeapBytes: number;
  ms: number;
}

test(`${N} comparisons in a row: no live tensors, no growing memory`, async ({ page }) => {
  test.skip(!HAS_FILTER, NO_FILTER);
  test.setTimeout(60_000 + N * 8_000);
  await openApp(page, { backend: 'wasm', speed: 'max', ref: '0', gen: '32' });
  const cdp = await page.context().newCDPSession(page);
  const samples: Sample[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = Date.now();
    await pickExample(page, FAMILIES[i % FAMILIES.length], Math.floor(i / FAMILIES.length) % 3);
    const cache = i % 2 === 0 ? 'none' : 'dual';
    await page.getByTestId('set-cache').selectOption(cache);
    const learn2pd = pane(page, 'right');
    const before = await learn2pd.getAttribute('data-run-id');
    await page.getByTestId('run').click();
    await expect(learn2pd).not.toHaveAttribute('data-run-id', before ?? '');
    for (const name of ['left', 'right'] as const)
      await expect(pane(page, name)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const attr = async (name: string) => learn2pd.getAttribute(name);
    const wasm = await attr('data-wasm-bytes');
    await expect(learn2pd).toHaveAttribute('data-cache', cache);
    samples.push({
      i,
      cache,
      liveTensors: Number(await attr('data-live-tensors')),
      createdTensors: Number(await attr('data-created-tensors')),
      wasmBytes: wasm === null || wasm === '' ? null : Number(wasm),
      pageHeapBytes: heap.usedSize,
      ms: Date.now() - t0,
    });
  }
  const base = samples[WARM];
  const last = samples[samples.length - 1];
  const summary = {
    comparisons: N,
    warmup: WARM,
    createdTensors: last.createdTensors,
    maxLiveTensors: Math.max(...samples.map((s) => s.liveTensors)),
    wasmBytes: {
      afterWarmup: base.wasmBytes,
      last: last.wasmBytes,
      max: Math.max(...samples.map((s) => s.wasmBytes ?? 0)),
    },
    pageHeapBytes: {
      afterWarmup: base.pageHeapBytes,
      last: last.pageHeapBytes,
      max: Math.max(...samples.map((s) => s.pageHeapBytes)),
    },
    meanMsPerComparison: samples.reduce((s, x) => s + x.ms, 0) / N,
  };
  mkdirSync('.reports', { recursive: true });
  writeFileSync('.reports/soak.json', JSON.stringify({ summary, samples }, null, 1));
  console.log(JSON.stringify(summary));

  expect(summary.maxLiveTensors).toBe(0);
  expect(last.createdTensors).toBeGreaterThan(N * 3);
  // onnxruntime's WebAssembly memory grows in pages and never shrinks: once warm it must stay flat.
  expect(base.wasmBytes).not.toBeNull();
  expect(last.wasmBytes ?? Infinity).toBeLessThanOrEqual((base.wasmBytes ?? 0) + 4 * 2 ** 20);
  // The page keeps only the last comparison: its heap after GC must not grow with the number of runs.
  expect(last.pageHeapBytes).toBeLessThan(base.pageHeapBytes * 1.25 + 2 * 2 ** 20);
});
