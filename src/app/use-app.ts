// React access to the app store: a context holds the store (created in main.ts, or by a test), `useApp` reads a
// narrow slice of state with a selector, `useAppStore` gives the store for actions called outside render.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './store';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useApp needs a <StoreContext.Provider> above it');
  return store;
}

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}
