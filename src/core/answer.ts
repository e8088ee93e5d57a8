// What counts as "the answer" of a decode: the generated tokens up to (not including) the first EOS.
// Every metric (tokens per step, tokens/s, agreement) counts these, so EOS padding never inflates a speedup.

/**
 * The answer of `output` (prompt + canvas): the canvas tokens before the first `eosId`, or the whole canvas
 * when it holds no EOS. Tokens after the first EOS are dropped even when they are not EOS themselves
 * (a parallel decoder can commit such tokens before it commits the EOS that ends the text).
 */
export function answerTokens(output: Int32Array, promptLength: number, eosId: number): Int32Array {
  const canvas = output.subarray(promptLength);
  const firstEos = canvas.indexOf(eosId);
  return canvas.slice(0, firstEos === -1 ? canvas.length : firstEos);
}
