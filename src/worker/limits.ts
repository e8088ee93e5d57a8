// The most a request may ask for (protocol.ts re-exports them; the app offers no more than these).

/** The longest prompt text a request may carry (and the app sends or a link holds); the model's own limit, in
 * tokens, is far lower and checked by the worker. */
export const MAX_PROMPT_CHARS = 2000;
/** The longest canvas a request may ask for. */
export const MAX_GEN_LENGTH = 256;
/** Panes of one comparison: threshold, Learn2PD and an optional third, with room for one more. */
export const MAX_PANES = 4;
export const MAX_BENCH_PROMPTS = 200;
export const MAX_BENCH_SPECS = 50;
export const MAX_CLOCK_RUNS = 5;
/** The most prompts one filter-training collection may hold (the Train view offers up to this). */
export const MAX_TRAIN_PROMPTS = 200;
/** The longest trajectory file a train request may carry (200 prompts at canvas 256 hold about 20 MB). */
export const MAX_TRAJECTORY_CHARS = 100_000_000;
/** The most epochs a train request may ask for (the paper's run length). */
export const MAX_TRAIN_EPOCHS = 40_000;
/** The most WebAssembly threads a load may ask for. */
export const MAX_WASM_THREADS = 8;

/**
 * The threads onnxruntime-web's WASM backend runs on: one unless the page is cross-origin isolated (threads need
 * SharedArrayBuffer); then what the load asked for, else onnxruntime's own default, half the cores (at most 4),
 * which leaves the page a core. On this project's 2-core machine 2 threads ran at 0.80x the speed of 1
 * (docs/bench/threads.md), so half the cores is also what we measured.
 */
export function wasmThreads(asked: number | null, isolated: boolean, cores: number): number {
  if (!isolated) return 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, asked ?? Math.min(4, Math.ceil(cores / 2))));
}
