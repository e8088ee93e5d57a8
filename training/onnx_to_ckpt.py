"""
Recover a train.py checkpoint (model.pt) from a model folder's fp32 ONNX graph, so a later training run can continue
from the shipped weights with nothing but the repository (`train.py --init_from <out>/model.pt`): the checkpoints
themselves are git-ignored and a GPU lease starts bare.

    /usr/bin/python3 training/onnx_to_ckpt.py --model_dir public/models/tiny-dllm --out training/runs/shipped

The fp32 export stores every parameter unchanged: RMSNorm gains and the tied table under their module names
(`model.` prefix), each Linear weight transposed as `<layer>.weight_t` (export.py's `tidy_initializers`), and the
head as a Transpose of the table. The model config comes from config.json (export.py's `write_config`). The
recovered state dict is loaded into a fresh DiffusionLM with strict=True, so a missing or extra tensor is an error.
"""

import argparse
import json
import os
import sys
from dataclasses import asdict

import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DiffusionLM, ModelConfig  # noqa: E402


def config_from_folder(model_dir: str) -> ModelConfig:
    c = json.load(open(os.path.join(model_dir, "config.json")))
    return ModelConfig(vocab_size=c["vocab_size"], n_layer=c["num_hidden_layers"], n_head=c["num_attention_heads"],
                       d_model=c["hidden_size"], d_ff=c["intermediate_size"], rope_theta=c["rope_theta"],
                       norm_eps=c["rms_norm_eps"], mask_id=c["mask_token_id"], eos_id=c["eos_token_id"])


def state_dict_from_onnx(path: str) -> dict:
    state = {}
    for init in onnx.load(path).graph.initializer:
        name, w = init.name, torch.from_numpy(numpy_helper.to_array(init).copy())
        if name.endswith(".weight_t"):
            state[name[: -len("_t")]] = w.t().contiguous()
        else:
            state[name.removeprefix("model.")] = w
    return state


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model_dir", default="public/models/tiny-dllm")
    ap.add_argument("--out", required=True, help="folder for model.pt")
    args = ap.parse_args()
    mc = config_from_folder(args.model_dir)
    model = DiffusionLM(mc)
    model.load_state_dict(state_dict_from_onnx(os.path.join(args.model_dir, "onnx", "model.onnx")), strict=True)
    steps = json.load(open(os.path.join(args.model_dir, "config.json"))).get("training_steps", 0)
    os.makedirs(args.out, exist_ok=True)
    torch.save({"model": model.state_dict(), "model_config": asdict(mc), "train_config": {"recovered_from": args.model_dir},
                "iter": steps, "metrics": {}}, os.path.join(args.out, "model.pt"))
    print(f"wrote {os.path.join(args.out, 'model.pt')}: {model.num_params() / 1e6:.2f}M parameters from {args.model_dir}/onnx/model.onnx")


if __name__ == "__main__":
    main()
