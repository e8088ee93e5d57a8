// Colours and names, chosen for a classroom projector: committed slots take a light tint per step (dark text stays
// readable on each), cycling so that neighbouring steps always differ; each pane keeps one strong colour in every
// chart (by its place: a comparison of EoTP runs one rule in both), dark enough for text on white (WCAG AA).
import { type DecoderName, type DecoderSpec, filterVariant, PAPER_FILTER } from '../core';
import { threshold } from './format';
import type { ComparisonKind, PaneId } from './settings';

export const STEP_TINTS = [
  '#ffd8a8',
  '#a5d8ff',
  '#b2f2bb',
  '#fcc2d7',
  '#d0bfff',
  '#ffec99',
  '#99e9f2',
  '#c0eb75',
  '#eebefa',
  '#ffc9c9',
  '#bac8ff',
  '#96f2d7',
];

export function stepTint(step: number): string {
  return STEP_TINTS[((step % STEP_TINTS.length) + STEP_TINTS.length) % STEP_TINTS.length];
}

/** A pane's colour: left orange, right blue, the third pane by what it runs. */
export function paneColor(id: PaneId, decoder: DecoderName): string {
  if (id === 'left') return '#c2410c';
  if (id === 'right') return '#1864ab';
  return decoder === 'egp_oracle' ? '#237a36' : '#495057';
}

/** The name of a decoder in the app. */
export const METHOD_NAMES: Record<DecoderName, string> = {
  threshold: 'Fast-dLLM threshold',
  factor: 'Fast-dLLM factor',
  eb_sampler: 'EB-Sampler',
  learn2pd: 'Learn2PD',
  low_confidence: 'One token per step',
  egp_oracle: 'EGP oracle',
};

/** The symbol of each decoder's knob, as the panel and the charts write it ('' for a decoder without one). */
export const KNOB_SYMBOLS: Record<DecoderName, string> = {
  threshold: 'τ',
  factor: 'f',
  eb_sampler: 'γ',
  learn2pd: 'τf',
  low_confidence: '',
  egp_oracle: '',
};

/** gamma spans 0.001 to 1 and more: as many digits as it needs, up to 3 significant. */
export function gammaText(gamma: number): string {
  return String(Number(gamma.toPrecision(3)));
}

/** The knob of a spec, as the panel shows it: `τ 0.90`, `f 1.00`, `τf 0.96`. */
export function knobText(spec: DecoderSpec): string {
  switch (spec.decoder) {
    case 'threshold':
      return `τ ${threshold(spec.tau)}`;
    case 'factor':
      return `f ${threshold(spec.factor)}`;
    case 'eb_sampler':
      return `γ ${gammaText(spec.gamma)}`;
    case 'learn2pd':
      return `τf ${threshold(spec.tauFilter)}`;
    case 'low_confidence':
    case 'egp_oracle':
      return '';
    default: {
      const exhaustive: never = spec;
      return exhaustive;
    }
  }
}

/** A learned filter's name as the app says it: "the paper's filter", "the slot filter", or its name. */
export function filterTitle(name: string): string {
  if (name === PAPER_FILTER) return "the paper's filter";
  return filterVariant(name) === undefined ? `the filter "${name}"` : `the ${name} filter`;
}

/** A learned filter's name with what it reads, for the picker. */
export function filterChoiceText(name: string): string {
  const v = filterVariant(name);
  return v === undefined ? name : `${name}: ${v.text}`;
}

/** A pane's title: the method, and in a comparison of EoTP (or for the oracle, which never uses it) the EoTP setting. */
export function paneTitle(spec: DecoderSpec, comparison: ComparisonKind): string {
  const name = METHOD_NAMES[spec.decoder];
  if (spec.decoder === 'egp_oracle') return `${name} · no EoTP`;
  return comparison === 'eotp' ? `${name} · ${spec.eotp ? 'with' : 'without'} EoTP` : name;
}
