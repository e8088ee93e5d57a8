// The worker's heap sizes, for the soak test and the curious: the JS heap where the browser reports it (Chromium's
// non-standard `performance.memory`, absent in most workers), and onnxruntime-web's WebAssembly memory, which
// only grows: a leak shows as growth that never levels off. onnxruntime-web does not expose its module, so the
// worker notes every Memory that a WebAssembly instance exports when it is instantiated (observation only: the
// results are passed on unchanged).

const memories = new Set<WebAssembly.Memory>();

function remember(instance: WebAssembly.Instance): void {
  for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.add(value);
}

/** A threaded build imports its (shared) memory instead of exporting it. */
function rememberImports(imports: WebAssembly.Imports | undefined): void {
  for (const module of Object.values(imports ?? {})) {
    for (const value of Object.values(module)) if (value instanceof WebAssembly.Memory) memories.add(value);
  }
}

type Instantiated = WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance;

function note<T extends Instantiated>(result: T): T {
  remember(result instanceof WebAssembly.Instance ? result : result.instance);
  return result;
}

/** Starts noting the Memory of every WebAssembly instance created from now on; call before onnxruntime loads. */
export function watchWasmMemory(): void {
  const streaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
  WebAssembly.instantiateStreaming = (source, imports) => {
    rememberImports(imports);
    return streaming(source, imports).then(note);
  };
  const instantiate: (
    source: BufferSource | WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => Promise<Instantiated> = WebAssembly.instantiate.bind(WebAssembly);
  // One function for both overloads (a Module gives an Instance, bytes give { module, instance }).
  const patched = (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    rememberImports(imports);
    return instantiate(source, imports).then(note);
  };
  Object.defineProperty(WebAssembly, 'instantiate', { value: patched, configurable: true, writable: true });
}

function jsHeap(): number | null {
  const memory: unknown = Reflect.get(performance, 'memory');
  if (typeof memory !== 'object' || memory === null) return null;
  const used: unknown = Reflect.get(memory, 'usedJSHeapSize');
  return typeof used === 'number' ? used : null;
}

export function heapSizes(): { jsHeapBytes: number | null; wasmBytes: number | null } {
  const wasm = memories.size === 0 ? null : [...memories].reduce((s, m) => s + m.buffer.byteLength, 0);
  return { jsHeapBytes: jsHeap(), wasmBytes: wasm };
}
