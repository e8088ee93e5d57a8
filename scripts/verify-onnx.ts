// Checks every ONNX graph of a model folder against PyTorch's outputs recorded by training/export.py:
//   npx tsx scripts/verify-onnx.ts <model folder> <verify.json> [--ep cpu|webgpu] [--json report.json]
// Per variant (onnx/*.onnx): argmax mismatches over all positions of all cases, the largest |conf - conf_torch|,
// and, for a graph that also outputs logits, whether its top1 is the argmax of its own logits. On the CPU EP (the
// reference) it exits 1 if an fp32 graph (model.onnx, model_logits.onnx) disagrees with PyTorch on any argmax or
// by more than 1e-4 in conf; quantized variants, and every variant on other EPs, are reported, not judged (their
// drift is a measurement, not a bug).
// --ep webgpu runs onnxruntime-node's own WebGPU EP (here: on SwiftShader, with
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json and libvulkan1 installed): a check that every op of
// every variant has a WebGPU kernel and computes the same numbers, not a speed measurement.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

interface VerifyCase {
  shape: [number, number]; // [batch, seq]
  input_ids: number[]; // batch * seq, row-major
  top1: number[];
  conf: number[];
}

interface VariantReport {
  file: string;
  bytes: number;
  positions: number;
  mismatches: number;
  mismatchRate: number;
  maxConfDiff: number;
  meanConfDiff: number;
  logitsArgmaxMismatches: number | null; // null: the graph has no logits output
  msPerCase: number;
}

const FP32_CONF_TOLERANCE = 1e-4;

function toNumbers(t: ort.Tensor): number[] {
  const d = t.data;
  if (d instanceof BigInt64Array) return Array.from(d, Number);
  return Array.from(d as Int32Array | Float32Array);
}

function argValue(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
}

async function checkVariant(path: string, cases: VerifyCase[], ep: string): Promise<VariantReport> {
  const session = await ort.InferenceSession.create(path, { executionProviders: [ep], graphOptimizationLevel: 'all' });
  const hasLogits = session.outputNames.includes('logits');
  let positions = 0;
  let mismatches = 0;
  let maxConfDiff = 0;
  let sumConfDiff = 0;
  let logitsArgmaxMismatches = 0;
  let ms = 0;
  for (const c of cases) {
    const input = new ort.Tensor('int64', BigInt64Array.from(c.input_ids, (v) => BigInt(v)), c.shape);
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
    if (hasLogits) {
      const logits = out.logits.data as Float32Array; // [batch, seq, vocab]
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
    logitsArgmaxMismatches: hasLogits ? logitsArgmaxMismatches : null,
    msPerCase: ms / cases.length,
  };
}

async function main(): Promise<void> {
  const [folder, verifyPath] = process.argv.slice(2);
  const ep = argValue('--ep') ?? 'cpu';
  const jsonPath = argValue('--json');
  if (!folder || !verifyPath || folder.startsWith('--') || verifyPath.startsWith('--')) {
    console.error('usage: npx tsx scripts/verify-onnx.ts <model folder> <verify.json> [--ep cpu|webgpu] [--json report.json]');
    process.exit(2);
  }
  const { cases } = JSON.parse(readFileSync(verifyPath, 'utf8')) as { cases: VerifyCase[] };
  const files = readdirSync(join(folder, 'onnx')).filter((f) => f.endsWith('.onnx')).sort();
  const reports: VariantReport[] = [];
  let failed = false;
  console.log(`${cases.length} cases, shapes ${cases.map((c) => c.shape.join('x')).join(', ')}, execution provider ${ep}`);
  for (const f of files) {
    const r = await checkVariant(join(folder, 'onnx', f), cases, ep);
    reports.push(r);
    const fp32 = f === 'model.onnx' || f === 'model_logits.onnx';
    const bad = ep === 'cpu' && fp32 && (r.mismatches > 0 || r.maxConfDiff > FP32_CONF_TOLERANCE || (r.logitsArgmaxMismatches ?? 0) > 0);
    failed ||= bad;
    console.log(
      `${f.padEnd(22)} ${(r.bytes / 1e6).toFixed(2).padStart(6)} MB  argmax mismatches ${r.mismatches}/${r.positions} ` +
        `(${(100 * r.mismatchRate).toFixed(2)}%)  |conf diff| max ${r.maxConfDiff.toExponential(2)} mean ${r.meanConfDiff.toExponential(2)}` +
        (r.logitsArgmaxMismatches === null ? '' : `  top1 vs own logits: ${r.logitsArgmaxMismatches} mismatches`) +
        `  ${r.msPerCase.toFixed(1)} ms/case${bad ? '  FAIL' : ''}`,
    );
  }
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify({ ep, reports }, null, 2)}\n`);
  if (failed) {
    console.error('an fp32 graph disagrees with PyTorch');
    process.exit(1);
  }
}

await main();
