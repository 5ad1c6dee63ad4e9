"""Weight-only quantisation: store each weight matrix as small integers and one scale per column.

Absmax, per output channel: a Linear kernel W (in, out) computes y = x W, so column j makes
output channel j. Its scale is s_j = max_i |W_ij| / qmax and its integers q_ij = round(W_ij / s_j)
lie in [-qmax, qmax]; dequantising gives q_ij · s_j, at most s_j / 2 from W_ij. int8 has
qmax = 127, int4 qmax = 7 (7 levels each side of 0; -8 is left unused so the grid is symmetric).

What `quantize_gpt` changes: every `nnx.Linear` kernel (attention's c_attn and c_proj, the
MLP's c_fc and c_proj), replaced by its dequantised values, so the copy is still a `GPT` whose
forward pass (and `generate`) runs on exactly the numbers an int8/int4 file would give back.
What it keeps in float32: biases, LayerNorms and both embeddings. The token embedding `wte` is
also the output head (weight tying), so it acts on every logit; keeping it exact is the usual
choice (LLM.int8 and GPTQ leave embeddings and the head alone too).

Storage: int4 values are held one per int8 here (readable, no bit tricks), but `quantized_bytes`
counts them as packed, two per byte, as an int4 file stores them. Scales are float32 (4 bytes).

Shape letters: "in", "out" a Linear layer's features.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

QMAX = {8: 127, 4: 7}  # bits -> the largest integer used


def _qmax(bits: int) -> int:
    if bits not in QMAX:
        raise ValueError(f"bits must be one of {sorted(QMAX)}, got {bits!r}")
    return QMAX[bits]


def _check_matrix(w) -> jax.Array:
    w = jnp.asarray(w)
    if w.ndim != 2 or not jnp.issubdtype(w.dtype, jnp.floating):
        raise ValueError(f"expected a float matrix (in, out), got {w.dtype}{tuple(w.shape)}")
    return w


def quantize(w, bits: int = 8) -> tuple[jax.Array, jax.Array]:
    """Absmax-quantise a matrix per output channel (column).

    Shapes: w float (in, out) -> (q int8 (in, out) in [-qmax, qmax], scale float (out,)).
    An all-zero column gets scale 1 (not 0), so it quantises to zeros without dividing by 0.

    Example: w = [[1.0], [-0.5]], bits 8 -> scale [1/127], q [[127], [-64]] (-63.5 rounds to
    even), dequantised [[1.0], [-0.5039]].
    """
    qmax, w = _qmax(bits), _check_matrix(w)
    absmax = jnp.max(jnp.abs(w), axis=0)  # (out,)
    scale = jnp.where(absmax > 0, absmax / qmax, jnp.ones_like(absmax))
    q = jnp.clip(jnp.round(w / scale[None, :]), -qmax, qmax).astype(jnp.int8)
    return q, scale


def dequantize(q, scale) -> jax.Array:
    """The float matrix the integers stand for: q (in, out) · scale (out,) -> float (in, out)."""
    q, scale = jnp.asarray(q), jnp.asarray(scale)
    if q.ndim != 2 or scale.shape != q.shape[1:]:
        raise ValueError(
            f"expected q (in, out) and scale (out,), got {tuple(q.shape)} and {tuple(scale.shape)}"
        )
    return q.astype(scale.dtype) * scale[None, :]


def _linears(model: nnx.Module) -> list[nnx.Linear]:
    return [node for _, node in nnx.iter_graph(model) if isinstance(node, nnx.Linear)]


def quantize_gpt(model: nnx.Module, bits: int = 8) -> nnx.Module:
    """A copy of `model` whose Linear kernels are replaced by their quantise-dequantise values.

    The copy computes with the dequantised weights (what an int8/int4 checkpoint gives back);
    embeddings, biases and LayerNorms are unchanged (see the module docstring). `model` itself
    is not changed.

    Example: quantize_gpt(gpt, 4)(idx) -> logits (B, T, V) of the int4 model.
    """
    _qmax(bits)
    model = nnx.clone(model)
    linears = _linears(model)
    if not linears:
        raise ValueError(f"{type(model).__name__} has no nnx.Linear layer to quantise")
    for layer in linears:
        kernel = layer.kernel[...]
        layer.kernel[...] = dequantize(*quantize(kernel, bits)).astype(kernel.dtype)
    return model


def quantized_bytes(model: nnx.Module, bits: int | None = None) -> int:
    """Bytes to store the model's parameters, with its Linear kernels at `bits` (None: as is).

    With bits: each kernel (in, out) costs in · out · bits / 8 bytes (int4 packed two per byte)
    plus 4 · out for its float32 scales; every other parameter costs its own dtype's size.

    Example: one float32 kernel (128, 512) = 262,144 bytes; int8: 65,536 + 2,048 = 67,584.
    """
    total = sum(int(leaf.size) * np.dtype(leaf.dtype).itemsize
                for leaf in jax.tree.leaves(nnx.state(model, nnx.Param)))  # fmt: skip
    if bits is None:
        return total
    _qmax(bits)
    for layer in _linears(model):  # swap each kernel's own bytes for its quantised bytes
        kernel = layer.kernel[...]
        n_in, n_out = kernel.shape
        total += (n_in * n_out * bits + 7) // 8 + 4 * n_out - kernel.nbytes
    return total
