"""The reference: nanoGPT's CPU recipe in eager PyTorch, to time and score beside llmlab's JAX.

    python -m venv .venv-torch && .venv-torch/bin/pip install numpy torch \
        --index-url https://download.pytorch.org/whl/cpu
    .venv-torch/bin/python benchmarks/nanogpt_torch.py --iters 2000 --seed 0
    -> {"ms_per_iter": ..., "tokens_per_s": ..., "val_loss": ..., "threads": ...}

PyTorch is not a dependency of llmlab: this file is a yardstick, run by hand in its own venv.
It is a plain re-implementation of nanoGPT's `model.py` + `train.py` as the README's CPU command
runs them (`--device=cpu --compile=False --block_size=64 --batch_size=12 --n_layer=4 --n_head=4
--n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0`): no biases (nanoGPT's
train.py default), exact GELU, N(0, 0.02) init with residual projections at 0.02/√(2L), a tied
head, AdamW decaying only tensors with 2+ dimensions, nanoGPT's get_lr, clipping at 1.0, and
float32. The validation loss is measured as `benchmarks/train.py` measures it: the mean over
200 random validation batches after the last step (nanoGPT's CPU command uses 20, which is
noisier). Batches are drawn on the host for every step, as nanoGPT does.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

CORPUS = Path(__file__).resolve().parents[1] / "llmlab" / "data" / "tinyshakespeare.txt"


class Block(nn.Module):
    def __init__(self, C: int, H: int, bias: bool):
        super().__init__()
        self.H = H
        self.ln_1 = nn.LayerNorm(C, bias=bias)
        self.c_attn = nn.Linear(C, 3 * C, bias=bias)
        self.attn_proj = nn.Linear(C, C, bias=bias)
        self.ln_2 = nn.LayerNorm(C, bias=bias)
        self.c_fc = nn.Linear(C, 4 * C, bias=bias)
        self.mlp_proj = nn.Linear(4 * C, C, bias=bias)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.H, C // self.H).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # nanoGPT's flash path
        x = x + self.attn_proj(y.transpose(1, 2).contiguous().view(B, T, C))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self, V: int, T: int, L: int, H: int, C: int, bias: bool):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.blocks = nn.ModuleList(Block(C, H, bias) for _ in range(L))
        self.ln_f = nn.LayerNorm(C, bias=bias)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.T  # tied head
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bias", action="store_true", help="biases on (llmlab's GPT-2 layout)")
    args = parser.parse_args()
    B, T, lr, min_lr, warmup = 12, 64, 1e-3, 1e-4, 100

    text = CORPUS.read_text(encoding="utf-8")
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = np.array([stoi[c] for c in text], dtype=np.int64)
    n = round(len(data) * 0.9)
    train, val = torch.from_numpy(data[:n]), torch.from_numpy(data[n:])

    torch.manual_seed(args.seed)
    model = GPT(len(chars), T, 4, 4, 128, args.bias)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99))

    def get_batch(split):
        ix = torch.randint(len(split) - T, (B,))
        x = torch.stack([split[i : i + T] for i in ix])
        return x, torch.stack([split[i + 1 : i + 1 + T] for i in ix])

    def get_lr(it):  # nanoGPT's schedule
        if it < warmup:
            return lr * (it + 1) / (warmup + 1)
        ratio = (it - warmup) / (args.iters - warmup)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)

    for it in range(args.iters):
        if it == 10:  # leave out the first steps (allocator and thread-pool warm-up)
            start = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = get_lr(it)
        x, y = get_batch(train)
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        loss.item()  # nanoGPT's CPU command logs every step
    ms = (time.perf_counter() - start) / (args.iters - 10) * 1e3

    model.eval()
    with torch.no_grad():
        val_loss = sum(model(*get_batch(val)).item() for _ in range(200)) / 200
    result = {
        "ms_per_iter": round(ms, 2),
        "tokens_per_s": round(B * T / ms * 1e3),
        "val_loss": round(val_loss, 4),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
