// The WebGPU probe names the reason for every way WebGPU can be missing.
import { describe, expect, it } from 'vitest';
import { type AdapterLike, type GpuLike, probeWebGpu } from '../../src/worker/probe';

function fakeGpu(adapter: AdapterLike | Error | null): GpuLike {
  return {
    requestAdapter: async () => {
      if (adapter instanceof Error) throw adapter;
      return adapter;
    },
  };
}

const goodAdapter = {
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
  info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true },
};

describe('probeWebGpu', () => {
  it('no navigator.gpu', async () => {
    expect(await probeWebGpu(undefined)).toEqual({
      kind: 'none',
      reason: expect.stringContaining('navigator.gpu is missing'),
    });
  });
  it('requestAdapter() returns null', async () => {
    expect(await probeWebGpu(fakeGpu(null))).toEqual({
      kind: 'none',
      reason: expect.stringContaining('returned no adapter'),
    });
  });
  it('requestAdapter() throws', async () => {
    expect(await probeWebGpu(fakeGpu(new Error('boom')))).toEqual({
      kind: 'none',
      reason: expect.stringContaining('boom'),
    });
  });
  it('an adapter with too small a limit', async () => {
    const small = { ...goodAdapter, limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 1024 } };
    expect(await probeWebGpu(fakeGpu(small))).toEqual({
      kind: 'none',
      reason: expect.stringContaining('maxStorageBufferBindingSize is 1024'),
    });
  });
  it('a usable adapter, with its name', async () => {
    expect(await probeWebGpu(fakeGpu(goodAdapter))).toEqual({
      kind: 'webgpu',
      adapter: 'google swiftshader',
      isFallback: true,
    });
  });
});
