"""
Fast-dLLM's KV cache for the bundled model (spec section 7): the two forwards as ONNX graphs, and a PyTorch
reference of the cached generation that the TypeScript decoder is checked against.

The graphs (batch 1, both dynamic in length), next to onnx/model.onnx and with the same fused head:
    onnx/model_kv.onnx      input_ids int64 [1, T]
                            -> top1, conf, entropy, margin [1, T]; keys, values float32 [L, H, T, hd]
                            (every layer's keys after the rotary embedding, and values: the block-start forward)
    onnx/model_window.onnx  window_ids int64 [1, W], start int64 [] (the window's first absolute position),
                            keys, values float32 [L, H, P, hd] (a block-start forward's), length int64 [] (the
                            working sequence's length now, <= P: an EoTP cut shortens it without touching the cache)
                            -> top1, conf, entropy, margin [1, W] for positions [start, start + W)
One window graph serves both caches: its queries attend to every position below `length`, with this forward's
fresh keys/values on [start, start + W) and the cached ones elsewhere. Prefix cache: the window is [s, length), so
only the prefix [0, s) is cached. Dual cache: the window is the block [s, e), so prefix and suffix are stale until
the next block's full forward. Keys and values never leave the runtime between the two (on WebGPU they stay GPU
tensors). The q4 files (quantize.py's MatMulNBits) are what the app loads; the fp32 ones exist to be verified.

    /usr/bin/python3 training/kv.py --model_dir public/models/tiny-dllm   # export, quantize, write verify-kv.json
    npm run verify-kv -- public/models/tiny-dllm training/verify-kv.json  # then delete the fp32 pair (run_all.sh)

verify-kv.json (in training/, committed: the app's tests read it): random-input cases of both graphs with PyTorch's
outputs, and the cached generation (low_confidence and threshold 0.9, prefix and dual, EoTP off and on) of 20 test
prompts, decoded by this file's reference with the weights of the q4 graph dequantized (so the TypeScript decoder on
the q4 graphs should produce the same tokens).
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import OPSET, head_outputs, tidy_initializers  # noqa: E402
from model import DiffusionLM, apply_rotary, rotary_cos_sin  # noqa: E402
from onnx_to_ckpt import config_from_folder, state_dict_from_onnx  # noqa: E402
from quantize import TABLE, packed_to_float, quantize  # noqa: E402


def qkv(attn, x, cos, sin):
    """One layer's rotated, scaled queries and rotated keys and values, each [B, H, T, hd], as SelfAttention."""
    B, T, H, hd = x.size(0), x.size(1), attn.n_head, attn.head_dim
    q, k, v = attn.qkv(x).split(H * hd, dim=2)
    q = apply_rotary(q.view(B, T, H, hd), cos, sin, hd // 2) * (1.0 / math.sqrt(hd))
    k = apply_rotary(k.view(B, T, H, hd), cos, sin, hd // 2)
    return q.transpose(1, 2), k.transpose(1, 2), v.view(B, T, H, hd).transpose(1, 2)


def attend(attn, q, k, v, bias=None):
    """Softmax attention of q [B, H, Tq, hd] over k, v [B, H, Tk, hd] (+ bias [Tk]) and the output projection."""
    scores = q @ k.transpose(-2, -1)
    if bias is not None:
        scores = scores + bias
    y = F.softmax(scores, dim=-1) @ v  # [B, H, Tq, hd]
    B, H, T, hd = y.shape
    return attn.proj(y.transpose(1, 2).reshape(B, T, H * hd))


class FullKV(torch.nn.Module):
    """The block-start forward: the fused head over every position, and every layer's keys and values."""

    def __init__(self, model: DiffusionLM):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        m = self.model
        x = m.embed(input_ids)
        cos, sin = rotary_cos_sin(input_ids, m.inv_freq)
        keys, values = [], []
        for blk in m.blocks:
            q, k, v = qkv(blk.attn, blk.norm1(x), cos, sin)
            keys.append(k[0])
            values.append(v[0])
            x = x + attend(blk.attn, q, k, v)
            x = x + blk.mlp(blk.norm2(x))
        logits = (m.norm(x) @ m.embed.weight.t()).float()
        return head_outputs(logits) + (torch.stack(keys), torch.stack(values))  # keys/values [L, H, T, hd]


class Window(torch.nn.Module):
    """A forward of the positions [start, start + W) against cached keys/values elsewhere (below `length`)."""

    def __init__(self, model: DiffusionLM):
        super().__init__()
        self.model = model

    def forward(self, window_ids, start, keys, values, length):
        m = self.model
        x = m.embed(window_ids)  # [1, W, d]
        width = torch.ones_like(window_ids[0]).sum()  # W as a tensor (traced from the input, not a constant)
        pos_w = (torch.arange(window_ids.shape[1], dtype=torch.int64) + start).to(torch.float32)
        freqs = pos_w[:, None, None] * m.inv_freq[None, None, :]  # [W, 1, hd/2], as rotary_cos_sin at these positions
        cos, sin = freqs.cos(), freqs.sin()
        pos = torch.arange(keys.shape[2], dtype=torch.int64)  # [P]
        rel = pos - start
        fresh = (rel >= 0) & (rel < width)  # [P]: the window's positions take this forward's keys/values
        gather = torch.minimum(rel.clamp(min=0), width - 1)  # [P] -> index into the window
        bias = torch.where(pos < length, torch.zeros_like(pos_w[:1]), torch.full_like(pos_w[:1], -1e9))  # [P]
        fresh4 = fresh[None, None, :, None]
        for i, blk in enumerate(m.blocks):
            q, k, v = qkv(blk.attn, blk.norm1(x), cos, sin)  # [1, H, W, hd]
            kk = torch.where(fresh4, k.index_select(2, gather), keys[i][None])
            vv = torch.where(fresh4, v.index_select(2, gather), values[i][None])
            x = x + attend(blk.attn, q, kk, vv, bias)
            x = x + blk.mlp(blk.norm2(x))
        logits = (m.norm(x) @ m.embed.weight.t()).float()
        return head_outputs(logits)


HEADS = ["top1", "conf", "entropy", "margin"]


def export_graphs(model: DiffusionLM, onnx_dir: str):
    cfg = model.cfg
    L, H, hd = cfg.n_layer, cfg.n_head, cfg.d_model // cfg.n_head
    full = os.path.join(onnx_dir, "model_kv.onnx")
    dummy = torch.randint(0, cfg.vocab_size, (1, 41), dtype=torch.int64)
    dyn_t = {n: {1: "seq"} for n in ["input_ids"] + HEADS}
    dyn_t.update({"keys": {2: "seq"}, "values": {2: "seq"}})
    torch.onnx.export(FullKV(model), (dummy,), full, input_names=["input_ids"], output_names=HEADS + ["keys", "values"],
                      dynamic_axes=dyn_t, opset_version=OPSET, do_constant_folding=True)
    window = os.path.join(onnx_dir, "model_window.onnx")
    args = (torch.randint(0, cfg.vocab_size, (1, 7), dtype=torch.int64), torch.tensor(20, dtype=torch.int64),
            torch.zeros(L, H, 41, hd), torch.zeros(L, H, 41, hd), torch.tensor(41, dtype=torch.int64))
    dyn_w = {n: {1: "window"} for n in ["window_ids"] + HEADS}
    dyn_w.update({"keys": {2: "past"}, "values": {2: "past"}})
    torch.onnx.export(Window(model), args, window, input_names=["window_ids", "start", "keys", "values", "length"],
                      output_names=HEADS, dynamic_axes=dyn_w, opset_version=OPSET, do_constant_folding=True)
    for path in (full, window):
        name_weights(path, model)
        tidy_initializers(path, "model.embed.weight")
        m = onnx.load(path)
        m.doc_string = f"tiny masked-diffusion LM (training/model.py), KV-cache {'block-start forward' if path == full else 'window forward'} (training/kv.py)"
        onnx.save(m, path)
        print(f"wrote {path}: {os.path.getsize(path) / 1e6:.2f} MB, ops {', '.join(sorted({n.op_type for n in m.graph.node}))}")
    return full, window


def name_weights(path: str, model: DiffusionLM):
    """Name each Linear's [K, N] weight after its layer (`blocks.0.attn.qkv.weight_t`), as export.py's graph has them,
    by value: the layers here are called from functions, not their modules' forwards, so the exporter's node names
    do not say which block a MatMul belongs to (and tidy_initializers would give several the same name)."""
    m = onnx.load(path)
    by_bytes = {p.detach().t().contiguous().numpy().tobytes(): f"{n}_t" for n, p in model.named_parameters()
                if n.endswith(".weight") and p.dim() == 2 and not n.startswith("embed")}
    renames = {}
    for init in m.graph.initializer:
        name = by_bytes.get(numpy_helper.to_array(init).tobytes())
        if name is not None and init.name.startswith("onnx::"):
            renames[init.name] = name
    if len(set(renames.values())) != len(by_bytes):
        raise ValueError(f"{path}: found {len(set(renames.values()))} of {len(by_bytes)} Linear weights by value")
    for init in m.graph.initializer:
        init.name = renames.get(init.name, init.name)
    for node in m.graph.node:
        node.input[:] = [renames.get(i, i) for i in node.input]
    onnx.save(m, path)


def dequantized_state_dict(q4_path: str, fp32_state: dict) -> dict:
    """The weights the q4 graph computes with: each MatMulNBits weight and the int8 table dequantized, as float32
    under the state dict's names (the RMSNorm gains are unquantized and taken from the fp32 graph's)."""
    m = onnx.load(q4_path)
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    out = dict(fp32_state)
    for node in m.graph.node:
        if node.op_type == "MatMulNBits":
            attrs = {a.name: a.i for a in node.attribute}
            K, N, bits, block = attrs["K"], attrs["N"], attrs["bits"], attrs["block_size"]
            q = packed_to_float(inits[node.input[1]], bits, K)  # [N, K] as q - zero point
            scale = inits[node.input[2]].reshape(N, -1)  # [N, n_blocks]
            w_t = q * np.repeat(scale, block, axis=1)[:, :K]  # [N, K]: nn.Linear's weight layout
            key = node.input[1].removesuffix(f"_q{bits}").removesuffix("_t")
            if key not in out:
                raise KeyError(f"{node.input[1]} maps to {key}, which the model does not have")
            out[key] = torch.from_numpy(np.ascontiguousarray(w_t)).float()
        elif node.op_type == "DequantizeLinear" and node.output[0] == TABLE:
            q, scale = inits[node.input[0]].astype(np.float32), inits[node.input[1]]
            out["embed.weight"] = torch.from_numpy(q * scale[:, None]).float()
    return out


# --- the cached generation (spec sections 1, 2, 4 and 7), batch 1, greedy -------------------------------------------

def schedule(n_masked: int, steps: int):
    base, rem = divmod(n_masked, steps)
    return [base + (1 if j < rem else 0) for j in range(steps)]


class Runner:
    """The model's two forwards in PyTorch, counting NFE and positions forwarded."""

    def __init__(self, model):
        self.full, self.window = FullKV(model), Window(model)
        self.nfe, self.positions = 0, 0

    def forward_full(self, x):
        with torch.no_grad():
            top1, conf, _, _, k, v = self.full(torch.tensor([x], dtype=torch.int64))
        self.nfe += 1
        self.positions += len(x)
        return top1[0].tolist(), conf[0].tolist(), (k, v)

    def forward_window(self, x, start, end, kv):
        k, v = kv
        with torch.no_grad():
            top1, conf, _, _ = self.window(torch.tensor([x[start:end]], dtype=torch.int64), torch.tensor(start),
                                           k, v, torch.tensor(len(x)))
        self.nfe += 1
        self.positions += end - start
        return top1[0].tolist(), conf[0].tolist()


def generate(runner, prompt, gen_length, block_length, decoder, cache, eotp, tau=0.9, mask_id=1, eos_id=0):
    """The loop of src/core/loop.ts with a cache: per block a full forward (step 0), then window forwards; the
    decoder's rule over the block's masked positions; EoTP rule 2 over the current block's masked positions only
    (spec section 7; there is no filter here, so rule 1 never fires); a cut drops positions past it from the
    sequence, and the cache's are masked out by `length`."""
    x = list(prompt) + [mask_id] * gen_length
    p = len(prompt)
    n_blocks = -(-gen_length // block_length)
    for b in range(n_blocks):
        s = p + b * block_length
        if s >= len(x):
            break
        e = min(s + block_length, len(x))
        sched = schedule(sum(1 for i in range(s, e) if x[i] == mask_id), block_length)
        step, kv = 0, None
        while any(x[i] == mask_id for i in range(s, e)):
            if kv is None:
                top1, conf, kv = runner.forward_full(x)
                off = 0
            else:
                hi = len(x) if cache == "prefix" else e
                top1, conf = runner.forward_window(x, s, hi, kv)
                off = s  # top1[i - off] is position i
            masked = [i for i in range(s, e) if x[i] == mask_id]
            k = sched[step] if step < len(sched) else 1  # past the schedule: one per step (decoders.ts scheduledK)
            if decoder == "low_confidence":
                chosen = sorted(masked, key=lambda i: (-conf[i - off], i))[: max(k, 0)]
            elif decoder == "threshold":
                chosen = [i for i in masked if conf[i - off] >= tau]
                if not chosen:
                    chosen = sorted(masked, key=lambda i: (-conf[i - off], i))[:1]
            else:
                raise ValueError(decoder)
            before = list(x)
            for i in chosen:
                x[i] = top1[i - off]
            if eotp:
                cands = [i for i in range(s, e) if before[i] == mask_id and top1[i - off] == eos_id]
                if cands:
                    cut = max(cands, key=lambda i: (conf[i - off], -i))
                    if cut + 1 < len(x):
                        x = x[: cut + 1]
                        e = min(e, len(x))
            step += 1
            if not any(t == mask_id for t in x[p:]):
                break
        if not any(t == mask_id for t in x[p:]):
            break
    answer = x[p:]
    if eos_id in answer:
        answer = answer[: answer.index(eos_id)]
    return answer, x


def random_cases(model, seed: int):
    """Both graphs on random ids: full forwards of a few lengths, and windows of each cache's shape over them
    (prefix: [s, T); dual: [s, e); one after a cut, length < P), with PyTorch's outputs."""
    rng = np.random.default_rng(seed)
    full, window = FullKV(model), Window(model)
    cases = []
    for T, s, e, length in [(60, 20, 52, 60), (150, 14, 150, 150), (150, 46, 78, 150), (168, 40, 72, 100),
                            (296, 40, 296, 296), (296, 264, 296, 296)]:
        ids = rng.integers(2, model.cfg.vocab_size, T)
        ids[rng.random(T) < 0.5] = model.cfg.mask_id
        with torch.no_grad():
            heads = full(torch.from_numpy(ids)[None])
            k, v = heads[4], heads[5]
            win = rng.integers(2, model.cfg.vocab_size, e - s)  # the window's ids changed since the block start
            w = window(torch.from_numpy(win)[None], torch.tensor(s), k, v, torch.tensor(length))
        cases.append({"input_ids": ids.tolist(), "window": {"ids": win.tolist(), "start": s, "length": length},
                      "full": {n: heads[i][0].reshape(-1).tolist() for i, n in enumerate(HEADS)},
                      "keysSum": float(k.double().abs().sum()), "valuesSum": float(v.double().abs().sum()),
                      "windowOut": {n: w[i][0].reshape(-1).tolist() for i, n in enumerate(HEADS)}})
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model_dir", default="public/models/tiny-dllm")
    ap.add_argument("--prompts", default=None, help="JSONL of test prompts with promptIds (npm run tasks); default: "
                                                    "made with `npx tsx src/cli/tasks.ts --split test --n 20`")
    ap.add_argument("--verify", default="training/verify-kv.json")
    ap.add_argument("--gen_length", type=int, default=128)
    ap.add_argument("--block_length", type=int, default=32)
    args = ap.parse_args()
    torch.manual_seed(0)
    cfg = config_from_folder(args.model_dir)
    onnx_dir = os.path.join(args.model_dir, "onnx")
    fp32_state = state_dict_from_onnx(os.path.join(onnx_dir, "model.onnx"))
    model = DiffusionLM(cfg)
    model.load_state_dict(fp32_state, strict=True)
    model.eval()
    full, window = export_graphs(model, onnx_dir)
    for path in (full, window):
        quantize(path, path.replace(".onnx", "_q4.onnx"), "q4")
    # The reference decodes with the q4 graph's weights, so the TypeScript loop on the q4 graphs can match it token
    # for token (the same weights, only the kernels' summation order differs).
    q4_model = DiffusionLM(cfg)
    q4_model.load_state_dict(dequantized_state_dict(full.replace(".onnx", "_q4.onnx"), fp32_state), strict=True)
    q4_model.eval()
    prompts_path = args.prompts
    if prompts_path is None:
        prompts_path = "/tmp/kv-test-prompts.jsonl"
        os.system(f"npx tsx src/cli/tasks.ts --split test --n 20 --out {prompts_path} > /dev/null")
    prompts = [json.loads(line) for line in open(prompts_path)][:20]
    runs = []
    for decoder in ("low_confidence", "threshold"):
        for cache in ("prefix", "dual"):
            for eotp in (False, True):
                for ex in prompts:
                    runner = Runner(q4_model)
                    answer, x = generate(runner, ex["promptIds"], args.gen_length, args.block_length, decoder, cache,
                                         eotp, mask_id=cfg.mask_id, eos_id=cfg.eos_id)
                    runs.append({"id": ex["id"], "decoder": decoder, "cache": cache, "eotp": eotp,
                                 "promptIds": ex["promptIds"], "output": x, "answer": answer, "nfe": runner.nfe,
                                 "positions": runner.positions})
                print(f"{decoder} {cache} eotp={eotp}: mean NFE {np.mean([r['nfe'] for r in runs[-len(prompts):]]):.1f}")
    with open(args.verify, "w") as f:
        json.dump({"fp32": {"cases": random_cases(model, 0)}, "q4": {"cases": random_cases(q4_model, 1)},
                   "genLength": args.gen_length, "blockLength": args.block_length, "tau": 0.9, "runs": runs}, f)
        f.write("\n")
    print(f"wrote {args.verify}: {len(runs)} cached generations of {len(prompts)} test prompts")


if __name__ == "__main__":
    main()
