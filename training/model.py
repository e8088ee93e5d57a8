"""
The bundled masked-diffusion language model, in one file.

A bidirectional pre-norm transformer encoder in the style of LLaDA (Nie et al., 2025), at toy scale:

    ids [B, T] -> token embedding -> N x (RMSNorm -> self-attention -> +residual;
                                          RMSNorm -> SwiGLU MLP     -> +residual)
               -> RMSNorm -> head tied to the embedding -> logits [B, T, V]

It is a denoiser, not a next-token predictor: every position sees every other position (no causal mask).
Given a prompt followed by a canvas in which some slots hold the mask token, it predicts the clean token at
every slot at once. A decoder (src/core/, in TypeScript) calls it repeatedly and commits the confident
predictions; training (train.py) teaches it with LLaDA's supervised objective.

Why these choices:
- Rotary position embeddings (RoPE) rather than a learned position table. Attention scores then depend on the
  relative offset between two tokens, so the same weights serve a prompt of 12 or 56 tokens followed by a
  canvas of 128 or 256 slots: the canvas is "the tokens right after the prompt" whatever absolute position it
  starts at. No table caps the length either; cos/sin are computed in the graph from an arange over the actual
  sequence length, which keeps the ONNX export free of any maximum length.
- RMSNorm and SwiGLU as in LLaDA/LLaMA. Both export to plain ONNX ops (ReduceMean, Sqrt, Sigmoid, Mul) that
  every onnxruntime-web execution provider implements.
- Tied input/output embedding: at this size the V x d table is a large share of the parameters, and tying it
  stores it once (also once in the quantized files, see quantize.py).
- No biases anywhere: fewer tensors, and every weight matmul is a bare MatMul that quantize.py can turn into
  MatMulNBits without carrying a bias along.
- Attention is written as plain matmul + softmax (no fused kernel) so that torch 1.13's exporter emits
  MatMul/Softmax, which onnxruntime's WebGPU and WASM providers both run.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 2048  # the task suite's BPE tokenizer; train.py reads it from tokenizer.json (max id + 1)
    n_layer: int = 6  # depth buys multi-step composition (arithmetic chains) more than width does at this size
    n_head: int = 4  # head_dim 48; few heads keep the [B, H, T, T] scores (the CPU step's bulk at T ~ 300) small
    d_model: int = 192  # width; with 6 layers and the tied table this lands near 3M parameters
    d_ff: int = 512  # SwiGLU hidden size, ~8/3 * d_model as in LLaMA, rounded to a multiple of 32 for MatMulNBits
    rope_theta: float = 10000.0  # RoPE base; sequences are short (<= ~320), the usual base is plenty
    norm_eps: float = 1e-5  # RMSNorm epsilon
    mask_id: int = 1  # the [MASK] token id (from the task suite's tokenizer)
    eos_id: int = 0  # <|eos|>: end of answer and canvas padding


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        # x [..., d]; normalise by the root mean square over d, then scale per channel
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotary_cos_sin(seq_len_like: torch.Tensor, inv_freq: torch.Tensor):
    """cos, sin [T, 1, head_dim/2] for positions 0..T-1, T taken from dim 1 of seq_len_like (traced, so dynamic);
    the 1 broadcasts over heads."""
    T = seq_len_like.shape[1]
    pos = torch.arange(T, device=inv_freq.device, dtype=torch.float32)  # [T] -> ONNX Range
    freqs = pos[:, None, None] * inv_freq[None, None, :]  # [T, 1, hd/2]
    return freqs.cos(), freqs.sin()


def apply_rotary(x, cos, sin, half: int):
    # x [B, T, H, hd]; rotate the pair (x1[i], x2[i]) by angle pos * inv_freq[i] ("rotate-half" layout).
    # half = hd / 2 is a Python int so the export slices with constants, not with shapes read at run time.
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class SelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        assert cfg.d_model % cfg.n_head == 0
        self.n_head = cfg.n_head
        self.head_dim = cfg.d_model // cfg.n_head
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model, bias=False)  # one MatMul for q, k, v
        self.proj = nn.Linear(cfg.d_model, cfg.d_model, bias=False)

    def forward(self, x, cos, sin):
        B, T, C, H, hd = x.size(0), x.size(1), self.n_head * self.head_dim, self.n_head, self.head_dim
        q, k, v = self.qkv(x).split(C, dim=2)  # each [B, T, C]
        # Rotate (and scale q) while the layout is [B, T, H, hd], before moving heads forward: on the CPU this is
        # ~20% faster per attention block than rotating [B, H, T, hd] or scaling the [B, H, T, T] scores.
        q = apply_rotary(q.view(B, T, H, hd), cos, sin, hd // 2) * (1.0 / math.sqrt(hd))
        k = apply_rotary(k.view(B, T, H, hd), cos, sin, hd // 2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.view(B, T, H, hd).transpose(1, 2)  # [B, H, T, hd]
        att = F.softmax(q @ k.transpose(-2, -1), dim=-1)  # [B, H, T, T], no causal mask
        y = att @ v  # [B, H, T, hd]
        y = y.transpose(1, 2).reshape(B, T, C)  # [B, T, C]
        return self.proj(y)


class SwiGLU(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.gate_up = nn.Linear(cfg.d_model, 2 * cfg.d_ff, bias=False)  # gate and up in one MatMul
        self.down = nn.Linear(cfg.d_ff, cfg.d_model, bias=False)
        self.d_ff = cfg.d_ff

    def forward(self, x):
        gate, up = self.gate_up(x).split(self.d_ff, dim=-1)  # each [B, T, d_ff]
        return self.down(F.silu(gate) * up)  # [B, T, d]


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.norm1 = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.attn = SelfAttention(cfg)
        self.norm2 = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.mlp = SwiGLU(cfg)

    def forward(self, x, cos, sin):
        x = x + self.attn(self.norm1(x), cos, sin)
        x = x + self.mlp(self.norm2(x))
        return x


class DiffusionLM(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.norm = RMSNorm(cfg.d_model, cfg.norm_eps)
        hd = cfg.d_model // cfg.n_head
        inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))  # [hd/2]
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.apply(self._init_weights)
        # GPT-2 style: scale the residual-output projections down by depth so the residual stream starts small
        for name, p in self.named_parameters():
            if name.endswith("proj.weight") or name.endswith("down.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def hidden(self, idx):
        """idx [B, T] int64 -> final normalised hidden states [B, T, d]."""
        x = self.embed(idx)  # [B, T, d]
        cos, sin = rotary_cos_sin(idx, self.inv_freq)  # [T, 1, hd/2] each
        for block in self.blocks:
            x = block(x, cos, sin)
        return self.norm(x)

    def forward(self, idx, select=None):
        """Logits for every position ([B, T, V]) or, when select (bool [B, T]) is given, only for the selected
        positions ([M, V], M = select.sum()): training needs logits at masked slots only, which saves most of the
        V x d head on the CPU."""
        h = self.hidden(idx)  # [B, T, d]
        if select is not None:
            h = h[select]  # [M, d]
        return h @ self.embed.weight.t()  # tied head: [B, T, V] or [M, V]
