// The errors that cross the worker boundary (protocol.ts re-exports them): every name a job can end with, how an
// error crosses ({ name, message }) and is rebuilt on the other side.
/** Every error name that crosses: the classes of core, runtime, eval and worker that a job can end with. */
export const ERROR_NAMES = [
  'SchemaError', // a request or message failed its check
  'PromptError', // an empty prompt
  'PromptTooLongError', // more tokens than the model was trained with
  'ConfigError', // a canvas or decoder setting the spec does not allow
  'NoFilterError', // no Learn2PD filter serves the block length
  'TrainingDataError', // too few samples, or a single class, to train a filter on
  'TrajectoryFileError', // a trajectory file that is not what collect writes, or is of another model
  'NotReadyError', // no model is loaded
  'ModelFileError', // a model file could not be fetched or failed its size / sha256 check
  'ManifestError', // dllm.json is malformed or lacks what was asked for
  'RuntimeError', // an onnxruntime session refused the graph or the input
  'ModelOutputError', // the model answered with the wrong shape
  'DeviceLostError', // the GPU device went away mid-run
  'DuplicateRunIdError', // a runId already in use
  'DecodeCancelledError', // the job was cancelled
  'WorkerCrashedError', // the worker died (set by the client, which starts a new one)
  'WorkerUnreachableError', // the worker's script did not load, or it keeps crashing: no new one until asked
  'InternalError', // anything else; the message keeps the original name
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

export interface WireError {
  name: ErrorName;
  message: string;
}

function isErrorName(name: string): name is ErrorName {
  return ERROR_NAMES.some((n) => n === name);
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error)
    return isErrorName(error.name)
      ? { name: error.name, message: error.message }
      : { name: 'InternalError', message: `${error.name || 'Error'}: ${error.message}` };
  if (typeof error === 'string') return { name: 'InternalError', message: error };
  return { name: 'InternalError', message: `unexpected failure: ${String(error)}` };
}

/** An error that crossed the thread boundary, rebuilt with its original name. */
export class WorkerError extends Error {
  override readonly name: ErrorName;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
}

/** Whether a job ended because it was cancelled (on either side of the boundary). */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'DecodeCancelledError';
}
