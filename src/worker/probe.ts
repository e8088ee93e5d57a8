// Which backend can run the model here: WebGPU when the browser offers an adapter with the limits a small
// transformer needs, else WASM, with the reason in words (the UI shows it, a classroom must know why it is slow).

export type GpuProbe = { kind: 'webgpu'; adapter: string; isFallback: boolean } | { kind: 'none'; reason: string };

/** Smallest limits a session of the bundled model needs (weights a few MB; activations well under this). */
export const REQUIRED_LIMITS = {
  maxStorageBufferBindingSize: 64 * 1024 * 1024,
  maxBufferSize: 64 * 1024 * 1024,
} as const;

/** The slice of GPUAdapter the probe reads. */
export interface AdapterLike {
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  info?: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
}

/** The slice of `navigator.gpu` the probe uses. */
export interface GpuLike {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<AdapterLike | null>;
}

export function adapterName(info: AdapterLike['info']): string {
  if (!info) return 'unnamed adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(
    (p) => typeof p === 'string' && p.length > 0,
  );
  return parts.length > 0 ? [...new Set(parts)].join(' ') : 'unnamed adapter';
}

/** Probes `gpu` (the page's or worker's `navigator.gpu`, possibly missing). Never throws. */
export async function probeWebGpu(gpu: GpuLike | undefined): Promise<GpuProbe> {
  if (!gpu) return { kind: 'none', reason: 'this browser offers no WebGPU (navigator.gpu is missing)' };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return {
      kind: 'none',
      reason: `WebGPU's requestAdapter() failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!adapter)
    return { kind: 'none', reason: "WebGPU's requestAdapter() returned no adapter (GPU blocklisted or disabled)" };
  for (const [limit, need] of Object.entries(REQUIRED_LIMITS)) {
    const have = limit === 'maxBufferSize' ? adapter.limits.maxBufferSize : adapter.limits.maxStorageBufferBindingSize;
    if (have < need)
      return { kind: 'none', reason: `the WebGPU adapter's ${limit} is ${have} bytes; the model needs ${need}` };
  }
  const info = adapter.info;
  return { kind: 'webgpu', adapter: adapterName(info), isFallback: info?.isFallbackAdapter === true };
}
