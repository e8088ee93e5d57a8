// Where the CPU goes while the built app loads the bundled model (first visit, empty cache): one Chrome trace per
// run, reduced to busy time per thread kind and self time of the events that dominate (V8 compiling
// onnxruntime's WebAssembly, JS compile, layout ...). A companion to measure-load.ts, which times the phases:
// this says why they take what they take on a machine with few cores.
//   npx vite build && npx tsx experiments/load-cpu.ts [--port 4183] [--runs 3] [--backend wasm] [--out experiments/results/load-cpu.json]
// Tracing slows everything down (the span here is longer than measure-load's), so read the shares, not the
// absolute milliseconds. Figures are medians over the runs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { arg, ensurePreview, launchChromium, median, stopPreview } from '../scripts/preview';

const PORT = Number(arg('port', '4183'));
const RUNS = Math.max(1, Number(arg('runs', '3')));
const BACKEND = arg('backend', 'wasm');
const OUT = arg('out', join('experiments', 'results', 'load-cpu.json'));
const CATEGORIES = [
  'devtools.timeline',
  'v8',
  'v8.wasm',
  'disabled-by-default-v8.compile',
  'toplevel',
  'blink',
  'loading',
];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** The threads of the page's renderer, grouped: the page's main thread, the model worker, V8's background pool. */
function kindOf(thread: string): string {
  if (thread === 'CrRendererMain') return 'page main thread';
  if (thread === 'DedicatedWorker thread') return 'model worker';
  if (thread.startsWith('ThreadPool')) return 'background pool (V8 compile, raster)';
  return 'other renderer threads';
}

/** Events whose self time is reported by name (everything else is summed as "other"). */
const NAMED: Record<string, string> = {
  'wasm.TopTierCompilation': 'WebAssembly optimizing compile (TurboFan tier-up)',
  'wasm.CompileLazy': 'WebAssembly baseline compile on first call (Liftoff)',
  'wasm.ValidateFunctionsStreaming': 'WebAssembly streaming validate',
  'wasm.OnBytesReceived': 'WebAssembly streaming decode',
  'V8.CompileCode': 'JS compile',
  'V8.ParseProgram': 'JS parse',
  'V8.ParseFunction': 'JS parse',
  'V8.PreParse': 'JS parse',
  'V8.CompileIgnition': 'JS compile',
  'BackgroundCompileTask::Run': 'JS compile',
  'LocalFrameView::performLayout': 'layout and style',
  'Document::recalcStyle': 'layout and style',
  Paint: 'paint and raster',
  RasterTask: 'paint and raster',
};

interface RunCpu {
  spanMs: number;
  busyMs: Record<string, number>;
  selfMs: Record<string, number>;
}

function reduce(events: TraceEvent[], end: number): RunCpu {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) threadName.set(`${e.pid}:${e.tid}`, e.args.name);
  // The renderer is the process with the model worker's thread.
  const renderer = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'DedicatedWorker thread',
  )?.pid;
  if (renderer === undefined) throw new Error('the trace has no DedicatedWorker thread: did the model worker start?');
  const start = Math.min(...events.filter((e) => e.ph !== 'M' && e.pid === renderer && e.ts > 0).map((e) => e.ts));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || e.pid !== renderer || e.ts > end) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const busyMs: Record<string, number> = {};
  const selfMs: Record<string, number> = {};
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const kind = kindOf(threadName.get(key) ?? '');
    // Busy time: the union of top-level slices. Self time: each slice minus its children.
    const stack: { end: number; self: number; name: string }[] = [];
    const flush = (node: { self: number; name: string }) => {
      const label = NAMED[node.name];
      if (label !== undefined) selfMs[label] = (selfMs[label] ?? 0) + node.self / 1000;
    };
    for (const e of list) {
      const dur = e.dur ?? 0;
      while (stack.length > 0 && stack[stack.length - 1].end <= e.ts)
        flush(stack.pop() as { self: number; name: string });
      if (stack.length === 0) busyMs[kind] = (busyMs[kind] ?? 0) + dur / 1000;
      else stack[stack.length - 1].self -= dur;
      stack.push({ end: e.ts + dur, self: dur, name: e.name });
    }
    while (stack.length > 0) flush(stack.pop() as { self: number; name: string });
  }
  return { spanMs: (end - start) / 1000, busyMs, selfMs };
}

function medians(runs: Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  const out = Object.fromEntries(keys.map((k) => [k, Math.round(median(runs.map((r) => r[k] ?? 0)))]));
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

async function main(): Promise<void> {
  const preview = await ensurePreview(PORT);
  const runs: RunCpu[] = [];
  let chromium = '';
  try {
    for (let r = 0; r < RUNS; r++) {
      const browser = await launchChromium(BACKEND !== 'wasm');
      chromium = browser.version();
      const file = join(os.tmpdir(), `load-cpu-${process.pid}-${r}.json`);
      try {
        const page = await (await browser.newContext()).newPage();
        await browser.startTracing(page, { path: file, categories: CATEGORIES });
        await page.goto(`http://localhost:${PORT}/?backend=${BACKEND}`, { waitUntil: 'commit' });
        await page.locator('[data-testid=backend][data-status=ready]').waitFor({ timeout: 300_000 });
        await browser.stopTracing();
        const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
        const events = Array.isArray(trace) ? trace : trace.traceEvents;
        // The trace stops right after the badge shows ready: its last event ends the load.
        const end = Math.max(...events.filter((e) => e.ph === 'X').map((e) => e.ts + (e.dur ?? 0)));
        const run = reduce(events, end);
        runs.push(run);
        const busy = Object.values(run.busyMs).reduce((s, v) => s + v, 0);
        console.log(
          `run ${r + 1}/${RUNS}: span ${run.spanMs.toFixed(0)} ms, renderer CPU ${busy.toFixed(0)} ms (${(busy / run.spanMs).toFixed(2)} cores busy)`,
        );
      } finally {
        rmSync(file, { force: true });
        await browser.close();
      }
    }
  } finally {
    stopPreview(preview);
  }
  const busyMs = medians(runs.map((r) => r.busyMs));
  const selfMs = medians(runs.map((r) => r.selfMs));
  const spanMs = Math.round(median(runs.map((r) => r.spanMs)));
  const report = {
    what: 'CPU time of the renderer while the built app loads the bundled model (first visit, empty cache), from Chrome traces: busy ms per thread kind and self ms of the dominant events. Tracing inflates all times: compare shares. Medians over runs.',
    command: `npx tsx experiments/load-cpu.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    backend: BACKEND,
    runs: RUNS,
    machine: { cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.cpus().length, chromium },
    spanMs,
    busyMs,
    coresBusy: Number((Object.values(busyMs).reduce((s, v) => s + v, 0) / spanMs).toFixed(2)),
    selfMs,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify({ spanMs, coresBusy: report.coresBusy, busyMs, selfMs }, null, 2));
  console.log(`wrote ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
