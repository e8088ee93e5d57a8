// Drives the animation: one store tick per animation frame (the tick is a no-op when nothing moves).
import { useEffect } from 'react';
import { useAppStore } from '../use-app';

export function PlaybackClock() {
  const store = useAppStore();
  useEffect(() => {
    let last = performance.now();
    let frame = requestAnimationFrame(function loop(now) {
      store.getState().tick(Math.min(250, now - last));
      last = now;
      frame = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(frame);
  }, [store]);
  return null;
}
