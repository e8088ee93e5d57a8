// The comparison in words once both panes are done (summary.ts): what the panes share and what differs, the steps,
// the clock with its spread, and both answers' correctness and agreement.
import { useMemo } from 'react';
import { promptFamily } from '../../tasks';
import { summaryLines } from '../summary';
import { useApp } from '../use-app';

export function Summary() {
  const comparison = useApp((s) => s.comparison);
  const lines = useMemo(
    () => (comparison ? summaryLines(comparison, promptFamily(comparison.prompt) !== null) : []),
    [comparison],
  );
  if (lines.length === 0) return <div className="summary" aria-hidden="true" />;
  return (
    <div className="summary" data-testid="summary" aria-live="polite">
      {lines.map((l) => (
        <p key={l.kind + l.text} data-testid={`summary-${l.kind}`} className={`summary-${l.kind}`}>
          {l.text}
        </p>
      ))}
    </div>
  );
}
