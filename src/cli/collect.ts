// `npm run collect -- --model public/models/tiny-dllm --split train --limit 400 --gen-length 128 --block-length 32 --out traj.jsonl`
// Filter training data (spec §3): for each training prompt, the one-token-per-step reference, then the EGP oracle
// replay, one sample per forward. Only the train split: the filter must never see a test prompt.
// `--replay learn2pd [--tau-filter T]` records the learn2pd decoder's own steps instead (the model folder's
// filter), labelled against the same reference: the canvases the filter meets, its own mistakes included.
// `--eotp` replays with end-of-text prediction (spec §4), so the samples include the cut canvases' short blocks,
// which decoding with EoTP feeds the filter zero-padded (the reference is always decoded without it).
// `--eotp-out more.jsonl` also writes the EoTP replay against the same references (one reference decode for both).
import { parseArgs } from 'node:util';
import {
  collectFilterSamples,
  collectOracleSamples,
  decodeReference,
  KNOB_RANGES,
  PAPER_FILTER,
  requireFilter,
  tauFilterFor,
} from '../core';
import { encodeChecked, evalModelOf } from '../eval/evaluate';
import { sampleLine, trajectoryHeader } from '../eval/filter-training';
import { loadNodeModel, writeAtomic } from '../eval/node';
import { parseSplit, splitPrompts } from '../eval/prompts';
import type { TrajectoryHeader } from '../eval/trajectory-file';
import { sha256Hex } from '../runtime/files';
import { manifestFilters } from '../runtime/manifest';
import { folderLoader } from '../runtime/node';
import { CliError, intArg, numArg, runCli } from './common';

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
      replay: { type: 'string', default: 'egp_oracle' },
      'tau-filter': { type: 'string' },
      filter: { type: 'string' },
      eotp: { type: 'boolean', default: false },
      'eotp-out': { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.model || !values.out) {
    throw new CliError(
      'usage: npm run collect -- --model <folder> [--split train] --limit N --gen-length L --block-length 32 [--replay egp_oracle|learn2pd [--filter paper] [--tau-filter 0.96]] [--eotp] --out traj.jsonl [--eotp-out traj-eotp.jsonl]',
    );
  }
  const replay = values.replay;
  if (replay !== 'egp_oracle' && replay !== 'learn2pd')
    throw new CliError(`--replay must be egp_oracle or learn2pd, not ${replay}`);
  const split = parseSplit(values.split ?? 'train');
  if (split !== 'train')
    throw new CliError(
      `collect only reads the train split (got --split ${split}): the filter must never see validation or test prompts`,
    );
  const model = await loadNodeModel(values.model, values.variant);
  try {
    const genLength = intArg('gen-length', values['gen-length'], model.manifest.defaults.genLength);
    const blockLength = intArg('block-length', values['block-length'], model.manifest.defaults.blockLength);
    if (genLength % blockLength !== 0)
      throw new CliError(`--gen-length ${genLength} must be a multiple of --block-length ${blockLength}`);
    const limit = intArg('limit', values.limit, 400);
    // --offset skips the first prompts of the split, so separate collections can draw disjoint slices.
    const offset = intArg('offset', values.offset, 0, 0);
    const prompts = splitPrompts('train', offset + limit).slice(offset);
    const graph = model.manifest.variants[model.variant].file;
    const header: TrajectoryHeader = trajectoryHeader({
      model: model.manifest.id,
      variant: model.variant,
      modelSha256: await sha256Hex(await folderLoader(values.model)(graph)),
      genLength,
      blockLength,
      split,
      prompts: prompts.length,
      offset,
      replay,
    });
    const em = evalModelOf(model);
    // The learn2pd replay decodes with the folder's own filter of that name that serves this block length.
    const name = values.filter ?? PAPER_FILTER;
    const listed = replay === 'learn2pd' ? requireFilter(em.filters, blockLength, name) : undefined;
    if (replay !== 'learn2pd' && (values['tau-filter'] !== undefined || values.filter !== undefined))
      throw new CliError('--filter and --tau-filter are only for --replay learn2pd');
    const tauFilter = numArg(
      'tau-filter',
      values['tau-filter'],
      tauFilterFor(manifestFilters(model.manifest), blockLength, name),
      KNOB_RANGES.tauFilter,
    );
    const filter = listed?.filter;
    if (listed !== undefined) Object.assign(header, { tauFilter, filter: listed.name });
    if (values.eotp === true && values['eotp-out'] !== undefined)
      throw new CliError('--eotp-out adds the EoTP replay to a replay without it: leave out --eotp');
    // One output per replay: --out (with EoTP when --eotp), and --eotp-out with it.
    const outputs = [{ path: values.out, eotp: values.eotp === true }];
    if (values['eotp-out'] !== undefined) outputs.push({ path: values['eotp-out'], eotp: true });
    const lines = outputs.map(({ eotp }) => [JSON.stringify(eotp ? { ...header, eotp: true } : header)]);
    const t0 = performance.now();
    let samples = 0;
    let nfe = 0;
    for (let i = 0; i < prompts.length; i++) {
      const ids = encodeChecked(em, prompts[i].prompt);
      const config = { maskId: em.maskId, eosId: em.eosId, genLength, blockLength };
      const reference = await decodeReference(ids, config, em.denoiser);
      nfe += reference.nfe;
      for (const [o, { eotp }] of outputs.entries()) {
        const run =
          filter === undefined
            ? await collectOracleSamples(ids, { ...config, eotp }, em.denoiser, reference.output)
            : await collectFilterSamples(ids, { ...config, eotp }, em.denoiser, filter, tauFilter, reference.output);
        for (const s of run.samples) lines[o].push(sampleLine(i, s));
        samples += run.samples.length;
        nfe += run.nfe;
      }
      const elapsed = (performance.now() - t0) / 1000;
      process.stderr.write(
        `\r${i + 1}/${prompts.length} prompts, ${samples} samples, ${nfe} forwards, ${elapsed.toFixed(0)}s, ETA ${eta((elapsed / (i + 1)) * (prompts.length - i - 1))}   `,
      );
    }
    process.stderr.write('\n');
    for (const [o, { path, eotp }] of outputs.entries()) {
      writeAtomic(path, `${lines[o].join('\n')}\n`);
      const from = `${replay === 'learn2pd' ? `learn2pd's own steps at tauFilter ${header.tauFilter}` : 'the EGP oracle replay'}${eotp ? ' with EoTP' : ''}`;
      console.log(
        `wrote ${path}: ${lines[o].length - 1} samples (${from}) from ${prompts.length} train prompts (genLength ${genLength}, blockLength ${blockLength}, model ${header.model} ${header.variant})`,
      );
    }
  } finally {
    await model.release();
  }
});
