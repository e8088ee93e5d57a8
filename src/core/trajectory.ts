// Training data for the filter (spec §3 "Training data"): the one-token-per-step reference, then the EGP oracle
// replay that records one sample per forward. Both run through the same step loop as every decoder.
import { decode } from './loop';
import type { DecodeOptions, Denoiser, Filter, OracleSample } from './types';

/** The settings the collection needs: the decoders' common fields without steps (fixed to genLength here). */
export interface CollectConfig {
  maskId: number;
  eosId: number;
  genLength: number;
  blockLength: number;
  /** Replay with EoTP (spec §4: rule 2 only for the oracle, which has no filter; both rules for the learn2pd
   * replay): cut canvases, whose short blocks the filter reads zero-padded. Never for the reference. Default false. */
  eotp?: boolean;
}

// Copies only these fields, so a full decoder config passed here cannot smuggle in its steps or decoder.
function common({ maskId, eosId, genLength, blockLength }: CollectConfig): CollectConfig & { steps: number } {
  return { maskId, eosId, genLength, blockLength, steps: genLength };
}

export interface OracleRun {
  samples: OracleSample[];
  output: Int32Array; // the oracle's output (equals the reference except where the stuck guard wrote it)
  nfe: number;
}

/** Spec §3 step 2: replays the EGP oracle against `reference` (prompt + canvas ids) and returns its samples. */
export async function collectOracleSamples(
  prompt: Int32Array,
  config: CollectConfig,
  denoiser: Denoiser,
  reference: ArrayLike<number>,
  options: DecodeOptions = {},
): Promise<OracleRun> {
  const result = await decode(
    prompt,
    { ...common(config), decoder: 'egp_oracle', eotp: config.eotp ?? false, reference },
    denoiser,
    undefined,
    options,
  );
  return { samples: result.samples ?? [], output: result.output, nfe: result.nfe };
}

/**
 * The filter's own trajectory (a DAgger-style complement to the oracle's, spec §6 "training on the filter's own
 * trajectories"): decode with `learn2pd` and `filter` at `tauFilter` (no EoTP, so every block keeps its length)
 * and record, at every forward, the same sample the oracle replay records: the block's confidences and whether
 * each current prediction equals `reference`. The oracle only visits canvases where every commit was right; these
 * are the canvases the filter really meets, its own mistakes included.
 */
export async function collectFilterSamples(
  prompt: Int32Array,
  config: CollectConfig,
  denoiser: Denoiser,
  filter: Filter,
  tauFilter: number,
  reference: ArrayLike<number>,
  options: DecodeOptions = {},
): Promise<OracleRun> {
  const result = await decode(
    prompt,
    { ...common(config), decoder: 'learn2pd', eotp: config.eotp ?? false, tauFilter },
    denoiser,
    filter,
    { ...options, sampleReference: reference },
  );
  return { samples: result.samples ?? [], output: result.output, nfe: result.nfe };
}

export interface TrainingRun extends OracleRun {
  reference: Int32Array; // the baseline output, prompt included
  referenceNfe: number; // = genLength
}

/** Spec §3 step 1: the reference, decoded with the baseline (low_confidence, steps = genLength, no EoTP). */
export async function decodeReference(
  prompt: Int32Array,
  config: CollectConfig,
  denoiser: Denoiser,
  options: DecodeOptions = {},
): Promise<{ output: Int32Array; nfe: number }> {
  const { output, nfe } = await decode(
    prompt,
    { ...common(config), decoder: 'low_confidence', eotp: false },
    denoiser,
    undefined,
    options,
  );
  return { output, nfe };
}

/** Spec §3 steps 1-2 for one prompt: the reference, then the oracle replayed against it. */
export async function collectTrainingSamples(
  prompt: Int32Array,
  config: CollectConfig,
  denoiser: Denoiser,
  options: DecodeOptions = {},
): Promise<TrainingRun> {
  const baseline = await decodeReference(prompt, config, denoiser, options);
  const oracle = await collectOracleSamples(prompt, config, denoiser, baseline.output, options);
  return { ...oracle, reference: baseline.output, referenceNfe: baseline.nfe };
}
