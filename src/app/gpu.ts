// Detects what WebGPU this browser offers, so the UI can say which backend will run the model and why.

export type GpuProbe =
  | { kind: 'webgpu'; adapter: string; isFallback: boolean; features: string[] }
  | { kind: 'none'; reason: string };

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export async function probeWebGpu(): Promise<GpuProbe> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { kind: 'none', reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (error) {
    return { kind: 'none', reason: `requestAdapter() failed: ${String(error)}` };
  }
  if (!adapter) return { kind: 'none', reason: 'requestAdapter() returned no adapter' };
  const info = (adapter as GPUAdapter & { info?: AdapterInfoLike }).info ?? {};
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const isFallback = Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return { kind: 'webgpu', adapter: name || 'unnamed adapter', isFallback, features: [...adapter.features] };
}
