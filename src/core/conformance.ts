// Runs one conformance vector through our decoders with a replay denoiser and says whether it matched: same ids
// at every call, same number of calls, same output and (for the oracle) the same training samples. Pure: it
// takes parsed JSON; reading files is the CLI's and the tests' business.
import { type ConformanceVector, parseVector, vectorConfig } from './conformance-vector';
import { mlpFilter } from './filter';
import { decode } from './loop';
import { ReplayDenoiser } from './replay';
import type { Filter, OracleSample } from './types';

export interface VectorOutcome {
  name: string;
  ok: boolean;
  nfe: number; // calls our decoder made
  reason?: string; // why it failed
}

/** Confidences are compared to this absolute tolerance (they travel as float64, so they match exactly). */
const CONF_TOLERANCE = 1e-12;

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++)
    if (a[i] !== b[i]) return `first differs at position ${i} (got ${a[i]}, expected ${b[i]})`;
  return a.length === b.length ? undefined : `length ${a.length}, expected ${b.length}`;
}

function sampleDifference(got: readonly OracleSample[], want: readonly OracleSample[]): string | undefined {
  if (got.length !== want.length) return `${got.length} samples, expected ${want.length}`;
  for (let k = 0; k < want.length; k++) {
    const g = got[k];
    const w = want[k];
    if (g.block !== w.block || g.step !== w.step)
      return `sample ${k} is block ${g.block} step ${g.step}, expected block ${w.block} step ${w.step}`;
    if (g.confidence.length !== w.confidence.length)
      return `sample ${k} has ${g.confidence.length} confidences, expected ${w.confidence.length}`;
    for (let i = 0; i < w.confidence.length; i++) {
      if (!(Math.abs(g.confidence[i] - w.confidence[i]) <= CONF_TOLERANCE)) {
        return `sample ${k} confidence[${i}] is ${g.confidence[i]}, expected ${w.confidence[i]}`;
      }
    }
    const labels = firstDifference(g.isCorrect.map(Number), w.isCorrect.map(Number));
    if (labels !== undefined) return `sample ${k} isCorrect ${labels}`;
  }
  return undefined;
}

function vectorFilter(vector: ConformanceVector): Filter | undefined {
  if (vector.filter === undefined) return undefined;
  return mlpFilter(vector.filter); // 32 wide even where blocks are 16: shorter blocks are zero-padded
}

/** Replays a parsed vector and compares every recorded observable. Never throws for a decoder failure. */
export async function runVector(vector: ConformanceVector): Promise<VectorOutcome> {
  const replay = new ReplayDenoiser(vector.calls);
  const fail = (reason: string): VectorOutcome => ({ name: vector.name, ok: false, nfe: replay.used, reason });
  let result;
  try {
    result = await decode(Int32Array.from(vector.prompt), vectorConfig(vector), replay, vectorFilter(vector));
  } catch (err) {
    return fail(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
  if (replay.used !== vector.calls.length) return fail(`made ${replay.used} calls, expected ${vector.calls.length}`);
  if (result.nfe !== vector.nfe) return fail(`nfe ${result.nfe}, expected ${vector.nfe}`);
  const out = firstDifference(result.output, vector.output);
  if (out !== undefined) return fail(`output ${out}`);
  if (vector.algorithm === 'egp_oracle') {
    if (vector.samples === undefined) return fail('egp_oracle vector has no samples');
    const s = sampleDifference(result.samples ?? [], vector.samples);
    if (s !== undefined) return fail(s);
  }
  return { name: vector.name, ok: true, nfe: result.nfe };
}

/** Parses then runs; a malformed vector becomes a failed outcome naming the bad field. */
export async function runVectorJson(json: unknown, source: string): Promise<VectorOutcome> {
  let vector: ConformanceVector;
  try {
    vector = parseVector(json, source);
  } catch (err) {
    return { name: source, ok: false, nfe: 0, reason: err instanceof Error ? err.message : String(err) };
  }
  return runVector(vector);
}

/** The report line of one outcome: `PASS name (nfe N)` or `FAIL name: reason`. */
export function outcomeLine(o: VectorOutcome): string {
  return o.ok ? `PASS ${o.name} (nfe ${o.nfe})` : `FAIL ${o.name}: ${o.reason ?? 'unknown reason'}`;
}
