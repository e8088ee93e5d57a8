// The service worker: the app offline, and cross-origin isolation on a plain static host.
// - Install stores the app shell (index.html, every script, style, icon and the web app manifest of this build)
//   in a cache named by the build's version; activate deletes the caches of older builds, so a new build replaces
//   the old one whole (no mix of old and new files); the new worker waits until the page agrees to reload.
// - onnxruntime's WebAssembly is kept for the build the model worker actually started (the page names its files:
//   `keep`), 14 or 27 MB that a visitor of the other backend never downloads.
// - Model files are not touched here: the page's loader verifies their sha256 and keeps them in its own cache
//   (runtime/fetch-loader.ts), the one copy.
// - Every response served here gets Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (the
//   coi-serviceworker technique), so from the second load on the page is cross-origin isolated and onnxruntime
//   can run WebAssembly on several threads, with no header from the host.
// Built alone by vite.config.ts (transpiled, with PRECACHE and VERSION written in front): no imports but types.
import type { SwReply, SwRequest } from './messages';

declare const self: ServiceWorkerGlobalScope;
/** The shell's files, relative to the scope (written in by the build). */
declare const PRECACHE: string[];
/** A hash of this build's files (written in by the build). */
declare const VERSION: string;

const SHELL = `learn2pd-shell-${VERSION}`;
const ORT = `learn2pd-ort-${VERSION}`;
const OURS = [/^learn2pd-shell-/, /^learn2pd-ort-/];
const scope = () => new URL(self.registration.scope);
const index = () => new URL('index.html', scope()).href;

self.addEventListener('install', (event) => {
  // `reload`: past the HTTP cache, so the files are this build's.
  const requests = PRECACHE.map((path) => new Request(new URL(path, scope()).href, { cache: 'reload' }));
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(requests)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (OURS.some((re) => re.test(name)) && name !== SHELL && name !== ORT) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data as SwRequest;
  const reply = (message: SwReply) => event.source?.postMessage(message);
  if (data?.type === 'skip-waiting') {
    void self.skipWaiting();
  } else if (data?.type === 'keep' && Array.isArray(data.urls)) {
    event.waitUntil(
      (async () => {
        const cache = await caches.open(ORT);
        for (const url of data.urls) {
          if (new URL(url).origin !== self.location.origin || (await cache.match(url))) continue;
          const response = await fetch(url);
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
          await cache.put(url, response);
        }
        reply({ type: 'kept', version: VERSION, urls: data.urls });
      })().catch((error: unknown) => reply({ type: 'keep-failed', message: String(error) })),
    );
  }
});

/** The response with the isolation headers added (an opaque response cannot be changed, nor needs it). */
function isolated(response: Response): Response {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request: Request): Promise<Response> {
  if (request.mode === 'navigate') {
    // The app is one page: any navigation in scope is index.html, this build's copy when there is one.
    const page = await caches.match(index(), { cacheName: SHELL });
    if (page) return isolated(page);
    return isolated(await fetch(request));
  }
  const hit = (await caches.match(request, { cacheName: SHELL })) ?? (await caches.match(request, { cacheName: ORT }));
  if (hit) return isolated(hit);
  return isolated(await fetch(request));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.href.startsWith(new URL('models/', scope()).href)) return; // the page's loader and its cache own these
  event.respondWith(respond(request));
});
