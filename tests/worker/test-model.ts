// Which model folder the worker's Node tests use: the bundled model, or DLLM_TEST_MODEL when set. Tests that need
// a model skip (with a message) until the bundled model's dllm.json exists; Learn2PD tests until it has a filter.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../src/runtime/manifest';

export const TEST_MODEL_DIR = process.env.DLLM_TEST_MODEL ?? 'public/models/tiny-dllm';
export const HAS_TEST_MODEL = existsSync(join(TEST_MODEL_DIR, 'dllm.json'));
/** Whether the test model ships a Learn2PD filter yet (the filter is trained after the model). */
export const HAS_TEST_FILTER =
  HAS_TEST_MODEL &&
  Object.keys(parseManifest(readFileSync(join(TEST_MODEL_DIR, 'dllm.json'), 'utf8')).filters).length > 0;
