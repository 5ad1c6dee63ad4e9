"""Magnitude pruning: set the smallest weights to zero and see how little the model minds.

Per matrix, not global: each chosen matrix loses the same fraction of its weights, the
round(sparsity · size) of smallest |w| (ties broken by position, so the count is exact). Global
pruning (one threshold for all matrices) would strip small-scaled layers such as the residual
projections almost bare; per-matrix keeps every layer working and the result easy to predict.

What `prune_gpt` prunes: every `nnx.Linear` kernel (attention's c_attn and c_proj, the MLP's
c_fc and c_proj). Embeddings (the token embedding is also the output head), biases and
LayerNorms are kept whole, as in the usual recipes (Han et al., 2015; Zhu & Gupta, 2017).

Zeros alone save no memory or time: a dense matrix full of zeros costs the same. The saving
needs a sparse format or hardware that skips zeros (e.g. 2:4 sparsity on recent GPUs).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx


def _check_sparsity(sparsity) -> float:
    ok = isinstance(sparsity, (int, float)) and not isinstance(sparsity, bool)
    if not ok or not 0.0 <= sparsity <= 1.0:  # NaN fails the comparison too
        raise ValueError(
            f"sparsity is the fraction of weights to zero, in [0, 1]; got {sparsity!r}"
        )
    return float(sparsity)


def magnitude_prune(w, sparsity: float) -> tuple[jax.Array, float]:
    """Zero the round(sparsity · w.size) smallest-magnitude entries of w.

    Shapes: w float (any shape) -> (pruned w, same shape and dtype; achieved sparsity, the
    fraction of entries zeroed by this call, which differs from `sparsity` only by rounding).

    Example: w = [[0.5, -0.1], [0.3, -2.0]], sparsity 0.5 -> [[0.5, 0], [0, -2.0]], 0.5
    """
    sparsity, w = _check_sparsity(sparsity), jnp.asarray(w)
    if not jnp.issubdtype(w.dtype, jnp.floating):
        raise ValueError(f"expected a float array of weights, got dtype {w.dtype}")
    k = round(sparsity * w.size)
    order = jnp.argsort(jnp.abs(w).ravel(), stable=True)  # smallest first, ties by position
    keep = jnp.ones(w.size, bool).at[order[:k]].set(False).reshape(w.shape)
    return jnp.where(keep, w, jnp.zeros_like(w)), k / w.size if w.size else 0.0


def prune_gpt(model: nnx.Module, sparsity: float) -> tuple[nnx.Module, float]:
    """A copy of `model` with each Linear kernel pruned to `sparsity` (per matrix).

    Returns (pruned copy, achieved sparsity over all pruned kernels: zeroed / total weights).
    `model` itself is not changed.

    Example: prune_gpt(gpt, 0.5) -> (a GPT whose kernels are half zeros, 0.5)
    """
    sparsity = _check_sparsity(sparsity)
    model = nnx.clone(model)
    layers = [node for _, node in nnx.iter_graph(model) if isinstance(node, nnx.Linear)]
    if not layers:
        raise ValueError(f"{type(model).__name__} has no nnx.Linear layer to prune")
    zeroed = total = 0
    for layer in layers:
        kernel = layer.kernel[...]
        layer.kernel[...] = magnitude_prune(kernel, sparsity)[0]
        zeroed += round(sparsity * kernel.size)  # the count magnitude_prune zeroes
        total += kernel.size
    return model, zeroed / total
