import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The Content-Security-Policy of the built app: our own origin only, plus what onnxruntime-web needs.
// - script-src 'wasm-unsafe-eval': compiling WebAssembly (onnxruntime-web's .wasm) is code generation, which CSP
//   blocks without it; 'unsafe-eval' (JS eval, new Function) stays off.
// - img-src data: index.html's `<link rel="icon" href="data:,">` (no favicon request).
// - object-src 'none', base-uri 'self', form-action 'none': no plugins, no <base> hijack, no form posts.
// frame-ancestors is ignored in a <meta> policy; a host that can set headers should send the same string plus
//   Content-Security-Policy: ...; frame-ancestors 'none'
// A <meta> policy covers the document only: a worker takes its policy from its own response's header, so the
// model worker is under CSP only where the host sends it (`vite preview` does, below, so the e2e tests cover it).
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Puts the CSP <meta> first in <head> of the built index.html. Build only: the dev server's React refresh runs inline scripts. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

// `base: './'` makes every asset URL relative, so `dist/` works from any sub-path (e.g. a GitHub Pages
// project site) with no server code. Module workers need `worker.format: 'es'`.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: 'localhost', port: 5173 },
  preview: {
    host: 'localhost',
    port: 4173,
    strictPort: true,
    headers: { 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'` },
  },
});
