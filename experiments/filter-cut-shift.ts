// How a filter's accepts change when its block is cut short, as EoTP cuts it: the same full-block samples fed
// as they are, and with their last `removed` slots zeroed (what a block cut `removed` slots short reads, spec §3),
// compared on the same kept masked slots and their labels. A filter trained only on full blocks (collect without
// --eotp never cuts) meets zero-padded blocks only when decoding with EoTP.
//   npx tsx experiments/filter-cut-shift.ts --traj training/traj/train-g128.jsonl --traj training/traj/train-g256.jsonl \
//     --filter experiments/filter/filter_b32-oracle-only.json [--tau-filter 0.96] --out experiments/filter/cut-shift.json
// The trajectory files must be the ones the filter was trained on, in the same order, with train-filter's default
// --seed 0 (its 80/10/10 split is seeded over that list; the report's file list is checked), so each part is
// reported on its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type FilterFeatures,
  featureGroups,
  type MlpWeights,
  mlpForward,
  splitIndices,
  writeFilterInput,
} from '../src/core';
import { readTrajectoryFile } from '../src/eval/node';
import { mergeSamples, type TrajectorySample } from '../src/eval/trajectory-file';

interface FilterReport {
  traj?: string[];
  features?: FilterFeatures;
  samples: number;
  /** Present where train-filter left out forwards repeated across its files (mergeSamples); absent in older reports. */
  duplicatesLeftOut?: number;
  split: { train: number; validation: number; test: number };
  weights: MlpWeights;
}

interface Rates {
  falseAccept: number | null;
  falseReject: number | null;
  notFinal: number; // kept masked slots whose prediction is not final (the false-accept rate's denominator)
  final: number;
}

const { values } = parseArgs({
  options: {
    traj: { type: 'string', multiple: true },
    filter: { type: 'string' },
    'tau-filter': { type: 'string', default: '0.96' },
    out: { type: 'string' },
  },
  strict: true,
});
if (!values.traj?.length || !values.filter || !values.out)
  throw new Error(
    'usage: npx tsx experiments/filter-cut-shift.ts --traj T.jsonl [--traj ...] --filter report.json [--tau-filter 0.96] --out shift.json',
  );
const tauFilter = Number(values['tau-filter']);
if (!(tauFilter > 0 && tauFilter < 1)) throw new Error(`--tau-filter must be in (0, 1), got ${values['tau-filter']}`);
const report = JSON.parse(readFileSync(values.filter, 'utf8')) as FilterReport;
// The samples as train-filter read them: each forward once, unless the filter was trained before it did that.
const files = values.traj.map(readTrajectoryFile);
const { samples } = mergeSamples(files, { keepRepeats: report.duplicatesLeftOut === undefined });
if (samples.some((s) => s.masked === undefined))
  throw new Error('these trajectory files have no masked flags: collect them again');
if (report.traj !== undefined && report.traj.join('\n') !== values.traj.join('\n')) {
  throw new Error(`${values.filter} was trained on ${report.traj.join(', ')}: pass the same files in the same order`);
}
if (report.samples !== samples.length)
  throw new Error(`${values.filter} was trained on ${report.samples} samples, these files hold ${samples.length}`);
const features = report.features ?? 'confidence';
const size = report.weights.b2.length;
const split = splitIndices(samples.length, 0);

/** The sample as a block cut `removed` slots short: its first slots only (the input then zero-pads the rest). */
function cut(s: TrajectorySample, removed: number): TrajectorySample {
  const keep = s.confidence.length - removed;
  return {
    ...s,
    confidence: s.confidence.slice(0, keep),
    isCorrect: s.isCorrect.slice(0, keep),
    masked: s.masked?.slice(0, keep),
    stable: s.stable?.slice(0, keep),
  };
}

function accepts(s: TrajectorySample): boolean[] {
  const x = new Float64Array(size * featureGroups(features));
  writeFilterInput(s, features, size, x);
  return Array.from(mlpForward(report.weights, x), (z) => 1 / (1 + Math.exp(-z)) > tauFilter);
}

function rates(pairs: { ok: boolean; accept: boolean }[]): Rates {
  const final = pairs.filter((p) => p.ok);
  const notFinal = pairs.filter((p) => !p.ok);
  // null where a part has no such slot (JSON has no NaN).
  return {
    falseAccept: notFinal.length === 0 ? null : notFinal.filter((p) => p.accept).length / notFinal.length,
    falseReject: final.length === 0 ? null : final.filter((p) => !p.accept).length / final.length,
    notFinal: notFinal.length,
    final: final.length,
  };
}

const REMOVED = [0, 1, 3, 8, 16, 24];
const rows: { part: string; removed: number; fullBlock: Rates; cutBlock: Rates }[] = [];
for (const part of ['train', 'test'] as const) {
  const full = split[part].map((k) => samples[k]).filter((s) => s.confidence.length === size);
  for (const removed of REMOVED) {
    const asIs: { ok: boolean; accept: boolean }[] = [];
    const short: { ok: boolean; accept: boolean }[] = [];
    for (const s of full) {
      const a = accepts(s);
      const b = accepts(cut(s, removed));
      for (let i = 0; i < size - removed; i++) {
        if (s.masked?.[i] !== true) continue;
        asIs.push({ ok: s.isCorrect[i], accept: a[i] });
        short.push({ ok: s.isCorrect[i], accept: b[i] });
      }
    }
    rows.push({ part, removed, fullBlock: rates(asIs), cutBlock: rates(short) });
  }
}
const result = {
  command: `npx tsx experiments/filter-cut-shift.ts ${process.argv.slice(2).join(' ')}`,
  filter: values.filter,
  traj: values.traj,
  tauFilter,
  rows,
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
const pc = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
for (const r of rows) {
  console.log(
    `${r.part.padEnd(5)} ${String(r.removed).padStart(2)} slots cut: false-accept ${pc(r.fullBlock.falseAccept)} -> ${pc(r.cutBlock.falseAccept)} (of ${r.fullBlock.notFinal}), false-reject ${pc(r.fullBlock.falseReject)} -> ${pc(r.cutBlock.falseReject)} (of ${r.fullBlock.final})`,
  );
}
console.log(`wrote ${values.out}`);
