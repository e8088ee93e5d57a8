// Runs slice: one comparison at a time. It is one job of the engine: the panes run one after the other in the
// worker (one model cannot decode twice at once); each pane's events are recorded as they stream in, and
// everything drawn is derived from that event list, so a finished comparison replays any step. Live, each pane
// animates its own events at the chosen speed; afterwards one shared step drives every pane (replay).
import { isCancelled, MAX_PROMPT_CHARS, toWireError } from '../../worker/protocol';
import { findSource } from '../examples';
import { effectiveCanvas, MAX_REPLAY_RATE, panePlan, STEPS_PER_SECOND, settingsProblems } from '../settings';
import type { AppDeps, AppState, Comparison, GetState, PaneRun, Playback, RunsSlice, SetState } from './types';

export const initialPlayback: Playback = { mode: 'live', step: 0, playing: false };

export function lastStep(c: Comparison | null): number {
  return c === null ? -1 : Math.max(-1, ...c.panes.map((p) => p.events.length - 1));
}

/** Whether every pane has finished (done, error or cancelled): replay works from then on, even while the
 * untimed reference check still runs. */
export function panesSettled(c: Comparison | null): boolean {
  return c !== null && c.panes.every((p) => p.state !== 'running' && p.state !== 'loading');
}

/** Index of the event a pane displays (-1: none yet). */
export function displayIndex(pane: PaneRun, playback: Playback): number {
  if (playback.mode === 'live') return Math.min(Math.floor(pane.shown), pane.events.length - 1);
  return Math.min(Math.floor(playback.step), pane.events.length - 1);
}

let comparisonSeq = 0;

export function createRunsSlice(set: SetState, get: GetState, deps: AppDeps): RunsSlice {
  const notice = (text: string) => set({ notices: [...get().notices, text] });
  const current = (id: number) => {
    const c = get().comparison;
    return c !== null && c.id === id ? c : null;
  };
  const patch = (id: number, change: (c: Comparison) => Comparison) => {
    const c = current(id);
    if (c) set({ comparison: change(c) });
  };

  let abort: AbortController | null = null;

  return {
    comparison: null,
    playback: initialPlayback,

    async runComparison() {
      const { model, prompt, settings } = get();
      const info = model.info;
      if (model.status !== 'ready' || info === null)
        return notice('The model is not loaded yet: wait for the backend badge to say it is ready.');
      if (prompt.trim().length === 0) return notice('The prompt is empty: type a question or pick an example.');
      if (prompt.length > MAX_PROMPT_CHARS)
        return notice(
          `The prompt is ${prompt.length} characters long; this model reads at most ${info.maxPromptTokens} tokens (a sentence or two).`,
        );
      const problems = settingsProblems(settings, info);
      if (problems.length > 0) return notice(`Cannot run: ${problems.join('; ')}.`);
      get().cancelComparison();

      const id = ++comparisonSeq;
      abort = new AbortController();
      const canvas = effectiveCanvas(settings, info);
      const plan = panePlan(settings, info);
      const comparison: Comparison = {
        id,
        prompt,
        kind: settings.comparison,
        backend: get().environment.backend,
        clockRuns: settings.clockRuns,
        canvas,
        source: findSource(prompt),
        panes: plan.map((p) => ({
          id: p.id,
          spec: p.spec,
          state: 'loading',
          cancelled: false,
          events: [],
          result: null,
          error: null,
          shown: -1,
          clockMs: [],
        })),
        reference: { state: settings.reference ? 'waiting' : 'off', result: null, error: null },
        status: 'running',
      };
      set({ comparison, playback: initialPlayback });
      /** Changes pane `index` of this comparison while it is the one shown and still running. */
      const patchPane = (index: number, change: (p: PaneRun) => PaneRun) =>
        patch(id, (c) =>
          c.status !== 'running' ? c : { ...c, panes: c.panes.map((p, i) => (i === index ? change(p) : p)) },
        );
      const whileRunning = (change: (p: PaneRun) => PaneRun) => (p: PaneRun) => (p.state === 'running' ? change(p) : p);

      try {
        await deps.engine.compare(
          {
            prompt,
            canvas,
            panes: plan.map((p) => p.spec),
            reference: settings.reference,
            clockRuns: settings.clockRuns,
          },
          {
            signal: abort.signal,
            // The worker rebuilt the model first (a lost GPU): the badge shows what runs now.
            onModel: (info) => set({ model: { ...get().model, info } }),
            onPaneStart: (i) => patchPane(i, (p) => ({ ...p, state: 'running' })),
            onStep: (i, event) =>
              patchPane(
                i,
                whileRunning((p) => ({ ...p, events: [...p.events, event] })),
              ),
            onPaneDone: (i, result) =>
              patchPane(
                i,
                whileRunning((p) => ({ ...p, state: 'done', result, clockMs: [result.ms] })),
              ),
            onClock: (i, ms) => patchPane(i, (p) => (p.state === 'done' ? { ...p, clockMs: [...p.clockMs, ms] } : p)),
            onPaneError: (i, error) => patchPane(i, (p) => ({ ...p, state: 'error', error })),
            onReference: (result) =>
              patch(id, (c) =>
                c.reference.state === 'waiting' ? { ...c, reference: { ...c.reference, state: 'done', result } } : c,
              ),
          },
        );
        patch(id, (c) => (c.status === 'running' ? { ...c, status: 'done' } : c));
      } catch (error) {
        if (isCancelled(error)) return; // cancelComparison has marked it
        // An error before or between panes (the prompt, the canvas, a lost GPU, a crashed worker) ends them all.
        const wire = toWireError(error);
        patch(id, (c) =>
          c.status !== 'running'
            ? c
            : {
                ...c,
                status: 'error',
                panes: c.panes.map((p) =>
                  p.state === 'loading' || p.state === 'running' ? { ...p, state: 'error', error: wire } : p,
                ),
                reference:
                  c.reference.state === 'waiting' ? { ...c.reference, state: 'error', error: wire } : c.reference,
              },
        );
      }
    },

    cancelComparison() {
      const c = get().comparison;
      if (c === null || c.status !== 'running') return;
      abort?.abort();
      set({
        comparison: {
          ...c,
          status: 'cancelled',
          panes: c.panes.map((p) =>
            p.state === 'loading' || p.state === 'running' ? { ...p, state: 'idle', cancelled: true } : p,
          ),
          reference: c.reference.state === 'waiting' ? { ...c.reference, state: 'cancelled' } : c.reference,
        },
      });
    },

    seek(step) {
      const c = get().comparison;
      if (c === null || !panesSettled(c)) return;
      set({ playback: { mode: 'replay', step: Math.max(0, Math.min(lastStep(c), Math.round(step))), playing: false } });
    },
    play() {
      const c = get().comparison;
      if (c === null || !panesSettled(c) || lastStep(c) < 0) return;
      const { step } = get().playback;
      set({ playback: { mode: 'replay', step: step >= lastStep(c) ? 0 : Math.floor(step), playing: true } });
    },
    pause() {
      set({ playback: { ...get().playback, playing: false } });
    },
    stepBy(delta) {
      const c = get().comparison;
      if (c === null || !panesSettled(c)) return;
      const step = Math.max(0, Math.min(lastStep(c), Math.floor(get().playback.step) + delta));
      set({ playback: { mode: 'replay', step, playing: false } });
    },

    tick(dtMs) {
      const { comparison: c, playback, settings } = get();
      if (c === null) return;
      const rate = STEPS_PER_SECOND[settings.speed];
      if (playback.mode === 'live') {
        let moved = false;
        const panes = c.panes.map((p) => {
          const target = p.events.length - 1;
          if (p.shown >= target) return p;
          moved = true;
          return { ...p, shown: Number.isFinite(rate) ? Math.min(target, p.shown + (dtMs * rate) / 1000) : target };
        });
        const caughtUp = panes.every((p) => p.shown >= p.events.length - 1);
        if (panesSettled(c) && caughtUp) {
          set({
            comparison: { ...c, panes },
            playback: { mode: 'replay', step: Math.max(0, lastStep(c)), playing: false },
          });
        } else if (moved) {
          set({ comparison: { ...c, panes } });
        }
        return;
      }
      if (!playback.playing) return;
      const last = lastStep(c);
      const r = Number.isFinite(rate) ? rate : MAX_REPLAY_RATE;
      const step = Math.min(last, playback.step + (dtMs * r) / 1000);
      set({ playback: { ...playback, step, playing: step < last } });
    },
  };
}

/** Whether `tick` can change anything: a live run is drawn or a replay plays. Otherwise the clock can sleep. */
export function isAnimating(state: Pick<AppState, 'comparison' | 'playback'>): boolean {
  return state.comparison !== null && (state.playback.mode === 'live' || state.playback.playing);
}
