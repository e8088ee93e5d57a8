// A one-node ONNX graph (Identity, float [1] -> float [1], opset 17; 65 bytes, written with onnx-proto and checked
// by identity-onnx.test.ts). Creating a session from it starts onnxruntime-web's WebAssembly runtime early
// (browser.ts), without waiting for the model's files.
export const IDENTITY_ONNX_BASE64 =
  'CAg6NwoQCgF4EgF5IghJZGVudGl0eRIBaVoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE=';
