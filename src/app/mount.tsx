// The React half of the entry point (main.ts loads it as its own chunk once the model worker has started).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { AppStore } from './store';
import { StoreContext } from './use-app';

export function mount(root: HTMLElement, store: AppStore): void {
  createRoot(root).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
