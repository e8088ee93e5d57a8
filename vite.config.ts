import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';

// The Content-Security-Policy of the built app: our own origin only, plus what onnxruntime-web needs.
// - script-src 'wasm-unsafe-eval': compiling WebAssembly (onnxruntime-web's .wasm) is code generation, which CSP
//   blocks without it; 'unsafe-eval' (JS eval, new Function) stays off.
// - img-src data: inline SVG data URLs (none today; kept for charts' patterns).
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

/**
 * Builds the service worker (src/sw/sw.ts, on its own: it imports only types) into `sw.js` at the root of dist/,
 * with the app shell it precaches written in front: every file of the bundle but source maps and onnxruntime's
 * WebAssembly (kept per backend at run time), plus public/'s files but the models (the page's loader caches those),
 * and a version hashed from those files' contents, so each build's caches are its own.
 */
function serviceWorker(): Plugin {
  return {
    name: 'service-worker',
    apply: 'build',
    generateBundle(_, bundle) {
      const ort = /(^|\/)ort-wasm[^/]*\.(wasm|mjs)$/;
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && !ort.test(f));
      const publicFiles = readdirSync('public', { withFileTypes: true }).flatMap((e) => (e.isFile() ? [e.name] : []));
      const version = createHash('sha256');
      for (const f of [...files].sort()) {
        const item = bundle[f];
        version
          .update(f)
          .update(
            item.type === 'chunk'
              ? item.code
              : typeof item.source === 'string'
                ? item.source
                : Buffer.from(item.source),
          );
      }
      for (const f of publicFiles.sort()) version.update(f).update(readFileSync(`public/${f}`));
      const source = ts.transpileModule(readFileSync('src/sw/sw.ts', 'utf8'), {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      }).outputText;
      const precache = [...files, ...publicFiles].filter((f) => f !== 'index.html');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `const PRECACHE = ${JSON.stringify(['index.html', ...precache])};\nconst VERSION = '${version.digest('hex').slice(0, 16)}';\n${source.replace(/^export \{\};?\s*$/m, '')}`,
      });
    },
  };
}

// `base: './'` makes every asset URL relative, so `dist/` works from any sub-path (e.g. a GitHub Pages
// project site) with no server code. Module workers need `worker.format: 'es'`.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy(), serviceWorker()],
  worker: { format: 'es' },
  // No source maps: the site ships what runs (the code is on GitHub for whoever wants to read it).
  build: { target: 'es2022', sourcemap: false },
  server: { host: 'localhost', port: 5173 },
  preview: {
    host: 'localhost',
    port: 4173,
    strictPort: true,
    headers: { 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'` },
  },
});
