"""`GPTConfig`: every number that fixes a GPT's shape, with named presets.

Shape letters: V vocabulary, T time (at most block_size), C channels (n_embd), L layers,
H heads, D head size (C // H).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import jax


@dataclass(frozen=True)
class GPTConfig:
    """The shape of a GPT; frozen so a model and its config can never drift apart.

    Example:
        GPTConfig.nanogpt_cpu(65) -> 4 layers, 4 heads, 128 channels, context 64
    """

    # How many different tokens exist: rows of the embedding table and columns of the logits.
    vocab_size: int
    # The context window: the most tokens the model sees at once (one learned position each).
    block_size: int
    # How many transformer blocks are stacked; depth lets later layers build on earlier ones.
    n_layer: int
    # Attention heads per block; each head can look for a different pattern in the past.
    n_head: int
    # Channels C: the length of the vector that represents each token inside the model.
    n_embd: int
    # Fraction of activations zeroed at random while training, against overfitting;
    # 0 for small models and short runs, where there is nothing to overfit yet.
    dropout: float = 0.0
    # Biases in Linear and LayerNorm layers; GPT-2 has them, so True lets its weights load.
    bias: bool = True

    def __post_init__(self) -> None:
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"GPTConfig.{name} must be a positive int, got {value!r}")
        if self.n_embd % self.n_head != 0:
            raise ValueError(
                f"n_embd must be divisible by n_head (each head gets n_embd // n_head "
                f"channels), got n_embd={self.n_embd} and n_head={self.n_head}"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")

    @property
    def head_size(self) -> int:
        """D = C // H, the channels of one attention head."""
        return self.n_embd // self.n_head

    @classmethod
    def tiny(cls, vocab_size: int) -> GPTConfig:
        """A tiny model (~0.1M parameters) that trains in seconds on a laptop CPU."""
        return cls(vocab_size, block_size=64, n_layer=2, n_head=4, n_embd=64)

    @classmethod
    def nanogpt_cpu(cls, vocab_size: int) -> GPTConfig:
        """nanoGPT's CPU recipe for Shakespeare: 4 layers, 4 heads, 128 channels, context 64."""
        return cls(vocab_size, block_size=64, n_layer=4, n_head=4, n_embd=128)

    @classmethod
    def small(cls, vocab_size: int) -> GPTConfig:
        """nanoGPT's GPU recipe for Shakespeare: 6 layers, 6 heads, 384 channels, context 256."""
        return cls(vocab_size, block_size=256, n_layer=6, n_head=6, n_embd=384, dropout=0.2)

    @classmethod
    def gpt2(cls) -> GPTConfig:
        """GPT-2 small (124M parameters): the shape of OpenAI's released checkpoint."""
        return cls(vocab_size=50257, block_size=1024, n_layer=12, n_head=12, n_embd=768)

    @classmethod
    def for_device(cls, vocab_size: int) -> GPTConfig:
        """`tiny` on a CPU, `small` on a GPU or TPU; print the result to see which was picked."""
        if jax.default_backend() == "cpu":
            return cls.tiny(vocab_size)
        return cls.small(vocab_size)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the fields (JSON-friendly), for checkpoints."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GPTConfig:
        """Inverse of `to_dict`; unknown keys raise ValueError."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(
                f"unknown GPTConfig fields {unknown}; expected some of {sorted(known)}"
            )
        return cls(**d)


def param_count_formula(config: GPTConfig) -> int:
    """Number of parameters of `GPT(config)`, counted by hand.

    Per block: attention 4·C² (q, k, v and the output projection) + MLP 8·C² (C -> 4C -> C)
    = 12·C², plus biases and LayerNorm vectors. The output head reuses the token
    embedding, so it adds nothing.

    Example:
        GPTConfig.gpt2() -> 50257·768 + 1024·768 + 12·(12·768² + 13·768) + 2·768 = 124_439_808
    """
    C, L = config.n_embd, config.n_layer
    embeddings = config.vocab_size * C + config.block_size * C
    ln = 2 * C if config.bias else C  # LayerNorm: scale (+ shift)
    # c_attn 3C, attention c_proj C, c_fc 4C, MLP c_proj C
    linear_biases = (3 * C + C + 4 * C + C) if config.bias else 0
    per_block = 12 * C * C + linear_biases + 2 * ln
    return embeddings + L * per_block + ln
