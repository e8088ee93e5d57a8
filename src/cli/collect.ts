// `npm run collect -- --model public/models/tiny-dllm --split train --limit 400 --gen-length 128 --block-length 32 --out traj.jsonl`
// Filter training data (spec §3): for each training prompt, the one-token-per-step reference, then the EGP oracle
// replay, one sample per forward. Only the train split: the filter must never see a test prompt.
import { parseArgs } from 'node:util';
import { collectTrainingSamples } from '../core';
import { sha256Hex } from '../runtime/files';
import { folderLoader } from '../runtime/node';
import { encodeChecked, evalModelOf } from '../runtime/evaluate';
import { CliError, intArg, loadNodeModel, parseSplit, runCli, splitPrompts, writeAtomic } from './common';
import { TRAJECTORY_FORMAT, type TrajectoryHeader } from './trajectory-file';

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${Math.round(seconds % 60)}s` : `${Math.round(seconds)}s`;
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      variant: { type: 'string' },
      split: { type: 'string', default: 'train' },
      limit: { type: 'string' },
      'gen-length': { type: 'string' },
      'block-length': { type: 'string' },
      offset: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.model || !values.out) throw new CliError('usage: npm run collect -- --model <folder> [--split train] --limit N --gen-length L --block-length 32 --out traj.jsonl');
  const split = parseSplit(values.split ?? 'train');
  if (split !== 'train') throw new CliError(`collect only reads the train split (got --split ${split}): the filter must never see validation or test prompts`);
  const model = await loadNodeModel(values.model, values.variant);
  try {
    const genLength = intArg('gen-length', values['gen-length'], model.manifest.defaults.genLength);
    const blockLength = intArg('block-length', values['block-length'], model.manifest.defaults.blockLength);
    if (genLength % blockLength !== 0) throw new CliError(`--gen-length ${genLength} must be a multiple of --block-length ${blockLength}`);
    const limit = intArg('limit', values.limit, 400);
    // --offset skips the first prompts of the split, so separate collections can draw disjoint slices.
    const offset = intArg('offset', values.offset, 0, 0);
    const prompts = splitPrompts('train', offset + limit).slice(offset);
    const graph = model.manifest.variants[model.variant].file;
    const header: TrajectoryHeader = {
      type: 'header',
      format: TRAJECTORY_FORMAT,
      model: model.manifest.id,
      variant: model.variant,
      modelSha256: await sha256Hex(await folderLoader(values.model)(graph)),
      genLength,
      blockLength,
      split,
      prompts: prompts.length,
    };
    const em = evalModelOf(model);
    const lines = [JSON.stringify(header)];
    const t0 = performance.now();
    let samples = 0;
    let nfe = 0;
    for (let i = 0; i < prompts.length; i++) {
      const run = await collectTrainingSamples(encodeChecked(em, prompts[i].prompt), { maskId: em.maskId, eosId: em.eosId, genLength, blockLength }, em.denoiser);
      for (const s of run.samples) lines.push(JSON.stringify({ type: 'sample', prompt: i, block: s.block, step: s.step, confidence: s.confidence.map((c) => Number(c.toPrecision(7))), isCorrect: s.isCorrect }));
      samples += run.samples.length;
      nfe += run.nfe + run.referenceNfe;
      const elapsed = (performance.now() - t0) / 1000;
      process.stderr.write(`\r${i + 1}/${prompts.length} prompts, ${samples} samples, ${nfe} forwards, ${elapsed.toFixed(0)}s, ETA ${eta((elapsed / (i + 1)) * (prompts.length - i - 1))}   `);
    }
    process.stderr.write('\n');
    writeAtomic(values.out, `${lines.join('\n')}\n`);
    console.log(`wrote ${values.out}: ${samples} samples from ${prompts.length} train prompts (genLength ${genLength}, blockLength ${blockLength}, model ${header.model} ${header.variant})`);
  } finally {
    await model.release();
  }
});
