// Writes the Learn2PD filter MLP as an ONNX graph (Gemm -> Relu -> Gemm), so the runtime runs it through the same
// onnxruntime session API as the dLLM. Input `conf` [batch, B] float32, output `logits` [batch, B].
// Weights use the conformance layout: w1/w2 are [out][in], so both Gemms take B transposed (transB = 1).
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface MlpWeights {
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

function checkShapes(w: MlpWeights): number {
  const n = w.b1.length;
  const square = (m: number[][], name: string) => {
    if (m.length !== n || m.some((row) => row.length !== n)) throw new Error(`filter weight ${name} must be ${n}x${n}`);
  };
  square(w.w1, 'w1');
  square(w.w2, 'w2');
  if (w.b2.length !== n) throw new Error(`filter bias b2 must have ${n} values`);
  return n;
}

function floatInit(name: string, dims: number[], values: number[]) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  });
}

function floatIo(name: string, blockLength: number) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: [onnx.TensorShapeProto.Dimension.create({ dimParam: 'batch' }), onnx.TensorShapeProto.Dimension.create({ dimValue: blockLength })],
        }),
      }),
    }),
  });
}

/** Serializes the filter to ONNX bytes (opset 17). */
export function filterToOnnx(weights: MlpWeights): Uint8Array {
  const n = checkShapes(weights);
  const gemm = (inputs: string[], output: string) =>
    onnx.NodeProto.create({
      opType: 'Gemm',
      input: inputs,
      output: [output],
      attribute: [onnx.AttributeProto.create({ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 })],
    });
  const graph = onnx.GraphProto.create({
    name: 'learn2pd_filter',
    node: [gemm(['conf', 'w1', 'b1'], 'h_pre'), onnx.NodeProto.create({ opType: 'Relu', input: ['h_pre'], output: ['h'] }), gemm(['h', 'w2', 'b2'], 'logits')],
    initializer: [floatInit('w1', [n, n], weights.w1.flat()), floatInit('b1', [n], weights.b1), floatInit('w2', [n, n], weights.w2.flat()), floatInit('b2', [n], weights.b2)],
    input: [floatIo('conf', n)],
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
