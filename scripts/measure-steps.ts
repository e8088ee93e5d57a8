// Per-step time in the browser, measured by the app itself: WebGPU vs WASM, the fused head vs reading back full
// logits (the 'q4-logits' debug variant), and Learn2PD's wall-clock speedup over the threshold decoder on the same
// prompts. Every figure is a ratio of runs made in this one browser session, so machine noise mostly cancels.
//   npm run build && npx tsx scripts/measure-steps.ts [--gen 64] [--prompts 3] [--examples 1] [--webgpu-prompts N]
//                                                     [--backends wasm,webgpu] [--port 4173]
// --prompts families x --examples menu examples each (at most 6 x 4); WebGPU runs the first --webgpu-prompts of
// them (default all: it takes seconds per step), and its ratio to WASM is taken over those prompts only.
// Writes docs/bench/browser-steps.json and docs/bench/browser-steps.md. Uses a running `vite preview` on the
// port when there is one, else starts one. WebGPU here is Chromium's SwiftShader software adapter (slow).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { arg, ensurePreview, launchChromium, stopPreview } from './preview';

const PORT = Number(arg('port', '4173'));
const ORIGIN = `http://localhost:${PORT}/`;
const GEN = arg('gen', '64');
const PROMPTS = Number(arg('prompts', '3'));
const EXAMPLES = Math.min(4, Math.max(1, Number(arg('examples', '1'))));
const BACKENDS = arg('backends', 'wasm,webgpu').split(',');
const VARIANTS = ['q4', 'q4-logits'];
const FAMILIES = ['reverse', 'arithmetic', 'sort', 'lookup', 'spell', 'convert'];
const PANES = ['threshold', 'learn2pd'] as const;
/** The prompts as menu entries (`family:index`), families interleaved so any prefix covers many families. */
const ENTRIES = Array.from({ length: EXAMPLES }, (_, k) =>
  FAMILIES.slice(0, PROMPTS).map((family) => ({ family, index: k })),
).flat();
const WEBGPU_PROMPTS = Math.min(ENTRIES.length, Number(arg('webgpu-prompts', String(ENTRIES.length))));

interface PaneRun {
  backend: string;
  variant: string;
  adapter: string;
  family: string;
  prompt: string;
  decoder: string;
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
  meta: { backend: string; variant: string; adapter: string },
): Promise<PaneRun[]> {
  const { family } = entry;
  const prompt = `${family}:${entry.index}`;
  await page.getByTestId('examples').selectOption(prompt);
  const first = page.getByTestId(`pane-${PANES[0]}`);
  const before = (await first.getAttribute('data-run-id')) ?? '';
  await page.getByTestId('run').click();
  await page.waitForFunction(
    (id) => document.querySelector('[data-testid=pane-threshold]')?.getAttribute('data-run-id') !== id,
    before,
  );
  const out: PaneRun[] = [];
  for (const decoder of PANES) {
    const pane = page.getByTestId(`pane-${decoder}`);
    await pane.and(page.locator('[data-state=done]')).waitFor({ timeout: 600_000 });
    const num = async (name: string) => Number(await pane.getAttribute(name));
    out.push({
      ...meta,
      family,
      prompt,
      decoder,
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
      for (const variant of VARIANTS) {
        await page.goto(
          `${ORIGIN}?${new URLSearchParams({ model: 'tiny-dllm', backend, variant, gen: GEN, speed: 'max', ref: '0' }).toString()}`,
        );
        const badge = page.getByTestId('backend');
        await badge.and(page.locator('[data-status=ready]')).waitFor({ timeout: 300_000 });
        const got = (await badge.getAttribute('data-backend')) ?? '';
        if (got !== backend) throw new Error(`asked for ${backend}, the app runs ${got}`);
        const adapter = (await page.locator('.model-facts').textContent()) ?? '';
        for (const entry of ENTRIES.slice(0, backend === 'webgpu' ? WEBGPU_PROMPTS : ENTRIES.length)) {
          const got = await runOne(page, entry, { backend, variant, adapter });
          runs.push(...got);
          for (const r of got)
            console.log(
              `${backend} ${variant} ${r.prompt} ${r.decoder}: ${r.nfe} NFE, ${f1(r.ms / r.nfe)} ms/step (readback ${f2(r.readbackMs / r.nfe)})`,
            );
        }
      }
    }
  } finally {
    await browser.close();
    stopPreview(preview);
  }

  const pick = (backend: string, variant: string, decoder?: string) =>
    runs.filter(
      (r) => r.backend === backend && r.variant === variant && (decoder === undefined || r.decoder === decoder),
    );
  const perStep = (rs: PaneRun[], key: 'ms' | 'forwardMs' | 'readbackMs' | 'filterMs') =>
    sum(rs.map((r) => r[key])) / Math.max(1, sum(rs.map((r) => r.nfe)));
  const rows: string[] = [];
  const summary: Record<string, Record<string, number>> = {};
  for (const backend of BACKENDS) {
    for (const variant of VARIANTS) {
      const rs = pick(backend, variant);
      if (rs.length === 0) continue;
      const th = pick(backend, variant, 'threshold');
      const lp = pick(backend, variant, 'learn2pd');
      const s = {
        msPerStep: perStep(rs, 'ms'),
        forwardMsPerStep: perStep(rs, 'forwardMs'),
        readbackMsPerStep: perStep(rs, 'readbackMs'),
        filterMsPerStep: perStep(lp, 'filterMs'),
        thresholdNfe: sum(th.map((r) => r.nfe)),
        learn2pdNfe: sum(lp.map((r) => r.nfe)),
        thresholdMs: sum(th.map((r) => r.ms)),
        learn2pdMs: sum(lp.map((r) => r.ms)),
      };
      summary[`${backend}/${variant}`] = s;
      rows.push(
        `| ${backend} | ${variant} | ${f1(s.msPerStep)} | ${f1(s.forwardMsPerStep)} | ${f2(s.readbackMsPerStep)} | ${f2(s.filterMsPerStep)} | ${s.thresholdNfe} / ${s.learn2pdNfe} | ${f2(s.thresholdMs / s.learn2pdMs)}x |`,
      );
    }
  }
  const ratio = (a: string, b: string) =>
    summary[a] && summary[b] ? summary[a].msPerStep / summary[b].msPerStep : null;
  // WebGPU against WASM on the prompts both ran.
  const gpuPrompts = new Set(pick('webgpu', 'q4').map((r) => r.prompt));
  const common = (backend: string) =>
    perStep(
      pick(backend, 'q4').filter((r) => gpuPrompts.has(r.prompt)),
      'ms',
    );
  const ratios = {
    webgpuOverWasm: gpuPrompts.size > 0 && pick('wasm', 'q4').length > 0 ? common('webgpu') / common('wasm') : null,
    logitsOverFusedWasm: ratio('wasm/q4-logits', 'wasm/q4'),
    logitsOverFusedWebgpu: ratio('webgpu/q4-logits', 'webgpu/q4'),
  };
  const command = `npx tsx scripts/measure-steps.ts --gen ${GEN} --prompts ${PROMPTS} --examples ${EXAMPLES} --webgpu-prompts ${WEBGPU_PROMPTS} --backends ${BACKENDS.join(',')}`;
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
    '| backend | variant | ms/step | forward ms/step | readback ms/step | filter ms/step (Learn2PD) | NFE threshold / Learn2PD | Learn2PD wall-clock speedup |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `- WebGPU (software) / WASM per-step time on the same ${gpuPrompts.size} prompts: ${ratios.webgpuOverWasm === null ? 'n/a' : `${f2(ratios.webgpuOverWasm)}x`}`,
    `- full logits / fused head per-step time: WASM ${ratios.logitsOverFusedWasm === null ? 'n/a' : `${f2(ratios.logitsOverFusedWasm)}x`}, WebGPU ${ratios.logitsOverFusedWebgpu === null ? 'n/a' : `${f2(ratios.logitsOverFusedWebgpu)}x`}`,
    "- The Learn2PD speedup is the threshold pane's total step time over the Learn2PD pane's (tau 0.9 vs tauFilter 0.96 + EoTP, the app's defaults).",
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
