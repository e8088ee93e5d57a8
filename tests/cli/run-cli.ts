// Runs one of our Node CLIs (src/cli/*.ts) through tsx from the repository root, as `npm run ...` does, and
// returns its exit code and output instead of throwing on a non-zero exit.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = join(__dirname, '..', '..');
export const BUNDLED_MODEL = join(ROOT, 'public', 'models', 'tiny-dllm');
const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');

export async function runCli(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [script, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
