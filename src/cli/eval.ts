// `npm run eval -- --model public/models/tiny-dllm --decoder learn2pd --eotp --split test --limit 200 --json out.json`
// Evaluates one decoder (and the one-token-per-step reference it is compared with) on task prompts or a JSONL
// file of prompts; prints a table and writes JSON.
import { parseArgs } from 'node:util';
import {
  DECODER_NAMES,
  DEFAULT_FACTOR,
  DEFAULT_GAMMA,
  DEFAULT_TAU,
  DEFAULT_TAU_FILTER,
  type DecoderSpec,
  isReferenceSpec,
  KNOB_RANGES,
  PAPER_FILTER,
  tauFilterFor,
} from '../core';
import { type DecoderReport, evalModelOf, evaluate } from '../eval/evaluate';
import { loadNodeModel, writeAtomic } from '../eval/node';
import { parseSplit, splitPrompts } from '../eval/prompts';
import { pct, table } from '../eval/text';
import { manifestFilters } from '../runtime/manifest';
import { CliError, filePrompts, intArg, numArg, runCli } from './common';

const USAGE = `usage: npm run eval -- --model <folder> --decoder <${DECODER_NAMES.join('|')}>
  [--tau ${DEFAULT_TAU}] [--filter ${PAPER_FILTER}] [--tau-filter ${DEFAULT_TAU_FILTER} or the model's] [--factor ${DEFAULT_FACTOR}] [--gamma ${DEFAULT_GAMMA}] [--eotp] [--variant q4]
  (--split test [--limit 200] [--family arithmetic,sort] | --prompts file.jsonl)
  [--gen-length 128] [--block-length 32] [--json out.json]`;

function decoderSpec(
  values: Record<string, string | boolean | undefined>,
  defaultTauFilter: (filter: string) => number,
): DecoderSpec {
  const eotp = values.eotp === true;
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  switch (str('decoder')) {
    case 'low_confidence':
      return { decoder: 'low_confidence', eotp };
    case 'threshold':
      return { decoder: 'threshold', eotp, tau: numArg('tau', str('tau'), DEFAULT_TAU, KNOB_RANGES.tau) };
    case 'factor':
      return { decoder: 'factor', eotp, factor: numArg('factor', str('factor'), DEFAULT_FACTOR, KNOB_RANGES.factor) };
    case 'eb_sampler':
      return { decoder: 'eb_sampler', eotp, gamma: numArg('gamma', str('gamma'), DEFAULT_GAMMA, KNOB_RANGES.gamma) };
    case 'learn2pd': {
      const filter = str('filter') ?? PAPER_FILTER;
      return {
        decoder: 'learn2pd',
        eotp,
        tauFilter: numArg('tau-filter', str('tau-filter'), defaultTauFilter(filter), KNOB_RANGES.tauFilter),
        ...(filter === PAPER_FILTER ? {} : { filter }),
      };
    }
    case 'egp_oracle':
      if (eotp) throw new CliError('egp_oracle runs without EoTP (it replays the reference answer)');
      return { decoder: 'egp_oracle', eotp: false };
    default:
      throw new CliError(`--decoder is required and must be one of ${DECODER_NAMES.join(', ')}\n${USAGE}`);
  }
}

/** Mean answer length minus the reference answer's, signed, and its mean size ("-0.4 (1.2)"). */
function lengthError(r: DecoderReport): string {
  return r.meanLengthError === null || r.meanAbsLengthError === null
    ? '-'
    : `${r.meanLengthError.toFixed(1)} (${r.meanAbsLengthError.toFixed(1)})`;
}

function row(r: DecoderReport): string[] {
  return [
    r.label,
    String(r.n),
    pct(r.accuracy),
    pct(r.agreement),
    r.meanNfe.toFixed(1),
    r.meanAnswerTokens.toFixed(1),
    lengthError(r),
    r.tokensPerStep.toFixed(2),
    `${r.nfeSpeedup.toFixed(2)}x`,
    r.tokensPerSecond.toFixed(1),
    `${r.timeSpeedup.toFixed(2)}x`,
  ];
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      decoder: { type: 'string' },
      tau: { type: 'string' },
      'tau-filter': { type: 'string' },
      filter: { type: 'string' },
      factor: { type: 'string' },
      gamma: { type: 'string' },
      eotp: { type: 'boolean' },
      variant: { type: 'string' },
      split: { type: 'string' },
      limit: { type: 'string' },
      family: { type: 'string' },
      prompts: { type: 'string' },
      'gen-length': { type: 'string' },
      'block-length': { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  if (!values.model) throw new CliError(`--model is required\n${USAGE}`);
  if (!values.split && !values.prompts) throw new CliError(`give --split or --prompts\n${USAGE}`);
  const model = await loadNodeModel(values.model, values.variant);
  try {
    const canvas = {
      genLength: intArg('gen-length', values['gen-length'], model.manifest.defaults.genLength),
      blockLength: intArg('block-length', values['block-length'], model.manifest.defaults.blockLength),
    };
    if (values.filter !== undefined && values.decoder !== 'learn2pd')
      throw new CliError('--filter names the learned filter of --decoder learn2pd');
    const listed = manifestFilters(model.manifest);
    const spec = decoderSpec(values, (filter) => tauFilterFor(listed, canvas.blockLength, filter));
    const prompts = values.prompts
      ? filePrompts(values.prompts)
      : splitPrompts(parseSplit(values.split ?? 'test'), intArg('limit', values.limit, 200), values.family?.split(','));
    const t0 = performance.now();
    const { reference, reports } = await evaluate(evalModelOf(model), prompts, canvas, [spec], {
      onProgress: (done, total) => process.stderr.write(`\r${done}/${total} prompts`),
    });
    process.stderr.write('\n');
    const report = reports[0];
    const header = [
      'decoder',
      'n',
      'accuracy',
      'agree',
      'NFE',
      'tokens',
      'length err',
      'tok/step',
      'speedup',
      'tok/s',
      'time x',
    ];
    console.log(
      `model ${model.manifest.id} (${model.variant}), genLength ${canvas.genLength}, blockLength ${canvas.blockLength}, ${prompts.length} prompts`,
    );
    console.log(table(header, isReferenceSpec(spec) ? [row(reference)] : [row(reference), row(report)]));
    console.log('\nper family:');
    console.log(
      table(
        ['family', 'n', 'accuracy', 'agree', 'NFE'],
        Object.entries(report.perFamily).map(([f, s]) => [
          f,
          String(s.n),
          pct(s.accuracy),
          pct(s.agreement),
          s.meanNfe.toFixed(1),
        ]),
      ),
    );
    if (values.json) {
      const { outcomes, ...summary } = report;
      const out = {
        ...summary,
        model: model.manifest.id,
        variant: model.variant,
        genLength: canvas.genLength,
        blockLength: canvas.blockLength,
        reference: {
          accuracy: reference.accuracy,
          meanNfe: reference.meanNfe,
          tokensPerSecond: reference.tokensPerSecond,
          perFamily: reference.perFamily,
        },
        seconds: (performance.now() - t0) / 1000,
        samples: outcomes.slice(0, 20).map((o, i) => ({
          prompt: prompts[i].prompt,
          family: o.family,
          answer: o.answerText,
          correct: o.correct,
          nfe: o.nfe,
        })),
      };
      writeAtomic(values.json, `${JSON.stringify(out, null, 2)}\n`);
      console.log(`\nwrote ${values.json}`);
    }
  } finally {
    await model.release();
  }
});
