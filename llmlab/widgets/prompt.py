"""From a learner's text to a model's next-token logits, safely and without recompiling.

Text typed into a widget may be empty, hold a character the tokenizer has never seen, or be
longer than the model's context window. `encode_prompt` turns each of those into a `BadInput`
sentence (or crops, and says so). `next_token_logits` pads every prompt to the full context
window before the jitted forward pass: a GPT is causal, so padding *after* the prompt cannot
change the logits at the prompt's last position, and one shape means one compilation.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.i18n import say
from llmlab.widgets.panel import BadInput


def block_size_of(model: Any) -> int:
    """The model's context window T (from `model.config.block_size`)."""
    config = getattr(model, "config", None)
    size = getattr(config, "block_size", None)
    if not isinstance(size, int):
        raise TypeError(say("widgets.no_block_size", model=repr(model)))
    return size


def encode_prompt(
    tokenizer: Any, text: str, block_size: int | None = None
) -> tuple[list[int], str]:
    """Encode text for a model: (ids, note). Raises BadInput for empty or unencodable text.

    When the prompt is longer than block_size, only its last block_size tokens are kept and the
    note says so; otherwise the note is ''.

    Example: encode_prompt(CharTokenizer.from_text("ab"), "ba") -> ([1, 0], '')
    """
    if not text:
        raise BadInput(say("widgets.prompt_empty"))
    try:
        ids = list(tokenizer.encode(text))
    except (ValueError, KeyError) as exc:
        raise BadInput(say("widgets.cannot_encode", reason=exc)) from None
    if not ids:
        raise BadInput(say("widgets.no_tokens"))
    note = ""
    if block_size is not None and len(ids) > block_size:
        note = say("widgets.prompt_cropped", n=len(ids), block_size=block_size)
        ids = ids[-block_size:]
    return ids, note


@nnx.jit
def _forward(model: nnx.Module, idx: jax.Array) -> jax.Array:
    return model(idx)


def padded(ids: list[int], block_size: int) -> jax.Array:
    """ids (T,) padded with zeros to (1, block_size) int32, so every prompt has one shape."""
    if not 0 < len(ids) <= block_size:
        raise ValueError(f"need 1 to {block_size} ids, got {len(ids)}")
    row = np.zeros((1, block_size), np.int32)
    row[0, : len(ids)] = ids
    return jnp.asarray(row)


def next_token_logits(model: nnx.Module, ids: list[int]) -> np.ndarray:
    """Logits (V,) for the token after `ids` (T,), T <= block_size; compiles once per model."""
    logits = _forward(model, padded(ids, block_size_of(model)))
    return np.asarray(logits[0, len(ids) - 1])
