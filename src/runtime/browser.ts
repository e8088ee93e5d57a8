// The runtime's OrtApi over onnxruntime-web (the worker's adapter; Node's is node.ts). One onnxruntime-web copy
// ships: we import `onnxruntime-web/webgpu`, the entry @huggingface/transformers imports too.
//
// - Two builds of onnxruntime's WebAssembly from that same package, chosen once per worker (a runtime starts only
//   once per JS realm): the asyncify build (27 MB: the WebGPU and the WASM execution providers) when the worker
//   runs WebGPU, and the plain build (14 MB, WASM EP only) when it runs WASM, which halves what a WASM visitor
//   downloads and compiles before the model can run (docs/bench/load-time.json). The client starts a new worker
//   when the backend changes (client.ts).
// - The .wasm/.mjs files (ort-files.ts) are bundled by Vite and served from our own origin. transformers.js (imported
//   lazily, tokenizer.ts) points `env.wasm.wasmPaths` at a CDN when it loads unless they are set already, and
//   sets `env.logLevel`: `configureOrt` sets both when the runtime starts, `create` sets the log level again.
// - On WebGPU the dLLM's outputs stay on the GPU ('gpu-buffer') until we download them ourselves, so a step's
//   time splits into the forward and the readback of top1/conf (the fused head: 2 x seq values, never logits).
// - The Learn2PD filter (32 inputs, one small MLP) always runs on the WASM EP: a GPU dispatch plus a readback
//   would cost far more than the few microseconds of arithmetic.
import * as ort from 'onnxruntime-web/webgpu';
import { IDENTITY_ONNX_BASE64 } from './identity-onnx';
import { KV_OUTPUTS, type OrtApi, type OrtSession, type OrtTensor } from './ort';
import { ORT_FILES, type OrtBuild } from './ort-files';

/** An execution provider. (Which WebAssembly build runs it is an OrtBuild: the 'webgpu' build runs both.) */
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

/** Which onnxruntime build this worker started: 'webgpu' runs both EPs, 'wasm' only the WASM EP. */
let runtimeBuild: OrtBuild | null = null;
let runtimeStart: Promise<void> | null = null;

/** Global onnxruntime-web settings; call before creating sessions (and after importing transformers.js). */
function configureOrt(threads: number, build: OrtBuild): void {
  ort.env.wasm.wasmPaths = { ...ORT_FILES[build] };
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false; // we are already in a worker
  ort.env.logLevel = 'error';
}

/**
 * Starts onnxruntime-web's runtime for `backend` (fetching and compiling its .wasm takes a second or more) as soon
 * as the backend is known, so it overlaps dllm.json and the model downloads instead of following them. Sessions
 * wait for it: onnxruntime-web refuses a second runtime start while one is in flight. Later calls keep the first
 * build. Failures are left to the real session, which reports them.
 */
/** The WebAssembly build this realm's runtime started, or null before startOrtRuntime. */
export function startedOrtBuild(): OrtBuild | null {
  return runtimeBuild;
}

export function startOrtRuntime(threads: number, backend: OrtBackend): Promise<void> {
  if (runtimeStart !== null) return runtimeStart;
  runtimeBuild = backend;
  runtimeStart = (async () => {
    configureOrt(threads, backend);
    const bytes = Uint8Array.from(atob(IDENTITY_ONNX_BASE64), (c) => c.charCodeAt(0));
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], logSeverityLevel: 3 });
    await session.release();
  })().catch(() => undefined);
  return runtimeStart;
}

/** The onnxruntime-web version in the bundle (for the about box). */
export const ortVersion: string = ort.env.versions.web ?? 'unknown';

/**
 * A session whose outputs live on the GPU: `run` downloads them and reports how long that took, except the KV
 * cache's keys and values (KV_OUTPUTS), which stay GPU tensors until disposed: the next window forward reads them
 * where they are (spec §7: never read back).
 */
class GpuOutputSession implements OrtSession {
  constructor(
    private readonly inner: ort.InferenceSession,
    private readonly toOrt: (feeds: Record<string, OrtTensor>) => Record<string, ort.Tensor>,
    private readonly onReadback: (ms: number) => void,
    private readonly track: (tensor: ort.Tensor) => OrtTensor,
  ) {}

  get inputNames(): readonly string[] {
    return this.inner.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.inner.outputNames;
  }

  async run(feeds: Record<string, OrtTensor>, fetches: readonly string[]): Promise<Record<string, OrtTensor>> {
    const outputs = await this.inner.run(this.toOrt(feeds), fetches);
    const t0 = performance.now();
    const out: Record<string, OrtTensor> = {};
    try {
      for (const [name, tensor] of Object.entries(outputs)) {
        if (KV_OUTPUTS.some((k) => k === name)) {
          out[name] = this.track(tensor); // stays on the GPU; fed back as it is, disposed by the cache
          continue;
        }
        // getData(true) copies to the CPU and releases the GPU buffer.
        const data = tensor.location === 'cpu' ? tensor.data : await tensor.getData(true);
        out[name] = { type: tensor.type, data, dims: tensor.dims, dispose: () => undefined };
      }
    } finally {
      for (const [name, tensor] of Object.entries(outputs))
        if (tensor.location === 'cpu' && !KV_OUTPUTS.some((k) => k === name)) tensor.dispose();
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
    private readonly track: (tensor: ort.Tensor) => OrtTensor,
  ) {}

  get inputNames(): readonly string[] {
    return this.inner.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.inner.outputNames;
  }

  async run(feeds: Record<string, OrtTensor>, fetches: readonly string[]): Promise<Record<string, OrtTensor>> {
    const outputs = await this.inner.run(this.toOrt(feeds), fetches);
    const out: Record<string, OrtTensor> = {};
    for (const [name, tensor] of Object.entries(outputs)) out[name] = this.track(tensor); // a KV cache feeds keys back
    return out;
  }

  release(): Promise<void> {
    return this.inner.release();
  }
}

export function browserOrt(backend: OrtBackend, threads: number): BrowserOrt {
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
    await startOrtRuntime(threads, backend);
    if (ep === 'webgpu' && runtimeBuild !== 'webgpu') {
      throw new BrowserOrtError("this worker started onnxruntime-web's WASM-only build; WebGPU needs a new worker");
    }
    ort.env.logLevel = 'error'; // transformers.js resets it to 'warning' when it loads
    return ort.InferenceSession.create(bytes, {
      executionProviders: [ep],
      graphOptimizationLevel: ep === 'wasm' ? 'disabled' : 'all',
      logSeverityLevel: 3,
      ...(outputsOnGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
    });
  };
  return {
    backend,
    async createSession(bytes, kind) {
      if (backend === 'wasm' || kind === 'filter')
        return new CpuSession(await create(bytes, 'wasm', false), toOrt, track);
      return new GpuOutputSession(await create(bytes, 'webgpu', true), toOrt, (ms) => (readbackMs = ms), track);
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
