// `npm run bench -- --model public/models/tiny-dllm --split test --limit 300 --gen-length 256 --json docs/bench/gen256.json`
// Runs every method of issue #4 in one process on the same prompts (the one-token-per-step reference first):
// low_confidence +EoTP, threshold over a tau sweep with and without EoTP, factor f=1, learn2pd over a tauFilter
// sweep with and without EoTP, and the EGP oracle. Writes the JSON and regenerates docs/BENCHMARKS.md + plots.
// `npm run bench -- --doc-only docs` only regenerates docs/BENCHMARKS.md + plots from docs/bench/*.json (no decoding),
// after a change to how the report is written.
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Filter } from '../core';
import { evalModelOf, evaluate, type DecoderReport, type DecoderSpec } from '../runtime/evaluate';
import { perPromptOf, writeBenchmarksDoc, type BenchResult, type BenchRow } from './bench-report';
import { CliError, intArg, loadNodeModel, parseSplit, pct, runCli, splitPrompts, table, writeAtomic } from './common';

const TAUS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99];
const TAU_FILTERS = [0.8, 0.9, 0.95, 0.96, 0.99];

const METHODS = ['low_confidence', 'threshold', 'factor', 'learn2pd', 'egp_oracle'] as const;
type Method = (typeof METHODS)[number];

/** Every row of the benchmark, or only those of `methods` (the reference runs in any case). */
export function benchSpecs(methods: readonly Method[] = METHODS): DecoderSpec[] {
  const specs: DecoderSpec[] = [{ decoder: 'low_confidence', eotp: true }];
  for (const eotp of [false, true]) for (const tau of TAUS) specs.push({ decoder: 'threshold', eotp, tau });
  specs.push({ decoder: 'factor', eotp: false, factor: 1 });
  for (const eotp of [false, true]) for (const tauFilter of TAU_FILTERS) specs.push({ decoder: 'learn2pd', eotp, tauFilter });
  specs.push({ decoder: 'egp_oracle', eotp: false });
  return specs.filter((s) => methods.includes(s.decoder));
}

function parseMethods(value: string | undefined): Method[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((m) => m.trim());
  const bad = names.filter((m) => !(METHODS as readonly string[]).includes(m));
  if (bad.length > 0 || names.length === 0) throw new CliError(`--methods takes a comma list of ${METHODS.join(', ')} (got ${JSON.stringify(value)})`);
  return names as Method[];
}

/** Wraps a filter to add up its calls and the time they take, so the bench can report the filter's share of
 * decoding and how many steps asked it (the loop skips steps whose outcome the filter cannot change). */
function timedFilter(filter: Filter, clock: { ms: number; calls: number }): Filter {
  return {
    blockLength: filter.blockLength,
    features: filter.features,
    async logits(conf) {
      const t0 = performance.now();
      const out = await filter.logits(conf);
      clock.ms += performance.now() - t0;
      clock.calls++;
      return out;
    },
  };
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      variant: { type: 'string' },
      split: { type: 'string', default: 'test' },
      limit: { type: 'string' },
      'gen-length': { type: 'string' },
      'block-length': { type: 'string' },
      json: { type: 'string' },
      name: { type: 'string' },
      // Only these methods' rows (e.g. learn2pd,egp_oracle to compare two filters); docs/bench files keep them all.
      methods: { type: 'string' },
      'doc-only': { type: 'string' },
    },
    strict: true,
  });
  if (values['doc-only'] !== undefined) {
    console.log(writeBenchmarksDoc(values['doc-only']));
    return;
  }
  if (!values.model || !values.json) throw new CliError('usage: npm run bench -- --model <folder> --split test --limit 300 --gen-length 256 --json docs/bench/<name>.json');
  const model = await loadNodeModel(values.model, values.variant);
  try {
    const canvas = {
      genLength: intArg('gen-length', values['gen-length'], model.manifest.defaults.genLength),
      blockLength: intArg('block-length', values['block-length'], model.manifest.defaults.blockLength),
    };
    const split = parseSplit(values.split ?? 'test');
    const prompts = splitPrompts(split, intArg('limit', values.limit, 300));
    const specs = benchSpecs(parseMethods(values.methods));
    // One clock per spec: evaluate() announces which spec it is decoding, and the wrapped filter adds its time
    // to that spec's clock, so each learn2pd row reports its own filter share of decoding time.
    const clocks = specs.map(() => ({ ms: 0, calls: 0 }));
    let current = -1;
    const base = evalModelOf(model);
    const em = {
      ...base,
      filterFor(blockLength: number) {
        const f = base.filterFor(blockLength);
        return f && current >= 0 ? timedFilter(f, clocks[current]) : f;
      },
    };
    const t0 = performance.now();
    const { reference, reports } = await evaluate(em, prompts, canvas, specs, {
      onProgress: (done, total) => {
        const el = (performance.now() - t0) / 1000;
        process.stderr.write(`\r${done}/${total} prompts, ${el.toFixed(0)}s, ETA ${((el / done) * (total - done)).toFixed(0)}s   `);
      },
      onSpec: (index) => {
        current = index;
      },
    });
    process.stderr.write('\n');
    const oracle = reports.find((r) => r.decoder === 'egp_oracle');
    const row = (r: DecoderReport, i: number): BenchRow => {
      const { outcomes, ...rest } = r;
      const decodeMs = outcomes.reduce((s, o) => s + o.ms, 0);
      const out: BenchRow = { ...rest, nfeVsOracle: oracle ? r.meanNfe / oracle.meanNfe : NaN, perPrompt: perPromptOf(outcomes) };
      if (r.decoder === 'learn2pd' && i >= 0) {
        out.filterShare = clocks[i].ms / decodeMs;
        out.filterCallsPerStep = clocks[i].calls / outcomes.reduce((s, o) => s + o.nfe, 0);
      }
      return out;
    };
    const result: BenchResult = {
      name: values.name ?? `gen${canvas.genLength}`,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
      machine: `${cpus().length}x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, onnxruntime-node CPU EP`,
      date: new Date().toISOString().slice(0, 10),
      model: model.manifest.id,
      variant: model.variant,
      split,
      n: prompts.length,
      genLength: canvas.genLength,
      blockLength: canvas.blockLength,
      seconds: (performance.now() - t0) / 1000,
      reference: row(reference, -1),
      rows: reports.map(row),
    };
    console.log(
      table(
        ['method', 'acc', 'agree', 'NFE', 'tok/step', 'NFE x', 'tok/s', 'time x', '/oracle'],
        [result.reference, ...result.rows].map((r) => [r.label, pct(r.accuracy), pct(r.agreement), r.meanNfe.toFixed(1), r.tokensPerStep.toFixed(2), `${r.nfeSpeedup.toFixed(2)}x`, r.tokensPerSecond.toFixed(0), `${r.timeSpeedup.toFixed(2)}x`, r.nfeVsOracle.toFixed(2)]),
      ),
    );
    for (const r of result.rows) {
      if (r.filterShare === undefined) continue;
      const asked = r.filterCallsPerStep === undefined ? '' : ` (asked at ${(100 * r.filterCallsPerStep).toFixed(1)}% of steps)`;
      console.log(`filter share of decoding time, ${r.label}: ${(100 * r.filterShare).toFixed(2)}%${asked}`);
    }
    writeAtomic(values.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
    console.log(writeBenchmarksDoc(dirname(dirname(values.json))));
  } finally {
    await model.release();
  }
});
