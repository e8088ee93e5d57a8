// How close the app's first load is to what onnxruntime-web alone needs on this machine: each run opens, in a
// fresh Chromium and an empty cache, (1) a bare page whose module worker does only what the runtime must
// (import onnxruntime-web's WASM entry, start its plain 14 MB WebAssembly build with a one-node graph while the
// q4 model downloads, create the dLLM session as the app does, one warm-up forward of the app's size), and (2)
// the built app on the WASM backend up to its "ready" badge. Both times run from navigation start, and the two
// pages alternate so they share the machine's state; medians over the runs and their ratio are reported.
//   npx vite build && npx tsx experiments/load-floor.ts [--runs 5] [--port 4183] [--bare-port 4186]
//                                                       [--model tiny-dllm] [--out experiments/results/load-floor.json]
// The bare page has no UI, no tokenizer, no Cache API, no sha256 checks: what it takes is the floor the app's
// load cannot go under with this runtime and this model on this machine.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import type { Browser } from '@playwright/test';
import { arg, ensurePreview, launchChromium, median, stopPreview } from '../scripts/preview';
import { IDENTITY_ONNX_BASE64 } from '../src/runtime/identity-onnx';

const PORT = Number(arg('port', '4183'));
const BARE_PORT = Number(arg('bare-port', '4186'));
const RUNS = Number(arg('runs', '5'));
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`--runs must be a whole number of runs, got ${arg('runs', '5')}`);
const MODEL = arg('model', 'tiny-dllm');
const OUT = arg('out', join('experiments', 'results', 'load-floor.json'));
const TIMEOUT_MS = 120_000;

const modelDir = join('public', 'models', MODEL);
const manifest = JSON.parse(readFileSync(join(modelDir, 'dllm.json'), 'utf8')) as {
  defaultVariant: string;
  variants: Record<string, { file: string }>;
  maskId: number;
  defaults: { blockLength: number };
};
const modelFile = manifest.variants[manifest.defaultVariant].file;
const ortDir = join('node_modules', 'onnxruntime-web', 'dist');
const ortVersion = (
  JSON.parse(readFileSync(join('node_modules', 'onnxruntime-web', 'package.json'), 'utf8')) as { version: string }
).version;
const ortWasmMB = Math.round(statSync(join(ortDir, 'ort-wasm-simd-threaded.wasm')).size / 1e5) / 10;

const PAGE = '<!doctype html><html><body><script type="module" src="./main.mjs"></script></body></html>';
const MAIN = `
const worker = new Worker('./worker.mjs', { type: 'module' });
worker.onmessage = (event) => { window.__floor = event.data; };
worker.onerror = (event) => { window.__floor = { error: event.message || 'worker error' }; };
`;
// The warm-up input is the app's: 2 prompt-format tokens and one block of masks (engine.ts).
const WORKER = `
const marks = {};
const mark = (name) => { marks[name] = performance.timeOrigin + performance.now(); };
try {
  const ort = await import('./ort/ort.wasm.min.mjs');
  mark('imported');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;
  ort.env.logLevel = 'error';
  const identity = Uint8Array.from(atob('${IDENTITY_ONNX_BASE64}'), (c) => c.charCodeAt(0));
  const runtime = ort.InferenceSession.create(identity, { executionProviders: ['wasm'] }).then(async (s) => { await s.release(); mark('runtime'); });
  const bytes = await (await fetch('./model.onnx')).arrayBuffer();
  mark('downloaded');
  await runtime;
  const session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
  mark('session');
  const ids = new BigInt64Array(${2 + manifest.defaults.blockLength}).fill(${manifest.maskId}n);
  const input = new ort.Tensor('int64', ids, [1, ids.length]);
  const out = await session.run({ input_ids: input });
  mark('forward');
  input.dispose();
  for (const t of Object.values(out)) t.dispose();
  await session.release();
  postMessage({ marks });
} catch (error) {
  postMessage({ error: String(error) });
}
`;

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.html': 'text/html',
};

function serveBare(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (body: string | Buffer, type: string) => {
      res.writeHead(200, {
        'content-type': type,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(body);
    };
    try {
      if (path === '/') return send(PAGE, TYPES['.html']);
      if (path === '/main.mjs') return send(MAIN, TYPES['.mjs']);
      if (path === '/worker.mjs') return send(WORKER, TYPES['.mjs']);
      if (path === '/model.onnx') return send(readFileSync(join(modelDir, modelFile)), TYPES['.onnx']);
      if (path.startsWith('/ort/')) {
        const name = normalize(path.slice('/ort/'.length));
        if (name.includes('..') || name.includes('/')) throw new Error('bad path');
        return send(readFileSync(join(ortDir, name)), TYPES[extname(name)] ?? 'application/octet-stream');
      }
    } catch {
      // falls through to 404
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject); // e.g. the port is taken
    server.listen(BARE_PORT, 'localhost', () => resolve(server));
  });
}

interface BareRun {
  imported: number;
  runtime: number;
  downloaded: number;
  session: number;
  forward: number;
}

async function bareOnce(browser: Browser): Promise<BareRun> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://localhost:${BARE_PORT}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __floor?: unknown }).__floor !== undefined, null, {
    timeout: TIMEOUT_MS,
  });
  const result = await page.evaluate(() => ({
    floor: (window as unknown as { __floor: { marks?: Record<string, number>; error?: string } }).__floor,
    origin: performance.timeOrigin,
  }));
  if (result.floor.error !== undefined || result.floor.marks === undefined)
    throw new Error(`the bare page failed: ${result.floor.error ?? 'no marks'}`);
  const m = result.floor.marks;
  const at = (k: string) => (m[k] ?? NaN) - result.origin;
  return {
    imported: at('imported'),
    runtime: at('runtime'),
    downloaded: at('downloaded'),
    session: at('session'),
    forward: at('forward'),
  };
}

async function appOnce(browser: Browser): Promise<number> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  // The moment the backend badge first shows ready, in the page's clock (ms since navigation start).
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid=backend][data-status=ready]') === null) return;
        (window as unknown as { __ready?: number }).__ready = performance.now();
        observer.disconnect();
      }).observe(document.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-status'],
      });
    });
  });
  await page.goto(`http://localhost:${PORT}/?model=${MODEL}&backend=wasm`, { waitUntil: 'commit' });
  await page.locator('[data-testid=backend][data-status=ready]').waitFor({ timeout: TIMEOUT_MS });
  const ready = await page.evaluate(() => (window as unknown as { __ready?: number }).__ready ?? NaN);
  if (!Number.isFinite(ready)) throw new Error('the app reached ready but the observer missed it');
  return ready;
}

const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const preview = await ensurePreview(PORT);
  let bareServer: Server | null = null;
  const bare: BareRun[] = [];
  const app: number[] = [];
  const loads: number[] = []; // the machine's 1-minute load average as each page starts
  let chromium = '';
  try {
    bareServer = await serveBare();
    for (let r = 0; r < RUNS; r++) {
      // Alternate which page goes first, so neither always follows the other's leftovers.
      for (const which of r % 2 === 0 ? ['bare', 'app'] : ['app', 'bare']) {
        const browser = await launchChromium(false);
        chromium = browser.version();
        loads.push(os.loadavg()[0]);
        try {
          if (which === 'bare') bare.push(await bareOnce(browser));
          else app.push(await appOnce(browser));
        } finally {
          await browser.close();
        }
      }
      const b = bare[bare.length - 1];
      console.log(
        `run ${r + 1}/${RUNS}: bare onnxruntime-web ready at ${b.forward.toFixed(0)} ms (runtime ${b.runtime.toFixed(0)}, session ${b.session.toFixed(0)}), app ready at ${app[app.length - 1].toFixed(0)} ms`,
      );
    }
  } finally {
    bareServer?.close();
    stopPreview(preview);
  }
  const floor = median(bare.map((b) => b.forward));
  const appMs = median(app);
  const report = {
    what: 'First load on the WASM backend, navigation start -> ready, of the built app vs a bare page that only starts onnxruntime-web, loads the same q4 model and runs one warm-up forward (the floor for this runtime on this machine). Fresh Chromium and empty cache per page; medians over runs; ms.',
    command: `npx tsx experiments/load-floor.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    model: MODEL,
    modelFile,
    onnxruntimeWeb: { version: ortVersion, wasmMB: ortWasmMB },
    runs: RUNS,
    machine: {
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.cpus().length,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      chromium,
      node: process.version,
    },
    loadAvg1: round(median(loads)),
    median: {
      bare: {
        imported: round(median(bare.map((b) => b.imported))),
        runtime: round(median(bare.map((b) => b.runtime))),
        downloaded: round(median(bare.map((b) => b.downloaded))),
        session: round(median(bare.map((b) => b.session))),
        ready: round(floor),
      },
      app: { ready: round(appMs) },
      appOverFloor: Math.round((appMs / floor) * 100) / 100,
      appMinusFloorMs: round(appMs - floor),
    },
    all: { bareReady: bare.map((b) => round(b.forward)), appReady: app.map(round), loadAvg1: loads.map(round) },
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `floor (bare onnxruntime-web) ${floor.toFixed(0)} ms, app ${appMs.toFixed(0)} ms: ${(appMs / floor).toFixed(2)}x, +${(appMs - floor).toFixed(0)} ms; wrote ${OUT}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
