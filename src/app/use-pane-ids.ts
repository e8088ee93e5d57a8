// Which panes to show: the running/finished comparison's, else the ones the current settings would run.
import { useMemo } from 'react';
import { type PaneId, panePlan } from './settings';
import { useApp } from './use-app';

export function usePaneIds(): PaneId[] {
  const comparison = useApp((s) => s.comparison);
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.model.info);
  return useMemo(
    () => (comparison ? comparison.panes.map((p) => p.id) : panePlan(settings, info).map((p) => p.id)),
    [comparison, settings, info],
  );
}
