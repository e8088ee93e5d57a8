// The engine in this thread behind the client's Port, for tests and Node: requests pass the same schema check and
// messages go through structuredClone, as postMessage would do. Kept apart from client.ts so the UI bundle never
// pulls the engine (and onnxruntime) into the main thread.
import type { Port } from './client';
import type { EngineDeps } from './engine/deps';
import { createEngine } from './engine/engine';
import { serveEngine } from './serve';

export function inProcessPort(deps: EngineDeps): () => Port {
  return () => {
    let receive: (data: unknown) => void = () => undefined;
    let alive = true;
    const handle = serveEngine(createEngine(deps), (message) => {
      const copy = structuredClone(message);
      queueMicrotask(() => alive && receive(copy));
    });
    return {
      post: (request) => handle(structuredClone(request)),
      listen(onData) {
        receive = onData;
      },
      terminate: () => {
        alive = false;
      },
    };
  };
}
