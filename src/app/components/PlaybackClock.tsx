// Drives the animation: one store tick per animation frame while something moves (a live run is drawn or a
// replay plays), and no frames at all otherwise: an idle page (or one loading its model) schedules no work.
import { useEffect } from 'react';
import { isAnimating } from '../store';
import { useApp, useAppStore } from '../use-app';

export function PlaybackClock() {
  const store = useAppStore();
  const animating = useApp(isAnimating);
  useEffect(() => {
    if (!animating) return undefined;
    let last = performance.now();
    let frame = requestAnimationFrame(function loop(now) {
      store.getState().tick(Math.min(250, now - last));
      last = now;
      frame = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(frame);
  }, [store, animating]);
  return null;
}
