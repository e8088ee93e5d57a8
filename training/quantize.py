"""
Weight-only quantization of the exported fp32 graph (onnx/model.onnx), written with the `onnx` package alone
(onnxruntime's Python quantizer is not available here). Activations stay float32; only stored weights shrink.

    onnx/model_q4.onnx  every Linear weight [K, N] -> com.microsoft MatMulNBits, 4 bits, blocks of 32 along K,
                        symmetric (no zero_points input: the kernel's implicit zero point 8), one fp32 scale per block
    onnx/model_q8.onnx  every Linear weight -> int8 [K, N] with one fp32 scale per output column,
                        DequantizeLinear(axis=1) -> MatMul (standard ONNX, so every execution provider runs it)
In both, the tied embedding/head table [V, d] is stored once as int8 with one scale per row (per token):
DequantizeLinear(axis=0) feeds both the embedding Gather and the head's Transpose -> MatMul. Per-row scales are
per-output-channel scales for the head, the usual accurate choice for an output layer, and one int8 table is
smaller than a 4-bit head plus a separate embedding table.

Why not MatMulNBits with bits=8 for q8: onnxruntime-node's CPU kernel accepts it (quantize.py --q8_nbits writes
that form for comparison), but onnxruntime-web's WebGPU (JSEP) kernel unpacks 32 / bits / 8 values per pass, which
is zero passes for 8 bits. DequantizeLinear + MatMul is plain ONNX and runs everywhere.

MatMulNBits layout (onnxruntime docs/ContribOperators.md): attributes K, N, bits, block_size; B uint8
[N, ceil(K / block_size), block_size * bits / 8], the weights of output column n in K order, two 4-bit values per
byte with the first in the low nibble; scales [N * n_blocks] in the same (n, block) order;
dequantized = (q - 8) * scale.

    /usr/bin/python3 training/quantize.py --model_dir public/models/tiny-dllm
"""

import argparse
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

TABLE = "model.embed.weight"  # the tied embedding/head table, named by torch's exporter


def q4_blocks(w_t: np.ndarray, block: int):
    """w_t [N, K] float32 -> (q uint8 [N, nb, block] in 0..15, scale float32 [N, nb]). Symmetric 4-bit per block:
    the scale maps the block's largest-magnitude value to -8 (so the full -8..7 range is used, as llama.cpp's
    q4_0 does), then a few smaller scales are tried and the one with the least squared error kept."""
    N, K = w_t.shape
    nb = -(-K // block)
    w = np.zeros((N, nb * block), dtype=np.float32)
    w[:, :K] = w_t
    w = w.reshape(N, nb, block)  # [N, nb, block]
    idx = np.abs(w).argmax(-1)[..., None]
    extreme = np.take_along_axis(w, idx, -1)  # [N, nb, 1] signed value of largest magnitude
    best_q, best_s, best_err = None, None, None
    for f in np.linspace(1.0, 0.8, 11):  # shrink the scale a little: clipping one outlier can lower the error
        s = extreme / -8.0 * f
        s = np.where(s == 0, 1.0, s)
        q = np.clip(np.round(w / s) + 8, 0, 15)
        err = ((q - 8) * s - w) ** 2
        err = err.sum(-1, keepdims=True)
        if best_err is None:
            best_q, best_s, best_err = q, s, err
        else:
            better = err < best_err
            best_q = np.where(better, q, best_q)
            best_s = np.where(better, s, best_s)
            best_err = np.minimum(err, best_err)
    return best_q.astype(np.uint8), best_s[..., 0].astype(np.float32)


def matmul_nbits(node, w: np.ndarray, bits: int, block: int):
    """MatMul(A, W [K, N]) -> MatMulNBits node + its B and scales initializers."""
    K, N = w.shape
    base = node.input[1]
    if bits == 4:
        q, scale = q4_blocks(np.ascontiguousarray(w.T), block)  # [N, nb, block], [N, nb]
        packed = q[..., 0::2] | (q[..., 1::2] << 4)  # [N, nb, block / 2], first value in the low nibble
    else:  # 8 bits, symmetric around the implicit zero point 128
        nb = -(-K // block)
        wt = np.zeros((N, nb * block), dtype=np.float32)
        wt[:, :K] = w.T
        wt = wt.reshape(N, nb, block)
        scale = np.abs(wt).max(-1) / 127.0  # [N, nb]
        scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
        packed = (np.clip(np.round(wt / scale[..., None]), -127, 127) + 128).astype(np.uint8)
    inits = [numpy_helper.from_array(packed, f"{base}_q{bits}"), numpy_helper.from_array(scale.reshape(-1), f"{base}_scales")]
    new = helper.make_node("MatMulNBits", [node.input[0]] + [i.name for i in inits], list(node.output),
                           name=node.name + "NBits", domain="com.microsoft", K=K, N=N, bits=bits, block_size=block)
    dequant = (packed_to_float(packed, bits, K) * np.repeat(scale, block, axis=1)[:, :K]).T  # [K, N], for the report
    return [new], inits, dequant


def packed_to_float(packed: np.ndarray, bits: int, K: int) -> np.ndarray:
    """[N, nb, blob] -> (q - zero point) as float [N, K]; the inverse of the packing, used to measure the error."""
    N = packed.shape[0]
    if bits == 4:
        q = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(N, -1)
        return q[:, :K].astype(np.float32) - 8
    return packed.reshape(N, -1)[:, :K].astype(np.float32) - 128


def int8_dequant(name: str, w: np.ndarray, axis: int, out_name: str):
    """w float32 2-D -> int8 initializer + per-`axis` scale + DequantizeLinear node producing out_name."""
    amax = np.abs(w).max(axis=1 - axis)  # one scale per slice along `axis`
    scale = np.where(amax == 0, 1.0, amax / 127.0).astype(np.float32)
    shape = [-1, 1] if axis == 0 else [1, -1]
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    zero = np.zeros_like(scale, dtype=np.int8)  # explicit (a few bytes), not left to each EP's default for int8
    inits = [numpy_helper.from_array(q, f"{name}_int8"), numpy_helper.from_array(scale, f"{name}_scale"),
             numpy_helper.from_array(zero, f"{name}_zero")]
    node = helper.make_node("DequantizeLinear", [i.name for i in inits], [out_name], name=f"{name}_dequantize", axis=axis)
    return node, inits, q.astype(np.float32) * scale.reshape(shape)


def quantize(src: str, dst: str, mode: str, block: int = 32):
    """mode: 'q4' (MatMulNBits 4-bit), 'q8' (int8 + DequantizeLinear), 'q8_nbits' (MatMulNBits 8-bit)."""
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    nodes, new_inits, report = [], [], []

    table = numpy_helper.to_array(inits[TABLE])  # [V, d]
    dq, dq_inits, deq = int8_dequant(TABLE, table, axis=0, out_name=TABLE)  # output keeps the old name
    nodes.append(dq)
    new_inits += dq_inits
    report.append((TABLE, table.shape, "int8/row", rel_err(table, deq)))
    drop = {TABLE}

    for node in g.node:
        w_name = node.input[1] if node.op_type == "MatMul" else None
        if w_name not in inits or len(inits[w_name].dims) != 2:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(inits[w_name])  # [K, N]
        drop.add(w_name)
        if mode in ("q4", "q8_nbits"):
            bits = 4 if mode == "q4" else 8
            repl, q_inits, deq = matmul_nbits(node, w, bits, block)
            nodes += repl
            report.append((w_name, w.shape, f"{bits}-bit/{block}", rel_err(w, deq)))
        else:
            dq, q_inits, deq = int8_dequant(w_name, w, axis=1, out_name=w_name + "_dq")
            nodes += [dq, helper.make_node("MatMul", [node.input[0], dq.output[0]], list(node.output), name=node.name)]
            report.append((w_name, w.shape, "int8/col", rel_err(w, deq)))
        new_inits += q_inits

    kept = [i for i in g.initializer if i.name not in drop]
    del g.initializer[:]
    g.initializer.extend(kept + new_inits)
    del g.node[:]
    g.node.extend(nodes)
    if mode != "q8" and not any(o.domain == "com.microsoft" for o in m.opset_import):
        m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    m.doc_string += f" | weights quantized: {mode}"
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    print(f"wrote {dst}: {os.path.getsize(dst) / 1e6:.2f} MB (fp32 {os.path.getsize(src) / 1e6:.2f} MB)")
    for name, shape, how, err in report:
        print(f"  {name:40s} {str(tuple(shape)):14s} {how:12s} relative RMS error {err:.4f}")


def rel_err(w, deq) -> float:
    return float(np.sqrt(((w - deq) ** 2).mean() / (w**2).mean()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model_dir", default="public/models/tiny-dllm", help="folder holding onnx/model.onnx")
    ap.add_argument("--block_size", type=int, default=32)
    ap.add_argument("--q8_nbits", action="store_true", help="also write onnx/model_q8_nbits.onnx (MatMulNBits bits=8)")
    ap.add_argument("--logits", action="store_true",
                    help="also write onnx/model_logits_q4.onnx from the debug graph onnx/model_logits.onnx: the app's "
                         "'q4-logits' variant, which reads back full logits, to measure what the fused head saves")
    args = ap.parse_args()
    onnx_dir = os.path.join(args.model_dir, "onnx")
    src = os.path.join(onnx_dir, "model.onnx")
    quantize(src, os.path.join(onnx_dir, "model_q4.onnx"), "q4", args.block_size)
    quantize(src, os.path.join(onnx_dir, "model_q8.onnx"), "q8", args.block_size)
    if args.q8_nbits:
        quantize(src, os.path.join(onnx_dir, "model_q8_nbits.onnx"), "q8_nbits", args.block_size)
    if args.logits:
        quantize(os.path.join(onnx_dir, "model_logits.onnx"), os.path.join(onnx_dir, "model_logits_q4.onnx"), "q4", args.block_size)


if __name__ == "__main__":
    main()
