// The engine in this thread behind the client's Port, for tests and Node: requests pass the same schema check and
// messages go through structuredClone, as postMessage would do. Kept apart from client.ts so the UI bundle never
// pulls the engine (and onnxruntime) into the main thread.
import type { Port } from './client';
import { createEngine, type EngineDeps } from './engine';

/**
 * A port that runs the engine in this thread (tests, Node): requests go through the same schema check and
 * messages through structuredClone, like postMessage would do.
 */
export function inProcessPort(deps: EngineDeps): () => Port {
  return () => {
    let receive: (data: unknown) => void = () => undefined;
    let alive = true;
    const engine = createEngine(deps, (message) => {
      const copy = structuredClone(message);
      queueMicrotask(() => alive && receive(copy));
    });
    return {
      post: (request) => engine.handle(structuredClone(request)),
      listen(onData) {
        receive = onData;
      },
      terminate: () => {
        alive = false;
      },
    };
  };
}
