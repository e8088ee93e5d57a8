// Measures how long the bundled model takes to load in the built app, per backend, first visit (empty cache) and
// second visit (same browser context: HTTP cache + Cache API warm), with the time split by load phase.
//   npx vite build && npx tsx scripts/measure-load.ts [--port 4183] [--runs 3] [--backends wasm,webgpu]
//                                                      [--model tiny-dllm] [--out docs/bench/load-time.json]
//                                                      [--profile] (a real profile folder: see below)
// Uses a running `vite preview` on the port when there is one, else starts one (and stops it).
//
// Every run launches a fresh Chromium (so no in-memory wasm/shader cache survives from an earlier run), opens a
// fresh context (empty HTTP cache and Cache Storage), navigates to /?model=..&backend=.. and waits for
// [data-testid=backend][data-status=ready]; then navigates again in the same context (the second load).
// Nothing in src/ is instrumented: an init script wraps the page's `Worker` and timestamps, in the page's clock
// (ms since navigation start), the `load` request and every `load-phase` / `load-file` / `ready` message the
// worker posts. The worker's own Resource Timing entries (read with Playwright's worker.evaluate and moved to the
// page's clock with the two timeOrigins) split the fetches (worker chunk, ort .wasm, model files) from the rest.
// Reported numbers are medians over the runs, with the machine's load average per run: on a shared machine the
// CPU-bound phases (the onnxruntime .wasm start-up, WebGPU pipeline compiles) stretch with the load.
// Playwright's contexts are off the record: Chromium keeps no V8/wasm code cache for them, so the second load
// here measures the HTTP cache + Cache API, not the code cache a real profile would add. `--profile` runs each
// pair of visits in a fresh profile folder instead (a persistent context), so the second visit is what a
// returning visitor's browser does, compiled onnxruntime WebAssembly from V8's code cache included.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { arg, ensurePreview, launchChromium, launchChromiumProfile, median, stopPreview } from './preview';

const PORT = Number(arg('port', process.env.MEASURE_PORT ?? '4183'));
const ORIGIN = `http://localhost:${PORT}/`;
const RUNS = Math.max(1, Number(arg('runs', '3')));
const BACKENDS = arg('backends', 'wasm,webgpu').split(',').filter(Boolean);
const MODEL = arg('model', 'tiny-dllm');
const PROFILE = process.argv.includes('--profile');
const OUT = arg('out', join('docs', 'bench', PROFILE ? 'load-time-profile.json' : 'load-time.json'));
const VIEWPORT = { width: 1280, height: 900 };
const TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------- in-page recorder

interface PageEvent {
  t: number; // page performance.now(): ms since navigation start
  kind: string; // 'worker' | 'post:load' | 'phase:<p>' | 'file:<name>' | 'ready' | 'dom-ready' | 'error'
  detail?: string;
}

interface Recorded {
  events: PageEvent[];
  info: {
    loadMs: number;
    warmupMs: number;
    backend: string;
    adapter: string | null;
    variant: string;
    cachedFiles: number;
    totalFiles: number;
    fallbackReason: string | null;
  } | null;
  timeOrigin: number;
  domContentLoaded: number;
  resources: ResourceRow[];
}

interface ResourceRow {
  name: string;
  start: number;
  end: number;
  bytes: number; // transferSize (0: from cache, or not exposed)
  body: number; // decodedBodySize
}

declare global {
  interface Window {
    __loadTrace?: { events: PageEvent[]; info: Recorded['info'] };
  }
}

// Runs in the page before its scripts: wraps Worker so every message of the model worker is timestamped, and
// watches the backend badge's data-status for the moment the UI shows "ready".
function recorder(): void {
  const trace: { events: PageEvent[]; info: Recorded['info'] } = { events: [], info: null };
  window.__loadTrace = trace;
  const mark = (kind: string, detail?: string) =>
    trace.events.push({ t: performance.now(), kind, ...(detail !== undefined ? { detail } : {}) });
  const Native = window.Worker;
  class TracedWorker extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      mark('worker', String(url));
      this.addEventListener('message', (event: MessageEvent) => {
        const m: unknown = event.data;
        if (typeof m !== 'object' || m === null) return;
        const msg = m as {
          type?: string;
          phase?: string;
          detail?: string;
          file?: string;
          verified?: boolean;
          cached?: boolean;
          info?: Recorded['info'];
          error?: { name: string; message: string };
        };
        if (msg.type === 'load-phase') mark(`phase:${msg.phase}`, msg.detail);
        else if (msg.type === 'load-file' && msg.verified) mark(`file:${msg.file}`, msg.cached ? 'cached' : 'network');
        else if (msg.type === 'ready' && msg.info) {
          mark('ready');
          const { loadMs, warmupMs, backend, adapter, variant, cachedFiles, totalFiles, fallbackReason } = msg.info;
          trace.info = { loadMs, warmupMs, backend, adapter, variant, cachedFiles, totalFiles, fallbackReason };
        } else if (msg.type === 'error') mark('error', `${msg.error?.name}: ${msg.error?.message}`);
      });
    }
    override postMessage(message: unknown, options?: unknown): void {
      if (typeof message === 'object' && message !== null && (message as { type?: string }).type === 'load')
        mark('post:load');
      super.postMessage(message, options as StructuredSerializeOptions);
    }
  }
  window.Worker = TracedWorker;
  const watch = () => {
    const seen = new Set<string>();
    new MutationObserver(() => {
      const status = document.querySelector('[data-testid=backend]')?.getAttribute('data-status') ?? '';
      if (status && !seen.has(status)) {
        seen.add(status);
        mark(`status:${status}`);
      }
    }).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
  };
  document.addEventListener('DOMContentLoaded', () => {
    mark('dom-ready');
    watch();
  });
}

async function resourcesOf(page: Page, pageOrigin: number): Promise<ResourceRow[]> {
  const read = () => {
    const origin = performance.timeOrigin;
    return performance.getEntriesByType('resource').map((e) => {
      const r = e as PerformanceResourceTiming;
      return {
        name: r.name,
        start: r.startTime + origin,
        end: r.responseEnd + origin,
        bytes: r.transferSize,
        body: r.decodedBodySize,
      };
    });
  };
  const rows = [...(await page.evaluate(read))];
  for (const w of page.workers()) rows.push(...(await w.evaluate(read).catch(() => [])));
  return rows.map((r) => ({
    ...r,
    name: new URL(r.name).pathname.replace(/^\//, ''),
    start: r.start - pageOrigin,
    end: r.end - pageOrigin,
  }));
}

async function loadOnce(page: Page, url: string): Promise<{ wallMs: number; rec: Recorded }> {
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('[data-testid=backend][data-status=ready]').waitFor({ timeout: TIMEOUT_MS });
  const wallMs = Date.now() - t0;
  const base = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      trace: window.__loadTrace ?? { events: [], info: null },
      timeOrigin: performance.timeOrigin,
      domContentLoaded: nav?.domContentLoadedEventEnd ?? 0,
    };
  });
  const resources = await resourcesOf(page, base.timeOrigin);
  return {
    wallMs,
    rec: {
      events: base.trace.events,
      info: base.trace.info,
      timeOrigin: base.timeOrigin,
      domContentLoaded: base.domContentLoaded,
      resources,
    },
  };
}

// ---------------------------------------------------------------- reduction

const PHASES = ['probe', 'manifest', 'download', 'session', 'warmup'] as const;

interface Breakdown {
  readyMs: number; // navigation start -> badge shows ready (page clock)
  wallMs: number; // Playwright: goto() called -> ready locator resolved
  appLoadMs: number; // ModelInfo.loadMs (worker: load request handled -> ready)
  warmupMs: number; // ModelInfo.warmupMs (the forward(s) of the warmup phase)
  cachedFiles: number;
  totalFiles: number;
  backend: string;
  fallbackReason: string | null;
  loadAvg1: number; // the machine's 1-minute load average when the load started (other jobs share the CPUs)
  // Spans in the page clock (ms):
  boot: number; // navigation -> `load` posted to the worker (HTML, main chunk, store)
  workerStart: number; // `load` posted -> first load-phase message (worker chunk fetch + module evaluation)
  phases: Record<(typeof PHASES)[number], number>; // each phase's start -> the next phase's start (warmup -> ready)
  afterWarmup: number; // warmup phase minus warmupMs: vocab building + ModelInfo + message + React render
  fetch: Record<string, { ms: number; bytes: number; startMs: number; endMs: number }>; // Resource Timing per file
}

function reduce(rec: Recorded, wallMs: number, loadAvg1: number): Breakdown {
  const at = (kind: string) => rec.events.find((e) => e.kind === kind)?.t ?? NaN;
  const ready = at('status:ready');
  const starts = PHASES.map((p) => at(`phase:${p}`));
  // A phase lasts until the next phase that was reported (or the ready message); a phase never reported is NaN.
  const endOf = (i: number) => [...starts.slice(i + 1), at('ready')].find((t) => Number.isFinite(t)) ?? NaN;
  const phases = Object.fromEntries(PHASES.map((p, i) => [p, endOf(i) - starts[i]])) as Breakdown['phases'];
  const fetch: Breakdown['fetch'] = {};
  for (const r of rec.resources) {
    const key = r.name.replace(/^assets\/(.+?)-[\w-]{8}(\.\w+)$/, 'assets/$1$2').replace(`models/${MODEL}/`, '');
    let k = key;
    for (let n = 2; k in fetch; n++) k = `${key}#${n}`;
    fetch[k] = { ms: r.end - r.start, bytes: r.bytes, startMs: r.start, endMs: r.end };
  }
  const info = rec.info;
  return {
    readyMs: ready,
    wallMs,
    appLoadMs: info?.loadMs ?? NaN,
    warmupMs: info?.warmupMs ?? NaN,
    cachedFiles: info?.cachedFiles ?? 0,
    totalFiles: info?.totalFiles ?? 0,
    backend: info?.backend ?? '?',
    fallbackReason: info?.fallbackReason ?? null,
    loadAvg1,
    boot: at('post:load'),
    workerStart: starts[0] - at('post:load'),
    phases,
    afterWarmup: Number.isFinite(phases.warmup) ? phases.warmup - (info?.warmupMs ?? 0) : NaN,
    fetch,
  };
}

/** The median of every numeric leaf over the runs (same shape as one Breakdown). */
function medianOf(runs: Breakdown[]): Breakdown {
  const walk = (items: unknown[]): unknown => {
    const first = items[0];
    if (typeof first === 'number') return Math.round(median(items as number[]) * 10) / 10;
    if (typeof first === 'object' && first !== null) {
      const keys = new Set(items.flatMap((i) => Object.keys(i as object)));
      return Object.fromEntries(
        [...keys].map((k) => [
          k,
          walk(items.map((i) => (i as Record<string, unknown>)[k]).filter((v) => v !== undefined)),
        ]),
      );
    }
    return first;
  };
  return walk(runs) as Breakdown;
}

// ---------------------------------------------------------------- main

/** A fresh browser for one pair of visits: an off-the-record context, or (--profile) a new profile folder. */
async function openContext(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!PROFILE) {
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    return { context, close: () => browser.close() };
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'measure-load-profile-'));
  const context = await launchChromiumProfile(dir, VIEWPORT);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(backend: string): Promise<{ first: Breakdown[]; second: Breakdown[] }> {
  const first: Breakdown[] = [];
  const second: Breakdown[] = [];
  const url = `${ORIGIN}?${new URLSearchParams({ model: MODEL, backend }).toString()}`;
  for (let run = 0; run < RUNS; run++) {
    const { context, close } = await openContext();
    try {
      // tsx (esbuild) wraps named functions in __name(); the page has no such helper.
      await context.addInitScript({ content: `var __name = (f) => f; (${recorder.toString()})();` });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[${backend}] page error: ${e.message}`));
      let load = os.loadavg()[0];
      const a = await loadOnce(page, url);
      first.push(reduce(a.rec, a.wallMs, load));
      // Let the Cache API writes settle before the second visit; on a profile also V8's WebAssembly code cache,
      // which is written once enough functions have been optimized (seconds of background compile on 2 cores).
      await page.waitForTimeout(PROFILE ? 5000 : 1500);
      load = os.loadavg()[0];
      const b = await loadOnce(page, url);
      second.push(reduce(b.rec, b.wallMs, load));
      const f = first.at(-1)!;
      const s = second.at(-1)!;
      console.error(
        `[${backend}] run ${run + 1}/${RUNS}: first ${f.readyMs.toFixed(0)} ms (app ${f.appLoadMs.toFixed(0)}), second ${s.readyMs.toFixed(0)} ms (app ${s.appLoadMs.toFixed(0)}, ${s.cachedFiles}/${s.totalFiles} files cached)`,
      );
    } finally {
      await close();
    }
  }
  return { first, second };
}

function table(results: Record<string, { first: Breakdown; second: Breakdown }>): string {
  const cols = Object.entries(results).flatMap(([b, r]) => [
    [`${b} 1st`, r.first],
    [`${b} 2nd`, r.second],
  ]) as [string, Breakdown][];
  const fmt = (v: number) =>
    !Number.isFinite(v) ? '-' : Math.abs(v) < 100 && !Number.isInteger(v) ? v.toFixed(1) : v.toFixed(0);
  const rows: [string, (x: Breakdown) => number][] = [
    ['nav -> ready (UI)', (x) => x.readyMs],
    ['app loadMs ("ready in")', (x) => x.appLoadMs],
    ['  boot (nav -> load posted)', (x) => x.boot],
    ['  worker start (chunk + eval)', (x) => x.workerStart],
    ...PHASES.map((p) => [`  phase ${p}`, (x: Breakdown) => x.phases[p]] as [string, (x: Breakdown) => number]),
    ['    of warmup: forward(s)', (x) => x.warmupMs],
    ['    of warmup: vocab+post+render', (x) => x.afterWarmup],
    ['fetch ort .wasm', (x) => Object.entries(x.fetch).find(([k]) => /ort-wasm.*\.wasm$/.test(k))?.[1].ms ?? NaN],
    ['worker chunk fetched at', (x) => x.fetch['assets/worker.js']?.endMs ?? NaN],
    ['load average (1 min)', (x) => x.loadAvg1],
    [
      'fetch model .onnx',
      (x) =>
        Math.max(
          ...Object.entries(x.fetch)
            .filter(([k]) => k.startsWith('onnx/'))
            .map(([, v]) => v.ms),
        ),
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const head = `${''.padEnd(w0)} | ${cols.map(([c]) => c.padStart(11)).join(' | ')}`;
  const lines = rows.map(
    ([label, f]) => `${label.padEnd(w0)} | ${cols.map(([, b]) => fmt(f(b)).padStart(11)).join(' | ')}`,
  );
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}

async function main(): Promise<void> {
  const preview = await ensurePreview(PORT);
  let chromiumVersion = 'unknown';
  try {
    const probe = await launchChromium();
    chromiumVersion = probe.version();
    await probe.close();
    const raw: Record<string, { first: Breakdown[]; second: Breakdown[] }> = {};
    const results: Record<string, { first: Breakdown; second: Breakdown }> = {};
    for (const backend of BACKENDS) {
      raw[backend] = await measure(backend);
      results[backend] = { first: medianOf(raw[backend].first), second: medianOf(raw[backend].second) };
    }
    const report = {
      what: `Model load time of the built app (vite preview, localhost): navigation start -> backend badge ready, first visit (${PROFILE ? 'a new profile folder' : 'fresh off-the-record context'}) and second visit (same ${PROFILE ? 'profile: V8 code cache kept' : 'context: no V8 code cache'}). Medians over runs; ms.`,
      command: `npx tsx scripts/measure-load.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      model: MODEL,
      runs: RUNS,
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        os: `${os.type()} ${os.release()}`,
        chromium: chromiumVersion,
        node: process.version,
      },
      median: results,
      runsRaw: raw,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(table(results));
    console.log(
      `\nmachine: ${report.machine.cpu} x${report.machine.cores}, Chromium ${chromiumVersion}; medians of ${RUNS} runs; wrote ${OUT}`,
    );
  } finally {
    stopPreview(preview);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
