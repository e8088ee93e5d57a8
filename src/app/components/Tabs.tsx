// Compare | Benchmark.

import type { View } from '../url';
import { useApp } from '../use-app';

const TABS: { view: View; label: string }[] = [
  { view: 'compare', label: 'Side by side' },
  { view: 'bench', label: 'Benchmark' },
];

export function Tabs() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  return (
    <nav className="tabs" role="tablist">
      {TABS.map((t) => (
        <button
          key={t.view}
          type="button"
          role="tab"
          aria-selected={view === t.view}
          data-testid={`tab-${t.view}`}
          className={view === t.view ? 'tab active' : 'tab'}
          onClick={() => setView(t.view)}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
