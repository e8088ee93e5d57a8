// Compare | Benchmark | Train, as tabs (WAI-ARIA tab pattern): each tab controls its panel, the selected one is the only
// tab in the focus order, and the arrow keys (plus Home and End) move between them.
import type { KeyboardEvent } from 'react';
import { useRef } from 'react';
import type { View } from '../url';
import { useApp } from '../use-app';

const TABS: { view: View; label: string }[] = [
  { view: 'compare', label: 'Side by side' },
  { view: 'bench', label: 'Benchmark' },
  { view: 'train', label: 'Train' },
];

/** The ids that tie a tab to its panel (App renders the panel). */
export function tabIds(view: View): { tab: string; panel: string } {
  return { tab: `tab-${view}`, panel: `panel-${view}` };
}

export function Tabs() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, at: number) => {
    const next =
      e.key === 'ArrowRight'
        ? (at + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (at + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    setView(TABS[next].view);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Views">
      {TABS.map((t, i) => {
        const ids = tabIds(t.view);
        const selected = view === t.view;
        return (
          <button
            key={t.view}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={ids.tab}
            aria-controls={selected ? ids.panel : undefined}
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            data-testid={`tab-${t.view}`}
            className={selected ? 'tab active' : 'tab'}
            onClick={() => setView(t.view)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}
