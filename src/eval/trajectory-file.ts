// The trajectory file that `collect` writes and `train-filter` reads: JSONL, a header line naming the model (id,
// variant, sha256 of its graph) and the canvas shape, then one line per EGP oracle sample (spec §3), with the
// 'context' filter's masked/stable flags (absent in files written before them). Reading is
// strict: a file made with another model or block length, or with a malformed line, is refused with its line.
// Pure (no file system): eval/node.ts reads a file from disk with it.
import type { OracleSample } from '../core';

/** A trajectory file that is not what collect writes; the message names the file and line. */
export class TrajectoryFileError extends Error {
  override name = 'TrajectoryFileError';
}

export const TRAJECTORY_FORMAT = 'learn2pd-trajectories/1';

export interface TrajectoryHeader {
  type: 'header';
  format: typeof TRAJECTORY_FORMAT;
  model: string;
  variant: string;
  modelSha256: string;
  genLength: number;
  blockLength: number;
  split: string;
  prompts: number;
  /** Train prompts skipped before the first (collect --offset); absent in files written before it was recorded. */
  offset?: number;
  /** Whose steps the samples come from: the EGP oracle's (spec §3; absent in older files) or the learn2pd
   * decoder's own, with the filter at `tauFilter` (collect --replay learn2pd). */
  replay?: TrajectoryReplay;
  tauFilter?: number;
  /** The learn2pd replay's filter (a name of the model's dllm.json); absent: the paper's. */
  filter?: string;
  /** The replay ran with EoTP (collect --eotp): cut canvases, short blocks. Absent: without. */
  eotp?: boolean;
}

export type TrajectoryReplay = 'egp_oracle' | 'learn2pd';

export interface TrajectorySample extends OracleSample {
  type: 'sample';
  prompt: number; // index of the prompt in the collection run
}

export interface TrajectoryFile {
  header: TrajectoryHeader;
  samples: TrajectorySample[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseHeader(raw: unknown, where: string): TrajectoryHeader {
  if (!isRecord(raw) || raw.type !== 'header')
    throw new TrajectoryFileError(
      `${where}: the first line must be the trajectory header (is this a file written by npm run collect?)`,
    );
  if (raw.format !== TRAJECTORY_FORMAT)
    throw new TrajectoryFileError(
      `${where}: unknown trajectory format ${JSON.stringify(raw.format)}, expected ${TRAJECTORY_FORMAT}`,
    );
  const str = (k: string) => {
    if (typeof raw[k] !== 'string') throw new TrajectoryFileError(`${where}: header field "${k}" must be a string`);
    return raw[k] as string;
  };
  const int = (k: string) => {
    if (typeof raw[k] !== 'number' || !Number.isInteger(raw[k]))
      throw new TrajectoryFileError(`${where}: header field "${k}" must be an integer`);
    return raw[k] as number;
  };
  return {
    type: 'header',
    format: TRAJECTORY_FORMAT,
    model: str('model'),
    variant: str('variant'),
    modelSha256: str('modelSha256'),
    genLength: int('genLength'),
    blockLength: int('blockLength'),
    split: str('split'),
    prompts: int('prompts'),
    ...(raw.offset === undefined ? {} : { offset: nonNegative(int('offset'), 'offset', where) }),
    ...replayOf(raw, where),
    ...eotpOf(raw, where),
  };
}

function nonNegative(v: number, k: string, where: string): number {
  if (v < 0) throw new TrajectoryFileError(`${where}: header field "${k}" must not be negative`);
  return v;
}

function eotpOf(raw: Record<string, unknown>, where: string): Pick<TrajectoryHeader, 'eotp'> {
  if (raw.eotp === undefined) return {};
  if (typeof raw.eotp !== 'boolean')
    throw new TrajectoryFileError(
      `${where}: header field "eotp" must be true or false, not ${JSON.stringify(raw.eotp)}`,
    );
  return { eotp: raw.eotp };
}

function replayOf(
  raw: Record<string, unknown>,
  where: string,
): Pick<TrajectoryHeader, 'replay' | 'tauFilter' | 'filter'> {
  if (raw.replay === undefined || raw.replay === 'egp_oracle') return { replay: 'egp_oracle' };
  if (raw.replay !== 'learn2pd')
    throw new TrajectoryFileError(
      `${where}: header field "replay" must be "egp_oracle" or "learn2pd", not ${JSON.stringify(raw.replay)}`,
    );
  if (typeof raw.tauFilter !== 'number' || !(raw.tauFilter >= 0 && raw.tauFilter <= 1))
    throw new TrajectoryFileError(`${where}: a learn2pd replay needs "tauFilter" in [0, 1]`);
  if (raw.filter !== undefined && typeof raw.filter !== 'string')
    throw new TrajectoryFileError(`${where}: header field "filter" must be a filter name`);
  return { replay: 'learn2pd', tauFilter: raw.tauFilter, ...(raw.filter === undefined ? {} : { filter: raw.filter }) };
}

function parseSample(raw: unknown, where: string, blockLength: number): TrajectorySample {
  if (!isRecord(raw) || raw.type !== 'sample') throw new TrajectoryFileError(`${where}: expected a sample line`);
  const { prompt, block, step, confidence, isCorrect, masked, stable, margin, entropy } = raw;
  if (![prompt, block, step].every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    throw new TrajectoryFileError(`${where}: prompt, block and step must be non-negative integers`);
  }
  if (!Array.isArray(confidence) || !confidence.every((c) => typeof c === 'number' && c >= 0 && c <= 1)) {
    throw new TrajectoryFileError(`${where}: confidence must be an array of probabilities`);
  }
  if (
    !Array.isArray(isCorrect) ||
    !isCorrect.every((c) => typeof c === 'boolean') ||
    isCorrect.length !== confidence.length
  ) {
    throw new TrajectoryFileError(`${where}: isCorrect must be booleans, one per confidence`);
  }
  if (confidence.length === 0 || confidence.length > blockLength) {
    throw new TrajectoryFileError(
      `${where}: a sample has ${confidence.length} confidences; this file's block length is ${blockLength}`,
    );
  }
  const flags = (name: string, v: unknown): boolean[] | undefined => {
    if (v === undefined) return undefined; // files from before the 'context' features
    if (!Array.isArray(v) || !v.every((c) => typeof c === 'boolean') || v.length !== confidence.length)
      throw new TrajectoryFileError(`${where}: ${name} must be booleans, one per confidence`);
    return v as boolean[];
  };
  const sample: TrajectorySample = {
    type: 'sample',
    prompt: prompt as number,
    block: block as number,
    step: step as number,
    confidence,
    isCorrect,
  };
  const m = flags('masked', masked);
  const s = flags('stable', stable);
  if ((m === undefined) !== (s === undefined))
    throw new TrajectoryFileError(`${where}: masked and stable come together`);
  if (m !== undefined && s !== undefined) Object.assign(sample, { masked: m, stable: s });
  const values = (name: string, v: unknown, ok: (x: number) => boolean, what: string): number[] | undefined => {
    if (v === undefined) return undefined; // files from before the slot filters' features
    if (!Array.isArray(v) || v.length !== confidence.length || !v.every((c) => typeof c === 'number' && ok(c)))
      throw new TrajectoryFileError(`${where}: ${name} must be ${what}, one per confidence`);
    return v as number[];
  };
  const mg = values('margin', margin, (c) => c >= 0 && c <= 1, 'probability differences in [0, 1]');
  const en = values('entropy', entropy, (c) => Number.isFinite(c) && c > -1e-3, 'entropies (finite, >= 0)');
  if (mg !== undefined) sample.margin = mg;
  if (en !== undefined) sample.entropy = en;
  return sample;
}

/** A trajectory file's text, `path` naming it in messages. */
export function parseTrajectoryText(text: string, path: string): TrajectoryFile {
  const lines = text.split('\n');
  const parse = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]);
    } catch {
      throw new TrajectoryFileError(`${path}:${i + 1} is not valid JSON`);
    }
  };
  if (lines[0] === undefined || lines[0].trim() === '') throw new TrajectoryFileError(`${path} is empty`);
  const header = parseHeader(parse(0), `${path}:1`);
  const samples: TrajectorySample[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    samples.push(parseSample(parse(i), `${path}:${i + 1}`, header.blockLength));
  }
  return { header, samples };
}

/**
 * The samples of several files, each file's samples that repeat one of an earlier file left out: the same forward
 * (split, genLength, prompt, block, step) with the same confidences, labels and flags. Two replays of the same prompts
 * record the same forwards until they part (the oracle and its EoTP replay agree up to the first cut, so at least on
 * each prompt's first step); training on both would count those twice and could put one copy in the test part and
 * the other in the training part. Everything else stays: repeats within one file (the oracle's stuck step repeats
 * the forward before it, and the spec keeps that sample: section 3), and equal samples of other prompts (an
 * all-EOS padding block reads the same in many answers). A prompt is its split, the header's offset and its index;
 * a file without an offset (collected before it was recorded) cannot say which prompts it holds, so none of its
 * samples counts as a repeat, nor as the original of one. `keepRepeats`: every sample, as train-filter read them
 * before experiment 7 (its reports then have no `duplicatesLeftOut`), to rebuild or score older filters.
 */
export function mergeSamples(
  files: readonly TrajectoryFile[],
  { keepRepeats = false } = {},
): { samples: TrajectorySample[]; duplicates: number } {
  if (keepRepeats) return { samples: files.flatMap((f) => f.samples), duplicates: 0 };
  const earlier = new Set<string>();
  const kept: TrajectorySample[] = [];
  let duplicates = 0;
  for (const { header, samples } of files) {
    const { offset } = header;
    if (offset === undefined) {
      kept.push(...samples);
      continue;
    }
    const keys = samples.map((s) =>
      JSON.stringify([
        header.split,
        header.genLength,
        offset + s.prompt,
        s.block,
        s.step,
        s.confidence,
        s.isCorrect,
        s.masked ?? null,
        s.stable ?? null,
      ]),
    );
    samples.forEach((s, i) => {
      if (earlier.has(keys[i])) duplicates++;
      else kept.push(s);
    });
    for (const k of keys) earlier.add(k);
  }
  return { samples: kept, duplicates };
}
