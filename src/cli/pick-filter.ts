// `npm run pick-filter -- --bench docs/bench/validation-b32.json [--bench more.json] --model public/models/tiny-dllm`
// Chooses the learned filter (and its tauFilter) a Learn2PD pane uses by default at a block length, by a rule fixed
// before any test prompt is read: from a bench run on the validation split, among the Learn2PD rows with EoTP on
// (the app's default), those within FRONTIER_POINTS of the reference's accuracy, the one with the fewest mean NFE
// (a tie goes to the paper's filter); if none is within, the most accurate (a tie: the fewer NFE). It reads only a
// run of at least 300 prompts at the app's default canvas (pickRefusal). Writes `defaultFilters` and that filter's
// `tauFilter` into manifest.base.json and rewrites dllm.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult } from '../eval/bench-file';
import { parseManifest } from '../runtime/manifest';
import { FRONTIER_POINTS, mergedByCanvas, pickDefaultFilter, pickRefusal } from './bench-frontier';
import { CliError, runCli } from './common';
import { writeManifest } from './write-manifest';

runCli(async () => {
  const { values } = parseArgs({
    options: { bench: { type: 'string', multiple: true }, model: { type: 'string' } },
    strict: true,
  });
  if (!values.bench?.length || !values.model)
    throw new CliError(
      'usage: npm run pick-filter -- --bench docs/bench/validation-b32.json [--bench ...] --model <folder>',
    );
  const basePath = join(values.model, 'manifest.base.json');
  const base = JSON.parse(readFileSync(basePath, 'utf8')) as {
    filters?: Record<string, Record<string, { tauFilter: number }>>;
    defaultFilters?: Record<string, string>;
  };
  const { defaults } = parseManifest(readFileSync(join(values.model, 'dllm.json'), 'utf8'));
  const read = values.bench.map((path) => JSON.parse(readFileSync(path, 'utf8')) as BenchResult);
  // Files of the same prompts and canvas are read as one (rows added to an earlier run).
  for (const result of mergedByCanvas(read)) {
    const path = result.name;
    const refusal = pickRefusal(result, defaults);
    if (refusal !== null) throw new CliError(refusal);
    const pick = pickDefaultFilter(result);
    if (pick === null) throw new CliError(`${path} has no Learn2PD row with EoTP on`);
    const key = String(result.blockLength);
    const entry = base.filters?.[key]?.[pick.filter];
    if (entry === undefined)
      throw new CliError(`${path} picks the filter "${pick.filter}", which ${basePath} does not list under ${key}`);
    entry.tauFilter = pick.tauFilter;
    base.defaultFilters = { ...(base.defaultFilters ?? {}), [key]: pick.filter };
    const acc = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
    console.log(
      `block ${key}: ${pick.row.label} (${acc(pick.row.accuracy)} at ${pick.row.meanNfe.toFixed(1)} NFE; the reference ${acc(result.reference.accuracy)}${pick.within ? '' : `; no row within ${FRONTIER_POINTS} points, so the most accurate`})`,
    );
  }
  writeFileSync(basePath, `${JSON.stringify(base, null, 2)}\n`);
  console.log(writeManifest(values.model));
});
