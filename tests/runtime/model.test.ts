// Integration: the real bundled model through onnxruntime-node, loaded via its manifest with sha256 checks.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/core';
import { encodeChecked, evalModelOf, PromptTooLongError } from '../../src/eval/evaluate';
import { type FileLoader, ModelFileError } from '../../src/runtime/files';
import { ManifestError } from '../../src/runtime/manifest';
import { type LoadedModel, loadModel } from '../../src/runtime/model';
import { folderLoader, nodeOrt } from '../../src/runtime/node';
import { checkAnswer, generateSplit } from '../../src/tasks';

const folder = join(__dirname, '..', '..', 'public', 'models', 'tiny-dllm');
const loader = folderLoader(folder);

describe('the bundled model in onnxruntime-node', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModel(loader, nodeOrt);
  });
  afterAll(async () => {
    await model?.release();
  });

  it('loads the default variant with the fused head and answers a lookup question', async () => {
    expect(model.variant).toBe(model.manifest.defaultVariant);
    const em = evalModelOf(model);
    const example = generateSplit('test', 200, { families: ['lookup'] })[0];
    const prompt = encodeChecked(em, example.prompt);
    const config = {
      decoder: 'low_confidence' as const,
      maskId: em.maskId,
      eosId: em.eosId,
      genLength: 32,
      blockLength: 32,
      eotp: false,
    };
    const result = await decode(prompt, config, em.denoiser);
    expect(result.nfe).toBe(32);
    const text = model.tokenizer.decodeAnswer(result.answer);
    expect(text.length).toBeGreaterThan(0);
    expect(checkAnswer('lookup', example.answer, text), `model said "${text}", expected "${example.answer}"`).toBe(
      true,
    );
  });

  it('returns one top1 and one conf per position, conf in (0, 1]', async () => {
    const ids = Int32Array.from([2, 100, 200, 3, 1, 1, 1, 1]);
    const out = await model.denoiser.forward(ids);
    expect(out.top1.length).toBe(ids.length);
    expect(out.conf.length).toBe(ids.length);
    for (const c of out.conf) expect(c > 0 && c <= 1).toBe(true);
  });

  it('refuses a prompt longer than the model was trained with, saying how much is allowed', () => {
    const em = evalModelOf(model);
    const long = 'apple '.repeat(200);
    expect(() => encodeChecked(em, long)).toThrow(PromptTooLongError);
    expect(() => encodeChecked(em, long)).toThrow(/at most 56/);
  });
});

describe('bad model files', () => {
  it('names a corrupt file (one flipped byte)', async () => {
    const manifest = JSON.parse(await readFile(join(folder, 'dllm.json'), 'utf8')) as {
      variants: Record<string, { file: string }>;
      defaultVariant: string;
    };
    const target = manifest.variants[manifest.defaultVariant].file;
    const corrupting: FileLoader = async (path, onProgress) => {
      const bytes = await loader(path, onProgress);
      if (path !== target) return bytes;
      const copy = bytes.slice();
      copy[copy.length >> 1] ^= 0xff;
      return copy;
    };
    await expect(loadModel(corrupting, nodeOrt)).rejects.toThrow(ModelFileError);
    await expect(loadModel(corrupting, nodeOrt)).rejects.toThrow(
      new RegExp(`${target.replace('.', '\\.')} is corrupt`),
    );
  });

  it('names a missing file', async () => {
    const missing: FileLoader = async (path, onProgress) => {
      if (path === 'tokenizer.json') throw new Error('ENOENT: no such file');
      return loader(path, onProgress);
    };
    await expect(loadModel(missing, nodeOrt)).rejects.toThrow(/tokenizer.json: ENOENT/);
  });

  it('names a manifest field that is missing', async () => {
    const broken: FileLoader = async (path, onProgress) => {
      const bytes = await loader(path, onProgress);
      if (path !== 'dllm.json') return bytes;
      const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      delete json.eosId;
      return new TextEncoder().encode(JSON.stringify(json));
    };
    await expect(loadModel(broken, nodeOrt)).rejects.toThrow(ManifestError);
    await expect(loadModel(broken, nodeOrt)).rejects.toThrow(/"eosId"/);
  });

  it('loads every listed filter by its kind, and refuses a slot filter listed as the paper kind', async () => {
    const model = await loadModel(loader, nodeOrt);
    const kinds = model.filters.map((f) => [f.name, f.blockLength, f.filter.kind ?? 'block']);
    await model.release();
    expect(kinds).toContainEqual(['paper', 32, 'block']);
    expect(kinds).toContainEqual(['slot', 32, 'slot']);
    const miskind: FileLoader = async (path) => {
      const bytes = await loader(path);
      if (path !== 'dllm.json') return bytes;
      const m = JSON.parse(new TextDecoder().decode(bytes));
      delete m.filters['32'].slot.kind;
      return new TextEncoder().encode(JSON.stringify(m));
    };
    await expect(loadModel(miskind, nodeOrt)).rejects.toThrow(
      /lists filter\/slot_b32.json as a filter of the paper's kind/,
    );
  });
});
