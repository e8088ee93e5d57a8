// Plain-text figures for result tables printed by the CLIs and scripts.

/** A share as a fixed-width percentage (`' 76.5%'`), or a dash where there is none. */
export function pct(x: number | null): string {
  return x === null ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`;
}

/** A plain text table: header row, then rows; columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
