"""LoRA: fine-tune a big weight matrix through a small low-rank correction.

A Linear layer computes y = x W + b with W (in, out). LoRA freezes W and learns
W + (α/r) A B instead, with A (in, r) and B (r, out) for a small rank r: r (in + out)
numbers instead of in · out. B starts at zero, so the adapted model starts equal to the base
model; α/r keeps the size of the update the same when r changes (Hu et al., 2021).

Flax trap: `nnx.LoRAParam` is a subclass of `nnx.Param`, so `nnx.split(model, nnx.Param,
...)` would hand the frozen weights to the optimiser too. Train with
`fit(..., trainable=nnx.LoRAParam)`; `merge_lora` folds the adapters back into plain weights.

Shape letters: B batch, T time; "in", "out" a layer's features; r the LoRA rank.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx


def lora_forward(x, kernel, bias, a, b, alpha: float) -> jax.Array:
    """x W + bias + (α/r) (x A) B, with r = A's second dimension.

    Shapes: x (..., in), kernel (in, out), bias (out,) or None, a (in, r), b (r, out)
    -> (..., out). Computing (x A) B never forms the (in, out) matrix A B.

    Example: with b = 0 (LoRA's start) the result is the Linear layer's x W + bias.
    """
    r = a.shape[-1]
    y = x @ kernel + (x @ a) @ b * (alpha / r)
    return y if bias is None else y + jnp.reshape(bias, (1,) * (y.ndim - 1) + (-1,))


class LoRALinear(nnx.Module):
    """A frozen `nnx.Linear` plus a trainable low-rank update (α/r) A B.

    `base` keeps its weights as `nnx.Param`; `lora_a` and `lora_b` are `nnx.LoRAParam`.
    """

    def __init__(self, base: nnx.Linear, rank: int, alpha: float, *, rngs: nnx.Rngs):
        if not isinstance(base, nnx.Linear):
            raise TypeError(f"LoRA wraps an nnx.Linear, got {type(base).__name__}")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise ValueError(f"rank must be a positive int, got {rank!r}")
        n_in, n_out = base.kernel[...].shape
        self.base = base
        self.rank, self.alpha = rank, float(alpha)
        # A random, B zero (as in the paper): the update A B starts at exactly 0.
        a = nnx.initializers.he_uniform()(rngs.params(), (n_in, rank))
        self.lora_a = nnx.LoRAParam(a)
        self.lora_b = nnx.LoRAParam(jnp.zeros((rank, n_out)))

    def __call__(self, x: jax.Array) -> jax.Array:
        """(..., in) -> (..., out)."""
        bias = None if self.base.bias is None else self.base.bias[...]
        return lora_forward(x, self.base.kernel[...], bias, self.lora_a[...], self.lora_b[...],
                            self.alpha)  # fmt: skip


def _matches(path: tuple, targets: tuple[str, ...]) -> bool:
    name = ".".join(str(p) for p in path)
    return any(name == t or name.endswith("." + t) for t in targets)


def _parent(model: nnx.Module, path: tuple):
    node = model
    for p in path[:-1]:
        node = node[p] if isinstance(p, int) else getattr(node, p)
    return node


def add_lora(
    model: nnx.Module,
    targets: tuple[str, ...] = ("attn.c_attn", "attn.c_proj"),
    rank: int = 4,
    alpha: float | None = None,
    *,
    rngs: nnx.Rngs,
) -> nnx.Module:
    """A copy of `model` whose Linear layers named by `targets` carry LoRA adapters.

    Args:
        model: e.g. a GPT; it is not changed.
        targets: dotted path endings: "c_attn" matches every layer so named, "attn.c_proj"
            only attention's output projection (not the MLP's c_proj).
        rank: r. alpha: α, default r (scale 1).
        rngs: draws the A matrices.

    Example: add_lora(gpt, ("c_attn",), rank=4) wraps blocks.0.attn.c_attn, blocks.1...
    """
    if isinstance(targets, str):
        targets = (targets,)
    model = nnx.clone(model)
    found = [path for path, node in nnx.iter_graph(model)
             if isinstance(node, nnx.Linear) and _matches(path, tuple(targets))]  # fmt: skip
    if not found:
        names = [".".join(map(str, p)) for p, n in nnx.iter_graph(model)
                 if isinstance(n, nnx.Linear)]  # fmt: skip
        raise ValueError(f"no Linear layer matches {list(targets)}; the model has {names}")
    for path in found:
        parent, name = _parent(model, path), path[-1]
        layer = LoRALinear(getattr(parent, name), rank, rank if alpha is None else alpha,
                           rngs=rngs)  # fmt: skip
        setattr(parent, name, layer)
    return model


def merge_lora(model: nnx.Module) -> nnx.Module:
    """A copy with every LoRALinear replaced by a plain Linear of kernel W + (α/r) A B.

    The merged model computes the same function as the adapted one, at the base model's
    cost, and is a plain GPT again (it can be saved with `save_checkpoint`).
    """
    model = nnx.clone(model)
    found = [path for path, node in nnx.iter_graph(model) if isinstance(node, LoRALinear)]
    for path in found:
        parent, name = _parent(model, path), path[-1]
        layer = getattr(parent, name)
        scale = layer.alpha / layer.rank
        base = layer.base
        base.kernel[...] = base.kernel[...] + scale * (layer.lora_a[...] @ layer.lora_b[...])
        setattr(parent, name, base)
    return model


def trainable_fraction(model: nnx.Module, trainable=nnx.LoRAParam) -> float:
    """Trainable numbers / all parameter numbers (adapters included), as in PEFT's print-out.

    Example: LoRA r = 4 on attention (c_attn, c_proj) of the 4-layer Shakespeare GPT:
        12,288 / (809,856 + 12,288) ≈ 0.0149
    """

    def size(f):
        return sum(int(x.size) for x in jax.tree.leaves(nnx.state(model, f)))

    total = size(nnx.Param)  # LoRAParam is a Param, so this counts the adapters too
    if total == 0:
        raise ValueError("the model has no parameters")
    return size(trainable) / total
