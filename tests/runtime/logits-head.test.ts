// The 'q4-logits' debug variant reads back full logits and computes the head on the CPU (headOnCpu): it must
// give the fused head's answer, so the browser's per-step comparison of the two measures only the readback.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/core';
import { encodeChecked, evalModelOf } from '../../src/eval/evaluate';
import { loadModel } from '../../src/runtime/model';
import { folderLoader, nodeOrt } from '../../src/runtime/node';
import { generateSplit } from '../../src/tasks';

const loader = folderLoader(join(__dirname, '..', '..', 'public', 'models', 'tiny-dllm'));

describe('the full-logits head', () => {
  it('gives the fused head top1 and conf on the same weights, and the same decoded answers', async () => {
    const fused = await loadModel(loader, nodeOrt, { variant: 'q4' });
    const logits = await loadModel(loader, nodeOrt, { variant: 'q4-logits' });
    try {
      expect(logits.denoiser.head).toBe('logits');
      for (const example of generateSplit('test', 30, { families: ['sort', 'arithmetic', 'spell'] }).slice(0, 3)) {
        const ids = encodeChecked(evalModelOf(fused), example.prompt);
        const x = new Int32Array(ids.length + 32).fill(fused.manifest.maskId);
        x.set(ids);
        const a = await fused.denoiser.forward(x);
        const b = await logits.denoiser.forward(x);
        expect(Array.from(b.top1)).toEqual(Array.from(a.top1));
        for (let i = 0; i < x.length; i++) expect(Math.abs(b.conf[i] - a.conf[i])).toBeLessThan(1e-4);
        const config = {
          decoder: 'threshold' as const,
          tau: 0.9,
          eotp: false,
          maskId: fused.manifest.maskId,
          eosId: fused.manifest.eosId,
          genLength: 64,
          blockLength: 32,
        };
        const ra = await decode(ids, config, fused.denoiser);
        const rb = await decode(ids, config, logits.denoiser);
        expect(Array.from(rb.answer)).toEqual(Array.from(ra.answer));
      }
    } finally {
      await fused.release();
      await logits.release();
    }
  });

  it("computes the fused head's entropy and margin on the CPU; a forward fetches only the extras asked for", async () => {
    const fused = await loadModel(loader, nodeOrt, { variant: 'q4' });
    const logits = await loadModel(loader, nodeOrt, { variant: 'q4-logits' });
    try {
      expect(fused.denoiser.extras).toEqual(['entropy', 'margin']);
      const [example] = generateSplit('test', 5, { families: ['reverse'] });
      const ids = encodeChecked(evalModelOf(fused), example.prompt);
      const x = new Int32Array(ids.length + 32).fill(fused.manifest.maskId);
      x.set(ids);
      const a = await fused.denoiser.forward(x, ['entropy', 'margin']);
      const b = await logits.denoiser.forward(x, ['entropy', 'margin']);
      for (const extra of ['entropy', 'margin'] as const) {
        const [ea, eb] = [a[extra], b[extra]];
        expect(ea?.length).toBe(x.length);
        expect(eb?.length).toBe(x.length);
        for (let i = 0; i < x.length; i++) expect(Math.abs((eb?.[i] ?? NaN) - (ea?.[i] ?? NaN))).toBeLessThan(1e-4);
      }
      const plain = await fused.denoiser.forward(x);
      expect(plain.entropy).toBeUndefined();
      expect(plain.margin).toBeUndefined();
      const onlyEntropy = await logits.denoiser.forward(x, ['entropy']);
      expect(onlyEntropy.margin).toBeUndefined();
    } finally {
      await fused.release();
      await logits.release();
    }
  });
});
