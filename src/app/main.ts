// Entry point: reads the link's state, starts the model worker and the store, binds the one bridge between them,
// starts the service worker (offline.ts), keeps the URL in step with the settings, and then mounts the app.
//
// This chunk holds no React: the worker (which has seconds of work ahead: its script, onnxruntime's WebAssembly,
// the model) is started first, and the React UI (mount.tsx, its own chunk) loads and renders while it works.
// With React in this chunk the worker started only after the whole UI bundle had been evaluated and the first
// render had left the main thread (docs/bench/load-time.json).
import { createWorkerClient } from '../worker/worker-port';
import { bindBridge } from './bridge';
import { firstExample } from './examples';
import { offlineHandle } from './offline';
import { createAppStore } from './store';
import { idbTrainStore } from './train-db';
import { parseUrl, toSearch } from './url';
import './styles.css';

const url = parseUrl(window.location.search);
const client = createWorkerClient();
const offline = offlineHandle();
const store = createAppStore(
  {
    engine: client,
    baseUrl: document.baseURI,
    applyUpdate: () => offline.applyUpdate(),
    // The Train view keeps its filters in IndexedDB; where that is refused, for the page's life only, and says so.
    ...('indexedDB' in window
      ? {
          trainStore: idbTrainStore((why) => {
            const note = `This browser refuses to store data (${why}): filters trained here last until the page closes.`;
            store.setState({ notices: [...store.getState().notices, note] });
          }),
        }
      : {}),
  },
  { ...url, prompt: url.prompt ?? firstExample() },
);
bindBridge(client, store);
store.getState().loadModel();
// The service worker: the app offline, and cross-origin isolation (threads) from the second load on.
if (import.meta.env.PROD && 'serviceWorker' in navigator) offline.start(store);
// A link with run=1 starts the comparison once, as soon as the model is ready.
if (url.run) {
  const stop = store.subscribe((s) => {
    if (s.model.status !== 'ready') return;
    stop();
    void s.runComparison();
  });
}

// The link always restores what is on screen (replaceState: no history entry per keystroke). Only the four
// parts of the state that the link holds are compared, so animation frames cost nothing here.
let last = store.getState();
store.subscribe((s) => {
  if (
    s.settings === last.settings &&
    s.environment === last.environment &&
    s.prompt === last.prompt &&
    s.view === last.view
  )
    return;
  last = s;
  const search = toSearch({ settings: s.settings, environment: s.environment, prompt: s.prompt, view: s.view });
  if (search !== window.location.search)
    window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
import('./mount')
  .then(({ mount }) => mount(root, store))
  .catch((error: unknown) => {
    // The UI chunk did not arrive (a cut connection, a half-deployed site): say so instead of a blank page.
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The app could not load its interface (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
    root.replaceChildren(message);
  });
