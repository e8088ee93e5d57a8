// The slot filter (issue 20, spec §6 "richer features"): one small MLP shared by every slot of a block, reading that
// slot's own features (types.ts SLOT_FEATURES) and answering one logit for it. With the confidence among its inputs
// it can express Fast-dLLM's threshold rule itself, and it serves any block length. The input rows are written here
// once, for training and inference alike.
import { ConfigError, ModelOutputError } from './errors';
import { checkedMlpShape, logOdds, sigmoid } from './mlp';
import type { BlockFeatures, HeadExtra, MlpWeights, SlotFeature, SlotFilter } from './types';

/** The head outputs a slot filter's features read beyond the confidence. */
export function slotExtras(features: readonly SlotFeature[]): HeadExtra[] {
  const extras: HeadExtra[] = [];
  if (features.includes('entropy')) extras.push('entropy');
  if (features.includes('margin')) extras.push('margin');
  return extras;
}

/** What each feature needs of BlockFeatures beyond the confidences, to name it when it is missing. */
function need(block: BlockFeatures, features: readonly SlotFeature[]): void {
  const len = block.confidence.length;
  const missing: string[] = [];
  const has = (v: ArrayLike<unknown> | undefined) => v !== undefined && v.length === len;
  for (const f of features) {
    if (f === 'margin' && !has(block.margin)) missing.push('margin');
    if (f === 'entropy' && !has(block.entropy)) missing.push('entropy');
    if (f === 'stable' && !has(block.stable)) missing.push('stable flags');
    if ((f === 'masked-fraction' || f === 'left-known') && !has(block.masked)) missing.push('masked flags');
    if ((f === 'position' || f === 'step' || f === 'masked-fraction') && !(Number(block.blockLength) > 0))
      missing.push('the block length');
    if (f === 'step' && !Number.isInteger(block.step)) missing.push('the step within the block');
  }
  if (missing.length > 0)
    throw new ConfigError(
      `the slot filter reads ${features.join(', ')}, but this block has no ${[...new Set(missing)].join(', ')}`,
    );
}

/**
 * The slot filter's input rows for the block's positions `slots` (default all), written into `out` at `offset`,
 * `features.length` values per slot in the filter's order. Throws a ConfigError naming what the block lacks.
 */
export function writeSlotInput(
  block: BlockFeatures,
  features: readonly SlotFeature[],
  out: Float32Array | Float64Array,
  offset = 0,
  slots?: readonly number[],
): void {
  need(block, features);
  const len = block.confidence.length;
  const size = block.blockLength ?? len;
  let maskedCount = 0;
  if (block.masked !== undefined) for (const m of block.masked) if (m) maskedCount++;
  const d = features.length;
  const rows = slots ?? Array.from({ length: len }, (_, i) => i);
  rows.forEach((i, r) => {
    const at = offset + r * d;
    features.forEach((f, k) => {
      out[at + k] = slotValue(f, block, i, size, maskedCount);
    });
  });
}

function slotValue(f: SlotFeature, block: BlockFeatures, i: number, size: number, maskedCount: number): number {
  switch (f) {
    case 'log-odds':
      return logOdds(block.confidence[i]);
    case 'margin':
      return logOdds(block.margin?.[i] ?? 0);
    case 'entropy':
      return Math.log(Math.max(0, block.entropy?.[i] ?? 0) + 1e-6) / 8;
    case 'position':
      return i / size;
    case 'step':
      return (block.step ?? 0) / size;
    case 'stable':
      return block.stable?.[i] ? 1 : 0;
    case 'masked-fraction':
      return maskedCount / size;
    case 'left-known':
      return i === 0 || block.masked?.[i - 1] === false ? 1 : 0;
    default: {
      const exhaustive: never = f;
      return exhaustive;
    }
  }
}

/** Checks a slot filter's weights: w1 [hidden][features], b1 [hidden], w2 [1][hidden], b2 [1]. */
export function slotShape(weights: MlpWeights, features: readonly SlotFeature[]): { hidden: number; inputs: number } {
  if (features.length === 0) throw new ConfigError('a slot filter must read at least one feature');
  const { n, hidden, inputs } = checkedMlpShape(weights, () => features.length, `${features.length} slot`);
  if (n !== 1) throw new ConfigError(`a slot filter answers one logit per slot: b2 must hold 1 value, got ${n}`);
  return { hidden, inputs };
}

/**
 * A slot filter over plain weights, in TypeScript (a few hundred multiply-adds per slot: no session call). It runs
 * on the slots still masked (all of them when the block has no masked flags); a decoded slot has nothing to commit
 * and gets -Infinity, never accepted. One hidden buffer serves every slot and step (the decode loop's hot path); the
 * sums run in mlpForward's order, so the logits are its.
 */
export function slotFilter(weights: MlpWeights, features: readonly SlotFeature[], blockLength: number): SlotFilter {
  const { inputs, hidden } = slotShape(weights, features);
  const { w1, b1, b2 } = weights;
  const w2 = weights.w2[0];
  const h = new Float64Array(hidden);
  return {
    kind: 'slot',
    blockLength,
    features,
    logits: (block) => {
      const len = block.confidence.length;
      const slots: number[] = [];
      for (let i = 0; i < len; i++) if (block.masked?.[i] !== false) slots.push(i);
      const x = new Float64Array(slots.length * inputs);
      writeSlotInput(block, features, x, 0, slots);
      const out = new Float32Array(len).fill(Number.NEGATIVE_INFINITY);
      slots.forEach((slot, k) => {
        const at = k * inputs;
        for (let r = 0; r < hidden; r++) {
          let a = b1[r];
          const row = w1[r];
          for (let c = 0; c < inputs; c++) a += row[c] * x[at + c];
          h[r] = a > 0 ? a : 0;
        }
        let z = b2[0];
        for (let c = 0; c < hidden; c++) z += w2[c] * h[c];
        out[slot] = z;
      });
      return out;
    },
  };
}

/** accept[i] = sigmoid(logit of slot i) > tauFilter for every position of the block. Result: [block length]. */
export async function slotFilterAccepts(
  filter: SlotFilter,
  block: BlockFeatures,
  tauFilter: number,
): Promise<boolean[]> {
  const len = block.confidence.length;
  const logits = await filter.logits(block);
  if (logits.length !== len)
    throw new ModelOutputError(`slot filter returned ${logits.length} logits for a block of ${len}`);
  return Array.from(logits, (z) => sigmoid(z) > tauFilter);
}
