// `npm run train-filter -- --traj traj.jsonl --model public/models/tiny-dllm [--tau-filter T] [--features context] [--loss masked]`
// Trains the Learn2PD filter on collected EGP samples (spec §3 step 3, in the core: full-batch AdamW lr 3e-3,
// 80/10/10 split, early stopping), writes it as ONNX next to the model, lists it in dllm.json, and prints the
// losses and the test false-accept / false-reject rates at the inference threshold.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TAU_FILTER, FILTER_FEATURES, KNOB_RANGES, trainFilter } from '../core';
import { readTrajectoryFile, writeAtomic } from '../eval/node';
import { mergeSamples } from '../eval/trajectory-file';
import { sha256Hex } from '../runtime/files';
import { filterToOnnx } from '../runtime/filter-onnx';
import { readManifest } from '../runtime/model';
import { folderLoader } from '../runtime/node';
import { CliError, intArg, numArg, runCli } from './common';
import { writeManifest } from './write-manifest';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      traj: { type: 'string', multiple: true },
      model: { type: 'string' },
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
      `usage: npm run train-filter -- --traj traj.jsonl [--traj more.jsonl] --model <folder> [--tau-filter ${DEFAULT_TAU_FILTER}] [--features confidence|context|log-odds] [--loss all|masked] [--keep-repeats] [--report docs/filter.json]`,
    );
  const features = FILTER_FEATURES.find((f) => f === (values.features ?? 'confidence'));
  if (features === undefined)
    throw new CliError(
      `--features must be confidence (the paper's filter), context (adds masked and stable flags) or log-odds (the confidences as log-odds), not ${JSON.stringify(values.features)}`,
    );
  const loss = values.loss ?? 'all';
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
    filterSize: blockLength,
    features,
    loss,
    seed: intArg('seed', values.seed, 0, 0),
    maxEpochs: intArg('max-epochs', values['max-epochs'], 40_000),
    patience: intArg('patience', values.patience, 500),
    tauFilter,
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
    `samples: ${samples.length} (train ${trained.split.train}, validation ${trained.split.validation}, test ${trained.split.test}), block length ${blockLength}, ${features} features, loss over ${loss === 'all' ? 'all block positions' : 'masked positions only'}`,
  );
  console.log(`epochs: ${trained.epochs} (best ${trained.bestEpoch}), ${seconds.toFixed(1)} s`);
  console.log(
    `loss: train ${trained.trainLoss.toFixed(5)}, validation ${trained.valLoss.toFixed(5)}, test ${trained.testLoss.toFixed(5)}`,
  );
  console.log(
    `test${loss === 'masked' ? ' (masked positions)' : ''} at tauFilter ${tauFilter}: false-accept rate ${(100 * test.falseAcceptRate).toFixed(2)}% (fp ${test.fp} / ${test.fp + test.tn}), false-reject rate ${(100 * test.falseRejectRate).toFixed(2)}% (fn ${test.fn} / ${test.fn + test.tp})`,
  );

  const file = `filter/filter_b${blockLength}.onnx`;
  mkdirSync(join(values.model, 'filter'), { recursive: true });
  writeFileSync(join(values.model, file), filterToOnnx(trained.weights, features));
  const basePath = join(values.model, 'manifest.base.json');
  const base = JSON.parse(readFileSync(basePath, 'utf8')) as { filters?: Record<string, unknown> };
  // 'confidence' (the paper's filter) stays implicit, so the shipped manifest reads as before.
  base.filters = {
    ...(base.filters ?? {}),
    [String(blockLength)]: { file, tauFilter, ...(features === 'confidence' ? {} : { features }) },
  };
  writeFileSync(basePath, `${JSON.stringify(base, null, 2)}\n`);
  console.log(writeManifest(values.model));
  if (values.report) {
    const { weights, ...metrics } = trained;
    writeAtomic(
      values.report,
      `${JSON.stringify({ traj: values.traj, headers: files.map((f) => f.header), features, loss, samples: samples.length, ...(values['keep-repeats'] ? {} : { duplicatesLeftOut: duplicates }), seconds, ...metrics, weights }, null, 2)}\n`,
    );
    console.log(`wrote ${values.report}`);
  }
});
