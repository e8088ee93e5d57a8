"""
Train the bundled masked-diffusion LM (model.py) on the task suite's JSONL with LLaDA's supervised objective.

One example is a prompt (promptIds: `<|user|> ... <|assistant|>`, never masked) followed by a response: the
answer tokens, then EOS up to the canvas length genLength (and, inside a batch, up to the batch's length). Per
example draw t ~ U(eps, 1], replace each response token by [MASK] with probability t, and predict the clean tokens
at the masked slots. The loss is LLaDA's SFT estimate of the negative ELBO:

    loss = mean over examples of  sum_{masked j} CE_j / t  /  (response length, EOS padding included)

Because the EOS padding is part of the response, the model learns where an answer ends and that everything after
it is EOS, which is what lets the decoder stop early (EoTP) and makes short answers on long canvases work.

The canvas length is drawn per batch: 128 with probability 0.75, else 256. The app offers both; showing the model
256-slot canvases a quarter of the time teaches it the longer EOS tail and attention at offsets up to ~300 that it
would otherwise never see. A 256 batch costs 1.5-2x a 128 batch on the CPU (the [B, H, T, T] attention grows with
the square of the length), so a quarter of them is a third of the compute; most of it stays on the 128 canvas.

EoTP cuts the canvas at inference: after a cut the sequence ends a slot after the predicted end of the answer, a
length the model never sees if every canvas is padded to 128 or 256 (measured: the cut changed about half of the
answers). With probability `cut_prob` a batch is therefore cut the same way: it is drawn from examples of similar
answer length (a random window of the training set sorted by answer length) and its length becomes the longest
prompt + the longest answer in the batch + 1 + U{0..cut_slack} slots, so every row ends a few slots after its EOS.

Presets (measured; README.md has the details):
    /usr/bin/python3 training/train.py --out training/runs/main          # default: 1400 steps x 32, 60-72 min
                                                                         #   on this 2-core CPU (2.5-3.1 s/step)
    /usr/bin/python3 training/train.py --gpu --out training/runs/main    # 14000 steps x 64, ~5.5 min on one H200
    /usr/bin/python3 training/train.py --tiny --out /tmp/runs/tiny       # a few seconds, for debugging
Any config field can be overridden: --max_iters 200 --batch_size 16 --d_model 256 ...
--max_minutes M (with a large --max_iters) fits a run to a fixed GPU lease: it times steps 50-probe_iters, then fixes
max_iters to fill M minutes and prints it; that --max_iters repeats the run's schedule as long as probe_iters <=
warmup_iters (warmup learning rates do not depend on max_iters).
"""

import argparse
import ctypes
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, fields

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DiffusionLM, ModelConfig  # noqa: E402


@dataclass
class TrainConfig:
    data_dir: str = "training/data"  # {train,validation}.jsonl written by `npm run tasks`
    tokenizer: str = "public/models/tiny-dllm/tokenizer.json"  # vocab size = max token id + 1
    out: str = "training/runs/main"  # checkpoint folder (git-ignored)
    seed: int = 1337  # seeds torch (init, masks) and numpy (data order, canvas lengths)
    batch_size: int = 32  # examples per step; small batches + more steps suit a fixed CPU-time budget
    max_iters: int = 1400  # measured ~2.5-3.1 s/step on the 2-core dev machine -> 60-72 min (README.md)
    lr: float = 2e-3  # peak AdamW learning rate; tiny models tolerate (and need) a high rate
    min_lr_ratio: float = 0.1  # cosine decays to lr * min_lr_ratio
    warmup_iters: int = 100  # linear warmup steps
    weight_decay: float = 0.1  # on matrices and the embedding only, not on norm gains
    beta1: float = 0.9  # AdamW betas as in nanoGPT / LLaMA
    beta2: float = 0.95
    grad_clip: float = 1.0  # clip the global gradient norm; the 1/t weight makes some batches spiky
    cut_prob: float = 0.0  # share of batches cut shortly after their longest answer, as EoTP does (see above)
    cut_slack: int = 8  # a cut batch keeps 1 + U{0..cut_slack} EOS slots after its longest answer
    gen_lengths: str = "128,256"  # canvas lengths the app uses
    gen_length_probs: str = "0.75,0.25"  # mostly the default canvas (cheaper), enough 256 to learn its tail
    eps: float = 1e-3  # t = (1 - eps) * U + eps as in LLaDA, so t never reaches 0 and 1/t stays finite
    max_prompt_tokens: int = 56  # data contract; longer prompts are skipped with a warning
    max_answer_tokens: int = 120  # data contract; must leave room for at least one EOS in the 128 canvas
    log_interval: int = 10  # steps between train-loss lines
    eval_interval: int = 250  # steps between validation passes (and checkpoint saves)
    eval_examples: int = 512  # validation examples per pass (fixed subset, fixed masks), ~10 s on the CPU
    device: str = "auto"  # auto = cuda if available, else cpu
    init_from: str = ""  # optional model.pt to start from (a continuation run: fresh optimizer and schedule)
    threads: int = 0  # CPU threads for torch; 0 = all cores (os.cpu_count())
    max_minutes: float = 0.0  # >0: time the first probe_iters steps, then set max_iters to fill this budget
    probe_iters: int = 300  # steps timed (after the first 50) to size max_iters under max_minutes


PRESETS = {
    # A 2-layer, 64-wide model on short canvases (examples with longer answers are skipped): runs in seconds.
    "tiny": dict(n_layer=2, n_head=2, d_model=64, d_ff=128, batch_size=8, max_iters=30, warmup_iters=5,
                 log_interval=5, eval_interval=15, eval_examples=32, gen_lengths="32,64", gen_length_probs="0.5,0.5",
                 max_answer_tokens=31),
    # The same model trained 20x longer (10x the steps, 2x the batch): ~0.024 s/step on an H200, 5.4 min in all.
    # Validation answer-token accuracy 0.94 vs 0.49 for the CPU default (README.md).
    "gpu": dict(max_iters=14000, batch_size=64, warmup_iters=300, log_interval=500, eval_interval=2000),
}


def keep_freed_memory():
    """Stop glibc from handing large freed blocks back to the OS. By default every tensor over 32 MB (the
    [B, H, T, T] attention scores and their gradients) is mmap'd fresh and unmapped on free, so each step page-faults
    it all back in; in this machine's VM a page fault is slow enough that this was most of a CPU step (a 44 MB
    matmul output: 150 ms by default, 11 ms with the memory kept). The process keeps its peak heap instead."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
    libc.mallopt(M_MMAP_MAX, 0)  # serve big blocks from the heap, which is reused
    libc.mallopt(M_TRIM_THRESHOLD, 2**31 - 1)  # and never shrink the heap


def vocab_size_from_tokenizer(path: str) -> int:
    tok = json.load(open(path))
    ids = list(tok["model"]["vocab"].values()) + [t["id"] for t in tok.get("added_tokens", [])]
    return max(ids) + 1


def load_jsonl(path: str, tc: TrainConfig):
    """-> list of (promptIds, answerIds) as int64 numpy arrays."""
    out, skipped = [], 0
    with open(path) as f:
        for line in f:
            ex = json.loads(line)
            p, a = ex["promptIds"], ex["answerIds"]
            if len(p) > tc.max_prompt_tokens or len(a) > tc.max_answer_tokens:
                skipped += 1
                continue
            out.append((np.asarray(p, dtype=np.int64), np.asarray(a, dtype=np.int64)))
    if skipped:
        print(f"warning: {path}: skipped {skipped} examples over the prompt/answer length limits")
    return out


def make_batch(examples, gen_len: int, eos_id: int, cut_slack: int = -1, rng=None):
    """Left-aligned prompt + answer + EOS padding. Every row has the same length T = longest prompt + gen_len, so
    the canvas follows each prompt immediately (as at inference) and shorter prompts get a longer EOS tail.
    With cut_slack >= 0 the canvas is cut instead: T = longest prompt + longest answer + 1 + U{0..cut_slack}.
    -> x [B, T] int64 clean tokens, resp [B, T] bool response positions, resp_len [B] float."""
    P = max(len(p) for p, _ in examples)
    if cut_slack >= 0:
        gen_len = min(gen_len, max(len(a) for _, a in examples) + 1 + int(rng.integers(0, cut_slack + 1)))
    T = P + gen_len
    x = np.full((len(examples), T), eos_id, dtype=np.int64)
    resp = np.zeros((len(examples), T), dtype=bool)
    for i, (p, a) in enumerate(examples):
        x[i, : len(p)] = p
        x[i, len(p) : len(p) + len(a)] = a
        resp[i, len(p) :] = True
    resp_len = resp.sum(1).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(resp), torch.from_numpy(resp_len)


def diffusion_loss(model, x, resp, resp_len, mask_id: int, eps: float, generator=None):
    """LLaDA SFT loss on one batch. x, resp [B, T]; resp_len [B]. Returns (loss, logits at masked [M, V],
    targets [M], per-masked-token is-answer flag [M])."""
    B, T = x.shape
    t = (1 - eps) * torch.rand(B, device=x.device, generator=generator) + eps  # [B] mask ratio per example
    masked = (torch.rand(B, T, device=x.device, generator=generator) < t[:, None]) & resp  # [B, T]
    noisy = torch.where(masked, torch.full_like(x, mask_id), x)  # [B, T]
    logits = model(noisy, select=masked)  # [M, V]
    targets = x[masked]  # [M]
    ce = F.cross_entropy(logits.float(), targets, reduction="none")  # [M]
    weight = (1.0 / (t[:, None] * resp_len[:, None])).expand(B, T)[masked]  # [M]: 1/t / response length
    loss = (ce * weight).sum() / B
    return loss, logits, targets


@torch.no_grad()
def evaluate(model, val, tc: TrainConfig, mc: ModelConfig, device, autocast):
    """Masked-token accuracy on a fixed validation subset with fixed masks (same numbers run to run): over all
    masked response slots, and over the non-EOS answer slots alone (the EOS tail is easy and dominates the first)."""
    model.eval()
    gen = torch.Generator(device=device)
    gen.manual_seed(0)
    n_all = c_all = n_ans = c_ans = 0
    loss_sum = 0.0
    bs = tc.batch_size
    gen_len = int(tc.gen_lengths.split(",")[0])
    sub = val[: tc.eval_examples]
    for i in range(0, len(sub), bs):
        x, resp, resp_len = (v.to(device) for v in make_batch(sub[i : i + bs], gen_len, mc.eos_id))
        with autocast():
            loss, logits, targets = diffusion_loss(model, x, resp, resp_len, mc.mask_id, tc.eps, gen)
        pred = logits.argmax(-1)
        answer = targets != mc.eos_id
        n_all += targets.numel()
        c_all += (pred == targets).sum().item()
        n_ans += answer.sum().item()
        c_ans += ((pred == targets) & answer).sum().item()
        loss_sum += loss.item() * x.shape[0]
    model.train()
    return {"val_loss": loss_sum / len(sub), "acc_masked": c_all / max(n_all, 1), "acc_answer": c_ans / max(n_ans, 1)}


def lr_at(it: int, tc: TrainConfig) -> float:
    if it < tc.warmup_iters:
        return tc.lr * (it + 1) / tc.warmup_iters
    progress = (it - tc.warmup_iters) / max(1, tc.max_iters - tc.warmup_iters)
    return tc.lr * (tc.min_lr_ratio + (1 - tc.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in PRESETS:
        ap.add_argument(f"--{name}", action="store_true", help=f"preset: {PRESETS[name]}")
    for dc in (TrainConfig, ModelConfig):
        for f in fields(dc):
            ap.add_argument(f"--{f.name}", type=type(f.default), default=None)
    args = vars(ap.parse_args())
    overrides = {}
    for name in PRESETS:
        if args.pop(name):
            overrides.update(PRESETS[name])
    overrides.update({k: v for k, v in args.items() if v is not None})
    tc = TrainConfig(**{k: v for k, v in overrides.items() if k in TrainConfig.__dataclass_fields__})
    mc = ModelConfig(**{k: v for k, v in overrides.items() if k in ModelConfig.__dataclass_fields__})
    return tc, mc, "vocab_size" in overrides


def main():
    tc, mc, vocab_given = parse_args()
    if not vocab_given:
        mc.vocab_size = vocab_size_from_tokenizer(tc.tokenizer)
    torch.manual_seed(tc.seed)
    rng = np.random.default_rng(tc.seed)
    device = "cuda" if tc.device == "auto" and torch.cuda.is_available() else ("cpu" if tc.device == "auto" else tc.device)
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

        def autocast():
            return torch.autocast("cuda", dtype=torch.bfloat16)
    else:
        torch.set_num_threads(tc.threads or os.cpu_count() or 1)
        keep_freed_memory()

        def autocast():
            return torch.autocast("cpu", enabled=False)

    train = load_jsonl(os.path.join(tc.data_dir, "train.jsonl"), tc)
    val = load_jsonl(os.path.join(tc.data_dir, "validation.jsonl"), tc)
    gen_lengths = [int(v) for v in tc.gen_lengths.split(",")]
    gen_probs = np.array([float(v) for v in tc.gen_length_probs.split(",")])
    assert len(gen_lengths) == len(gen_probs) and abs(gen_probs.sum() - 1) < 1e-6
    assert tc.max_answer_tokens < min(gen_lengths), "every canvas must hold the longest answer plus one EOS"

    if tc.max_minutes > 0:  # the steps before max_iters is fixed must not depend on it (warmup only)
        assert 50 < tc.probe_iters <= tc.warmup_iters < tc.max_iters, "--max_minutes needs 50 < probe_iters <= warmup_iters < max_iters"

    model = DiffusionLM(mc)
    if tc.init_from:
        ck = torch.load(tc.init_from, map_location="cpu")
        assert ck["model_config"] == asdict(mc), f"{tc.init_from} has another model config: {ck['model_config']}"
        model.load_state_dict(ck["model"])
        print(f"initialised from {tc.init_from} (trained {ck['iter']} steps)")
    model = model.to(device)
    print(f"{model.num_params() / 1e6:.2f}M parameters, vocab {mc.vocab_size}, {len(train)} train / {len(val)} "
          f"validation examples, device {device} ({torch.get_num_threads()} threads)")
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tc.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=tc.lr, betas=(tc.beta1, tc.beta2))
    os.makedirs(tc.out, exist_ok=True)
    log = open(os.path.join(tc.out, "log.jsonl"), "w")

    def save(it, metrics, s_per_step):
        torch.save({"model": model.state_dict(), "model_config": asdict(mc), "train_config": asdict(tc),
                    "iter": it, "metrics": metrics}, os.path.join(tc.out, "model.pt"))
        json.dump({"model_config": asdict(mc), "train_config": asdict(tc), "iter": it, "metrics": metrics,
                   "params": model.num_params(), "s_per_step": s_per_step, "device": device},
                  open(os.path.join(tc.out, "config.json"), "w"), indent=2)

    order, cursor = rng.permutation(len(train)), 0
    by_answer_len = np.argsort([len(a) for _, a in train], kind="stable") if tc.cut_prob > 0 else None
    t0 = time.time()
    t_log = t0
    metrics = {}
    it = 0
    while it < tc.max_iters:
        if tc.max_minutes > 0 and it == tc.probe_iters:  # size the run from the measured step time, then fix it
            if device == "cuda":
                torch.cuda.synchronize()
            s_step = (time.time() - t_probe) / (tc.probe_iters - 50)
            evals_share = 1.06  # an allowance for validation passes and saves; the probe's early steps run slower
            # than later ones (3.7 min asked, 2.9 min taken on an H200), so a run ends early rather than late
            tc.max_iters = max(tc.probe_iters + 1, int(tc.max_minutes * 60 / (s_step * evals_share)))
            print(f"probe: {s_step * 1000:.1f} ms/step over steps 50-{tc.probe_iters} -> max_iters {tc.max_iters} "
                  f"for {tc.max_minutes} min (reproduce with --max_iters {tc.max_iters})")
        if it == 50:
            t_probe = time.time()
        if cursor + tc.batch_size > len(order):  # new epoch, new order
            order, cursor = rng.permutation(len(train)), 0
        batch = [train[j] for j in order[cursor : cursor + tc.batch_size]]
        cursor += tc.batch_size
        gen_len = int(rng.choice(gen_lengths, p=gen_probs))
        cut = tc.cut_prob > 0 and rng.random() < tc.cut_prob
        if cut:  # similar answer lengths, so the cut is tight for every row
            start = int(rng.integers(0, len(by_answer_len) - tc.batch_size + 1))
            batch = [train[j] for j in by_answer_len[start : start + tc.batch_size]]
        x, resp, resp_len = (v.to(device) for v in make_batch(batch, gen_len, mc.eos_id, tc.cut_slack if cut else -1, rng))

        lr = lr_at(it, tc)
        for g in opt.param_groups:
            g["lr"] = lr
        with autocast():
            loss, _, _ = diffusion_loss(model, x, resp, resp_len, mc.mask_id, tc.eps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), tc.grad_clip)
        opt.step()

        if (it + 1) % tc.log_interval == 0 or it == 0:
            now = time.time()
            dt = (now - t_log) / (tc.log_interval if it > 0 else 1)
            t_log = now
            print(f"iter {it + 1:5d} | loss {loss.item():.4f} | lr {lr:.2e} | gnorm {gnorm:.2f} | canvas {x.shape[1] - max(len(p) for p, _ in batch)}{' cut' if cut else ''} | {dt:.2f} s/step")
            log.write(json.dumps({"iter": it + 1, "loss": loss.item(), "lr": lr, "s_per_step": dt}) + "\n")
            log.flush()
        if (it + 1) % tc.eval_interval == 0 or it + 1 == tc.max_iters:
            metrics = evaluate(model, val, tc, mc, device, autocast)
            elapsed = time.time() - t0
            print(f"eval  {it + 1:5d} | val_loss {metrics['val_loss']:.4f} | acc_masked {metrics['acc_masked']:.4f} "
                  f"| acc_answer {metrics['acc_answer']:.4f} | {elapsed / 60:.1f} min")
            log.write(json.dumps({"iter": it + 1, **metrics, "elapsed_s": elapsed}) + "\n")
            log.flush()
            save(it + 1, metrics, elapsed / (it + 1))
        it += 1
    print(f"done: {tc.max_iters} steps in {(time.time() - t0) / 60:.1f} min, checkpoint in {tc.out}")


if __name__ == "__main__":
    main()
