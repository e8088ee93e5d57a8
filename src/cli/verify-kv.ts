// `npm run verify-kv -- <model folder> training/verify-kv.json [--json report.json]`
// Checks the KV-cache graphs of a model folder (training/kv.py: onnx/model_kv*.onnx with the model_window*.onnx of the
// same suffix) against PyTorch's outputs on random inputs, through the runtime's OrtKvCache on onnxruntime-node:
// the fp32 pair against kv.py's fp32 cases (exit 1 on any argmax mismatch or a difference over 1e-4 in conf,
// entropy or margin), the q4 pair against its cases computed with the q4 weights dequantized (reported: the kernels
// sum in another order). The cached decoding itself is compared token by token in tests/runtime/kv-cache.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { StepOutput } from '../core';
import { writeAtomic } from '../eval/node';
import { nodeOrt } from '../runtime/node';
import { OrtKvCache } from '../runtime/ort-kv';
import { CliError, runCli } from './common';

type Heads = Record<'top1' | 'conf' | 'entropy' | 'margin', number[]>;
interface KvCase {
  input_ids: number[];
  window: { ids: number[]; start: number; length: number };
  full: Heads;
  windowOut: Heads;
}
interface PairReport {
  pair: string;
  mismatches: number;
  positions: number;
  maxDiff: Record<'conf' | 'entropy' | 'margin', number>;
}

const TOLERANCE = 1e-4;
const USAGE = 'usage: npm run verify-kv -- <model folder> <verify-kv.json> [--json report.json]';

function compare(out: StepOutput, want: Heads, report: PairReport): void {
  for (let i = 0; i < want.top1.length; i++) {
    report.positions++;
    if (out.top1[i] !== want.top1[i]) report.mismatches++;
  }
  for (const k of ['conf', 'entropy', 'margin'] as const) {
    const got = out[k];
    if (got === undefined) throw new CliError(`${report.pair} gives no ${k} output`);
    for (let i = 0; i < want[k].length; i++)
      report.maxDiff[k] = Math.max(report.maxDiff[k], Math.abs(got[i] - want[k][i]));
  }
}

runCli(async () => {
  const { values, positionals } = parseArgs({ options: { json: { type: 'string' } }, allowPositionals: true });
  const [folder, verifyPath] = positionals;
  if (!folder || !verifyPath || positionals.length !== 2) throw new CliError(USAGE);
  if (!existsSync(verifyPath)) throw new CliError(`${verifyPath} does not exist (training/kv.py writes it)`);
  const verify = JSON.parse(readFileSync(verifyPath, 'utf8')) as Record<string, { cases?: KvCase[] }>;
  const onnx = join(folder, 'onnx');
  const pairs = readdirSync(onnx)
    .filter((f) => /^model_kv(_.*)?\.onnx$/.test(f))
    .map((f) => ({ full: f, window: f.replace('model_kv', 'model_window'), dtype: f.includes('_q4') ? 'q4' : 'fp32' }))
    .filter((p) => existsSync(join(onnx, p.window)));
  if (pairs.length === 0) throw new CliError(`${onnx} has no model_kv*.onnx with its model_window*.onnx`);
  const reports: PairReport[] = [];
  let failed = false;
  for (const p of pairs) {
    const cases = verify[p.dtype]?.cases;
    if (!cases?.length) throw new CliError(`${verifyPath} has no ${p.dtype} cases`);
    const kv = await OrtKvCache.create(nodeOrt, readFileSync(join(onnx, p.full)), readFileSync(join(onnx, p.window)));
    const report: PairReport = {
      pair: `${p.full} + ${p.window}`,
      mismatches: 0,
      positions: 0,
      maxDiff: { conf: 0, entropy: 0, margin: 0 },
    };
    try {
      for (const c of cases) {
        compare(await kv.full(Int32Array.from(c.input_ids), ['entropy', 'margin']), c.full, report);
        const w = c.window;
        compare(await kv.window(Int32Array.from(w.ids), w.start, w.length, ['entropy', 'margin']), c.windowOut, report);
      }
    } finally {
      await kv.releaseSessions();
    }
    const bad =
      p.dtype === 'fp32' && (report.mismatches > 0 || Object.values(report.maxDiff).some((d) => d > TOLERANCE));
    failed ||= bad;
    reports.push(report);
    console.log(
      `${report.pair}: argmax mismatches ${report.mismatches}/${report.positions}, max |diff| ` +
        Object.entries(report.maxDiff)
          .map(([k, d]) => `${k} ${d.toExponential(2)}`)
          .join(', ') +
        (bad ? '  FAIL' : ''),
    );
  }
  if (values.json) writeAtomic(values.json, `${JSON.stringify({ reports }, null, 2)}\n`);
  if (failed) throw new CliError('an fp32 KV-cache graph disagrees with PyTorch');
});
