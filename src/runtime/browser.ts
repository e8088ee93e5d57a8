// The runtime's OrtApi over onnxruntime-web (the worker's adapter; Node's is node.ts). One onnxruntime-web copy
// ships: we import `onnxruntime-web/webgpu`, the entry @huggingface/transformers imports too, whose build runs
// both the WebGPU and the WASM execution providers.
//
// - The .wasm is bundled by Vite (`?url`) and served from our own origin. transformers.js points
//   `env.wasm.wasmPaths` at a CDN when it is imported; `configureOrt` overrides that before any session exists.
// - On WebGPU the dLLM's outputs stay on the GPU ('gpu-buffer') until we download them ourselves, so a step's
//   time splits into the forward and the readback of top1/conf (the fused head: 2 x seq values, never logits).
// - The Learn2PD filter (32 inputs, one small MLP) always runs on the WASM EP: a GPU dispatch plus a readback
//   would cost far more than the few microseconds of arithmetic.
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { IDENTITY_ONNX_BASE64 } from './identity-onnx';
import type { OrtApi, OrtSession, OrtTensor } from './ort';

export type OrtBackend = 'webgpu' | 'wasm';

export interface BrowserOrt extends OrtApi {
  readonly backend: OrtBackend;
  /** Milliseconds spent downloading outputs from the GPU in the last dLLM run (0 on WASM). */
  lastReadbackMs(): number;
  /** The GPUDevice onnxruntime-web created (WebGPU only, after the first session), e.g. to watch `lost`. */
  gpuDevice(): Promise<GPUDevice | null>;
}

export class BrowserOrtError extends Error {
  override name = 'BrowserOrtError';
}

/** Global onnxruntime-web settings; call before creating sessions (and after importing transformers.js). */
export function configureOrt(threads: number): void {
  ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false; // we are already in a worker
  ort.env.logLevel = 'error';
}

let runtimeStart: Promise<void> | null = null;

/**
 * Starts onnxruntime-web's runtime (fetching and compiling its 27 MB .wasm takes seconds) as soon as the worker
 * starts, so it overlaps the WebGPU probe, dllm.json and the model downloads instead of following them. Sessions
 * wait for it: onnxruntime-web refuses a second runtime start while one is in flight. Failures are left to the
 * real session, which reports them.
 */
export function startOrtRuntime(threads: number): Promise<void> {
  runtimeStart ??= (async () => {
    configureOrt(threads);
    const bytes = Uint8Array.from(atob(IDENTITY_ONNX_BASE64), (c) => c.charCodeAt(0));
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], logSeverityLevel: 3 });
    await session.release();
  })().catch(() => undefined);
  return runtimeStart;
}

/** The onnxruntime-web version in the bundle (for the about box). */
export const ortVersion: string = ort.env.versions.web ?? 'unknown';

/** A session whose outputs live on the GPU: `run` downloads them and reports how long that took. */
class GpuOutputSession implements OrtSession {
  constructor(
    private readonly inner: ort.InferenceSession,
    private readonly toOrt: (feeds: Record<string, OrtTensor>) => Record<string, ort.Tensor>,
    private readonly onReadback: (ms: number) => void,
  ) {}

  get inputNames(): readonly string[] {
    return this.inner.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.inner.outputNames;
  }

  async run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    const outputs = await this.inner.run(this.toOrt(feeds));
    const t0 = performance.now();
    const out: Record<string, OrtTensor> = {};
    try {
      for (const [name, tensor] of Object.entries(outputs)) {
        // getData(true) copies to the CPU and releases the GPU buffer.
        const data = tensor.location === 'cpu' ? tensor.data : await tensor.getData(true);
        out[name] = { type: tensor.type, data, dims: tensor.dims, dispose: () => undefined };
      }
    } finally {
      for (const tensor of Object.values(outputs)) if (tensor.location === 'cpu') tensor.dispose();
    }
    this.onReadback(performance.now() - t0);
    return out;
  }

  release(): Promise<void> {
    return this.inner.release();
  }
}

class CpuSession implements OrtSession {
  constructor(
    private readonly inner: ort.InferenceSession,
    private readonly toOrt: (feeds: Record<string, OrtTensor>) => Record<string, ort.Tensor>,
  ) {}

  get inputNames(): readonly string[] {
    return this.inner.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.inner.outputNames;
  }

  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    return this.inner.run(this.toOrt(feeds));
  }

  release(): Promise<void> {
    return this.inner.release();
  }
}

/** Whether a graph is the Learn2PD filter (the I/O names OrtFilter requires). */
function isFilterGraph(session: ort.InferenceSession): boolean {
  return session.inputNames.length === 1 && session.inputNames[0] === 'conf' && session.outputNames.includes('logits');
}

export function browserOrt(backend: OrtBackend, threads: number): BrowserOrt {
  configureOrt(threads);
  // Tensors we made, so feeds reach onnxruntime-web as its own Tensor objects (no casts through OrtTensor).
  const made = new WeakMap<OrtTensor, ort.Tensor>();
  const toOrt = (feeds: Record<string, OrtTensor>): Record<string, ort.Tensor> => {
    const out: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      const own = made.get(tensor);
      if (own === undefined) throw new BrowserOrtError(`feed "${name}" was not created by this OrtApi`);
      out[name] = own;
    }
    return out;
  };
  const track = (tensor: ort.Tensor): OrtTensor => {
    made.set(tensor, tensor);
    return tensor;
  };
  let readbackMs = 0;
  // WASM: no graph optimization. It made session creation 1-1.5 s slower in the browser with no faster forward
  // (docs/bench/load-time.json notes); on WebGPU the optimized graph runs ~20% faster, so it stays.
  const create = async (bytes: Uint8Array, ep: OrtBackend, outputsOnGpu: boolean) => {
    await runtimeStart;
    return ort.InferenceSession.create(bytes, {
      executionProviders: [ep],
      graphOptimizationLevel: ep === 'wasm' ? 'disabled' : 'all',
      logSeverityLevel: 3,
      ...(outputsOnGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
    });
  };
  return {
    backend,
    async createSession(bytes) {
      configureOrt(threads);
      if (backend === 'wasm') return new CpuSession(await create(bytes, 'wasm', false), toOrt);
      const session = await create(bytes, 'webgpu', true);
      if (isFilterGraph(session)) {
        await session.release();
        return new CpuSession(await create(bytes, 'wasm', false), toOrt);
      }
      return new GpuOutputSession(session, toOrt, (ms) => (readbackMs = ms));
    },
    int64Tensor: (data, dims) => track(new ort.Tensor('int64', data, dims)),
    float32Tensor: (data, dims) => track(new ort.Tensor('float32', data, dims)),
    lastReadbackMs: () => readbackMs,
    async gpuDevice() {
      if (backend !== 'webgpu') return null;
      try {
        return await ort.env.webgpu.device;
      } catch {
        return null;
      }
    },
  };
}
