// What the engine needs from its environment, injected so the same engine runs in the Web Worker (worker.ts:
// onnxruntime-web, fetch + Cache API, the worker's WebGPU probe) and in Node tests (onnxruntime-node, a folder).
import type { FileLoader } from '../../runtime/files';
import type { OrtApi } from '../../runtime/ort';
import type { GpuProbe } from '../probe';
import type { Backend } from '../protocol';

/** What the engine watches on a GPUDevice: its `lost` promise (a GPUDevice is one). */
export interface LosableDevice {
  readonly lost: Promise<{ readonly message: string; readonly reason: string | undefined }>;
}

/** The onnxruntime adapter, with the extras onnxruntime-web offers (absent in Node). */
export interface EngineOrt extends OrtApi {
  lastReadbackMs?(): number;
  gpuDevice?(): Promise<LosableDevice | null>;
}

/** A model-folder loader; the browser's also caches verified files (fetch-loader.ts). */
export interface EngineLoader {
  load: FileLoader;
  cacheVerified?(path: string, bytes: Uint8Array): Promise<void>;
  evict?(path: string): Promise<void>;
  fromCache?(path: string): boolean;
}

export interface EngineDeps {
  probe(): Promise<GpuProbe>;
  ortFor(backend: Backend): EngineOrt;
  /** Starts the runtime for the chosen backend early (the browser's onnxruntime-web; optional elsewhere). */
  startRuntime?(backend: Backend): void;
  /** The WebAssembly build the runtime started (the first startRuntime's backend); absent with one runtime. */
  runtimeBuild?(): Backend | null;
  /** The files of that build (absolute URLs); none with one runtime. */
  runtimeFiles?(): string[];
  loaderFor(modelUrl: string): EngineLoader;
  /** The WebAssembly threads for a load that asked for `asked` (the worker's first answer holds for its life). */
  threads(asked: number | null): number;
  now?: () => number;
  /** The worker's heap sizes where the platform tells them (reported with every result, for soak tests). */
  heap?: () => { jsHeapBytes: number | null; wasmBytes: number | null };
}
