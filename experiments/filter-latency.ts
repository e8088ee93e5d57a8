// How long the Learn2PD filter's onnxruntime call takes right after a dLLM forward, against the same call in a
// tight loop, for two settings of the dLLM session's intra-op thread pool (spinning on or off) and two of the
// filter session's (onnxruntime's default, one thread per core, or one intra-op thread: the call runs on the
// caller's thread). A check of why the filter's share of decoding time rises above 1% where forwards are short
// (EoTP's cut canvases). Also the call right after plain JavaScript reads 16 MB (no forward): if that is as slow as
// after a forward, what a forward costs the next call is a cold cache. Then the filter session's memory options
// (arena, memory pattern), the two taking turns.
//   npx tsx experiments/filter-latency.ts [--model public/models/tiny-dllm] [--iters 300] [--seq 120] [--json experiments/results/filter-latency.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { FILTER_OPTIONS } from '../src/runtime/node';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/tiny-dllm' },
    iters: { type: 'string', default: '300' },
    seq: { type: 'string', default: '120' },
    json: { type: 'string' },
  },
  strict: true,
});
const dir = values.model;
const iters = Number(values.iters);
const seq = Number(values.seq);
const model = readFileSync(join(dir, 'onnx', 'model_q4.onnx'));
const filterBytes = readFileSync(join(dir, 'filter', 'filter_b32.onnx'));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Larger than the machine's caches: reading it evicts what the filter's call had there.
const sweep = new Float32Array(4 << 20);
let sink = 0;
function readSweep(): void {
  for (let j = 0; j < sweep.length; j += 16) sink += sweep[j];
}

interface Latency {
  afterForwardUs: number;
  afterSweepUs: number;
  hotUs: number;
  forwardMs: number;
}

async function measure(spinning: boolean, filterThreads: number | undefined): Promise<Latency> {
  const extra = { session: { intra_op: { allow_spinning: spinning ? '1' : '0' } } };
  const dllm = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    extra,
  });
  const threads = filterThreads === undefined ? {} : { intraOpNumThreads: filterThreads, interOpNumThreads: 1 };
  const filter = await ort.InferenceSession.create(filterBytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...threads,
  });
  const ids = new ort.Tensor(
    'int64',
    BigInt64Array.from({ length: seq }, (_, i) => BigInt(4 + (i % 500))),
    [1, seq],
  );
  const conf = new ort.Tensor(
    'float32',
    Float32Array.from({ length: 32 }, (_, i) => 0.5 + i / 64),
    [1, 32],
  );
  const after: number[] = [];
  const afterSweep: number[] = [];
  const hot: number[] = [];
  const fwd: number[] = [];
  const runFilter = async (): Promise<number> => {
    const t0 = performance.now();
    const out = await filter.run({ conf });
    const us = (performance.now() - t0) * 1000;
    for (const t of Object.values(out)) t.dispose();
    return us;
  };
  for (let i = 0; i < iters + 10; i++) {
    const t0 = performance.now();
    const out = await dllm.run({ input_ids: ids });
    const ms = performance.now() - t0;
    for (const t of Object.values(out)) t.dispose();
    const us = await runFilter();
    readSweep();
    const swept = await runFilter();
    if (i >= 10) {
      fwd.push(ms);
      after.push(us);
      afterSweep.push(swept);
    }
  }
  for (let i = 0; i < iters + 10; i++) {
    const us = await runFilter();
    if (i >= 10) hot.push(us);
  }
  ids.dispose();
  conf.dispose();
  await dllm.release();
  await filter.release();
  return {
    afterForwardUs: median(after),
    afterSweepUs: median(afterSweep),
    hotUs: median(hot),
    forwardMs: median(fwd),
  };
}

// Alternate the settings twice so drift on a shared machine touches all of them.
const variants = [
  { name: 'spinning', spinning: true, filterThreads: undefined },
  { name: 'no spinning', spinning: false, filterThreads: undefined },
  { name: 'spinning, filter 1 thread', spinning: true, filterThreads: 1 },
  { name: 'no spinning, filter 1 thread', spinning: false, filterThreads: 1 },
];
const rows: Record<string, Latency[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
for (let round = 0; round < 2; round++) {
  for (const v of variants) rows[v.name].push(await measure(v.spinning, v.filterThreads));
}
// The filter session's memory options, A/B in one run: one dLLM session, the two filter sessions taking turns
// after its forwards, so drift touches both alike. 'no arena' is src/runtime/node.ts's FILTER_OPTIONS.
async function optionsAB(): Promise<Record<string, number>> {
  const dllm = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const options = { 'onnxruntime defaults': {}, 'no arena, no memory pattern': FILTER_OPTIONS };
  const names = Object.keys(options) as (keyof typeof options)[];
  const filters = await Promise.all(
    names.map((n) =>
      ort.InferenceSession.create(filterBytes, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        ...options[n],
      }),
    ),
  );
  const ids = new ort.Tensor(
    'int64',
    BigInt64Array.from({ length: seq }, (_, i) => BigInt(4 + (i % 500))),
    [1, seq],
  );
  const conf = new ort.Tensor(
    'float32',
    Float32Array.from({ length: 32 }, (_, i) => 0.5 + i / 64),
    [1, 32],
  );
  const us: number[][] = names.map(() => []);
  for (let i = 0; i < 2 * (iters + 10); i++) {
    const k = i % names.length;
    for (const t of Object.values(await dllm.run({ input_ids: ids }))) t.dispose();
    const t0 = performance.now();
    const out = await filters[k].run({ conf });
    if (i >= 2 * 10) us[k].push((performance.now() - t0) * 1000);
    for (const t of Object.values(out)) t.dispose();
  }
  ids.dispose();
  conf.dispose();
  await dllm.release();
  for (const f of filters) await f.release();
  return Object.fromEntries(names.map((n, k) => [n, median(us[k])]));
}
const sessionOptions = [await optionsAB(), await optionsAB()];

for (const [name, rs] of Object.entries(rows)) {
  for (const r of rs) {
    console.log(
      `${name.padEnd(28)} forward ${r.forwardMs.toFixed(2)} ms | filter right after it ${r.afterForwardUs.toFixed(0)} us | after reading 16 MB ${r.afterSweepUs.toFixed(0)} us | filter in a loop ${r.hotUs.toFixed(0)} us | share ${((100 * r.afterForwardUs) / 1000 / (r.forwardMs + r.afterForwardUs / 1000)).toFixed(2)}%`,
    );
  }
}
if (sink !== 0) console.log('(the 16 MB read nonzero memory)'); // keeps the reads from being optimized away
for (const r of sessionOptions)
  console.log(
    `filter right after a forward, by filter session options: ${Object.entries(r)
      .map(([n, v]) => `${n} ${v.toFixed(1)} us`)
      .join(' | ')}`,
  );
if (values.json) {
  const command = `npx tsx experiments/filter-latency.ts ${process.argv.slice(2).join(' ')}`;
  const machine = `${cpus().length}x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, onnxruntime-node CPU EP`;
  writeFileSync(
    values.json,
    JSON.stringify(
      { command, machine, date: new Date().toISOString().slice(0, 10), iters, seq, rows, sessionOptions },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${values.json}`);
}
