// What the page and the service worker (sw.ts) tell each other. Types only: the service worker is built alone
// (vite.config.ts transpiles sw.ts by itself), so this file must never hold code.

/** Page -> service worker. */
export type SwRequest =
  /** Keep these files (the onnxruntime build the model worker started) for offline visits. */
  | { type: 'keep'; urls: string[] }
  /** The page agreed to the update that waits: activate it now. */
  | { type: 'skip-waiting' };

/** Service worker -> page. */
export type SwReply =
  /** Every file the app needs offline is stored: the shell, and the files of `keep` (the model has its own cache). */
  { type: 'kept'; version: string; urls: string[] } | { type: 'keep-failed'; message: string };
