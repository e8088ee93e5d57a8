// Entry point: reads the link's state, starts the model worker and the store, binds the one bridge between them,
// keeps the URL in step with the settings, and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createWorkerClient } from '../worker/client';
import { App } from './App';
import { bindBridge } from './bridge';
import { firstExample } from './examples';
import { createAppStore } from './store';
import { toSearch, parseUrl } from './url';
import { StoreContext } from './use-app';
import './styles.css';

const url = parseUrl(window.location.search);
const client = createWorkerClient();
const store = createAppStore({ client, baseUrl: document.baseURI }, { ...url, prompt: url.prompt ?? firstExample() });
bindBridge(client, store);
store.getState().loadModel();

// The link always restores what is on screen (replaceState: no history entry per keystroke). Only the four
// parts of the state that the link holds are compared, so animation frames cost nothing here.
let last = store.getState();
store.subscribe((s) => {
  if (s.settings === last.settings && s.environment === last.environment && s.prompt === last.prompt && s.view === last.view) return;
  last = s;
  const search = toSearch({ settings: s.settings, environment: s.environment, prompt: s.prompt, view: s.view });
  if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
