// Named errors of the decoding core, so callers (worker, CLIs) can tell a bad setting from a broken model
// from a user's cancel by `name` once the error has crossed a thread as `{ name, message }`.

/** A decoder config, prompt or filter that the spec does not allow; the message names the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A Learn2PD decode for a block length that no filter of the model serves (vocabulary.ts, requireFilter). */
export class NoFilterError extends Error {
  override name = 'NoFilterError';
}

/** The denoiser or filter answered with the wrong shape; we never truncate or pad a model's answer silently. */
export class ModelOutputError extends Error {
  override name = 'ModelOutputError';
}

/** The AbortSignal fired; thrown between steps, never in the middle of a commit. */
export class DecodeCancelledError extends Error {
  override name = 'DecodeCancelledError';
  constructor(readonly reason?: unknown) {
    super('decoding was cancelled');
  }
}

/** Filter training refused its data set or settings; the message says why. */
export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}
