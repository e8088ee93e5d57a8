import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { IDENTITY_ONNX_BASE64 } from '../../src/runtime/identity-onnx';

describe('the runtime-start graph', () => {
  const bytes = Uint8Array.from(atob(IDENTITY_ONNX_BASE64), (c) => c.charCodeAt(0));

  it('is one Identity node at opset 17', () => {
    const model = onnxProto.onnx.ModelProto.decode(bytes);
    expect(model.graph?.node?.map((n) => n.opType)).toEqual(['Identity']);
    expect(Number(model.opsetImport?.[0]?.version)).toBe(17);
  });

  it('runs in onnxruntime', async () => {
    const session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', Float32Array.from([0.5]), [1]);
    const { y } = await session.run({ x });
    expect(y.data).toEqual(Float32Array.from([0.5]));
    x.dispose();
    y.dispose();
    await session.release();
  });
});
