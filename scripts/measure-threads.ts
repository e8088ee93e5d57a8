// What the service worker buys on a plain static host (no COOP/COEP from the server): the load time of a first
// and a second visit, and, once the page is cross-origin isolated, onnxruntime's WASM on several threads against
// one thread, on the same prompts in the same run (two browser contexts taking turns: one where the service worker
// runs, one where it is blocked, so the page is never isolated and WebAssembly runs on one thread).
//   npm run build && npm run measure:threads -- [--gen 64] [--prompts 6] [--examples 3] [--visits 3] [--threads 2]
// Writes docs/bench/threads.json and docs/bench/threads.md. The host is scripts/static-host.ts under /app/.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { arg, launchChromium, median } from './preview';
import { staticHost } from './static-host';

const GEN = arg('gen', '64');
const PROMPTS = Number(arg('prompts', '6'));
const EXAMPLES = Number(arg('examples', '3'));
const VISITS = Number(arg('visits', '3'));
/** The threads the isolated page asks for (the link's threads=; the rule alone gives a 2-core machine one). */
const THREADS = arg('threads', '2');
const FAMILIES = ['reverse', 'arithmetic', 'sort', 'lookup', 'spell', 'convert'].slice(0, PROMPTS);
const ENTRIES = Array.from({ length: EXAMPLES }, (_, k) => FAMILIES.map((f) => `${f}:${k}`)).flat();
const PARAMS = new URLSearchParams({ backend: 'wasm', speed: 'max', ref: '0', clock: '1', gen: GEN });

/** Milliseconds from navigation start to the badge saying ready. */
async function visit(page: Page, url: string, reload: boolean): Promise<number> {
  if (reload) await page.reload();
  else await page.goto(url);
  const handle = await page.waitForFunction(
    () => document.querySelector('[data-testid=backend]')?.getAttribute('data-status') === 'ready' && performance.now(),
    null,
    { timeout: 120_000, polling: 50 },
  );
  return Number(await handle.jsonValue());
}

async function threadsOf(page: Page): Promise<number> {
  const facts = (await page.locator('.model-facts').textContent()) ?? '';
  return Number(/(\d+) threads?/.exec(facts)?.[1] ?? NaN);
}

/** Both panes of one comparison: total decode milliseconds and steps. */
async function compare(page: Page, entry: string): Promise<{ ms: number; nfe: number }> {
  await page.getByTestId('examples').selectOption(entry);
  const before = (await page.getByTestId('pane-left').getAttribute('data-run-id')) ?? '';
  await page.getByTestId('run').click();
  await page.waitForFunction(
    (id) => document.querySelector('[data-testid=pane-left]')?.getAttribute('data-run-id') !== id,
    before,
  );
  let ms = 0;
  let nfe = 0;
  for (const id of ['left', 'right']) {
    const pane = page.getByTestId(`pane-${id}`);
    await pane.and(page.locator('[data-state=done]')).waitFor({ timeout: 120_000 });
    ms += Number(await pane.getAttribute('data-ms'));
    nfe += Number(await pane.getAttribute('data-nfe'));
  }
  return { ms, nfe };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'site-'));
  cpSync('dist', root, { recursive: true });
  const host = await staticHost(root);
  const url = `${host.url}?${PARAMS}`;
  let browser: Browser | null = null;
  try {
    browser = await launchChromium(false);
    // Load times: a fresh context per visitor, a first visit then VISITS - 1 more (the service worker serving).
    const loads: { first: number; later: number[] }[] = [];
    for (let v = 0; v < VISITS; v++) {
      const context = await browser.newContext({ serviceWorkers: 'allow' });
      const page = await context.newPage();
      const first = await visit(page, url, false);
      await page.getByTestId('offline-status').and(page.locator('[data-ready=true]')).waitFor({ timeout: 120_000 });
      loads.push({ first, later: [await visit(page, url, true), await visit(page, url, true)] });
      await context.close();
    }

    // Threads: an isolated page (its service worker active, reloaded once) and a page that never is.
    const isolatedContext = await browser.newContext({ serviceWorkers: 'allow' });
    const isolated = await isolatedContext.newPage();
    const threadsUrl = `${url}&threads=${THREADS}`;
    await visit(isolated, threadsUrl, false);
    await isolated
      .getByTestId('offline-status')
      .and(isolated.locator('[data-ready=true]'))
      .waitFor({ timeout: 120_000 });
    await visit(isolated, threadsUrl, true);
    if (!(await isolated.evaluate(() => crossOriginIsolated)))
      throw new Error('the page did not become cross-origin isolated');
    const plain = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    await visit(plain, url, false);
    const threads = await threadsOf(isolated);
    const one = await threadsOf(plain);
    const runs: { entry: string; threads: number; ms: number; nfe: number }[] = [];
    for (const entry of ENTRIES) {
      // The two pages take turns, in alternating order, so the machine's drift touches both alike.
      const order = runs.length % 4 === 0 ? [isolated, plain] : [plain, isolated];
      for (const page of order)
        runs.push({ entry, threads: page === isolated ? threads : one, ...(await compare(page, entry)) });
      const last = runs.slice(-2);
      console.log(
        `${entry}: ${last.map((r) => `${r.threads} thread(s) ${(r.ms / r.nfe).toFixed(1)} ms/step`).join(', ')}`,
      );
    }
    const perStep = (t: number) => {
      const rs = runs.filter((r) => r.threads === t);
      return rs.reduce((s, r) => s + r.ms, 0) / rs.reduce((s, r) => s + r.nfe, 0);
    };
    const perPrompt = ENTRIES.map((e) => {
      const [a, b] = [
        runs.find((r) => r.entry === e && r.threads === one),
        runs.find((r) => r.entry === e && r.threads === threads),
      ];
      return a && b ? a.ms / a.nfe / (b.ms / b.nfe) : NaN;
    });
    const result = {
      command: `npm run measure:threads -- --gen ${GEN} --prompts ${PROMPTS} --examples ${EXAMPLES} --visits ${VISITS} --threads ${THREADS}`,
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${process.platform}`,
      date: new Date().toISOString().slice(0, 10),
      genLength: Number(GEN),
      prompts: ENTRIES.length,
      threads,
      msPerStep: { [one]: perStep(one), [threads]: perStep(threads) },
      oneOverThreads: perStep(one) / perStep(threads),
      perPromptRatio: { median: median(perPrompt), min: Math.min(...perPrompt), max: Math.max(...perPrompt) },
      loadMs: {
        firstVisit: median(loads.map((l) => l.first)),
        secondVisit: median(loads.map((l) => l.later[0])),
        thirdVisit: median(loads.map((l) => l.later[1])),
        visits: loads,
      },
      runs,
    };
    const f1 = (x: number) => x.toFixed(1);
    const md = [
      '# Threads and the service worker',
      '',
      `Made by \`${result.command}\` on ${result.machine}, headless Chromium, ${result.date}; the built app on a plain static`,
      'host (scripts/static-host.ts: a sub-path, no COOP, COEP or CSP headers). Every number comes from the app itself.',
      '',
      '| | |',
      '|---|---|',
      `| WASM ms per step, ${one} thread (the page not isolated) | ${f1(result.msPerStep[one])} |`,
      `| WASM ms per step, ${threads} threads (isolated by the service worker) | ${f1(result.msPerStep[threads])} |`,
      `| 1 thread / ${threads} threads, all ${ENTRIES.length} prompts (genLength ${GEN}, both panes) | ${result.oneOverThreads.toFixed(2)}x |`,
      `| the same per prompt: median (lowest to highest) | ${result.perPromptRatio.median.toFixed(2)}x (${result.perPromptRatio.min.toFixed(2)}-${result.perPromptRatio.max.toFixed(2)}x) |`,
      `| navigation to ready, first visit (median of ${VISITS} fresh visitors) | ${Math.round(result.loadMs.firstVisit)} ms |`,
      `| second visit (the service worker serves the app; isolated) | ${Math.round(result.loadMs.secondVisit)} ms |`,
      `| third visit | ${Math.round(result.loadMs.thirdVisit)} ms |`,
      '',
    ].join('\n');
    mkdirSync(join('docs', 'bench'), { recursive: true });
    writeFileSync(join('docs', 'bench', 'threads.json'), `${JSON.stringify(result, null, 1)}\n`);
    writeFileSync(join('docs', 'bench', 'threads.md'), md);
    console.log(md);
  } finally {
    await browser?.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
