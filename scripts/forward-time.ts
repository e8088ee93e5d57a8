// Forward time of each weight variant of the bundled model in onnxruntime-node (CPU), interleaved in one process so
// the ratios are fair on a noisy machine: `npx tsx scripts/forward-time.ts [--seq 192] [--reps 30]`.
// Writes docs/bench/forward-time.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type LoadedModel, loadModel } from '../src/runtime/model';
import { folderLoader, nodeOrt } from '../src/runtime/node';
import { arg } from './preview';

const SEQ = Number(arg('seq', '192'));
const REPS = Number(arg('reps', '30'));
const folder = join('public', 'models', 'tiny-dllm');

async function main(): Promise<void> {
  const loader = folderLoader(folder);
  const names = ['fp32', 'q8', 'q4', 'q4-logits'];
  const models: LoadedModel[] = [];
  for (const variant of names) models.push(await loadModel(loader, nodeOrt, { variant }));
  const x = new Int32Array(SEQ).fill(models[0].manifest.maskId);
  x.set(models[0].tokenizer.encodePrompt('What is 12 plus 7?'));
  const times: number[][] = names.map(() => []);
  for (const m of models) await m.denoiser.forward(x); // warm-up
  for (let r = 0; r < REPS; r++) {
    for (let i = 0; i < models.length; i++) {
      await models[i].denoiser.forward(x);
      times[i].push(models[i].denoiser.lastForwardMs);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result = Object.fromEntries(
    names.map((n, i) => [n, { medianMs: median(times[i]), ratioToFp32: median(times[i]) / median(times[0]) }]),
  );
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`;
  const out = {
    command: `npx tsx scripts/forward-time.ts --seq ${SEQ} --reps ${REPS}`,
    machine,
    seq: SEQ,
    reps: REPS,
    result,
  };
  mkdirSync(join('docs', 'bench'), { recursive: true });
  writeFileSync(join('docs', 'bench', 'forward-time.json'), `${JSON.stringify(out, null, 2)}\n`);
  for (const [n, r] of Object.entries(result))
    console.log(`${n.padEnd(10)} ${r.medianMs.toFixed(1).padStart(7)} ms  ${r.ratioToFp32.toFixed(2)}x fp32`);
  for (const m of models) await m.release();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
