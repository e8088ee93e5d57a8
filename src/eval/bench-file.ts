// The file `npm run bench` writes (docs/bench/*.json): the run's setting and one row per decoder spec, each with its
// per-prompt outcomes so that any two rows can be paired later without decoding (paired.ts).
import type { DecoderReport } from './evaluate';
import type { PerPrompt } from './paired';

/** A row of a bench file: a report without its outcomes (perPrompt keeps them, one character a prompt). */
export type BenchRow = Omit<
  DecoderReport,
  'outcomes' | 'filterCalls' | 'filterMs' | 'meanPositions' | 'msPerFullStep' | 'msPerWindowStep'
> &
  Partial<Pick<DecoderReport, 'meanPositions' | 'msPerFullStep' | 'msPerWindowStep'>> & {
    nfeVsOracle: number;
    filterShare?: number;
    /** Filter calls per forward (learn2pd): below 1 where steps the filter cannot change were not asked. */
    filterCallsPerStep?: number;
    perPrompt?: PerPrompt;
  };

/** One bench run: where and how it ran, the reference row and every spec's row. */
export interface BenchResult {
  name: string;
  command: string;
  machine: string;
  date: string;
  model: string;
  variant: string;
  split: string;
  n: number;
  genLength: number;
  blockLength: number;
  seconds: number;
  reference: BenchRow;
  rows: BenchRow[];
}
