// The app's way to the model worker: a Port (client.ts) over a module Web Worker, and the client over the worker
// Vite bundles from worker.ts.
import { DllmClient, type Port } from './client';

/** A port over a module Web Worker. */
export function workerPort(create: () => Worker): () => Port {
  return () => {
    const worker = create();
    return {
      post: (request) => worker.postMessage(request),
      listen(onData, onCrash) {
        worker.addEventListener('message', (event: MessageEvent<unknown>) => onData(event.data));
        worker.addEventListener('messageerror', () =>
          onData({ type: 'invalid', reason: 'a message could not be deserialized' }),
        );
        worker.addEventListener('error', (event: ErrorEvent) => {
          event.preventDefault();
          onCrash(event.message || 'an uncaught error in the worker');
        });
      },
      terminate: () => worker.terminate(),
    };
  };
}

/** The app's client: the model worker bundled by Vite from worker.ts. */
export function createWorkerClient(): DllmClient {
  return new DllmClient(
    workerPort(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dllm' })),
  );
}
