// The paper's Learn2PD filter at inference (spec §3 "Filter model"): a Filter built from plain MLP weights, the
// filter's input for one block (written once, for training and inference alike) and the accept mask of one block
// (zero-padding a short block to the filter size, truncating back).
import { ConfigError, ModelOutputError } from './errors';
import { checkedMlpShape, logOdds, mlpForward, sigmoid } from './mlp';
import { slotFilterAccepts } from './slot-filter';
import type { BlockFeatures, BlockFilter, Filter, FilterFeatures, MlpWeights, StepOutput } from './types';

/** Input values per block position: 3 for 'context', else 1. */
export function featureGroups(features: FilterFeatures = 'confidence'): number {
  return features === 'context' ? 3 : 1;
}

/**
 * Checks w1 [hidden][inputs], b1 [hidden], w2 [n][hidden], b2 [n], with inputs = n * featureGroups(features), and
 * returns { n, hidden, inputs }.
 */
export function mlpShape(
  weights: MlpWeights,
  features: FilterFeatures = 'confidence',
): { n: number; hidden: number; inputs: number } {
  return checkedMlpShape(weights, (n) => n * featureGroups(features), features);
}

/**
 * A synchronous Filter over MLP weights. Its blockLength is the filter's output size (the weights' n); it serves
 * decoders with blocks up to that size (the paper's 32-wide filter also decodes blocks of 16, zero-padded).
 * Passing `blockLength` asserts that size.
 */
export function mlpFilter(
  weights: MlpWeights,
  blockLength?: number,
  features: FilterFeatures = 'confidence',
): BlockFilter {
  const { n, inputs } = mlpShape(weights, features);
  if (blockLength !== undefined && n !== blockLength)
    throw new ConfigError(`filter weights are for blocks of ${n}, not ${blockLength}`);
  return {
    blockLength: n,
    features,
    logits: (input) => {
      if (input.length !== inputs)
        throw new ConfigError(`filter input must hold ${inputs} values, got ${input.length}`);
      return Float32Array.from(mlpForward(weights, input));
    },
  };
}

/**
 * The filter's input for one block, written into `out` at `offset` (`size` values per feature group): the
 * confidences (as log-odds for 'log-odds'), then for 'context' the masked and stable flags as 0/1. Past the block's
 * end every group reads as a confidence of 0 and flags of 0 (the paper's zero padding, which for 'log-odds' is
 * logOdds(0), not 0: that would read as a confidence of 0.5). Training batches and inference both go through here,
 * so the two cannot disagree on the layout.
 */
export function writeFilterInput(
  block: BlockFeatures,
  features: FilterFeatures,
  size: number,
  out: Float32Array | Float64Array,
  offset = 0,
): void {
  const len = block.confidence.length;
  if (len > size) throw new ConfigError(`block of ${len} is longer than the filter's ${size}`);
  const value = features === 'log-odds' ? logOdds : (c: number) => c;
  for (let i = 0; i < size; i++) out[offset + i] = value(i < len ? block.confidence[i] : 0);
  if (features !== 'context') return;
  const { masked, stable } = block;
  if (masked?.length !== len || stable?.length !== len)
    throw new ConfigError(
      `the '${features}' filter needs masked and stable flags for each of the block's ${len} positions`,
    );
  for (let i = 0; i < size; i++) {
    out[offset + size + i] = i < len && masked[i] ? 1 : 0;
    out[offset + 2 * size + i] = i < len && stable[i] ? 1 : 0;
  }
}

/** BlockFeatures as the loop records them (margin and entropy where the forward gave them). */
export interface RecordedFeatures {
  confidence: number[];
  masked: boolean[];
  stable: boolean[];
  margin?: number[];
  entropy?: number[];
  step: number;
  blockLength: number;
}

/** Where the block is and where it stands: [start, end) of the sequence, `step` within it, the decoder's length. */
export interface BlockPlace {
  start: number;
  end: number;
  step: number;
  blockLength: number;
}

/**
 * Block-relative features of [start, end) at one step: confidences (and margins and entropies where `out` has
 * them), masked flags of `x` (the sequence before the step's commit) and stable flags (top1 equals `prevTop1`, the
 * previous forward's, where it has the position).
 */
export function blockFeatures(
  x: Int32Array,
  out: StepOutput,
  prevTop1: Int32Array | undefined,
  place: BlockPlace,
  maskId: number,
): RecordedFeatures {
  const { start, end } = place;
  const confidence: number[] = [];
  const masked: boolean[] = [];
  const stable: boolean[] = [];
  for (let i = start; i < end; i++) {
    confidence.push(out.conf[i]);
    masked.push(x[i] === maskId);
    stable.push(prevTop1 !== undefined && i < prevTop1.length && prevTop1[i] === out.top1[i]);
  }
  const recorded: RecordedFeatures = { confidence, masked, stable, step: place.step, blockLength: place.blockLength };
  if (out.margin !== undefined) recorded.margin = Array.from(out.margin.subarray(start, end));
  if (out.entropy !== undefined) recorded.entropy = Array.from(out.entropy.subarray(start, end));
  return recorded;
}

/**
 * accept[i] = sigmoid(f(features))[i] > tauFilter for one block. For the paper's filter the input is all block
 * positions' confidences as float32, committed ones included; a block shorter than the filter (cut by EoTP) is
 * right-padded with zeros and the output truncated back. Result: [block length].
 */
export async function filterAccepts(filter: Filter, block: BlockFeatures, tauFilter: number): Promise<boolean[]> {
  if (filter.kind === 'slot') return slotFilterAccepts(filter, block, tauFilter);
  const len = block.confidence.length;
  const features = filter.features ?? 'confidence';
  const input = new Float32Array(filter.blockLength * featureGroups(features));
  writeFilterInput(block, features, filter.blockLength, input);
  const logits = await filter.logits(input);
  if (logits.length !== filter.blockLength) {
    throw new ModelOutputError(`filter returned ${logits.length} logits for a block of ${filter.blockLength}`);
  }
  const accept: boolean[] = [];
  for (let i = 0; i < len; i++) accept.push(sigmoid(logits[i]) > tauFilter);
  return accept;
}
