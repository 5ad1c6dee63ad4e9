"""Causal self-attention: the mask, the pure function, and the multi-head module.

Shape letters: B batch, T query time, S key time, C channels, H heads, D head size (C // H).

Read it top to bottom: `causal_mask` says who may look at whom, `attention` is
softmax(q·kᵀ/√D)·v on plain arrays, and `MultiHeadAttention` only holds the projection
weights and calls `attention` once for all heads at the same time.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

# Masked scores get this instead of -inf: exp(-1e30 - max) is exactly 0.0 in float32, and a
# row that is masked everywhere gives a uniform average instead of NaN (0/0).
NEG_INF = -1e30


def causal_mask(T: int) -> jax.Array:
    """Lower-triangular mask: position t may attend to positions 0..t.

    Args:
        T: number of positions.

    Returns:
        bool (T, T); entry [t, s] is True where query t may look at key s.

    Example:
        causal_mask(3) -> [[1, 0, 0], [1, 1, 0], [1, 1, 1]] (as booleans)
    """
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ValueError(f"causal_mask needs a positive int T, got {T!r}")
    return jnp.tril(jnp.ones((T, T), dtype=bool))


def attention(
    q: jax.Array,
    k: jax.Array,
    v: jax.Array,
    mask: jax.Array | None = None,
    *,
    return_weights: bool = False,
) -> jax.Array | tuple[jax.Array, jax.Array]:
    """Scaled dot-product attention: softmax(q·kᵀ / √D) · v.

    Args:
        q: queries (..., T, D).
        k: keys (..., S, D).
        v: values (..., S, D).
        mask: optional bool, broadcastable to (..., T, S); True = may attend.
        return_weights: also return the attention weights (for heatmaps).

    Returns:
        out (..., T, D), and weights (..., T, S) if `return_weights` (each row sums to 1).

    Example:
        With q = k = 0 every score is equal, so each output row is the mean of the
        allowed rows of v: causal row 1 of v = [[1.], [3.]] gives (1 + 3) / 2 = 2.
    """
    if q.ndim < 2 or k.ndim != q.ndim or v.ndim != q.ndim:
        raise ValueError(
            f"q, k, v must have the same rank >= 2, got shapes {q.shape}, {k.shape}, {v.shape}"
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            "expected q (..., T, D), k (..., S, D), v (..., S, D); "
            f"got q {q.shape}, k {k.shape}, v {v.shape}"
        )
    scores = jnp.einsum("...td,...sd->...ts", q, k) / jnp.sqrt(q.shape[-1]).astype(q.dtype)
    if mask is not None:
        if mask.dtype != jnp.bool_:
            raise TypeError(f"mask must be bool (True = may attend), got dtype {mask.dtype}")
        # Give the mask the same rank as the scores so broadcasting stays explicit.
        mask = jnp.reshape(mask, (1,) * (scores.ndim - mask.ndim) + mask.shape)
        scores = jnp.where(mask, scores, NEG_INF)
    weights = jax.nn.softmax(scores, axis=-1)
    out = jnp.einsum("...ts,...sd->...td", weights, v)
    return (out, weights) if return_weights else out


class MultiHeadAttention(nnx.Module):
    """H attention heads side by side, with GPT-2's fused query/key/value projection.

    `c_attn` maps each position's C channels to [q | k | v] (3C); each of them is cut
    into H heads of D = C // H channels; every head attends on its own, and `c_proj`
    mixes the H concatenated head outputs back into C channels. Names match GPT-2.
    """

    def __init__(
        self,
        n_embd: int,
        n_head: int,
        *,
        rngs: nnx.Rngs,
        bias: bool = True,
        dropout: float = 0.0,
        proj_init_std: float = 0.02,
    ):
        if n_embd % n_head != 0:
            raise ValueError(f"n_embd must be divisible by n_head, got {n_embd} and {n_head}")
        self.n_head = n_head
        init = nnx.initializers.normal(0.02)
        self.c_attn = nnx.Linear(n_embd, 3 * n_embd, use_bias=bias, kernel_init=init, rngs=rngs)
        self.c_proj = nnx.Linear(
            n_embd,
            n_embd,
            use_bias=bias,
            kernel_init=nnx.initializers.normal(proj_init_std),
            rngs=rngs,
        )
        # With dropout off the module needs no random state (keeps checkpoints to weights only).
        self.resid_dropout = nnx.Dropout(
            dropout, deterministic=True, rngs=rngs if dropout > 0 else None
        )

    def __call__(
        self,
        x: jax.Array,
        mask: jax.Array | None = None,
        *,
        cache: tuple[jax.Array, jax.Array] | None = None,
        pos: jax.Array | int = 0,
    ) -> tuple[jax.Array, jax.Array, tuple[jax.Array, jax.Array]]:
        """Attend from each position of x to the allowed positions.

        Args:
            x: (B, T, C) input.
            mask: bool broadcastable to (B, H, T, S); usually `causal_mask(T)`.
            cache: optional (k, v), each (B, H, S, D), keys and values of earlier
                positions; this call writes its own keys and values at [pos, pos + T).
            pos: position of x's first token in the cache (may be traced).

        Returns:
            (out (B, T, C), weights (B, H, T, S), (k, v) each (B, H, S, D)); without a
            cache S = T and (k, v) are this call's keys and values.
        """
        B, T, C = x.shape
        H, D = self.n_head, C // self.n_head
        qkv = self.c_attn(x).reshape(B, T, 3, H, D)
        # One transpose puts q, k and v in (B, H, T, D) so each head is a plain matmul.
        q, k, v = jnp.transpose(qkv, (2, 0, 3, 1, 4))
        if cache is not None:
            k = jax.lax.dynamic_update_slice(cache[0], k, (0, 0, pos, 0))
            v = jax.lax.dynamic_update_slice(cache[1], v, (0, 0, pos, 0))
        out, weights = attention(q, k, v, mask, return_weights=True)
        out = jnp.transpose(out, (0, 2, 1, 3)).reshape(B, T, C)  # merge heads back
        return self.resid_dropout(self.c_proj(out)), weights, (k, v)
