// `npm run verify-onnx -- <model folder> <verify.json> [--ep cpu|webgpu] [--json report.json]`
// Checks every ONNX graph of a model folder against PyTorch's outputs recorded by training/export.py.
// Per variant (onnx/*.onnx): argmax mismatches over all positions of all cases, the largest |conf - conf_torch|,
// the same for entropy and margin (spec §8) where the cases record them, and, for a graph that also outputs
// logits, whether its top1 is the argmax of its own logits. On the CPU EP (the reference) it exits 1 if an fp32
// graph (model.onnx, model_logits.onnx) disagrees with PyTorch on any argmax, by more than 1e-4 in conf, entropy or
// margin, or lacks an output the cases record; quantized variants, and every variant on other EPs, are reported,
// not judged (their drift is a measurement, not a bug).
// --ep webgpu runs onnxruntime-node's own WebGPU EP (here: on SwiftShader, with
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json and libvulkan1 installed): a check that every op of
// every variant has a WebGPU kernel and computes the same numbers, not a speed measurement.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { writeAtomic } from '../eval/node';
import { CliError, runCli } from './common';

interface VerifyCase {
  shape: [number, number]; // [batch, seq]
  input_ids: number[]; // batch * seq, row-major
  top1: number[];
  conf: number[];
  entropy?: number[]; // recorded by export.py since spec §8
  margin?: number[];
}

const EXTRAS = ['entropy', 'margin'] as const;
type Extra = (typeof EXTRAS)[number];

interface VariantReport {
  file: string;
  bytes: number;
  positions: number;
  mismatches: number;
  mismatchRate: number;
  maxConfDiff: number;
  meanConfDiff: number;
  /** max |x - x_torch| per extra output the cases record; null: the graph lacks that output. */
  maxExtraDiff: Partial<Record<Extra, number | null>>;
  logitsArgmaxMismatches: number | null; // null: the graph has no logits output
  msPerCase: number;
}

const FP32_CONF_TOLERANCE = 1e-4;
export const KV_GRAPH = /^model_(kv|window)(_.*)?\.onnx$/;

function toNumbers(t: ort.Tensor): number[] {
  const d = t.data;
  if (d instanceof BigInt64Array) return Array.from(d, Number);
  if (d instanceof Int32Array || d instanceof Float32Array) return Array.from(d);
  throw new CliError(`an output of type ${t.type} was not expected`);
}

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** The cases of a verify.json (training/export.py), each checked for its fields and sizes. */
function readCases(text: string, path: string): VerifyCase[] {
  const raw: unknown = JSON.parse(text);
  const cases: unknown = typeof raw === 'object' && raw !== null && 'cases' in raw ? raw.cases : undefined;
  if (!Array.isArray(cases) || cases.length === 0) throw new CliError(`${path} must hold a non-empty "cases" array`);
  return cases.map((c: unknown, i): VerifyCase => {
    const at = `${path} cases[${i}]`;
    if (typeof c !== 'object' || c === null) throw new CliError(`${at} must be an object`);
    const field = (key: string): unknown => Reflect.get(c, key);
    const [shape, input_ids, top1, conf] = [field('shape'), field('input_ids'), field('top1'), field('conf')];
    if (!isNumbers(shape) || shape.length !== 2 || !isNumbers(input_ids) || !isNumbers(top1) || !isNumbers(conf))
      throw new CliError(`${at} needs numeric shape [batch, seq], input_ids, top1 and conf`);
    const size = shape[0] * shape[1];
    if (input_ids.length !== size || top1.length !== size || conf.length !== size)
      throw new CliError(`${at}: input_ids, top1 and conf must each hold batch x seq = ${size} values`);
    const out: VerifyCase = { shape: [shape[0], shape[1]], input_ids, top1, conf };
    for (const extra of EXTRAS) {
      const values = field(extra);
      if (values === undefined) continue;
      if (!isNumbers(values) || values.length !== size)
        throw new CliError(`${at}: ${extra} must hold batch x seq = ${size} numbers`);
      out[extra] = values;
    }
    return out;
  });
}

const USAGE = 'usage: npm run verify-onnx -- <model folder> <verify.json> [--ep cpu|webgpu] [--json report.json]';

async function checkVariant(path: string, cases: VerifyCase[], ep: string): Promise<VariantReport> {
  const session = await ort.InferenceSession.create(path, { executionProviders: [ep], graphOptimizationLevel: 'all' });
  const hasLogits = session.outputNames.includes('logits');
  let positions = 0;
  let mismatches = 0;
  let maxConfDiff = 0;
  let sumConfDiff = 0;
  let logitsArgmaxMismatches = 0;
  let ms = 0;
  const maxExtraDiff: Partial<Record<Extra, number | null>> = {};
  for (const extra of EXTRAS)
    if (cases.some((c) => c[extra] !== undefined)) maxExtraDiff[extra] = session.outputNames.includes(extra) ? 0 : null;
  for (const c of cases) {
    const input = new ort.Tensor(
      'int64',
      BigInt64Array.from(c.input_ids, (v) => BigInt(v)),
      c.shape,
    );
    const t0 = performance.now();
    const out = await session.run({ input_ids: input });
    ms += performance.now() - t0;
    const top1 = toNumbers(out.top1);
    const conf = toNumbers(out.conf);
    for (let i = 0; i < top1.length; i++) {
      positions++;
      if (top1[i] !== c.top1[i]) mismatches++;
      const diff = Math.abs(conf[i] - c.conf[i]);
      maxConfDiff = Math.max(maxConfDiff, diff);
      sumConfDiff += diff;
    }
    for (const extra of EXTRAS) {
      const recorded = c[extra];
      const seen = maxExtraDiff[extra];
      if (recorded === undefined || seen === undefined || seen === null) continue;
      const got = toNumbers(out[extra]);
      let max = seen;
      for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - recorded[i]));
      maxExtraDiff[extra] = max;
    }
    if (hasLogits) {
      const logits = out.logits.data; // [batch, seq, vocab]
      if (!(logits instanceof Float32Array)) throw new CliError(`${path}: logits must be float32`);
      const vocab = out.logits.dims[2];
      for (let i = 0; i < top1.length; i++) {
        let best = 0;
        for (let v = 1; v < vocab; v++) if (logits[i * vocab + v] > logits[i * vocab + best]) best = v;
        if (best !== top1[i]) logitsArgmaxMismatches++;
      }
    }
  }
  await session.release();
  return {
    file: path,
    bytes: statSync(path).size,
    positions,
    mismatches,
    mismatchRate: mismatches / positions,
    maxConfDiff,
    meanConfDiff: sumConfDiff / positions,
    maxExtraDiff,
    logitsArgmaxMismatches: hasLogits ? logitsArgmaxMismatches : null,
    msPerCase: ms / cases.length,
  };
}

runCli(async () => {
  const { values, positionals } = parseArgs({
    options: { ep: { type: 'string', default: 'cpu' }, json: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [folder, verifyPath] = positionals;
  if (!folder || !verifyPath || positionals.length !== 2) throw new CliError(USAGE);
  const ep = values.ep ?? 'cpu';
  if (ep !== 'cpu' && ep !== 'webgpu') throw new CliError(`--ep must be cpu or webgpu, got "${ep}"\n${USAGE}`);
  if (!existsSync(join(folder, 'onnx'))) throw new CliError(`${folder} has no onnx/ folder`);
  if (!existsSync(verifyPath)) throw new CliError(`${verifyPath} does not exist (training/export.py writes it)`);
  const cases = readCases(readFileSync(verifyPath, 'utf8'), verifyPath);
  // The KV-cache graphs take other inputs (training/kv.py): `npm run verify-kv` checks them.
  const files = readdirSync(join(folder, 'onnx'))
    .filter((f) => f.endsWith('.onnx') && !KV_GRAPH.test(f))
    .sort();
  const reports: VariantReport[] = [];
  let failed = false;
  console.log(
    `${cases.length} cases, shapes ${cases.map((c) => c.shape.join('x')).join(', ')}, execution provider ${ep}`,
  );
  for (const f of files) {
    const r = await checkVariant(join(folder, 'onnx', f), cases, ep);
    reports.push(r);
    const fp32 = f === 'model.onnx' || f === 'model_logits.onnx';
    const bad =
      ep === 'cpu' &&
      fp32 &&
      (r.mismatches > 0 ||
        r.maxConfDiff > FP32_CONF_TOLERANCE ||
        Object.values(r.maxExtraDiff).some((d) => d === null || d > FP32_CONF_TOLERANCE) ||
        (r.logitsArgmaxMismatches ?? 0) > 0);
    failed ||= bad;
    console.log(
      `${f.padEnd(22)} ${(r.bytes / 1e6).toFixed(2).padStart(6)} MB  argmax mismatches ${r.mismatches}/${r.positions} ` +
        `(${(100 * r.mismatchRate).toFixed(2)}%)  |conf diff| max ${r.maxConfDiff.toExponential(2)} mean ${r.meanConfDiff.toExponential(2)}` +
        Object.entries(r.maxExtraDiff)
          .map(([k, d]) => `  |${k} diff| max ${d === null ? 'no such output' : d.toExponential(2)}`)
          .join('') +
        (r.logitsArgmaxMismatches === null ? '' : `  top1 vs own logits: ${r.logitsArgmaxMismatches} mismatches`) +
        `  ${r.msPerCase.toFixed(1)} ms/case${bad ? '  FAIL' : ''}`,
    );
  }
  if (values.json) writeAtomic(values.json, `${JSON.stringify({ ep, reports }, null, 2)}\n`);
  if (failed) throw new CliError('an fp32 graph disagrees with PyTorch');
});
