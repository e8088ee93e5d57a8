"""
Export a trained checkpoint to ONNX (opset 17) for onnxruntime (web: WebGPU and WASM; Node: CPU).

The graph takes `input_ids` int64 [batch, seq] (both dynamic) and ends in a fused head, so a decoding step copies
a few numbers per position off the device instead of seq x vocab logits (spec section 8; a decoder fetches only
the outputs it reads):
    top1 int32 [batch, seq]       argmax token id per position
    conf float32 [batch, seq]     its softmax probability, 1 / sum_v exp(logit_v - max_logit) (= exp(max - logsumexp))
    entropy float32 [batch, seq]  -sum_v p_v log p_v = log S - sum_v p_v (l_v - max), S = sum_v exp(l_v - max)
    margin float32 [batch, seq]   top-1 minus top-2 probability, (1 - exp(l_2 - max)) / S
A debug graph additionally outputs `logits` float32 [batch, seq, vocab].

Writes into --out (a transformers.js-style model folder):
    onnx/model.onnx         fp32, fused head only (what the app loads)
    onnx/model_logits.onnx  fp32 debug graph with logits too
    config.json             model hyperparameters in transformers' naming
and --verify (default: <checkpoint dir>/verify.json, outside the model folder so it is not shipped): a few
inputs of varied length with PyTorch's top1/conf, checked against every .onnx by `npm run verify-onnx`.

    /usr/bin/python3 training/export.py --ckpt training/runs/main --out public/models/tiny-dllm
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DiffusionLM, ModelConfig  # noqa: E402

OPSET = 17
# The fused head's outputs, in the graph's order (dllm.json's "outputs"; the runtime fetches them by name).
HEAD_OUTPUTS = ["top1", "conf", "entropy", "margin"]


def head_outputs(logits: torch.Tensor):
    """The fused head over logits [B, T, V] (float32): top1, conf, entropy, margin, each [B, T]."""
    top1 = logits.argmax(-1).to(torch.int32)  # [B, T]
    m = logits.max(-1, keepdim=True).values  # [B, T, 1]
    e = torch.exp(logits - m)  # [B, T, V]
    s = e.sum(-1)  # [B, T]; >= 1, so 1 / s is well conditioned
    conf = 1.0 / s
    # entropy from the shifted logits: log S - E_p[l - max], no log of a probability that underflows to 0
    entropy = torch.log(s) - (e * (logits - m)).sum(-1) / s
    second = torch.topk(logits, 2, dim=-1).values[..., 1]  # [B, T]
    margin = (1.0 - torch.exp(second - m.squeeze(-1))) / s
    return top1, conf, entropy, margin


class FusedHead(torch.nn.Module):
    """model + argmax + top-1 probability, all in float32."""

    def __init__(self, model: DiffusionLM, with_logits: bool):
        super().__init__()
        self.model = model
        self.with_logits = with_logits

    def forward(self, input_ids):
        logits = self.model(input_ids).float()  # [B, T, V]
        heads = head_outputs(logits)
        return heads + (logits,) if self.with_logits else heads


def load_checkpoint(ckpt_dir: str):
    ck = torch.load(os.path.join(ckpt_dir, "model.pt"), map_location="cpu")
    mc = ModelConfig(**ck["model_config"])
    model = DiffusionLM(mc)
    model.load_state_dict(ck["model"])
    model.eval()
    return model, mc, ck


def tidy_initializers(path: str, table_name: str):
    """Two fixes to what torch's exporter writes.
    1. It constant-folds the tied head's `embed.weight.t()` into a second, transposed copy of the table. Replace the
       copy by a Transpose node over the one table, so the file stores it once (onnxruntime folds it back at load).
    2. It names the [K, N] weight of each Linear `onnx::MatMul_123`; name it after its layer instead
       (`blocks.0.attn.qkv.weight_t`), so quantize.py's report and a graph viewer are readable."""
    m = onnx.load(path)
    g = m.graph
    table = numpy_helper.to_array(next(i for i in g.initializer if i.name == table_name))
    renames = {}
    for node in g.node:
        if node.op_type == "MatMul" and node.input[1].startswith("onnx::"):
            layer = node.name.strip("/").replace("/MatMul", "").replace("/", ".").removeprefix("model.")
            renames[node.input[1]] = f"{layer}.weight_t"
    for init in list(g.initializer):
        if tuple(init.dims) == table.shape[::-1] and np.array_equal(numpy_helper.to_array(init), table.T):
            g.initializer.remove(init)
            g.node.insert(0, helper.make_node("Transpose", [table_name], [init.name], name="tied_head_transpose", perm=[1, 0]))
            renames[init.name] = "head.weight_t"
    for init in g.initializer:
        init.name = renames.get(init.name, init.name)
    for node in g.node:
        node.input[:] = [renames.get(i, i) for i in node.input]
        node.output[:] = [renames.get(o, o) for o in node.output]
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_graph(model: DiffusionLM, path: str, with_logits: bool):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    outputs = HEAD_OUTPUTS + (["logits"] if with_logits else [])
    dyn = {name: {0: "batch", 1: "seq"} for name in ["input_ids"] + outputs}
    dummy = torch.randint(0, model.cfg.vocab_size, (2, 37), dtype=torch.int64)
    torch.onnx.export(FusedHead(model, with_logits), (dummy,), path, input_names=["input_ids"], output_names=outputs,
                      dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True)
    tidy_initializers(path, "model.embed.weight")
    m = onnx.load(path)
    m.doc_string = "tiny masked-diffusion LM (training/model.py) with fused head (argmax, top-1 probability, entropy, margin)"
    onnx.save(m, path)
    ops = sorted({n.op_type for n in m.graph.node})
    print(f"wrote {path}: {os.path.getsize(path) / 1e6:.2f} MB, ops {', '.join(ops)}")


def hf_config(mc: ModelConfig, ck) -> dict:
    return {
        "architectures": ["DiffusionLM"],
        "model_type": "llada",
        "vocab_size": mc.vocab_size,
        "hidden_size": mc.d_model,
        "intermediate_size": mc.d_ff,
        "num_hidden_layers": mc.n_layer,
        "num_attention_heads": mc.n_head,
        "num_key_value_heads": mc.n_head,
        "head_dim": mc.d_model // mc.n_head,
        "hidden_act": "silu",
        "rms_norm_eps": mc.norm_eps,
        "rope_theta": mc.rope_theta,
        "position_embedding_type": "rope",
        "tie_word_embeddings": True,
        "is_decoder": False,
        "mask_token_id": mc.mask_id,
        "eos_token_id": mc.eos_id,
        "pad_token_id": mc.eos_id,
        "torch_dtype": "float32",
        "training_steps": ck.get("iter"),
    }


def verify_cases(model: DiffusionLM, mc: ModelConfig, data_dir: str, seed: int):
    """Inputs like the decoder's: a prompt, then a canvas partly revealed and partly [MASK]. Uses validation
    prompts when the JSONL exists (realistic confidences), random tokens otherwise. Lengths around the app's
    (prompt + 128 or 256 canvas) and others; two cases have batch > 1."""
    rng = np.random.default_rng(seed)
    val_path = os.path.join(data_dir, "validation.jsonl")
    examples = []
    if os.path.exists(val_path):
        with open(val_path) as f:
            for line, _ in zip(f, range(64)):
                ex = json.loads(line)
                examples.append((ex["promptIds"], ex["answerIds"]))

    def one(T, mask_ratio):
        if examples:
            p, a = examples[rng.integers(len(examples))]
            clean = (list(p) + list(a) + [mc.eos_id] * T)[:T]
            n_prompt = len(p)
        else:
            clean = rng.integers(4, mc.vocab_size, T).tolist()
            n_prompt = min(20, T // 3)
        ids = np.array(clean, dtype=np.int64)
        masked = rng.random(T) < mask_ratio
        masked[:n_prompt] = False
        ids[masked] = mc.mask_id
        return ids

    cases = []
    shapes = [((1, 70), 1.0), ((1, 150), 0.5), ((1, 192), 0.8), ((2, 96), 0.3), ((1, 168), 1.0), ((1, 168), 0.6),
              ((1, 296), 0.9), ((4, 120), 0.5)]
    for shape, ratio in shapes:
        ids = np.stack([one(shape[1], ratio) for _ in range(shape[0])])  # [B, T]
        with torch.no_grad():
            top1, conf, entropy, margin = FusedHead(model, False)(torch.from_numpy(ids))
        cases.append({"shape": list(shape), "input_ids": ids.reshape(-1).tolist(),
                      "top1": top1.reshape(-1).tolist(), "conf": conf.reshape(-1).tolist(),
                      "entropy": entropy.reshape(-1).tolist(), "margin": margin.reshape(-1).tolist()})
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", default="training/runs/main", help="folder holding model.pt")
    ap.add_argument("--out", default="public/models/tiny-dllm", help="model folder to write onnx/ and config.json into")
    ap.add_argument("--verify", default=None, help="where to write verify.json (default: <ckpt>/verify.json)")
    ap.add_argument("--data_dir", default="training/data", help="validation.jsonl for realistic verify inputs")
    ap.add_argument("--no_debug", action="store_true", help="skip onnx/model_logits.onnx")
    args = ap.parse_args()

    torch.manual_seed(0)
    model, mc, ck = load_checkpoint(args.ckpt)
    print(f"{model.num_params() / 1e6:.2f}M parameters, trained {ck.get('iter')} steps")
    export_graph(model, os.path.join(args.out, "onnx", "model.onnx"), with_logits=False)
    if not args.no_debug:
        export_graph(model, os.path.join(args.out, "onnx", "model_logits.onnx"), with_logits=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(hf_config(mc, ck), f, indent=2)
        f.write("\n")
    verify_path = args.verify or os.path.join(args.ckpt, "verify.json")
    with open(verify_path, "w") as f:
        json.dump({"cases": verify_cases(model, mc, args.data_dir, seed=0)}, f)
    print(f"wrote {os.path.join(args.out, 'config.json')} and {verify_path}")


if __name__ == "__main__":
    main()
