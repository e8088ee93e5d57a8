// The model manifest (`dllm.json`): what a model folder holds and how to drive it. Parsing is strict: a missing
// or mistyped field is a ManifestError that names the field, never a silent default.
import {
  FILTER_FEATURES,
  FILTER_KINDS,
  FILTER_NAME_PATTERN,
  type FilterFeatures,
  type FilterKind,
  type FilterListing,
} from '../core';

/** One file of the model folder, as listed in the manifest. */
export interface ManifestFile {
  sha256: string; // lowercase hex
  bytes: number;
}

/** A weight variant of the dLLM graph (fp32, q8, q4...). */
export interface ModelVariant {
  file: string; // path inside the model folder, e.g. "onnx/model_q4.onnx"
  dtype: 'fp32' | 'q8' | 'q4';
  /** How top1/conf reach the decoder: 'fused' (the graph's head, 2 x seq values read back; the default) or
   * 'logits' (a debug graph: seq x vocab logits read back, argmax and softmax on the CPU). */
  head: 'fused' | 'logits';
  /** Fast-dLLM's KV cache (spec §7, training/kv.py): the block-start graph that also returns every layer's keys and
   * values, and the window graph that reads them; absent where the variant has none. */
  kv?: { full: string; window: string };
}

/** A learned filter trained for one block length. */
export interface FilterEntry {
  /** 'block' (the paper's kind: an ONNX graph over the whole block; the default) or 'slot' (weights shared by
   * every slot, a JSON file run in TypeScript: runtime/slot-filter-file.ts). */
  kind: FilterKind;
  file: string; // e.g. "filter/filter_b32.onnx", "filter/slot_b32.json"
  tauFilter: number; // the inference threshold it was tuned for
  /** What a block filter reads (core FilterFeatures); absent = 'confidence', the paper's filter. A slot filter's
   * file names its own features. */
  features?: FilterFeatures;
}

export interface DllmManifest {
  id: string;
  name: string;
  maskId: number;
  eosId: number;
  /** Prompt format: the text is `before + prompt + after`; the response follows directly. */
  promptFormat: { before: string; after: string };
  /** Most prompt tokens (role markers included) the model was trained with. */
  maxPromptTokens: number;
  defaults: { genLength: number; blockLength: number };
  /** Graph outputs of the shipped (non-debug) graphs: the fused head. */
  outputs: string[];
  variants: Record<string, ModelVariant>;
  defaultVariant: string;
  /** Keyed by block length, then by name: `{"32": {"paper": {...}, "slot": {...}}}`. */
  filters: Record<string, Record<string, FilterEntry>>;
  /** The filter a Learn2PD pane uses per block length when none is asked for (absent in the file: none chosen). */
  defaultFilters: Record<string, string>;
  files: Record<string, ManifestFile>;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

type Json = unknown;

function field(obj: Json, key: string, where: string): Json {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new ManifestError(`${where} must be an object`);
  if (!(key in obj))
    throw new ManifestError(`dllm.json is missing the field "${where === 'dllm.json' ? key : `${where}.${key}`}"`);
  return (obj as Record<string, Json>)[key];
}

function str(obj: Json, key: string, where = 'dllm.json'): string {
  const v = field(obj, key, where);
  if (typeof v !== 'string' || v.length === 0)
    throw new ManifestError(`dllm.json field "${key}" (in ${where}) must be a non-empty string`);
  return v;
}

function int(obj: Json, key: string, where = 'dllm.json', min = 0): number {
  const v = field(obj, key, where);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ManifestError(
      `dllm.json field "${key}" (in ${where}) must be an integer >= ${min}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function record(obj: Json, key: string, where = 'dllm.json'): Record<string, Json> {
  const v = field(obj, key, where);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ManifestError(`dllm.json field "${key}" (in ${where}) must be an object`);
  return v as Record<string, Json>;
}

/** Parses and validates a manifest; every file a variant or filter names must be listed with its sha256. */
export function parseManifest(text: string): DllmManifest {
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`dllm.json is not valid JSON: ${(error as Error).message}`);
  }
  const files: Record<string, ManifestFile> = {};
  for (const [path, entry] of Object.entries(record(raw, 'files'))) {
    const sha256 = str(entry, 'sha256', `files["${path}"]`);
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new ManifestError(`dllm.json files["${path}"].sha256 is not 64 lowercase hex digits`);
    files[path] = { sha256, bytes: int(entry, 'bytes', `files["${path}"]`) };
  }
  const listed = (path: string, where: string): string => {
    if (!(path in files)) throw new ManifestError(`dllm.json ${where} names "${path}", which is not listed in "files"`);
    return path;
  };
  const variants: Record<string, ModelVariant> = {};
  for (const [name, entry] of Object.entries(record(raw, 'variants'))) {
    const dtype = str(entry, 'dtype', `variants.${name}`);
    if (dtype !== 'fp32' && dtype !== 'q8' && dtype !== 'q4')
      throw new ManifestError(`dllm.json variants.${name}.dtype must be fp32, q8 or q4`);
    const head =
      typeof entry === 'object' && entry !== null && 'head' in entry
        ? field(entry, 'head', `variants.${name}`)
        : 'fused';
    if (head !== 'fused' && head !== 'logits')
      throw new ManifestError(`dllm.json variants.${name}.head must be "fused" or "logits"`);
    variants[name] = { file: listed(str(entry, 'file', `variants.${name}`), `variants.${name}.file`), dtype, head };
    if (typeof entry === 'object' && entry !== null && 'kv' in entry) {
      const kv = record(entry, 'kv', `variants.${name}`);
      const where = `variants.${name}.kv`;
      variants[name].kv = {
        full: listed(str(kv, 'full', where), `${where}.full`),
        window: listed(str(kv, 'window', where), `${where}.window`),
      };
    }
  }
  const defaultVariant = str(raw, 'defaultVariant');
  if (!(defaultVariant in variants))
    throw new ManifestError(`dllm.json defaultVariant "${defaultVariant}" is not one of the variants`);
  const filters: Record<string, Record<string, FilterEntry>> = {};
  for (const [blockLength, named] of Object.entries(record(raw, 'filters'))) {
    if (!/^[1-9][0-9]*$/.test(blockLength))
      throw new ManifestError(`dllm.json filters key "${blockLength}" must be a block length`);
    if (typeof named !== 'object' || named === null || Array.isArray(named) || 'file' in named)
      throw new ManifestError(
        `dllm.json filters.${blockLength} must map filter names to filters, e.g. {"paper": {"file": ..., "tauFilter": ...}}`,
      );
    filters[blockLength] = {};
    for (const [name, entry] of Object.entries(named)) {
      if (!FILTER_NAME_PATTERN.test(name))
        throw new ManifestError(
          `dllm.json filters.${blockLength} key "${name}" must be a name of a-z, 0-9 and - (at most 64)`,
        );
      filters[blockLength][name] = filterEntry(entry, `filters.${blockLength}.${name}`, listed);
    }
  }
  const defaultFilters: Record<string, string> = {};
  const rawDefaults = (raw as Record<string, Json>).defaultFilters;
  if (rawDefaults !== undefined) {
    for (const [blockLength, name] of Object.entries(record(raw, 'defaultFilters'))) {
      if (typeof name !== 'string' || filters[blockLength]?.[name] === undefined)
        throw new ManifestError(
          `dllm.json defaultFilters.${blockLength} must name a filter listed under filters.${blockLength}, not ${JSON.stringify(name)}`,
        );
      defaultFilters[blockLength] = name;
    }
  }
  const promptFormat = record(raw, 'promptFormat');
  const defaults = record(raw, 'defaults');
  const outputs = field(raw, 'outputs', 'dllm.json');
  if (!Array.isArray(outputs) || !outputs.includes('top1') || !outputs.includes('conf')) {
    throw new ManifestError('dllm.json field "outputs" must list the fused head outputs "top1" and "conf"');
  }
  const manifest: DllmManifest = {
    id: str(raw, 'id'),
    name: str(raw, 'name'),
    maskId: int(raw, 'maskId'),
    eosId: int(raw, 'eosId'),
    promptFormat: {
      before: str(promptFormat, 'before', 'promptFormat'),
      after: str(promptFormat, 'after', 'promptFormat'),
    },
    maxPromptTokens: int(raw, 'maxPromptTokens', 'dllm.json', 1),
    defaults: {
      genLength: int(defaults, 'genLength', 'defaults', 1),
      blockLength: int(defaults, 'blockLength', 'defaults', 1),
    },
    outputs: outputs.map(String),
    variants,
    defaultVariant,
    filters,
    defaultFilters,
    files,
  };
  if (manifest.defaults.genLength % manifest.defaults.blockLength !== 0) {
    throw new ManifestError('dllm.json defaults.genLength must be a multiple of defaults.blockLength');
  }
  return manifest;
}

function filterEntry(entry: Json, where: string, listed: (path: string, where: string) => string): FilterEntry {
  const tauFilter = field(entry, 'tauFilter', where);
  if (typeof tauFilter !== 'number' || !(tauFilter >= 0 && tauFilter <= 1))
    throw new ManifestError(`dllm.json ${where}.tauFilter must be a number in [0, 1]`);
  const { kind: rawKind = 'block', features: rawFeatures } = entry as Record<string, Json>; // `field` checked it
  const kind = FILTER_KINDS.find((k) => k === rawKind);
  if (kind === undefined)
    throw new ManifestError(
      `dllm.json ${where}.kind must be one of ${FILTER_KINDS.map((k) => `"${k}"`).join(', ')}, not ${JSON.stringify(rawKind)}`,
    );
  const features = FILTER_FEATURES.find((f) => f === rawFeatures);
  if (rawFeatures !== undefined && (features === undefined || kind === 'slot')) {
    throw new ManifestError(
      kind === 'slot'
        ? `dllm.json ${where}.features is for block filters; a slot filter's file names what it reads`
        : `dllm.json ${where}.features must be one of ${FILTER_FEATURES.map((f) => `"${f}"`).join(', ')}, not ${JSON.stringify(rawFeatures)}`,
    );
  }
  return {
    kind,
    file: listed(str(entry, 'file', where), `${where}.file`),
    tauFilter,
    ...(features === undefined ? {} : { features }),
  };
}

/** A manifest filter as a list entry: core's FilterListing, its file and what a block filter reads. */
export interface ManifestFilter extends FilterListing {
  file: string;
  features: FilterFeatures;
}

/** The manifest's filters as one list (core's FilterListing), by block length, then as listed. */
export function manifestFilters(manifest: DllmManifest): ManifestFilter[] {
  return Object.entries(manifest.filters)
    .flatMap(([width, named]) =>
      Object.entries(named).map(([name, f]) => ({
        name,
        kind: f.kind,
        blockLength: Number(width),
        tauFilter: f.tauFilter,
        file: f.file,
        features: f.features ?? 'confidence',
      })),
    )
    .sort((a, b) => a.blockLength - b.blockLength);
}
