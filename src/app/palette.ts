// Colours, chosen for a classroom projector: committed slots take a light tint per step (dark text stays readable
// on each), cycling so that neighbouring steps always differ; panes keep one strong colour each in every chart.
import type { PaneId } from './settings';

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

export const PANE_COLORS: Record<PaneId, string> = {
  threshold: '#e8590c',
  learn2pd: '#1c7ed6',
  low_confidence: '#495057',
  egp_oracle: '#2b8a3e',
};

export const PANE_TITLES: Record<PaneId, string> = {
  threshold: 'Fast-dLLM threshold',
  learn2pd: 'Learn2PD',
  low_confidence: 'One token per step',
  egp_oracle: 'EGP oracle',
};
