// Fast-dLLM's KV cache (spec §7) over onnxruntime sessions of training/kv.py's two graphs. Like ort.ts, it never
// imports an onnxruntime package; every tensor it creates or receives is disposed, the kept keys/values included.
import type { HeadExtra, StepOutput } from '../core';
import { HEAD_EXTRAS } from '../core';
import {
  headOf,
  idsOf,
  type KvCacheSessions,
  type OrtApi,
  type OrtSession,
  type OrtTensor,
  RuntimeError,
  requireNames,
} from './ort';

/**
 * Fast-dLLM's KV cache on two sessions (spec §7, training/kv.py): `full` runs the block-start graph and keeps its
 * `keys`/`values` outputs (every layer's, [L, H, seq, hd]) as tensors, never copied into JavaScript; `window` feeds
 * them back to the window graph. The kept pair is disposed when the next full forward replaces it and on release.
 */
export class OrtKvCache implements KvCacheSessions {
  private kept: { keys: OrtTensor; values: OrtTensor } | undefined;
  lastForwardMs = 0;

  private constructor(
    private readonly ort: OrtApi,
    private readonly fullSession: OrtSession,
    private readonly windowSession: OrtSession,
    private readonly extras: readonly HeadExtra[],
  ) {}

  static async create(ort: OrtApi, full: Uint8Array, window: Uint8Array): Promise<OrtKvCache> {
    const fullSession = await ort.createSession(full, 'dllm');
    let windowSession: OrtSession | undefined;
    try {
      requireNames(fullSession, ['input_ids'], ['top1', 'conf', 'keys', 'values'], 'the KV-cache block-start graph');
      windowSession = await ort.createSession(window, 'dllm');
      requireNames(
        windowSession,
        ['window_ids', 'start', 'keys', 'values', 'length'],
        ['top1', 'conf'],
        'the KV-cache window graph',
      );
    } catch (error) {
      await fullSession.release();
      await windowSession?.release();
      throw error;
    }
    const extras = HEAD_EXTRAS.filter(
      (e) => fullSession.outputNames.includes(e) && windowSession.outputNames.includes(e),
    );
    return new OrtKvCache(ort, fullSession, windowSession, extras);
  }

  /** Keys/values tensors alive now (0 or 2), for the soak test. */
  get heldTensors(): number {
    return this.kept === undefined ? 0 : 2;
  }

  async full(ids: Int32Array, extras: readonly HeadExtra[] = []): Promise<StepOutput> {
    this.release();
    const input = this.ort.int64Tensor(idsOf(ids), [1, ids.length]);
    const fetched = extras.filter((e) => this.extras.includes(e));
    const t0 = performance.now();
    let outputs: Record<string, OrtTensor> | undefined;
    try {
      outputs = await this.fullSession.run({ input_ids: input }, ['top1', 'conf', ...fetched, 'keys', 'values']);
      const out = headOf(outputs, fetched);
      this.kept = { keys: outputs.keys, values: outputs.values };
      this.lastForwardMs = performance.now() - t0;
      return out;
    } finally {
      input.dispose();
      if (outputs)
        for (const t of Object.values(outputs)) if (t !== this.kept?.keys && t !== this.kept?.values) t.dispose();
    }
  }

  async window(ids: Int32Array, start: number, length: number, extras: readonly HeadExtra[] = []): Promise<StepOutput> {
    const kept = this.kept;
    if (kept === undefined) throw new RuntimeError('a window forward needs a block-start forward before it');
    const feeds = {
      window_ids: this.ort.int64Tensor(idsOf(ids), [1, ids.length]),
      start: this.ort.int64Tensor(BigInt64Array.of(BigInt(start)), []),
      length: this.ort.int64Tensor(BigInt64Array.of(BigInt(length)), []),
    };
    const fetched = extras.filter((e) => this.extras.includes(e));
    const t0 = performance.now();
    let outputs: Record<string, OrtTensor> | undefined;
    try {
      outputs = await this.windowSession.run({ ...feeds, keys: kept.keys, values: kept.values }, [
        'top1',
        'conf',
        ...fetched,
      ]);
      const out = headOf(outputs, fetched);
      this.lastForwardMs = performance.now() - t0;
      return out;
    } finally {
      for (const t of Object.values(feeds)) t.dispose();
      if (outputs) for (const t of Object.values(outputs)) t.dispose();
    }
  }

  release(): void {
    this.kept?.keys.dispose();
    this.kept?.values.dispose();
    this.kept = undefined;
  }

  async releaseSessions(): Promise<void> {
    this.release();
    await this.fullSession.release();
    await this.windowSession.release();
  }
}
