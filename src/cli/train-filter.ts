// `npm run train-filter -- --traj traj.jsonl --model public/models/tiny-dllm [--filter paper|slot|slot-conf] [--tau-filter T]`
// Trains a learned filter on collected EGP samples (spec §3 step 3, in the core: full-batch AdamW, 80/10/10 split,
// early stopping) with the recipe of its name (core/filter-variants.ts), writes it next to the model (the paper's
// kind as ONNX, a slot filter as JSON), lists it in dllm.json under its block length and name, and prints the
// losses and the test false-accept / false-reject rates at the inference threshold. `--features` and `--loss`
// change the paper's recipe (the experiments of experiments/filter).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TAU_FILTER,
  FILTER_FEATURES,
  FILTER_VARIANT_NAMES,
  filterVariant,
  KNOB_RANGES,
  PAPER_FILTER,
  trainFilter,
} from '../core';
import { filterFile, variantTraining } from '../eval/filter-training';
import { readTrajectoryFile, writeAtomic } from '../eval/node';
import { mergeSamples } from '../eval/trajectory-file';
import { sha256Hex } from '../runtime/files';
import { readManifest } from '../runtime/model';
import { folderLoader } from '../runtime/node';
import { CliError, intArg, numArg, runCli } from './common';
import { writeManifest } from './write-manifest';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      traj: { type: 'string', multiple: true },
      model: { type: 'string' },
      filter: { type: 'string', default: PAPER_FILTER },
      'tau-filter': { type: 'string' },
      features: { type: 'string' },
      loss: { type: 'string' },
      seed: { type: 'string' },
      'max-epochs': { type: 'string' },
      patience: { type: 'string' },
      report: { type: 'string' },
      'keep-repeats': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.traj?.length || !values.model)
    throw new CliError(
      `usage: npm run train-filter -- --traj traj.jsonl [--traj more.jsonl] --model <folder> [--filter ${FILTER_VARIANT_NAMES.join('|')}] [--tau-filter ${DEFAULT_TAU_FILTER}] [--features confidence|context|log-odds] [--loss all|masked] [--keep-repeats] [--report docs/filter.json]`,
    );
  const variant = filterVariant(values.filter ?? PAPER_FILTER);
  if (variant === undefined)
    throw new CliError(
      `--filter must be one of ${FILTER_VARIANT_NAMES.join(', ')}, not ${JSON.stringify(values.filter)}`,
    );
  if (variant.kind === 'slot' && (values.features !== undefined || values.loss !== undefined))
    throw new CliError(`--features and --loss change the paper's recipe; the ${variant.name} filter has its own`);
  const features = FILTER_FEATURES.find(
    (f) => f === (values.features ?? (variant.kind === 'block' ? variant.features : 'confidence')),
  );
  if (features === undefined)
    throw new CliError(
      `--features must be confidence (the paper's filter), context (adds masked and stable flags) or log-odds (the confidences as log-odds), not ${JSON.stringify(values.features)}`,
    );
  const loss = values.loss ?? variant.training.loss ?? 'all';
  if (loss !== 'all' && loss !== 'masked')
    throw new CliError(
      `--loss must be all (the reference: every block position) or masked (only positions still masked), not ${JSON.stringify(loss)}`,
    );
  const manifest = await readManifest(folderLoader(values.model));
  const files = values.traj.map(readTrajectoryFile);
  const { blockLength } = files[0].header;
  for (const [i, { header }] of files.entries()) {
    const where = values.traj[i];
    if (header.model !== manifest.id)
      throw new CliError(`${where} was collected with model "${header.model}", not "${manifest.id}"`);
    const graph = manifest.variants[header.variant]?.file;
    if (!graph)
      throw new CliError(`${where} was collected with variant "${header.variant}", which ${manifest.id} does not have`);
    const sha = await sha256Hex(await folderLoader(values.model)(graph));
    if (sha !== header.modelSha256)
      throw new CliError(
        `${where} was collected with other weights than ${values.model}/${graph} (sha256 differs): collect again`,
      );
    if (header.blockLength !== blockLength)
      throw new CliError(
        `${where} has block length ${header.blockLength}, ${values.traj[0]} has ${blockLength}: train one filter per block length`,
      );
  }
  const { samples, duplicates } = mergeSamples(files, { keepRepeats: values['keep-repeats'] });
  if (duplicates > 0)
    console.log(
      `left out ${duplicates} samples that repeat one of an earlier file (the same forward recorded by two replays, e.g. the oracle's and its EoTP replay's before the first cut)`,
    );
  const tauFilter = numArg('tau-filter', values['tau-filter'], DEFAULT_TAU_FILTER, KNOB_RANGES.tauFilter);
  const t0 = performance.now();
  let lastPrint = 0;
  const trained = trainFilter(samples, {
    ...variantTraining(variant, blockLength, {
      seed: intArg('seed', values.seed, 0, 0),
      tauFilter,
      features,
      loss,
      maxEpochs: intArg('max-epochs', values['max-epochs'], variant.training.maxEpochs ?? 40_000),
      patience: intArg('patience', values.patience, variant.training.patience ?? 500),
    }),
    onEpoch: ({ epoch, trainLoss, valLoss, bestValLoss }) => {
      if (performance.now() - lastPrint < 1000) return;
      lastPrint = performance.now();
      process.stderr.write(
        `\repoch ${epoch}: train ${trainLoss.toFixed(5)}, validation ${valLoss.toFixed(5)} (best ${bestValLoss.toFixed(5)})   `,
      );
    },
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  const { test } = trained;
  console.log(
    `samples: ${samples.length} (train ${trained.split.train}, validation ${trained.split.validation}, test ${trained.split.test}), block length ${blockLength}, the ${variant.name} filter (${variant.kind === 'slot' ? variant.slotFeatures.join(', ') : `${features} features`}), loss over ${loss === 'all' ? 'all block positions' : 'masked positions only'}`,
  );
  console.log(`epochs: ${trained.epochs} (best ${trained.bestEpoch}), ${seconds.toFixed(1)} s`);
  console.log(
    `loss: train ${trained.trainLoss.toFixed(5)}, validation ${trained.valLoss.toFixed(5)}, test ${trained.testLoss.toFixed(5)}`,
  );
  console.log(
    `test${loss === 'masked' ? ' (masked positions)' : ''} at tauFilter ${tauFilter}: false-accept rate ${(100 * test.falseAcceptRate).toFixed(2)}% (fp ${test.fp} / ${test.fp + test.tn}), false-reject rate ${(100 * test.falseRejectRate).toFixed(2)}% (fn ${test.fn} / ${test.fn + test.tp})`,
  );

  const { file, bytes, entry } = filterFile(variant, blockLength, trained.weights, tauFilter, features);
  mkdirSync(join(values.model, 'filter'), { recursive: true });
  writeFileSync(join(values.model, file), bytes);
  const basePath = join(values.model, 'manifest.base.json');
  const base = JSON.parse(readFileSync(basePath, 'utf8')) as { filters?: Record<string, Record<string, unknown>> };
  const key = String(blockLength);
  base.filters = { ...(base.filters ?? {}), [key]: { ...(base.filters?.[key] ?? {}), [variant.name]: entry } };
  writeFileSync(basePath, `${JSON.stringify(base, null, 2)}\n`);
  console.log(writeManifest(values.model));
  if (values.report) {
    const { weights, ...metrics } = trained;
    writeAtomic(
      values.report,
      `${JSON.stringify({ traj: values.traj, headers: files.map((f) => f.header), filter: variant.name, kind: variant.kind, features: variant.kind === 'slot' ? variant.slotFeatures : features, loss, samples: samples.length, ...(values['keep-repeats'] ? {} : { duplicatesLeftOut: duplicates }), seconds, ...metrics, weights }, null, 2)}\n`,
    );
    console.log(`wrote ${values.report}`);
  }
});
