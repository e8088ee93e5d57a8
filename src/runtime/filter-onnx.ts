// Writes the Learn2PD filter MLP as an ONNX graph (Gemm -> Relu -> Gemm), so the runtime runs it through the same
// onnxruntime session API as the dLLM. Input `conf` [batch, B x feature groups] float32, output `logits` [batch, B].
// Weights use the conformance layout: w1/w2 are [out][in], so both Gemms take B transposed (transB = 1).
import onnxProto from 'onnx-proto';
import { type FilterFeatures, type MlpWeights, mlpShape } from '../core';

const { onnx } = onnxProto;

function floatInit(name: string, dims: number[], values: number[]) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  });
}

function floatIo(name: string, width: number) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: [
            onnx.TensorShapeProto.Dimension.create({ dimParam: 'batch' }),
            onnx.TensorShapeProto.Dimension.create({ dimValue: width }),
          ],
        }),
      }),
    }),
  });
}

/** Serializes the filter to ONNX bytes (opset 17). */
export function filterToOnnx(weights: MlpWeights, features: FilterFeatures = 'confidence'): Uint8Array {
  const { n, hidden, inputs } = mlpShape(weights, features);
  const gemm = (inputs: string[], output: string) =>
    onnx.NodeProto.create({
      opType: 'Gemm',
      input: inputs,
      output: [output],
      attribute: [onnx.AttributeProto.create({ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 })],
    });
  const graph = onnx.GraphProto.create({
    name: 'learn2pd_filter',
    node: [
      gemm(['conf', 'w1', 'b1'], 'h_pre'),
      onnx.NodeProto.create({ opType: 'Relu', input: ['h_pre'], output: ['h'] }),
      gemm(['h', 'w2', 'b2'], 'logits'),
    ],
    initializer: [
      floatInit('w1', [hidden, inputs], weights.w1.flat()),
      floatInit('b1', [hidden], weights.b1),
      floatInit('w2', [n, hidden], weights.w2.flat()),
      floatInit('b2', [n], weights.b2),
    ],
    input: [floatIo('conf', inputs)],
    output: [floatIo('logits', n)],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'learn2pd-web train-filter',
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 17 })],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
