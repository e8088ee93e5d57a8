// The engine's own named errors (protocol.ts ERROR_NAMES lists every name that crosses).

export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

/** A prompt the model cannot be asked (empty); a too long one is eval's PromptTooLongError. */
export class PromptError extends Error {
  override name = 'PromptError';
}

export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}
