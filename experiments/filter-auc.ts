// How well each trained filter tells a masked slot whose prediction is already final from one that is not, on
// the held-out samples of its own training run, next to the slot's own confidence (what the threshold rule reads):
//   npx tsx experiments/filter-auc.ts --traj training/traj/ctx-g128.jsonl --traj training/traj/ctx-g256.jsonl \
//     --filter docs/filter/filter_b32.json --filter experiments/filter/filter_b32-log-odds.json ... \
//     --out experiments/filter/auc.json
// The trajectory files must be the ones the filters were trained on, in the same order (the 80/10/10 split is
// seeded over that list; the reports' split sizes are checked). Only masked positions count: decoding never reads
// the filter's output at a committed one. Per split: ROC AUC (the chance a final prediction scores above a
// non-final one) and the false-accept rate at a false-reject rate of 5, 10 and 20%.
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
import { mergeSamples } from '../src/eval/trajectory-file';

interface FilterReport {
  features?: FilterFeatures;
  loss?: 'all' | 'masked';
  samples: number;
  duplicatesLeftOut?: number; // see experiments/filter-cut-shift.ts
  split: { train: number; validation: number; test: number };
  weights: MlpWeights;
}

interface Scores {
  final: number[]; // scores of masked slots whose prediction equals the reference
  other: number[];
}

function summary({ final, other }: Scores) {
  // AUC by ranks (ties count half): sort all scores once.
  const all = [...final.map((s) => [s, 1] as const), ...other.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const rank = (i + 1 + j) / 2; // 1-based average rank of the tie group
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += rank;
    i = j;
  }
  const auc = (rankSum - (final.length * (final.length + 1)) / 2) / (final.length * other.length);
  const sorted = [...final].sort((a, b) => a - b);
  const falseAcceptAt = (falseReject: number) => {
    const cut = sorted[Math.floor(falseReject * sorted.length)]; // accept scores above the cut
    return other.filter((s) => s > cut).length / other.length;
  };
  return {
    auc,
    falseAccept: { at5: falseAcceptAt(0.05), at10: falseAcceptAt(0.1), at20: falseAcceptAt(0.2) },
    final: final.length,
    other: other.length,
  };
}

const { values } = parseArgs({
  options: {
    traj: { type: 'string', multiple: true },
    filter: { type: 'string', multiple: true },
    out: { type: 'string' },
  },
  strict: true,
});
if (!values.traj?.length || !values.filter?.length || !values.out)
  throw new Error(
    'usage: npx tsx experiments/filter-auc.ts --traj T.jsonl [--traj ...] --filter report.json [--filter ...] --out auc.json',
  );
// The samples as the filters' training read them: each forward once (train-filter since experiment 7), or every
// sample (reports from before it, without `duplicatesLeftOut`). One sample list is shared, so the reports must agree.
const reports = values.filter.map((path) => ({ path, report: JSON.parse(readFileSync(path, 'utf8')) as FilterReport }));
const merged = reports.map(({ report }) => report.duplicatesLeftOut !== undefined);
if (merged.some((m) => m !== merged[0]))
  throw new Error(
    'these filters read their samples differently (some before train-filter left out repeated forwards): run them separately',
  );
const files = values.traj.map(readTrajectoryFile);
const { samples } = mergeSamples(files, { keepRepeats: !merged[0] });
if (samples.some((s) => s.masked === undefined))
  throw new Error('these trajectory files have no masked flags: collect them again');
const split = splitIndices(samples.length, 0);

const rows: Record<string, unknown>[] = [];
const evaluate = (name: string, score: (k: number) => Float64Array | ArrayLike<number>) => {
  const out: Record<string, unknown> = { name };
  for (const part of ['validation', 'test'] as const) {
    const scores: Scores = { final: [], other: [] };
    for (const k of split[part]) {
      const s = samples[k];
      const z = score(k);
      s.isCorrect.forEach((ok, i) => {
        if (s.masked?.[i] === true) (ok ? scores.final : scores.other).push(z[i]);
      });
    }
    out[part] = summary(scores);
  }
  rows.push(out);
};

evaluate("the slot's own confidence (the threshold rule's score)", (k) => samples[k].confidence);
for (const { path, report } of reports) {
  if (report.samples !== samples.length || report.split.test !== split.test.length)
    throw new Error(`${path} was trained on ${report.samples} samples, these files hold ${samples.length}`);
  const features = report.features ?? 'confidence';
  const size = report.weights.b2.length;
  evaluate(
    `${path} (${features} features, loss over ${report.loss === 'masked' ? 'masked positions' : 'all positions'})`,
    (k) => {
      const x = new Float64Array(size * featureGroups(features));
      writeFilterInput(samples[k], features, size, x);
      return mlpForward(report.weights, x);
    },
  );
}
// Where the filter's inputs sit: the confidences of all masked slots of all samples.
const masked = samples.flatMap((s) => s.confidence.filter((_, i) => s.masked?.[i] === true)).sort((a, b) => a - b);
const quantile = (q: number) => masked[Math.floor(q * (masked.length - 1))];
const confidence = {
  maskedSlots: masked.length,
  above099: masked.filter((c) => c > 0.99).length / masked.length,
  quartiles: [quantile(0.25), quantile(0.5), quantile(0.75)],
};
const result = {
  command: `npx tsx experiments/filter-auc.ts ${process.argv.slice(2).join(' ')}`,
  traj: values.traj,
  samples: samples.length,
  confidence,
  rows,
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
for (const r of rows) {
  const t = r.test as ReturnType<typeof summary>;
  const v = r.validation as ReturnType<typeof summary>;
  const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(
    `${String(r.name)}\n  AUC validation ${v.auc.toFixed(4)}, test ${t.auc.toFixed(4)}; test false-accept at false-reject 5/10/20%: ${pc(t.falseAccept.at5)} / ${pc(t.falseAccept.at10)} / ${pc(t.falseAccept.at20)} (${t.final} final, ${t.other} not)`,
  );
}
console.log(
  `masked slots' confidence: ${(100 * confidence.above099).toFixed(1)}% above 0.99; quartiles ${confidence.quartiles.map((q) => q.toFixed(5)).join(', ')}`,
);
console.log(`wrote ${values.out}`);
