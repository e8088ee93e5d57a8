// The Denoiser and Filter over onnxruntime sessions. Node (onnxruntime-node) and the browser (onnxruntime-web)
// differ only in the OrtApi adapter injected here, so this file never imports an onnxruntime package.
// Every tensor created or returned here is disposed before the call returns.

import {
  type FilterFeatures,
  featureGroups,
  HEAD_EXTRAS,
  type HeadExtra,
  type KvForwards,
  type StepOutput,
} from '../core';

/** The slice of onnxruntime's Tensor we use. */
export interface OrtTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose(): void;
}

/** The slice of onnxruntime's InferenceSession we use. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** `fetches`: the outputs to return; the others never leave the device. */
  run(feeds: Record<string, OrtTensor>, fetches: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** What a session runs: the dLLM, or the Learn2PD filter (one tiny MLP per step, which the browser adapter keeps
 * on the WASM EP even when the dLLM runs on WebGPU: a GPU dispatch and readback cost more than its arithmetic). */
export type SessionKind = 'dllm' | 'filter';

/** The KV cache's block-start outputs (ort-kv.ts): kept where they were computed (on WebGPU, on the GPU). */
export const KV_OUTPUTS = ['keys', 'values'] as const;

/** What a runtime needs from an onnxruntime package: create a session from bytes, make a tensor. */
export interface OrtApi {
  createSession(bytes: Uint8Array, kind: SessionKind): Promise<OrtSession>;
  int64Tensor(data: BigInt64Array, dims: number[]): OrtTensor;
  float32Tensor(data: Float32Array, dims: number[]): OrtTensor;
}

/** What OrtDenoiser holds of the KV cache (ort-kv.ts's OrtKvCache): its forwards and its sessions' release. */
export interface KvCacheSessions extends KvForwards {
  /** Keys/values tensors alive now (0 or 2): the soak test's count. */
  readonly heldTensors: number;
  releaseSessions(): Promise<void>;
}

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** Token ids as an int64 feed's data. */
export const idsOf = (ids: Int32Array): BigInt64Array => BigInt64Array.from(ids, (v) => BigInt(v));

export function requireNames(session: OrtSession, inputs: string[], outputs: string[], what: string): void {
  for (const n of inputs)
    if (!session.inputNames.includes(n))
      throw new RuntimeError(`${what} has no input "${n}" (has ${session.inputNames.join(', ')})`);
  for (const n of outputs)
    if (!session.outputNames.includes(n))
      throw new RuntimeError(
        `${what} has no output "${n}" (has ${session.outputNames.join(', ')}): is it the fused-head export?`,
      );
}

function toInt32(t: OrtTensor, what: string): Int32Array {
  const d = t.data;
  if (d instanceof Int32Array) return d.slice();
  if (d instanceof BigInt64Array) {
    const out = new Int32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
    return out;
  }
  throw new RuntimeError(`${what} has type ${t.type}, expected int32 or int64`);
}

function toFloat32(t: OrtTensor, what: string): Float32Array {
  if (t.data instanceof Float32Array) return t.data.slice();
  throw new RuntimeError(`${what} has type ${t.type}, expected float32`);
}

/**
 * What the fused head computes (training/export.py), from logits [1, seq, vocab]: the argmax, its softmax
 * probability, and the extras asked for: entropy log S - sum_v p_v (l_v - max), margin (1 - exp(l_2 - max)) / S.
 */
export function headOnCpu(logits: OrtTensor, extras: readonly HeadExtra[] = []): StepOutput {
  if (!(logits.data instanceof Float32Array) || logits.dims.length !== 3)
    throw new RuntimeError(`logits must be float32 [1, seq, vocab], got ${logits.type} [${logits.dims.join(', ')}]`);
  const data = logits.data;
  const [, seq, vocab] = logits.dims;
  const top1 = new Int32Array(seq);
  const conf = new Float32Array(seq);
  const entropy = extras.includes('entropy') ? new Float32Array(seq) : undefined;
  const margin = extras.includes('margin') ? new Float32Array(seq) : undefined;
  for (let i = 0; i < seq; i++) {
    const row = i * vocab;
    let best = 0;
    let max = data[row];
    for (let v = 1; v < vocab; v++) {
      if (data[row + v] > max) {
        max = data[row + v];
        best = v;
      }
    }
    let sum = 0;
    let weighted = 0; // sum_v exp(l_v - max) (l_v - max)
    let second = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < vocab; v++) {
      const d = data[row + v] - max;
      const e = Math.exp(d);
      sum += e;
      weighted += e * d;
      if (v !== best && data[row + v] > second) second = data[row + v];
    }
    top1[i] = best;
    conf[i] = 1 / sum;
    if (entropy) entropy[i] = Math.log(sum) - weighted / sum;
    if (margin) margin[i] = (1 - Math.exp(second - max)) / sum;
  }
  const out: StepOutput = { top1, conf };
  if (entropy) out.entropy = entropy;
  if (margin) out.margin = margin;
  return out;
}

/** The fused head's outputs of a run, copied off the tensors: top1, conf and the extras fetched. */
export function headOf(outputs: Record<string, OrtTensor>, fetched: readonly HeadExtra[]): StepOutput {
  const out: StepOutput = { top1: toInt32(outputs.top1, 'top1'), conf: toFloat32(outputs.conf, 'conf') };
  for (const e of fetched) out[e] = toFloat32(outputs[e], e);
  return out;
}

/** The dLLM with the fused head: `input_ids [1, seq]` -> `top1 [1, seq]`, `conf [1, seq]`. */
export class OrtDenoiser {
  /** Wall-clock milliseconds of the last forward (session.run including the copy of top1/conf back). */
  lastForwardMs = 0;

  /** The extras this graph can give (a logits head computes any of them here). */
  readonly extras: readonly HeadExtra[];

  /** The KV cache's two graphs, where loaded (ort-kv.ts). */
  kv?: KvCacheSessions;

  private constructor(
    private readonly ort: OrtApi,
    private readonly session: OrtSession,
    readonly head: 'fused' | 'logits',
  ) {
    this.extras = head === 'logits' ? HEAD_EXTRAS : HEAD_EXTRAS.filter((e) => session.outputNames.includes(e));
  }

  /** head 'logits' (a debug graph) reads back the full logits and computes top1/conf here, to measure what the
   * fused head saves; the decoded tokens are the same. */
  static async create(ort: OrtApi, bytes: Uint8Array, head: 'fused' | 'logits' = 'fused'): Promise<OrtDenoiser> {
    const session = await ort.createSession(bytes, 'dllm');
    requireNames(session, ['input_ids'], head === 'fused' ? ['top1', 'conf'] : ['logits'], 'the model graph');
    return new OrtDenoiser(ort, session, head);
  }

  /** Fetches top1, conf and the `extras` asked for that the graph has; nothing else leaves the device. */
  async forward(ids: Int32Array, extras: readonly HeadExtra[] = []): Promise<StepOutput> {
    const input = this.ort.int64Tensor(idsOf(ids), [1, ids.length]);
    const t0 = performance.now();
    let outputs: Record<string, OrtTensor> | undefined;
    try {
      const fetched = extras.filter((e) => this.extras.includes(e));
      outputs = await this.session.run(
        { input_ids: input },
        this.head === 'fused' ? ['top1', 'conf', ...fetched] : ['logits'],
      );
      const out = this.head === 'logits' ? headOnCpu(outputs.logits, fetched) : headOf(outputs, fetched);
      this.lastForwardMs = performance.now() - t0;
      return out;
    } finally {
      input.dispose();
      if (outputs) for (const t of Object.values(outputs)) t.dispose();
    }
  }

  async release(): Promise<void> {
    await this.kv?.releaseSessions();
    await this.session.release();
  }
}

/** The Learn2PD filter MLP as an onnxruntime session: `conf [1, blockLength]` -> `logits [1, blockLength]`. */
export class OrtFilter {
  readonly kind = 'block';
  private constructor(
    private readonly ort: OrtApi,
    private readonly session: OrtSession,
    readonly blockLength: number,
    readonly features: FilterFeatures,
  ) {}

  static async create(
    ort: OrtApi,
    bytes: Uint8Array,
    blockLength: number,
    features: FilterFeatures = 'confidence',
  ): Promise<OrtFilter> {
    const session = await ort.createSession(bytes, 'filter');
    try {
      requireNames(session, ['conf'], ['logits'], 'the filter graph');
    } catch (error) {
      await session.release();
      throw error;
    }
    return new OrtFilter(ort, session, blockLength, features);
  }

  /** Logits for one block from its full filter input (blockLength values per feature group, zero-padded). */
  async logits(input: Float32Array): Promise<Float32Array> {
    const size = this.blockLength * featureGroups(this.features);
    if (input.length !== size)
      throw new RuntimeError(
        `filter input has ${input.length} values, not ${size} (block length ${this.blockLength}, ${this.features} features)`,
      );
    const tensor = this.ort.float32Tensor(input, [1, size]);
    let outputs: Record<string, OrtTensor> | undefined;
    try {
      outputs = await this.session.run({ conf: tensor }, ['logits']);
      return toFloat32(outputs.logits, 'filter logits');
    } finally {
      tensor.dispose();
      if (outputs) for (const t of Object.values(outputs)) t.dispose();
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** Tensors made through a counted OrtApi: by us (feeds) and by its sessions (outputs). */
export interface TensorCounts {
  created: number;
  /** Created and not yet disposed: 0 between forwards when nothing leaks. */
  live: number;
}

/**
 * Wraps an OrtApi so every tensor it makes, and every tensor its sessions return, is counted until disposed
 * (dispose is idempotent). Feeds are unwrapped before they reach the inner session, so adapters that need their
 * own tensor objects (onnxruntime-web's) work unchanged. Extra members of `api` (readback timing, the GPU
 * device) pass through.
 */
export function countingOrt<T extends OrtApi>(api: T): { ort: T; counts(): TensorCounts } {
  let created = 0;
  let disposed = 0;
  const inner = new WeakMap<OrtTensor, OrtTensor>();
  const counted = (tensor: OrtTensor): OrtTensor => {
    created++;
    let done = false;
    const wrapper: OrtTensor = {
      type: tensor.type,
      // Read on use: a GPU tensor's data (the KV cache's keys on WebGPU) throws when read, and is never read.
      get data() {
        return tensor.data;
      },
      dims: tensor.dims,
      dispose() {
        if (done) return;
        done = true;
        disposed++;
        tensor.dispose();
      },
    };
    inner.set(wrapper, tensor);
    return wrapper;
  };
  const unwrap = (feeds: Record<string, OrtTensor>): Record<string, OrtTensor> => {
    const out: Record<string, OrtTensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) out[name] = inner.get(tensor) ?? tensor;
    return out;
  };
  const ort: T = {
    ...api,
    async createSession(bytes: Uint8Array, kind: SessionKind): Promise<OrtSession> {
      const session = await api.createSession(bytes, kind);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds, fetches) {
          const outputs = await session.run(unwrap(feeds), fetches);
          const out: Record<string, OrtTensor> = {};
          for (const [name, tensor] of Object.entries(outputs)) out[name] = counted(tensor);
          return out;
        },
        release: () => session.release(),
      };
    },
    int64Tensor: (data: BigInt64Array, dims: number[]) => counted(api.int64Tensor(data, dims)),
    float32Tensor: (data: Float32Array, dims: number[]) => counted(api.float32Tensor(data, dims)),
  };
  return { ort, counts: () => ({ created, live: created - disposed }) };
}
