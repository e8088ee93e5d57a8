// The named learned filters this project trains (`--filter <name>` in collect, train-filter, eval and bench): what
// each reads, its shape and its training recipe. A model's dllm.json lists the ones it ships per block length under
// these names; the paper's stays the reference the others are measured against.
import type { TrainFilterOptions } from './train-filter';
import { type FilterFeatures, SLOT_FEATURES, type SlotFeature } from './types';
import { PAPER_FILTER } from './vocabulary';

interface VariantBase {
  name: string;
  /** For people: what it reads, in a phrase. */
  text: string;
  /** Training settings beyond the trainer's defaults. */
  training: Pick<TrainFilterOptions, 'loss' | 'hidden' | 'lr' | 'maxEpochs' | 'patience'>;
}

export interface BlockVariant extends VariantBase {
  kind: 'block';
  features: FilterFeatures;
}

export interface SlotVariant extends VariantBase {
  kind: 'slot';
  slotFeatures: readonly SlotFeature[];
}

export type FilterVariant = BlockVariant | SlotVariant;

// A slot filter's recipe: the loss over the masked slots only (the only ones a decision is made for), 16 hidden
// units, a larger step than the paper's (a few hundred weights see ~10^5 rows per epoch) and an earlier stop.
const SLOT_TRAINING = { loss: 'masked', hidden: 16, lr: 0.01, maxEpochs: 3000, patience: 150 } as const;

export const FILTER_VARIANTS: readonly FilterVariant[] = [
  {
    name: PAPER_FILTER,
    kind: 'block',
    features: 'confidence',
    text: "the paper's MLP: the block's confidences in, one logit per slot out",
    training: { loss: 'all' },
  },
  {
    name: 'slot',
    kind: 'slot',
    slotFeatures: SLOT_FEATURES,
    text: "one small MLP shared by every slot, reading the slot's confidence, margin, entropy, place in the block, the step, whether its guess held and whether its left neighbour is decoded",
    training: SLOT_TRAINING,
  },
  {
    name: 'slot-conf',
    kind: 'slot',
    slotFeatures: ['log-odds'],
    text: "the same shared MLP reading only the slot's confidence: a learned threshold (what the other features add is the difference to it)",
    training: SLOT_TRAINING,
  },
];

export const FILTER_VARIANT_NAMES = FILTER_VARIANTS.map((v) => v.name);

/** The variant of that name; undefined for a name this project has no recipe for. */
export function filterVariant(name: string): FilterVariant | undefined {
  return FILTER_VARIANTS.find((v) => v.name === name);
}
