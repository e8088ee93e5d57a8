// onnxruntime-web's WebAssembly builds, bundled by Vite from the one onnxruntime-web package and served from our
// own origin. A worker starts one of them for its backend (browser.ts).
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

export type OrtBuild = 'webgpu' | 'wasm';

/**
 * 'webgpu': the asyncify build (27 MB), the WebGPU and the WASM execution providers; its .mjs glue is embedded
 * in the `onnxruntime-web/webgpu` bundle. 'wasm': the plain build (14 MB), the WASM EP only.
 */
export const ORT_FILES: Record<OrtBuild, { mjs?: string; wasm: string }> = {
  webgpu: { wasm: asyncifyWasm },
  wasm: { mjs: plainMjs, wasm: plainWasm },
};
