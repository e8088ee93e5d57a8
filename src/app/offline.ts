// The page's side of the service worker (src/sw/sw.ts): registers it, tells the store whether the page is online,
// cross-origin isolated and stored for offline visits, asks the worker to keep onnxruntime's files for the backend
// the model worker started, and switches to a waiting build when the visitor agrees (then the page reloads once).
// Production builds only: the dev server has no sw.js.
import type { SwReply, SwRequest } from '../sw/messages';
import type { AppStore, OfflineState } from './store/types';

export interface OfflineHandle {
  /** Activates the waiting build; the page reloads when it takes over. */
  applyUpdate(): void;
  /** Registers the service worker and starts reporting into `store`. */
  start(store: AppStore): void;
}

export function offlineHandle(): OfflineHandle {
  let registration: ServiceWorkerRegistration | null = null;
  let updating = false;
  return {
    applyUpdate() {
      const waiting = registration?.waiting;
      if (!waiting) return;
      updating = true;
      const request: SwRequest = { type: 'skip-waiting' };
      waiting.postMessage(request);
    },
    start(store) {
      const container = navigator.serviceWorker;
      const set = (change: Partial<OfflineState>) => store.setState((s) => ({ offline: { ...s.offline, ...change } }));
      set({ online: navigator.onLine, isolated: self.crossOriginIsolated });
      window.addEventListener('online', () => set({ online: true }));
      window.addEventListener('offline', () => set({ online: false }));

      // What the offline copy needs beyond the shell: the onnxruntime build the model worker started.
      let kept = '';
      const keep = () => {
        const info = store.getState().model.info;
        const controller = container.controller;
        if (info === null || controller === null) return;
        const key = `${info.runtimeFiles.join(' ')}|${controller.scriptURL}`;
        if (key === kept) return;
        kept = key;
        const request: SwRequest = { type: 'keep', urls: info.runtimeFiles };
        controller.postMessage(request);
      };
      store.subscribe((s, before) => {
        if (s.model.info !== before.model.info) keep();
      });
      container.addEventListener('message', (event: MessageEvent<SwReply>) => {
        if (event.data?.type === 'kept') set({ ready: true });
      });
      container.addEventListener('controllerchange', () => {
        // The first claim (a first visit) just starts serving; a takeover the visitor asked for reloads the page.
        if (updating) window.location.reload();
        else keep();
      });

      container
        .register('./sw.js', { scope: './' })
        .then((reg) => {
          registration = reg;
          const waits = () => set({ update: reg.waiting !== null && container.controller !== null });
          waits();
          reg.addEventListener('updatefound', () => {
            const next = reg.installing;
            next?.addEventListener('statechange', () => {
              if (next.state === 'installed') waits();
            });
          });
          keep();
        })
        .catch(() => undefined); // no service worker (a private window, an old browser): the app runs online as before
    },
  };
}
