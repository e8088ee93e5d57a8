// The Node half of evaluation, for the CLIs and scripts (the browser never imports it): a model folder loaded with
// onnxruntime-node, trajectory files read from disk, and result files written so that a failed run never leaves half
// a file behind.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type LoadedModel, type LoadOptions, loadModel } from '../runtime/model';
import { folderLoader, nodeOrt } from '../runtime/node';
import { parseTrajectoryText, type TrajectoryFile, TrajectoryFileError } from './trajectory-file';

export async function loadNodeModel(
  folder: string,
  variant?: string,
  options: Pick<LoadOptions, 'kvCache'> = {},
): Promise<LoadedModel> {
  if (!existsSync(folder)) throw new Error(`model folder ${folder} does not exist`);
  return loadModel(folderLoader(folder), nodeOrt, { variant, ...options });
}

/** Writes a file via a temporary name and a rename, so a failed run never leaves a partial file behind. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function readTrajectoryFile(path: string): TrajectoryFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrajectoryFileError(
      `cannot read trajectory file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseTrajectoryText(text, path);
}
