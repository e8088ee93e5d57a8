// Node side of the runtime: onnxruntime-node sessions and a file-system loader for a model folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { FileLoader } from './files';
import type { OrtApi } from './ort';

// The filter runs once per step on one row of 32 values: its cost is onnxruntime's per-call overhead, and without
// the CPU memory arena and memory-pattern planning a call takes a few percent less (1.6-2.8% in the `sessionOptions`
// A/B of experiments/results/filter-latency.json, made by experiments/filter-latency.ts).
export const FILTER_OPTIONS = { enableCpuMemArena: false, enableMemPattern: false };

/**
 * LEARN2PD_ORT_THREADS=N: onnxruntime's intra-op threads (default: its own, one per core). On 2 cores two
 * single-threaded processes decode about 1.5x the forwards per second of one process with both threads (the small
 * model's matmuls do not split well), which is how long collections and benchmarks can run side by side.
 */
function intraOpThreads(): { intraOpNumThreads?: number } {
  const raw = process.env.LEARN2PD_ORT_THREADS;
  if (raw === undefined || raw === '') return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`LEARN2PD_ORT_THREADS must be a whole number >= 1, not ${raw}`);
  return { intraOpNumThreads: n };
}

/** How a result file says the run's threads were set: empty when onnxruntime chose them. */
export function threadsNote(): string {
  const { intraOpNumThreads } = intraOpThreads();
  return intraOpNumThreads === undefined ? '' : `, ${intraOpNumThreads} intra-op thread(s)`;
}

export const nodeOrt: OrtApi = {
  createSession: (bytes, kind) =>
    ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...intraOpThreads(),
      ...(kind === 'filter' ? FILTER_OPTIONS : {}),
    }),
  int64Tensor: (data, dims) => new ort.Tensor('int64', data, dims),
  float32Tensor: (data, dims) => new ort.Tensor('float32', data, dims),
};

export function folderLoader(folder: string): FileLoader {
  return async (path) => new Uint8Array(await readFile(join(folder, path)));
}
