// Per-step browser time with and without Fast-dLLM's KV cache (spec §7), measured by the app itself on WASM and
// WebGPU: for each cache setting the same prompts, both panes (threshold and Learn2PD, EoTP on), their NFE, the
// forward time of full and window steps, and the decode's clock over the app's repeated timed runs. Every figure
// is a ratio of runs in this one browser session.
//   npm run build && npm run measure:cache -- [--gen 128] [--prompts 3] [--backends wasm,webgpu] [--clock 3]
// Writes docs/bench/browser-cache.json and docs/bench/browser-cache.md. WebGPU here is Chromium's SwiftShader
// software adapter (slow); on it the keys/values stay GPU tensors between forwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { arg, ensurePreview, launchChromium, median, stopPreview } from './preview';

const PORT = Number(arg('port', '4173'));
const ORIGIN = `http://localhost:${PORT}/`;
const GEN = arg('gen', '128');
const FAMILIES = ['arithmetic', 'sort', 'reverse', 'lookup', 'spell', 'convert'].slice(0, Number(arg('prompts', '3')));
const BACKENDS = arg('backends', 'wasm,webgpu').split(',');
const CLOCK = arg('clock', '3');
const CACHES = ['none', 'prefix', 'dual'] as const;
const PANES = ['left', 'right'] as const;

interface Run {
  backend: string;
  cache: string;
  family: string;
  decoder: string;
  nfe: number;
  windowSteps: number;
  /** The decode's total time on each of the app's timed runs (the streamed one first). */
  clockMs: number[];
  forwardMs: number;
  /** Mean forward ms of the run's full forwards and of its window forwards (0 when it had none). */
  fullForwardMs: number;
  windowForwardMs: number;
  answer: string;
}

async function main(): Promise<void> {
  const preview = await ensurePreview(PORT);
  const browser = await launchChromium();
  const runs: Run[] = [];
  try {
    const page = await browser.newPage();
    for (const backend of BACKENDS)
      for (const cache of CACHES) {
        const params = { model: 'tiny-dllm', backend, gen: GEN, speed: 'max', ref: '0', clock: CLOCK, cache };
        await page.goto(`${ORIGIN}?${new URLSearchParams(params).toString()}`);
        const badge = page.getByTestId('backend');
        await badge.and(page.locator('[data-status=ready]')).waitFor({ timeout: 300_000 });
        const got = (await badge.getAttribute('data-backend')) ?? '';
        if (got !== backend) throw new Error(`asked for ${backend}, the app runs ${got}`);
        for (const family of FAMILIES) {
          await page.getByTestId('examples').selectOption(`${family}:0`);
          const before = (await page.getByTestId('pane-left').getAttribute('data-run-id')) ?? '';
          await page.getByTestId('run').click();
          await page.waitForFunction(
            (id) => document.querySelector('[data-testid=pane-left]')?.getAttribute('data-run-id') !== id,
            before,
          );
          for (const id of PANES) {
            const pane = page.getByTestId(`pane-${id}`);
            await pane.and(page.locator('[data-state=done]')).waitFor({ timeout: 600_000 });
            await page.waitForFunction(
              ([sel, n]) => (document.querySelector(sel)?.getAttribute('data-clock-ms') ?? '').split(',').length >= n,
              [`[data-testid=pane-${id}]`, Number(CLOCK)] as const,
              { timeout: 600_000 },
            );
            if ((await pane.getAttribute('data-cache')) !== cache)
              throw new Error(`pane ${id} did not run cache ${cache}`);
            const num = async (name: string) => Number(await pane.getAttribute(name));
            const run: Run = {
              backend,
              cache,
              family,
              decoder: (await pane.getAttribute('data-method')) ?? '',
              nfe: await num('data-nfe'),
              windowSteps: await num('data-window-steps'),
              clockMs: ((await pane.getAttribute('data-clock-ms')) ?? '').split(',').map(Number),
              forwardMs: await num('data-forward-ms'),
              fullForwardMs: await num('data-full-forward-ms'),
              windowForwardMs: await num('data-window-forward-ms'),
              answer: (await pane.getAttribute('data-answer')) ?? '',
            };
            runs.push(run);
            console.log(
              `${backend} cache ${cache} ${family} ${run.decoder}: ${run.nfe} NFE (${run.windowSteps} windows), ${(run.forwardMs / run.nfe).toFixed(1)} ms forward/step, clock ${run.clockMs.map((x) => x.toFixed(0)).join(',')} ms`,
            );
          }
        }
      }
  } finally {
    await browser.close();
    stopPreview(preview);
  }
  // Per backend and decoder: each cache's median clock and mean forward ms per step, over the same prompts.
  const rows: string[] = [];
  const summary: Record<string, unknown>[] = [];
  for (const backend of BACKENDS)
    for (const decoder of [...new Set(runs.map((r) => r.decoder))]) {
      const of = (cache: string) =>
        runs.filter((r) => r.backend === backend && r.decoder === decoder && r.cache === cache);
      const base = of('none');
      if (base.length === 0) continue;
      const clock = (rs: Run[]) => rs.reduce((s, r) => s + median(r.clockMs.slice(1)), 0);
      for (const cache of CACHES) {
        const rs = of(cache);
        const nfe = rs.reduce((s, r) => s + r.nfe, 0);
        const perStep = rs.reduce((s, r) => s + r.forwardMs, 0) / nfe;
        const speedup = clock(base) / clock(rs);
        // Mean ms per forward of each kind over the runs (each run's mean weighted by its count of that kind).
        const windows = rs.reduce((s, r) => s + r.windowSteps, 0);
        const fulls = nfe - windows;
        const fullMs = rs.reduce((s, r) => s + r.fullForwardMs * (r.nfe - r.windowSteps), 0) / Math.max(1, fulls);
        const windowMs = rs.reduce((s, r) => s + r.windowForwardMs * r.windowSteps, 0) / Math.max(1, windows);
        const same = rs.filter((r, i) => r.answer === base[i]?.answer).length;
        summary.push({
          backend,
          decoder,
          cache,
          nfe,
          forwardMsPerStep: perStep,
          fullForwardMs: fullMs,
          windowForwardMs: windows > 0 ? windowMs : null,
          clockSpeedup: speedup,
          sameAnswers: same,
          prompts: rs.length,
        });
        rows.push(
          `| ${backend} | ${decoder} | ${cache} | ${nfe} | ${windows} | ${perStep.toFixed(1)} | ${fullMs.toFixed(1)} | ${windows > 0 ? windowMs.toFixed(1) : '-'} | ${speedup.toFixed(2)}x | ${same}/${rs.length} |`,
        );
      }
    }
  const dir = join('docs', 'bench');
  mkdirSync(dir, { recursive: true });
  const command = `npm run measure:cache -- ${process.argv.slice(2).join(' ')}`.trim();
  const machine = `${cpus().length}x ${cpus()[0]?.model ?? 'CPU'}, Chromium (Playwright), WebGPU on SwiftShader`;
  writeFileSync(
    join(dir, 'browser-cache.json'),
    `${JSON.stringify({ command, machine, gen: Number(GEN), date: new Date().toISOString().slice(0, 10), summary, runs }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'browser-cache.md'),
    [
      '# KV cache in the browser (spec §7)',
      '',
      `\`${command}\` on ${machine}, genLength ${GEN}, block 32, EoTP on, ${FAMILIES.length} prompts (${FAMILIES.join(', ')}).`,
      "Clock speedup: the median of the app's repeated timed runs (the streamed first one left out), summed over the",
      'prompts, of no cache over this cache, same decoder and backend; same answers: as without the cache.',
      '',
      'Full and window ms: the mean forward time of each kind of step (a window forward reads the cached keys/values).',
      '',
      '| backend | decoder | cache | NFE | window steps | forward ms / step | full ms | window ms | clock speedup | same answers |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
  console.log(`wrote ${join(dir, 'browser-cache.json')} and browser-cache.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
