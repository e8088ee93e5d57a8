// The module Web Worker: the engine (engine/engine.ts) wired to onnxruntime-web, fetch + Cache API and the worker's
// own WebGPU probe, behind the message adapter (serve.ts). Uncaught failures are reported as `error` messages with
// no runId, so the UI can say what happened (and restart the worker) instead of waiting forever.
import { browserOrt, startedOrtBuild, startOrtRuntime } from '../runtime/browser';
import { fetchLoader } from '../runtime/fetch-loader';
import { ORT_FILES } from '../runtime/ort-files';
import { createEngine } from './engine/engine';
import { heapSizes, watchWasmMemory } from './heap';
import { probeWebGpu } from './probe';
import { toWireError, type WorkerMessage, wasmThreads } from './protocol';
import { serveEngine } from './serve';

watchWasmMemory();

const post = (message: WorkerMessage, transfer: ArrayBuffer[]) => self.postMessage(message, { transfer });

// Multi-threaded WASM needs SharedArrayBuffer, which needs a cross-origin-isolated page (COOP + COEP headers). The
// runtime starts once, so the first load's answer holds for this worker (the client gives a new ask a new worker).
let chosenThreads: number | null = null;
const threadsFor = (asked: number | null): number =>
  (chosenThreads ??= wasmThreads(asked, self.crossOriginIsolated, navigator.hardwareConcurrency || 1));
const threads = () => chosenThreads ?? threadsFor(null);

const engine = createEngine({
  probe: () => probeWebGpu('gpu' in navigator ? navigator.gpu : undefined),
  ortFor: (backend) => browserOrt(backend, threads()),
  // onnxruntime's runtime starts once the probe has picked the backend, while dllm.json and the files download.
  startRuntime: (backend) => void startOrtRuntime(threads(), backend),
  runtimeBuild: startedOrtBuild,
  runtimeFiles: () => {
    const build = startedOrtBuild();
    return build === null ? [] : Object.values(ORT_FILES[build]).map((url) => new URL(url, self.location.href).href);
  },
  loaderFor: (modelUrl) => fetchLoader(modelUrl),
  threads: threadsFor,
  heap: heapSizes,
});

const handle = serveEngine(engine, post);
self.addEventListener('message', (event: MessageEvent<unknown>) => handle(event.data));
self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  post({ type: 'error', runId: null, error: toWireError(event.reason) }, []);
});
