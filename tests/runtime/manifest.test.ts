import { describe, expect, it } from 'vitest';
import { loadVerified, ModelFileError, sha256Hex } from '../../src/runtime/files';
import { ManifestError, manifestFilters, parseManifest } from '../../src/runtime/manifest';

const bytes = new TextEncoder().encode('weights');

async function validManifest(): Promise<Record<string, unknown>> {
  return {
    id: 'm',
    name: 'M',
    maskId: 1,
    eosId: 0,
    promptFormat: { before: '<|user|>', after: '<|assistant|>' },
    maxPromptTokens: 56,
    defaults: { genLength: 128, blockLength: 32 },
    outputs: ['top1', 'conf'],
    variants: { q4: { file: 'onnx/model_q4.onnx', dtype: 'q4' } },
    defaultVariant: 'q4',
    filters: { '32': { paper: { file: 'filter/b32.onnx', tauFilter: 0.96 } } },
    files: {
      'onnx/model_q4.onnx': { sha256: await sha256Hex(bytes), bytes: bytes.length },
      'filter/b32.onnx': { sha256: await sha256Hex(bytes), bytes: bytes.length },
    },
  };
}

describe('parseManifest', () => {
  it('accepts a complete manifest', async () => {
    const m = parseManifest(JSON.stringify(await validManifest()));
    expect(m.variants.q4.file).toBe('onnx/model_q4.onnx');
    expect(m.filters['32'].paper).toEqual({ kind: 'block', file: 'filter/b32.onnx', tauFilter: 0.96 });
    expect(m.defaultFilters).toEqual({});
  });

  it.each(['maskId', 'eosId', 'files', 'variants', 'defaults', 'promptFormat', 'outputs'])(
    'names a missing field: %s',
    async (key) => {
      const m = await validManifest();
      delete m[key];
      expect(() => parseManifest(JSON.stringify(m))).toThrow(new RegExp(`"${key}"`));
    },
  );

  it('refuses a variant whose file has no sha256 entry', async () => {
    const m = await validManifest();
    m.variants = { q4: { file: 'onnx/other.onnx', dtype: 'q4' } };
    expect(() => parseManifest(JSON.stringify(m))).toThrow(/onnx\/other.onnx.*not listed/);
  });

  it('refuses graphs without the fused head outputs', async () => {
    const m = await validManifest();
    m.outputs = ['logits'];
    expect(() => parseManifest(JSON.stringify(m))).toThrow(ManifestError);
  });

  it("reads a filter's features, absent meaning the paper's confidence-only filter", async () => {
    const m = await validManifest();
    expect(parseManifest(JSON.stringify(m)).filters['32'].paper.features).toBeUndefined();
    m.filters = { '32': { paper: { file: 'filter/b32.onnx', tauFilter: 0.96, features: 'context' } } };
    expect(parseManifest(JSON.stringify(m)).filters['32'].paper.features).toBe('context');
    m.filters = { '32': { paper: { file: 'filter/b32.onnx', tauFilter: 0.96, features: 'entropy' } } };
    expect(() => parseManifest(JSON.stringify(m))).toThrow(
      /filters.32.paper.features must be one of "confidence", "context", "log-odds", not "entropy"/,
    );
  });

  it('lists named filters per block length, of either kind, and a default per block length', async () => {
    const m = await validManifest();
    m.filters = {
      '32': {
        paper: { file: 'filter/b32.onnx', tauFilter: 0.96 },
        slot: { kind: 'slot', file: 'filter/b32.onnx', tauFilter: 0.9 },
      },
    };
    m.defaultFilters = { '32': 'slot' };
    const parsed = parseManifest(JSON.stringify(m));
    expect(parsed.filters['32'].slot.kind).toBe('slot');
    expect(parsed.defaultFilters).toEqual({ '32': 'slot' });
    expect(manifestFilters(parsed).map((f) => [f.name, f.kind, f.blockLength])).toEqual([
      ['paper', 'block', 32],
      ['slot', 'slot', 32],
    ]);
  });

  it.each([
    [{ '32': { file: 'filter/b32.onnx', tauFilter: 0.96 } }, /filters.32 must map filter names to filters/],
    [{ '32': { Paper: { file: 'filter/b32.onnx', tauFilter: 0.96 } } }, /key "Paper" must be a name of a-z/],
    [
      { '32': { paper: { kind: 'mlp', file: 'filter/b32.onnx', tauFilter: 0.96 } } },
      /kind must be one of "block", "slot"/,
    ],
    [
      { '32': { slot: { kind: 'slot', file: 'filter/b32.onnx', tauFilter: 0.9, features: 'context' } } },
      /features is for block filters/,
    ],
  ])('refuses a filter listing that is not one (%#)', async (filters, message) => {
    const m = await validManifest();
    m.filters = filters;
    expect(() => parseManifest(JSON.stringify(m))).toThrow(message);
  });

  it('refuses a default filter that is not listed for its block length', async () => {
    const m = await validManifest();
    m.defaultFilters = { '32': 'slot' };
    expect(() => parseManifest(JSON.stringify(m))).toThrow(
      /defaultFilters.32 must name a filter listed under filters.32/,
    );
  });

  it('refuses malformed JSON with a clear message', () => {
    expect(() => parseManifest('{"id": ')).toThrow(/not valid JSON/);
  });
});

describe('loadVerified', () => {
  it('returns the bytes when size and sha256 match', async () => {
    const m = parseManifest(JSON.stringify(await validManifest()));
    await expect(loadVerified(m, 'onnx/model_q4.onnx', async () => bytes)).resolves.toEqual(bytes);
  });

  it('names the file when it is truncated', async () => {
    const m = parseManifest(JSON.stringify(await validManifest()));
    await expect(loadVerified(m, 'onnx/model_q4.onnx', async () => bytes.subarray(0, 3))).rejects.toThrow(
      /model_q4.onnx has 3 bytes/,
    );
  });

  it('names the file when its sha256 does not match', async () => {
    const m = parseManifest(JSON.stringify(await validManifest()));
    const corrupt = new TextEncoder().encode('weightz');
    await expect(loadVerified(m, 'onnx/model_q4.onnx', async () => corrupt)).rejects.toThrow(
      /model_q4.onnx is corrupt/,
    );
  });

  it('wraps loader failures with the file name', async () => {
    const m = parseManifest(JSON.stringify(await validManifest()));
    const failing = async (): Promise<Uint8Array> => {
      throw new Error('HTTP 404');
    };
    await expect(loadVerified(m, 'filter/b32.onnx', failing)).rejects.toThrow(ModelFileError);
    await expect(loadVerified(m, 'filter/b32.onnx', failing)).rejects.toThrow(/filter\/b32.onnx: HTTP 404/);
  });
});
