// Node side of the runtime: onnxruntime-node sessions and a file-system loader for a model folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { FileLoader } from './files';
import type { OrtApi } from './ort';

export const nodeOrt: OrtApi = {
  createSession: (bytes) => ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' }),
  int64Tensor: (data, dims) => new ort.Tensor('int64', data, dims),
  float32Tensor: (data, dims) => new ort.Tensor('float32', data, dims),
};

export function folderLoader(folder: string): FileLoader {
  return async (path) => new Uint8Array(await readFile(join(folder, path)));
}
