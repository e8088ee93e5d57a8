// The conformance vector format (tests/conformance/README.md): parsing parsed JSON into a typed vector with
// errors that name the bad field, and the mapping from a vector's `algorithm` to one of our decoder configs.
import type { RecordedCall } from './replay';
import type { DecoderConfig, MlpWeights, OracleSample } from './types';

export const VECTOR_ALGORITHMS = [
  'low_confidence',
  'threshold',
  'learn2pd',
  'learn2pd_eotp',
  'low_confidence_eotp',
  'egp_oracle',
] as const;
export type VectorAlgorithm = (typeof VECTOR_ALGORITHMS)[number];

export interface VectorParams {
  maskId: number;
  eosId: number;
  genLength: number;
  blockLength: number;
  steps: number;
  tau?: number;
  tauFilter?: number;
}

export interface ConformanceVector {
  name: string;
  algorithm: VectorAlgorithm;
  prompt: number[];
  params: VectorParams;
  filter?: MlpWeights;
  referenceOutput?: number[];
  samples?: OracleSample[];
  calls: RecordedCall[];
  output: number[];
  nfe: number;
}

export class VectorFormatError extends Error {
  override name = 'VectorFormatError';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAlgorithm(v: unknown): v is VectorAlgorithm {
  return typeof v === 'string' && (VECTOR_ALGORITHMS as readonly string[]).includes(v);
}

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new VectorFormatError(`${path} must be an object`);
  return v;
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new VectorFormatError(`${path} must be a finite number`);
  return v;
}

function int(v: unknown, path: string): number {
  const n = num(v, path);
  if (!Number.isInteger(n)) throw new VectorFormatError(`${path} must be an integer`);
  return n;
}

function arr<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v)) throw new VectorFormatError(`${path} must be an array`);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new VectorFormatError(`${path} must be a boolean`);
  return v;
}

function optional<T>(o: Obj, key: string, path: string, read: (v: unknown, p: string) => T): T | undefined {
  return o[key] === undefined ? undefined : read(o[key], `${path}.${key}`);
}

const matrix = (v: unknown, p: string): number[][] => arr(v, p, (row, rp) => arr(row, rp, num));

/** Parses one vector; `source` (a file name) prefixes error messages. */
export function parseVector(json: unknown, source = 'vector'): ConformanceVector {
  const o = obj(json, source);
  const name = typeof o.name === 'string' ? o.name : source;
  const algorithm = o.algorithm;
  if (!isAlgorithm(algorithm)) {
    throw new VectorFormatError(
      `${source}.algorithm must be one of ${VECTOR_ALGORITHMS.join(', ')}, got ${String(algorithm)}`,
    );
  }
  const po = obj(o.params, `${source}.params`);
  const params: VectorParams = {
    maskId: int(po.maskId, `${source}.params.maskId`),
    eosId: int(po.eosId, `${source}.params.eosId`),
    genLength: int(po.genLength, `${source}.params.genLength`),
    blockLength: int(po.blockLength, `${source}.params.blockLength`),
    steps: int(po.steps ?? po.genLength, `${source}.params.steps`),
    tau: optional(po, 'tau', `${source}.params`, num),
    tauFilter: optional(po, 'tauFilter', `${source}.params`, num),
  };
  const filter = optional(o, 'filter', source, (v, p) => {
    const f = obj(v, p);
    return {
      w1: matrix(f.w1, `${p}.w1`),
      b1: arr(f.b1, `${p}.b1`, num),
      w2: matrix(f.w2, `${p}.w2`),
      b2: arr(f.b2, `${p}.b2`, num),
    };
  });
  const samples = optional(o, 'samples', source, (v, p) =>
    arr(v, p, (s, sp) => {
      const so = obj(s, sp);
      return {
        block: int(so.block, `${sp}.block`),
        step: int(so.step, `${sp}.step`),
        confidence: arr(so.confidence, `${sp}.confidence`, num),
        isCorrect: arr(so.isCorrect, `${sp}.isCorrect`, bool),
      };
    }),
  );
  const calls = arr(o.calls, `${source}.calls`, (c, cp) => {
    const co = obj(c, cp);
    return {
      ids: arr(co.ids, `${cp}.ids`, int),
      top1: arr(co.top1, `${cp}.top1`, int),
      conf: arr(co.conf, `${cp}.conf`, num),
    };
  });
  return {
    name,
    algorithm,
    prompt: arr(o.prompt, `${source}.prompt`, int),
    params,
    filter,
    referenceOutput: optional(o, 'referenceOutput', source, (v, p) => arr(v, p, int)),
    samples,
    calls,
    output: arr(o.output, `${source}.output`, int),
    nfe: int(o.nfe, `${source}.nfe`),
  };
}

function required<T>(value: T | undefined, what: string, vector: ConformanceVector): T {
  if (value === undefined) throw new VectorFormatError(`${vector.name}: algorithm ${vector.algorithm} needs ${what}`);
  return value;
}

/** The decoder config a vector's reference corresponds to. */
export function vectorConfig(vector: ConformanceVector): DecoderConfig {
  const { maskId, eosId, genLength, blockLength, steps } = vector.params;
  const common = { maskId, eosId, genLength, blockLength, steps };
  switch (vector.algorithm) {
    case 'low_confidence':
      return { ...common, decoder: 'low_confidence', eotp: false };
    case 'low_confidence_eotp':
      return { ...common, decoder: 'low_confidence', eotp: true };
    case 'threshold':
      return { ...common, decoder: 'threshold', eotp: false, tau: required(vector.params.tau, 'params.tau', vector) };
    case 'learn2pd':
    case 'learn2pd_eotp':
      return {
        ...common,
        decoder: 'learn2pd',
        eotp: vector.algorithm === 'learn2pd_eotp',
        tauFilter: required(vector.params.tauFilter, 'params.tauFilter', vector),
      };
    case 'egp_oracle':
      return {
        ...common,
        decoder: 'egp_oracle',
        eotp: false,
        reference: required(vector.referenceOutput, 'referenceOutput', vector),
      };
    default: {
      const exhaustive: never = vector.algorithm;
      return exhaustive;
    }
  }
}
