// `npm run bench -- --model public/models/tiny-dllm --split test --limit 300 --gen-length 256 --json docs/bench/gen256.json`
// Runs every method of the full sweep (src/eval/sweeps.ts) in one process on the same prompts, the
// one-token-per-step reference first. Writes the JSON and regenerates docs/BENCHMARKS.md + plots.
// `npm run bench -- --doc-only docs` only regenerates docs/BENCHMARKS.md + plots from docs/bench/*.json (no decoding),
// after a change to how the report is written.
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CACHE_MODES,
  DECODER_NAMES,
  filterNamesFor,
  KNOB_RANGES,
  type KnobRange,
  PAPER_FILTER,
  requireFilter,
  tauFilterFor,
} from '../core';
import type { BenchResult, BenchRow } from '../eval/bench-file';
import { type DecoderReport, evalModelOf, evaluate } from '../eval/evaluate';
import { loadNodeModel, writeAtomic } from '../eval/node';
import { perPromptOf } from '../eval/paired';
import { parseSplit, splitPrompts } from '../eval/prompts';
import { cacheSweep, fullSweep } from '../eval/sweeps';
import { table } from '../eval/text';
import { manifestFilters } from '../runtime/manifest';
import { threadsNote } from '../runtime/node';
import { ROW_HEADER, rowCells, writeBenchmarksDoc } from './bench-report';
import { CliError, intArg, numArg, runCli } from './common';

/** A comma list of `allowed` names (`--methods`, `--cache`); absent: undefined. */
function parseList<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((m) => m.trim());
  const picked = names.flatMap((m) => allowed.filter((d) => d === m));
  if (picked.length !== names.length || names.length === 0)
    throw new CliError(`--${flag} takes a comma list of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return picked;
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
      // The learned filters' rows (names in the model's dllm.json); default every one that serves the block length.
      filters: { type: 'string' },
      // Only these knobs (thresholds, EB gammas, tauFilters): a 300-prompt run holds the rows near the frontier.
      taus: { type: 'string' },
      gammas: { type: 'string' },
      'tau-filters': { type: 'string' },
      // on | off: only the rows with EoTP on (or off) where a method has both.
      eotp: { type: 'string' },
      // full (default): the decoders' knob sweeps; cache: the KV-cache rows (sweeps.ts cacheSweep).
      sweep: { type: 'string', default: 'full' },
      // With --sweep cache: only these cache settings' rows (a comma list of none, prefix, dual).
      cache: { type: 'string' },
      'doc-only': { type: 'string' },
    },
    strict: true,
  });
  if (values['doc-only'] !== undefined) {
    console.log(writeBenchmarksDoc(values['doc-only']));
    return;
  }
  if (!values.model || !values.json)
    throw new CliError(
      'usage: npm run bench -- --model <folder> --split test --limit 300 --gen-length 256 --json docs/bench/<name>.json',
    );
  const model = await loadNodeModel(values.model, values.variant, { kvCache: values.sweep === 'cache' });
  try {
    const canvas = {
      genLength: intArg('gen-length', values['gen-length'], model.manifest.defaults.genLength),
      blockLength: intArg('block-length', values['block-length'], model.manifest.defaults.blockLength),
    };
    const split = parseSplit(values.split ?? 'test');
    const prompts = splitPrompts(split, intArg('limit', values.limit, 300));
    const listed = manifestFilters(model.manifest);
    const served = filterNamesFor(listed, canvas.blockLength);
    const filters = values.filters === undefined ? served : values.filters.split(',').map((f) => f.trim());
    for (const f of filters) requireFilter(listed, canvas.blockLength, f); // a NoFilterError names what there is
    const knobs = (name: 'taus' | 'gammas' | 'tau-filters', range: KnobRange) => {
      const raw = values[name];
      return raw === undefined ? undefined : raw.split(',').map((t) => numArg(name, t.trim(), 0, range));
    };
    const eotp = values.eotp;
    if (eotp !== undefined && eotp !== 'on' && eotp !== 'off')
      throw new CliError(`--eotp takes on or off (absent: both), not ${JSON.stringify(eotp)}`);
    const sweep = values.sweep ?? 'full';
    if (sweep !== 'full' && sweep !== 'cache')
      throw new CliError(`--sweep takes full or cache, not ${JSON.stringify(sweep)}`);
    const caches = parseList('cache', values.cache, CACHE_MODES);
    if (caches !== undefined && sweep !== 'cache') throw new CliError('--cache picks rows of --sweep cache');
    // The cache rows run the shipped filter (the paper's) unless --filters names others.
    const learned = values.filters === undefined ? [PAPER_FILTER] : filters;
    const eotps = eotp === undefined ? {} : { eotp: [eotp === 'on'] };
    const specs =
      sweep === 'cache'
        ? cacheSweep(
            learned.map((f) => ({ filter: f, tauFilter: tauFilterFor(listed, canvas.blockLength, f) })),
            { ...eotps, ...(caches === undefined ? {} : { caches }) },
          )
        : fullSweep({
            ...eotps,
            methods: parseList('methods', values.methods, DECODER_NAMES),
            filters,
            taus: knobs('taus', KNOB_RANGES.tau),
            gammas: knobs('gammas', KNOB_RANGES.gamma),
            tauFilters: knobs('tau-filters', KNOB_RANGES.tauFilter),
          });
    const t0 = performance.now();
    const { reference, reports } = await evaluate(evalModelOf(model), prompts, canvas, specs, {
      onProgress: (done, total) => {
        const el = (performance.now() - t0) / 1000;
        process.stderr.write(
          `\r${done}/${total} prompts, ${el.toFixed(0)}s, ETA ${((el / done) * (total - done)).toFixed(0)}s   `,
        );
      },
    });
    process.stderr.write('\n');
    const oracle = reports.find((r) => r.decoder === 'egp_oracle');
    // Each learn2pd row reports its filter's share of decoding time and how many steps asked it.
    const row = (r: DecoderReport): BenchRow => {
      const { outcomes, filterCalls, filterMs, ...rest } = r;
      const out: BenchRow = {
        ...rest,
        nfeVsOracle: oracle ? r.meanNfe / oracle.meanNfe : NaN,
        perPrompt: perPromptOf(outcomes),
      };
      if (r.decoder === 'learn2pd') {
        out.filterShare = filterMs / outcomes.reduce((s, o) => s + o.ms, 0);
        out.filterCallsPerStep = filterCalls / outcomes.reduce((s, o) => s + o.nfe, 0);
      }
      return out;
    };
    const result: BenchResult = {
      name: values.name ?? `gen${canvas.genLength}`,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
      machine: `${cpus().length}x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, onnxruntime-node CPU EP${threadsNote()}`,
      date: new Date().toISOString().slice(0, 10),
      model: model.manifest.id,
      variant: model.variant,
      split,
      n: prompts.length,
      genLength: canvas.genLength,
      blockLength: canvas.blockLength,
      seconds: (performance.now() - t0) / 1000,
      reference: row(reference),
      rows: reports.map(row),
    };
    console.log(table(ROW_HEADER, [result.reference, ...result.rows].map(rowCells)));
    for (const r of result.rows) {
      if (r.filterShare === undefined) continue;
      const asked =
        r.filterCallsPerStep === undefined ? '' : ` (asked at ${(100 * r.filterCallsPerStep).toFixed(1)}% of steps)`;
      console.log(`filter share of decoding time, ${r.label}: ${(100 * r.filterShare).toFixed(2)}%${asked}`);
    }
    writeAtomic(values.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
    console.log(writeBenchmarksDoc(dirname(dirname(values.json))));
  } finally {
    await model.release();
  }
});
