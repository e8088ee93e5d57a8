// The default millisecond clock. performance.now() exists in browsers, workers and Node; the core is compiled
// without DOM or Node types, so it is looked up on globalThis with a narrow type instead of named directly.

interface PerformanceLike {
  now(): number;
}

export function defaultClock(): () => number {
  const perf = (globalThis as { performance?: PerformanceLike }).performance;
  if (perf !== undefined && typeof perf.now === 'function') return () => perf.now();
  return () => Date.now();
}
