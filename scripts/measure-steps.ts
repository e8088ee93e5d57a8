// Per-step time in the browser, measured by the app itself: WebGPU vs WASM, the fused head vs reading back full
// logits (the 'q4-logits' debug variant), and threshold against Learn2PD on the same prompts on matched settings
// (both panes with EoTP, then both without: spec §9), steps and clock, the clock over the app's repeated timed runs
// with its spread. Every figure is a ratio of runs made in this one browser session, so machine noise mostly cancels.
//   npm run build && npm run measure:steps -- [--gen 64] [--prompts 3] [--examples 1] [--webgpu-prompts N]
//                                             [--backends wasm,webgpu] [--clock 3] [--webgpu-clock 2] [--port 4173]
// --prompts families x --examples menu examples each (at most 6 x 4); WebGPU runs the first --webgpu-prompts of
// them (default all: it takes seconds per step), and its ratio to WASM is taken over those prompts only.
// Writes docs/bench/browser-steps.json and docs/bench/browser-steps.md. Uses a running `vite preview` on the
// port when there is one, else starts one. WebGPU here is Chromium's SwiftShader software adapter (slow).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { arg, ensurePreview, launchChromium, median, stopPreview } from './preview';

const PORT = Number(arg('port', '4173'));
const ORIGIN = `http://localhost:${PORT}/`;
const GEN = arg('gen', '64');
const PROMPTS = Number(arg('prompts', '3'));
const EXAMPLES = Math.min(4, Math.max(1, Number(arg('examples', '1'))));
const BACKENDS = arg('backends', 'wasm,webgpu').split(',');
const VARIANTS = ['q4', 'q4-logits'];
const FAMILIES = ['reverse', 'arithmetic', 'sort', 'lookup', 'spell', 'convert'];
const PANES = ['left', 'right'] as const;
const CLOCK = arg('clock', '3');
const WEBGPU_CLOCK = arg('webgpu-clock', '2');
/** The prompts as menu entries (`family:index`), families interleaved so any prefix covers many families. */
const ENTRIES = Array.from({ length: EXAMPLES }, (_, k) =>
  FAMILIES.slice(0, PROMPTS).map((family) => ({ family, index: k })),
).flat();
const WEBGPU_PROMPTS = Math.min(ENTRIES.length, Number(arg('webgpu-prompts', String(ENTRIES.length))));

interface PaneRun {
  backend: string;
  variant: string;
  adapter: string;
  eotp: boolean;
  family: string;
  prompt: string;
  decoder: string;
  /** The decode's total time on each of the app's timed runs (the streamed one first). */
  clockMs: number[];
  nfe: number;
  ms: number;
  forwardMs: number;
  readbackMs: number;
  filterMs: number;
  answer: string;
}

async function runOne(
  page: Page,
  entry: { family: string; index: number },
  meta: { backend: string; variant: string; adapter: string; eotp: boolean; clock: number },
): Promise<PaneRun[]> {
  const { family } = entry;
  const prompt = `${family}:${entry.index}`;
  await page.getByTestId('examples').selectOption(prompt);
  const first = page.getByTestId(`pane-${PANES[0]}`);
  const before = (await first.getAttribute('data-run-id')) ?? '';
  await page.getByTestId('run').click();
  await page.waitForFunction(
    (id) => document.querySelector('[data-testid=pane-left]')?.getAttribute('data-run-id') !== id,
    before,
  );
  const out: PaneRun[] = [];
  for (const id of PANES) {
    const pane = page.getByTestId(`pane-${id}`);
    await pane.and(page.locator('[data-state=done]')).waitFor({ timeout: 600_000 });
    // The repeated timed runs come after both panes are done.
    await page.waitForFunction(
      ([sel, runs]) => (document.querySelector(sel)?.getAttribute('data-clock-ms') ?? '').split(',').length >= runs,
      [`[data-testid=pane-${id}]`, meta.clock] as const,
      { timeout: 600_000 },
    );
    const num = async (name: string) => Number(await pane.getAttribute(name));
    const { clock: _, ...rest } = meta;
    out.push({
      ...rest,
      family,
      prompt,
      decoder: (await pane.getAttribute('data-method')) ?? '',
      clockMs: ((await pane.getAttribute('data-clock-ms')) ?? '').split(',').map(Number),
      nfe: await num('data-nfe'),
      ms: await num('data-ms'),
      forwardMs: await num('data-forward-ms'),
      readbackMs: await num('data-readback-ms'),
      filterMs: await num('data-filter-ms'),
      answer: (await pane.getAttribute('data-answer')) ?? '',
    });
  }
  return out;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

async function main(): Promise<void> {
  const preview = await ensurePreview(PORT);
  const browser = await launchChromium();
  const runs: PaneRun[] = [];
  try {
    const page = await browser.newPage();
    for (const backend of BACKENDS) {
      const clock = backend === 'webgpu' ? WEBGPU_CLOCK : CLOCK;
      for (const variant of VARIANTS) {
        for (const eotp of [true, false]) {
          const params = {
            model: 'tiny-dllm',
            backend,
            variant,
            gen: GEN,
            speed: 'max',
            ref: '0',
            clock,
            eotp: eotp ? '1' : '0',
          };
          await page.goto(`${ORIGIN}?${new URLSearchParams(params).toString()}`);
          const badge = page.getByTestId('backend');
          await badge.and(page.locator('[data-status=ready]')).waitFor({ timeout: 300_000 });
          const got = (await badge.getAttribute('data-backend')) ?? '';
          if (got !== backend) throw new Error(`asked for ${backend}, the app runs ${got}`);
          const adapter = (await page.locator('.model-facts').textContent()) ?? '';
          for (const entry of ENTRIES.slice(0, backend === 'webgpu' ? WEBGPU_PROMPTS : ENTRIES.length)) {
            const got = await runOne(page, entry, { backend, variant, adapter, eotp, clock: Number(clock) });
            runs.push(...got);
            for (const r of got)
              console.log(
                `${backend} ${variant} ${eotp ? '+EoTP' : 'no EoTP'} ${r.prompt} ${r.decoder}: ${r.nfe} NFE, ${f1(r.ms / r.nfe)} ms/step (readback ${f2(r.readbackMs / r.nfe)})`,
              );
          }
        }
      }
    }
  } finally {
    await browser.close();
    stopPreview(preview);
  }

  const pick = (backend: string, variant: string, decoder?: string, eotp?: boolean) =>
    runs.filter(
      (r) =>
        r.backend === backend &&
        r.variant === variant &&
        (decoder === undefined || r.decoder === decoder) &&
        (eotp === undefined || r.eotp === eotp),
    );
  /** Threshold's time over Learn2PD's on the same prompts: the median of the per-run ratios (run i of every prompt
   * summed), with the lowest and highest. */
  const clockRatio = (th: PaneRun[], lp: PaneRun[]) => {
    const runsOf = Math.min(...[...th, ...lp].map((r) => r.clockMs.length));
    const perRun = Array.from(
      { length: runsOf },
      (_, i) => sum(th.map((r) => r.clockMs[i])) / sum(lp.map((r) => r.clockMs[i])),
    );
    const sorted = [...perRun].sort((a, b) => a - b);
    return {
      runs: runsOf,
      median: median(perRun),
      lo: sorted[0] ?? NaN,
      hi: sorted[sorted.length - 1] ?? NaN,
    };
  };
  const perStep = (rs: PaneRun[], key: 'ms' | 'forwardMs' | 'readbackMs' | 'filterMs') =>
    sum(rs.map((r) => r[key])) / Math.max(1, sum(rs.map((r) => r.nfe)));
  const rows: string[] = [];
  const summary: Record<string, Record<string, number>> = {};
  for (const backend of BACKENDS) {
    for (const variant of VARIANTS) {
      const rs = pick(backend, variant);
      if (rs.length === 0) continue;
      for (const eotp of [true, false]) {
        const th = pick(backend, variant, 'threshold', eotp);
        const lp = pick(backend, variant, 'learn2pd', eotp);
        const clock = clockRatio(th, lp);
        const s = {
          msPerStep: perStep([...th, ...lp], 'ms'),
          forwardMsPerStep: perStep([...th, ...lp], 'forwardMs'),
          readbackMsPerStep: perStep([...th, ...lp], 'readbackMs'),
          filterMsPerStep: perStep(lp, 'filterMs'),
          thresholdNfe: sum(th.map((r) => r.nfe)),
          learn2pdNfe: sum(lp.map((r) => r.nfe)),
          clockRuns: clock.runs,
          thresholdOverLearn2pdClock: clock.median,
          clockLo: clock.lo,
          clockHi: clock.hi,
        };
        summary[`${backend}/${variant}/${eotp ? 'eotp' : 'no-eotp'}`] = s;
        const spread =
          clock.runs > 1
            ? `${f2(clock.median)}x (${f2(clock.lo)}-${f2(clock.hi)}x over ${clock.runs} runs)`
            : `${f2(clock.median)}x (1 run: no spread)`;
        rows.push(
          `| ${backend} | ${variant} | ${eotp ? 'on' : 'off'} | ${f1(s.msPerStep)} | ${f1(s.forwardMsPerStep)} | ${f2(s.readbackMsPerStep)} | ${f2(s.filterMsPerStep)} | ${s.thresholdNfe} / ${s.learn2pdNfe} | ${spread} |`,
        );
      }
    }
  }
  const ratio = (a: string, b: string) =>
    summary[`${a}/eotp`] && summary[`${b}/eotp`]
      ? summary[`${a}/eotp`].msPerStep / summary[`${b}/eotp`].msPerStep
      : null;
  // WebGPU against WASM on the prompts both ran.
  const gpuPrompts = new Set(pick('webgpu', 'q4').map((r) => r.prompt));
  const common = (backend: string) =>
    perStep(
      pick(backend, 'q4', undefined, true).filter((r) => gpuPrompts.has(r.prompt)),
      'ms',
    );
  const ratios = {
    webgpuOverWasm: gpuPrompts.size > 0 && pick('wasm', 'q4').length > 0 ? common('webgpu') / common('wasm') : null,
    logitsOverFusedWasm: ratio('wasm/q4-logits', 'wasm/q4'),
    logitsOverFusedWebgpu: ratio('webgpu/q4-logits', 'webgpu/q4'),
  };
  const command = `npm run measure:steps -- --gen ${GEN} --prompts ${PROMPTS} --examples ${EXAMPLES} --webgpu-prompts ${WEBGPU_PROMPTS} --backends ${BACKENDS.join(',')} --clock ${CLOCK} --webgpu-clock ${WEBGPU_CLOCK}`;
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${process.platform}`;
  const families = FAMILIES.slice(0, PROMPTS).join(', ');
  const gpuNote =
    BACKENDS.includes('webgpu') && WEBGPU_PROMPTS < ENTRIES.length
      ? ` (WebGPU: the first ${WEBGPU_PROMPTS} of them)`
      : '';
  const md = [
    '# Per-step time in the browser',
    '',
    `Made by \`${command}\` on ${machine}, headless Chromium (WebGPU = SwiftShader, a software adapter), genLength ${GEN},`,
    `block 32, ${ENTRIES.length} prompts: menu examples 1-${EXAMPLES} of ${families}${gpuNote}. Every number comes from the app's own per-step timing.`,
    '',
    '| backend | variant | EoTP (both panes) | ms/step | forward ms/step | readback ms/step | filter ms/step (Learn2PD) | NFE threshold / Learn2PD | threshold / Learn2PD time |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `- WebGPU (software) / WASM per-step time on the same ${gpuPrompts.size} prompts: ${ratios.webgpuOverWasm === null ? 'n/a' : `${f2(ratios.webgpuOverWasm)}x`}`,
    `- full logits / fused head per-step time: WASM ${ratios.logitsOverFusedWasm === null ? 'n/a' : `${f2(ratios.logitsOverFusedWasm)}x`}, WebGPU ${ratios.logitsOverFusedWebgpu === null ? 'n/a' : `${f2(ratios.logitsOverFusedWebgpu)}x`}`,
    "- Both panes decode with the same EoTP setting (the app's default: on), threshold tau 0.9 against Learn2PD tauFilter 0.96. The time ratio is the threshold pane's total decode time over the Learn2PD pane's on the same prompts, per timed run (the app times each pane again after the comparison); above 1, Learn2PD was faster.",
    '- Per-step times are over both panes of each row; the WebGPU and full-logits ratios compare the EoTP-on rows.',
    '',
  ].join('\n');
  mkdirSync(join('docs', 'bench'), { recursive: true });
  writeFileSync(
    join('docs', 'bench', 'browser-steps.json'),
    `${JSON.stringify({ command, machine, genLength: Number(GEN), summary, ratios, runs }, null, 1)}\n`,
  );
  writeFileSync(join('docs', 'bench', 'browser-steps.md'), md);
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
