// Number formatting for counters (fixed decimals so digits do not jump while they change).

export function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function rate(value: number): string {
  return value >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

export function ratio(value: number): string {
  return `${value.toFixed(value >= 10 ? 1 : 2)}×`;
}

export function bytes(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(0)} kB`;
  return `${value} B`;
}

export function percent(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}

/** A threshold for its slider's label: two decimals, up to four when a link set more (0.992, 0.9999). */
export function threshold(value: number): string {
  const short = String(Number(value.toFixed(4)));
  const decimals = short.split('.')[1]?.length ?? 0;
  return decimals <= 2 ? value.toFixed(2) : short;
}
