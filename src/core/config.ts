// Validation of a decode request (config + prompt + filter) against the spec's constraints, and the derived
// quantities every rule needs (numBlocks, stepsPerBlock). Errors name the offending field.
import { ConfigError } from './errors';
import { CACHE_MODES, type DecoderConfig, EOTP_SCOPES, type Filter } from './types';
import { DECODER_NAMES } from './vocabulary';

export type ResolvedConfig = DecoderConfig & {
  steps: number;
  numBlocks: number;
  stepsPerBlock: number;
};

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function requirePositiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function requireIdsValid(ids: ArrayLike<number>, field: string, maskId: number): void {
  for (let i = 0; i < ids.length; i++) {
    if (!isNonNegInt(ids[i]))
      throw new ConfigError(`${field}[${i}] must be a non-negative integer token id, got ${String(ids[i])}`);
  }
  for (let i = 0; i < ids.length; i++) {
    // A mask in the prompt would never be decoded (it is outside every block) yet keep EoTP's loop alive;
    // a mask in the reference could never be matched.
    if (ids[i] === maskId) throw new ConfigError(`${field}[${i}] is the mask id ${maskId}`);
  }
}

/**
 * Checks everything the step loop relies on. `steps` defaults to genLength and must be a multiple of the number
 * of blocks and at most genLength (LLaDA's limit): with more, some scheduled steps would commit nothing.
 */
export function validateConfig(config: DecoderConfig, prompt: ArrayLike<number>, filter?: Filter): ResolvedConfig {
  const decoder: unknown = config.decoder;
  if (typeof decoder !== 'string' || !DECODER_NAMES.some((name) => name === decoder)) {
    throw new ConfigError(`decoder must be one of ${DECODER_NAMES.join(', ')}, got ${String(decoder)}`);
  }
  if (!isNonNegInt(config.maskId))
    throw new ConfigError(`maskId must be a non-negative integer, got ${String(config.maskId)}`);
  if (!isNonNegInt(config.eosId))
    throw new ConfigError(`eosId must be a non-negative integer, got ${String(config.eosId)}`);
  if (config.maskId === config.eosId) throw new ConfigError(`eosId must differ from maskId (both ${config.maskId})`);
  const genLength = requirePositiveInt(config.genLength, 'genLength');
  const blockLength = requirePositiveInt(config.blockLength, 'blockLength');
  if (genLength % blockLength !== 0) {
    throw new ConfigError(`genLength (${genLength}) must be a multiple of blockLength (${blockLength})`);
  }
  const numBlocks = genLength / blockLength;
  const steps = config.steps === undefined ? genLength : requirePositiveInt(config.steps, 'steps');
  if (steps % numBlocks !== 0) {
    throw new ConfigError(
      `steps (${steps}) must be a multiple of the number of blocks (${numBlocks} = genLength / blockLength)`,
    );
  }
  if (steps > genLength) throw new ConfigError(`steps (${steps}) must be at most genLength (${genLength})`);
  if (typeof config.eotp !== 'boolean') throw new ConfigError(`eotp must be a boolean, got ${String(config.eotp)}`);
  if (config.cache !== undefined && !CACHE_MODES.some((m) => m === config.cache))
    throw new ConfigError(`cache must be one of ${CACHE_MODES.join(', ')}, got ${String(config.cache)}`);
  if (config.eotpScope !== undefined && !EOTP_SCOPES.some((m) => m === config.eotpScope))
    throw new ConfigError(`eotpScope must be one of ${EOTP_SCOPES.join(', ')}, got ${String(config.eotpScope)}`);
  if (prompt.length === 0) throw new ConfigError('prompt must not be empty');
  requireIdsValid(prompt, 'prompt', config.maskId);
  switch (config.decoder) {
    case 'low_confidence':
      break;
    case 'threshold':
      if (typeof config.tau !== 'number' || !Number.isFinite(config.tau) || config.tau <= 0) {
        throw new ConfigError(`tau must be a finite number > 0 (above 1 it never passes), got ${String(config.tau)}`);
      }
      break;
    case 'factor':
      if (typeof config.factor !== 'number' || !Number.isFinite(config.factor) || config.factor <= 0) {
        throw new ConfigError(`factor must be a finite number > 0, got ${String(config.factor)}`);
      }
      break;
    case 'learn2pd':
      if (typeof config.tauFilter !== 'number' || !(config.tauFilter >= 0 && config.tauFilter <= 1)) {
        throw new ConfigError(`tauFilter must be a number in [0, 1], got ${String(config.tauFilter)}`);
      }
      if (filter === undefined) throw new ConfigError('filter is required for the learn2pd decoder');
      // The paper's filter's size is its own (32 there); shorter blocks are zero-padded to it (spec §3). A slot
      // filter reads one slot at a time and serves any block length.
      if (filter.kind !== 'slot' && (!Number.isInteger(filter.blockLength) || filter.blockLength < blockLength)) {
        throw new ConfigError(
          `filter.blockLength (${filter.blockLength}) must be an integer >= blockLength (${blockLength})`,
        );
      }
      break;
    case 'eb_sampler':
      if (typeof config.gamma !== 'number' || !Number.isFinite(config.gamma) || config.gamma < 0) {
        throw new ConfigError(`gamma must be a finite number >= 0, got ${String(config.gamma)}`);
      }
      break;
    case 'egp_oracle': {
      const ref = config.reference;
      const want = prompt.length + genLength;
      if (ref === undefined || ref === null || typeof ref.length !== 'number')
        throw new ConfigError('reference is required for the egp_oracle decoder');
      if (ref.length !== want) {
        throw new ConfigError(
          `reference must hold prompt + genLength = ${want} ids (the whole reference output), got ${ref.length}`,
        );
      }
      requireIdsValid(ref, 'reference', config.maskId);
      break;
    }
    default: {
      const exhaustive: never = config;
      return exhaustive;
    }
  }
  return { ...config, steps, numBlocks, stepsPerBlock: steps / numBlocks };
}
