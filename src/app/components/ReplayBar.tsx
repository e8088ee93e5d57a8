// The shared step scrubber: after a run, every pane shows the same step (a pane that finished earlier stays at its
// last step); play, pause and single steps replay the recorded events.
import { lastStep, panesSettled } from '../store/runs-slice';
import { useApp } from '../use-app';

export function ReplayBar() {
  const comparison = useApp((s) => s.comparison);
  const playback = useApp((s) => s.playback);
  const seek = useApp((s) => s.seek);
  const play = useApp((s) => s.play);
  const pause = useApp((s) => s.pause);
  const stepBy = useApp((s) => s.stepBy);
  const last = lastStep(comparison);
  const enabled = panesSettled(comparison) && last >= 0;
  const step = playback.mode === 'replay' ? Math.floor(playback.step) : last;
  return (
    <section className="replay" aria-label="Replay">
      <button
        type="button"
        data-testid="replay-back"
        disabled={!enabled || step <= 0}
        onClick={() => stepBy(-1)}
        aria-label="Previous step"
      >
        ◀
      </button>
      <button
        type="button"
        data-testid="replay-play"
        disabled={!enabled}
        onClick={playback.playing ? pause : play}
        className="play"
      >
        {playback.playing ? 'Pause' : 'Replay'}
      </button>
      <button
        type="button"
        data-testid="replay-forward"
        disabled={!enabled || step >= last}
        onClick={() => stepBy(1)}
        aria-label="Next step"
      >
        ▶
      </button>
      <input
        type="range"
        data-testid="scrubber"
        aria-label="Step"
        min={0}
        max={Math.max(0, last)}
        step={1}
        value={Math.max(0, step)}
        disabled={!enabled}
        onChange={(e) => seek(Number(e.target.value))}
      />
      <span className="replay-label" data-testid="replay-label">
        {comparison === null || last < 0
          ? 'No steps yet'
          : !panesSettled(comparison)
            ? 'Recording…'
            : `Step ${step + 1} of ${last + 1}`}
      </span>
    </section>
  );
}
