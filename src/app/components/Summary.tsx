// One line comparing the panes once they are done: steps and wall-clock time, each pane timed on its own steps.
import { ms, ratio } from '../format';
import { useApp } from '../use-app';

export function Summary() {
  const comparison = useApp((s) => s.comparison);
  const threshold = comparison?.panes.find((p) => p.id === 'threshold')?.result ?? null;
  const learn2pd = comparison?.panes.find((p) => p.id === 'learn2pd')?.result ?? null;
  if (!threshold || !learn2pd)
    return (
      <p className="summary" aria-hidden="true">
        {'\u00a0'}
      </p>
    );
  const steps =
    learn2pd.nfe < threshold.nfe ? (
      <>
        <strong>{ratio(threshold.nfe / Math.max(1, learn2pd.nfe))} fewer steps</strong> ({threshold.nfe} →{' '}
        {learn2pd.nfe})
      </>
    ) : learn2pd.nfe === threshold.nfe ? (
      <>
        <strong>as many steps</strong> ({learn2pd.nfe})
      </>
    ) : (
      <>
        <strong>{ratio(learn2pd.nfe / Math.max(1, threshold.nfe))} more steps</strong> ({threshold.nfe} → {learn2pd.nfe}
        )
      </>
    );
  const faster = learn2pd.ms <= threshold.ms;
  return (
    <p className="summary" data-testid="summary">
      Learn2PD needed {steps} and ran{' '}
      <strong>
        {ratio(faster ? threshold.ms / Math.max(1e-6, learn2pd.ms) : learn2pd.ms / Math.max(1e-6, threshold.ms))}{' '}
        {faster ? 'faster' : 'slower'}
      </strong>{' '}
      by the clock ({ms(threshold.ms)} → {ms(learn2pd.ms)}), each timed on its own steps.
    </p>
  );
}
