"""Growing a trained GPT's vocabulary for new tokens (chat role markers, new characters).

Token id i reads row i of the embedding table, and the tied output head scores token i with
the same row, so adding tokens means adding rows at the end. Old rows are copied bit for bit:
on text made of old tokens the grown model gives exactly the old logits, plus one column per
new token. New rows start small and random (the initialisation of a fresh GPT), so the model
gives new tokens low probability until fine-tuning teaches it when they come.
"""

from __future__ import annotations

import dataclasses

import jax.numpy as jnp
from flax import nnx

from llmlab.model.gpt import GPT


def grow_vocab(model: GPT, vocab_size: int, *, rngs: nnx.Rngs) -> GPT:
    """A copy of `model` with `vocab_size` embedding rows; the old V rows are unchanged.

    Shapes: wte (V, C) -> (vocab_size, C); logits (B, T, V) -> (B, T, vocab_size), whose
    first V columns equal the old logits exactly.

    Args:
        model: a GPT; it is not changed.
        vocab_size: the new V, at least the old one (e.g. a `chat_tokenizer(...)`'s).
        rngs: draws the new rows.

    Example: grow_vocab(GPT(GPTConfig.tiny(65), rngs=nnx.Rngs(0)), 69, rngs=nnx.Rngs(1))
        -> a GPT whose config.vocab_size is 69
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a GPT, got {type(model).__name__}")
    old = model.config.vocab_size
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < old:
        raise ValueError(
            f"vocab_size must be an int >= the model's vocabulary {old}, got {vocab_size!r}"
        )
    grown = nnx.clone(model)
    grown.config = dataclasses.replace(model.config, vocab_size=vocab_size)
    table = model.wte.embedding[...]  # (V, C)
    init = nnx.initializers.normal(0.02)  # as a fresh GPT draws its rows
    wte = nnx.Embed(vocab_size, table.shape[1], embedding_init=init, rngs=rngs)
    wte.embedding[...] = jnp.concatenate([table, wte.embedding[...][old:].astype(table.dtype)])
    grown.wte = wte
    return grown
