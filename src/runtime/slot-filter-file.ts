// The slot filter's file (`filter/slot_b32.json`): its format tag, the features it reads in order, the block length
// it was trained for and the MLP weights in the conformance layout. Read strictly: a file for another kind, a
// feature this version does not know, or weights of the wrong shape are refused with what is wrong.
import { type MlpWeights, SLOT_FEATURES, type SlotFeature, type SlotFilter, slotFilter, slotShape } from '../core';

export const SLOT_FILTER_FORMAT = 'learn2pd-slot-filter/1';

export interface SlotFilterFile {
  format: typeof SLOT_FILTER_FORMAT;
  features: SlotFeature[];
  blockLength: number;
  weights: MlpWeights;
}

export class SlotFilterFileError extends Error {
  override name = 'SlotFilterFileError';
}

export function slotFilterFileText(features: readonly SlotFeature[], blockLength: number, weights: MlpWeights): string {
  slotShape(weights, features);
  const file: SlotFilterFile = { format: SLOT_FILTER_FORMAT, features: [...features], blockLength, weights };
  return `${JSON.stringify(file)}\n`;
}

const isMatrix = (v: unknown): v is number[][] =>
  Array.isArray(v) && v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number' && Number.isFinite(x)));
const isVector = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Parses a slot filter file (`where` names it in messages) and returns the filter. */
export function parseSlotFilter(bytes: Uint8Array, where: string): SlotFilter {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new SlotFilterFileError(
      `${where} is not JSON (a slot filter file is; is this an ONNX filter listed as "slot"?)`,
    );
  }
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (r.format !== SLOT_FILTER_FORMAT)
    throw new SlotFilterFileError(`${where}: format must be "${SLOT_FILTER_FORMAT}", not ${JSON.stringify(r.format)}`);
  const features = r.features;
  if (!Array.isArray(features) || features.length === 0)
    throw new SlotFilterFileError(`${where}: features must list what the filter reads`);
  const known = features.map((f) => SLOT_FEATURES.find((k) => k === f));
  const unknown = features.filter((_, i) => known[i] === undefined);
  if (unknown.length > 0)
    throw new SlotFilterFileError(
      `${where}: unknown slot features ${unknown.map((f) => JSON.stringify(f)).join(', ')} (this version reads ${SLOT_FEATURES.join(', ')})`,
    );
  const blockLength = r.blockLength;
  if (typeof blockLength !== 'number' || !Number.isInteger(blockLength) || blockLength < 1)
    throw new SlotFilterFileError(`${where}: blockLength must be a whole number >= 1`);
  const w = (typeof r.weights === 'object' && r.weights !== null ? r.weights : {}) as Record<string, unknown>;
  if (!isMatrix(w.w1) || !isVector(w.b1) || !isMatrix(w.w2) || !isVector(w.b2))
    throw new SlotFilterFileError(`${where}: weights must hold w1, b1, w2 and b2 as arrays of finite numbers`);
  const slotFeatures = known.filter((f): f is SlotFeature => f !== undefined);
  try {
    return slotFilter({ w1: w.w1, b1: w.b1, w2: w.w2, b2: w.b2 }, slotFeatures, blockLength);
  } catch (error) {
    throw new SlotFilterFileError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
