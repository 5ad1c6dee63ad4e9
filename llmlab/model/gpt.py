"""GPT in Flax NNX, with GPT-2's architecture so that OpenAI's weights fit.

token ids (B, T) -> token embedding + position embedding -> L blocks -> LayerNorm ->
logits (B, T, V). Each block is LayerNorm -> attention -> add, LayerNorm -> MLP -> add
("pre-LayerNorm": the residual stream x itself is never normalised, only read).
The output head reuses the token embedding matrix ("tied weights"), as GPT-2 does.

Shape letters: B batch, T time, S cached time (block_size), C channels, H heads,
D head size, V vocabulary.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from flax import nnx

from llmlab.attention import MultiHeadAttention, causal_mask
from llmlab.model.config import GPTConfig

# One (k, v) pair per layer, each (B, H, S, D): the keys and values of positions seen so far.
KVCache = list[tuple[jax.Array, jax.Array]]


def _dropout_rngs(config: GPTConfig, rngs: nnx.Rngs) -> nnx.Rngs | None:
    """With dropout off, Dropout needs no random state, so the model holds weights only."""
    return rngs if config.dropout > 0 else None


class MLP(nnx.Module):
    """Position-wise feed-forward: C -> 4C -> GELU -> C, applied to each token alone."""

    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        C = config.n_embd
        # Residual projections start smaller so the sum over 2L of them keeps unit size.
        proj_std = 0.02 / math.sqrt(2 * config.n_layer)
        init = nnx.initializers.normal(0.02)
        self.c_fc = nnx.Linear(C, 4 * C, use_bias=config.bias, kernel_init=init, rngs=rngs)
        self.c_proj = nnx.Linear(
            4 * C,
            C,
            use_bias=config.bias,
            kernel_init=nnx.initializers.normal(proj_std),
            rngs=rngs,
        )
        self.dropout = nnx.Dropout(
            config.dropout, deterministic=True, rngs=_dropout_rngs(config, rngs)
        )

    def __call__(self, x: jax.Array) -> jax.Array:
        """(B, T, C) -> (B, T, C). GELU with the tanh approximation, as in GPT-2."""
        return self.dropout(self.c_proj(jax.nn.gelu(self.c_fc(x), approximate=True)))


class Block(nnx.Module):
    """One transformer block: x + attention(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        C = config.n_embd
        self.ln_1 = nnx.LayerNorm(C, epsilon=1e-5, use_bias=config.bias, rngs=rngs)
        self.attn = MultiHeadAttention(
            C,
            config.n_head,
            rngs=rngs,
            bias=config.bias,
            dropout=config.dropout,
            proj_init_std=0.02 / math.sqrt(2 * config.n_layer),
        )
        self.ln_2 = nnx.LayerNorm(C, epsilon=1e-5, use_bias=config.bias, rngs=rngs)
        self.mlp = MLP(config, rngs=rngs)

    def __call__(self, x, mask, *, cache=None, pos=0):
        """(B, T, C) -> ((B, T, C), attention weights (B, H, T, S), (k, v) for the cache)."""
        a, weights, kv = self.attn(self.ln_1(x), mask, cache=cache, pos=pos)
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, weights, kv


class GPT(nnx.Module):
    """A GPT-2-style language model; `model(idx)` maps token ids to next-token logits.

    The model starts in eval mode (dropout off). Call `model.train()` before training
    and `model.eval()` afterwards when `config.dropout > 0`.

    Example:
        model = GPT(GPTConfig.tiny(65), rngs=nnx.Rngs(0))
        model(jnp.zeros((2, 8), jnp.int32)).shape -> (2, 8, 65)
    """

    def __init__(self, config: GPTConfig, *, rngs: nnx.Rngs):
        if not isinstance(config, GPTConfig):
            raise TypeError(f"config must be a GPTConfig, got {type(config).__name__}")
        self.config = config
        C = config.n_embd
        init = nnx.initializers.normal(0.02)
        self.wte = nnx.Embed(config.vocab_size, C, embedding_init=init, rngs=rngs)
        self.wpe = nnx.Embed(config.block_size, C, embedding_init=init, rngs=rngs)
        self.drop = nnx.Dropout(
            config.dropout, deterministic=True, rngs=_dropout_rngs(config, rngs)
        )
        self.blocks = nnx.data([Block(config, rngs=rngs) for _ in range(config.n_layer)])
        self.ln_f = nnx.LayerNorm(C, epsilon=1e-5, use_bias=config.bias, rngs=rngs)

    def __call__(
        self, idx: jax.Array, *, return_attention: bool = False
    ) -> jax.Array | tuple[jax.Array, list[jax.Array]]:
        """Next-token logits for every position.

        Args:
            idx: int token ids (B, T) with 1 <= T <= block_size.
            return_attention: also return each layer's attention weights (for heatmaps).

        Returns:
            logits float32 (B, T, V); with `return_attention`, (logits, weights) where
            weights is a list of L arrays (B, H, T, T), each row summing to 1.
        """
        logits, weights, _ = self._forward(idx, causal_mask(self._check_idx(idx)))
        return (logits, weights) if return_attention else logits

    def init_cache(self, batch_size: int = 1) -> KVCache:
        """An empty KV cache with room for block_size positions: L pairs of zeros (B, H, S, D)."""
        c = self.config
        shape = (batch_size, c.n_head, c.block_size, c.head_size)
        return [(jnp.zeros(shape), jnp.zeros(shape)) for _ in range(c.n_layer)]

    def decode(
        self, idx: jax.Array, cache: KVCache, pos: jax.Array | int
    ) -> tuple[jax.Array, KVCache]:
        """Run tokens at positions pos..pos+T-1, reusing the keys and values already cached.

        The caller keeps pos + T <= block_size (pos may be traced, so it is not checked).

        Args:
            idx: int token ids (B, T).
            cache: from `init_cache` or a previous `decode`; positions < pos are filled.
            pos: position of idx[:, 0].

        Returns:
            (logits (B, T, V), the cache with positions pos..pos+T-1 filled in).
        """
        T = self._check_idx(idx)
        # Query t sits at position pos + t and may see every cached key at or before it.
        mask = jnp.arange(self.config.block_size)[None, :] <= (pos + jnp.arange(T))[:, None]
        logits, _, cache = self._forward(idx, mask, cache=cache, pos=pos)
        return logits, cache

    def hidden_states(self, idx: jax.Array) -> jax.Array:
        """The final hidden states, what the output head reads: ids (B, T) -> (B, T, C).

        `model.wte.attend(model.hidden_states(idx))` equals `model(idx)`; their mean over T is
        a text's embedding for retrieval (llmlab.retrieval).
        """
        h, _, _ = self._trunk(idx, causal_mask(self._check_idx(idx)))
        return h

    def _forward(self, idx, mask, *, cache=None, pos=0):
        h, weights, new_cache = self._trunk(idx, mask, cache=cache, pos=pos)
        logits = self.wte.attend(h)  # tied head: (B, T, C) @ (C, V)
        return logits, weights, new_cache

    def _trunk(self, idx, mask, *, cache=None, pos=0):
        x = self.wte(idx) + self.wpe(pos + jnp.arange(idx.shape[1]))[None]  # (B, T, C)
        x = self.drop(x)
        weights, new_cache = [], []
        for i, block in enumerate(self.blocks):
            x, w, kv = block(x, mask, cache=None if cache is None else cache[i], pos=pos)
            weights.append(w)
            new_cache.append(kv)
        return self.ln_f(x), weights, new_cache

    def _check_idx(self, idx) -> int:
        """Validate token ids (B, T) and return T."""
        dtype = getattr(idx, "dtype", None)
        if dtype is None or not jnp.issubdtype(dtype, jnp.integer):
            raise TypeError(f"token ids must be an integer array (B, T), got dtype {dtype}")
        if idx.ndim != 2:
            raise ValueError(f"token ids must have shape (B, T), got shape {idx.shape}")
        T = idx.shape[1]
        if not 1 <= T <= self.config.block_size:
            raise ValueError(
                f"sequence length T={T} must be between 1 and block_size="
                f"{self.config.block_size}; crop it first, e.g. idx[:, -block_size:]"
            )
        return T


def count_params(model: nnx.Module) -> int:
    """Total number of trainable numbers (nnx.Param leaves) in `model`.

    Example:
        count_params(GPT(GPTConfig.gpt2(), rngs=nnx.Rngs(0))) -> 124_439_808
    """
    return sum(int(x.size) for x in jax.tree.leaves(nnx.state(model, nnx.Param)))
