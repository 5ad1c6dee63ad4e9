"""The two corpora shipped with the course, and how to turn them into training batches.

Shape letters: B batch, T time (block size), N corpus length in tokens.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple, Protocol

import jax
import jax.numpy as jnp
import numpy as np

CORPORA: dict[str, str] = {
    "shakespeare": "tinyshakespeare.txt",
    "tang": "tang_quatrains.tsv",
}


class Poem(NamedTuple):
    """One Tang quatrain: who wrote it, its title, and the four lines as one string."""

    author: str
    title: str
    poem: str


class _Encoder(Protocol):
    def encode(self, text: str) -> list[int]: ...


def _read(filename: str) -> str:
    return resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")


def load_tang_poems() -> list[Poem]:
    """All 13,744 quatrains of the Tang corpus, in file order.

    Example: load_tang_poems()[0].poem -> '四时运灰琯，一夕变冬春。送寒余雪尽，迎岁早梅新。'
    """
    rows = csv.reader(_read(CORPORA["tang"]).splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows)
    if header != ["author", "title", "poem"]:
        raise ValueError(f"expected the header author/title/poem, got {header}")
    return [Poem(*row) for row in rows]


def load_text(name: str) -> str:
    """A shipped corpus as one string.

    "shakespeare" is the raw text (1,115,394 characters); "tang" is the poems only, one per line
    (authors and titles are left out so a model learns the poems).

    Args:
        name: "shakespeare" or "tang".
    """
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}: expected one of {sorted(CORPORA)}")
    if name == "tang":
        return "\n".join(p.poem for p in load_tang_poems()) + "\n"
    return _read(CORPORA[name])


def train_val_split(data: Sequence, val_fraction: float = 0.1) -> tuple[Sequence, Sequence]:
    """Split a corpus (text or token array) into its first (1 - f) and last f parts.

    A split by position, not at random: neighbouring characters are not independent, so a random
    split would let the validation set leak into training.

    Example: train_val_split("abcdefghij", 0.2) -> ("abcdefgh", "ij")
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1 (exclusive), got {val_fraction}")
    if len(data) < 2:
        raise ValueError(f"need at least 2 items to split, got {len(data)}")
    n = round(len(data) * (1.0 - val_fraction))
    n = min(max(n, 1), len(data) - 1)
    return data[:n], data[n:]


def encode_corpus(text: str, tokenizer: _Encoder) -> np.ndarray:
    """Encode a whole corpus into an int32 array of token ids, shape (N,)."""
    if not text:
        raise ValueError("the corpus is empty: there is nothing to encode")
    return np.asarray(tokenizer.encode(text), dtype=np.int32)


def get_batch(
    key: jax.Array, data: np.ndarray | jax.Array, batch_size: int, block_size: int
) -> tuple[jax.Array, jax.Array]:
    """Draw B random windows of T tokens and their next-token targets.

    Args:
        key: a JAX random key; the same key gives the same batch.
        data: token ids, shape (N,).
        batch_size: B.
        block_size: T, the context length.

    Returns:
        x, y: int32 arrays of shape (B, T); y[b, t] is the token after x[b, t].

    Example: data = [0, 1, 2, 3, 4], T = 2 -> a row could be x = [1, 2], y = [2, 3].
    """
    if batch_size < 1 or block_size < 1:
        raise ValueError(
            f"batch_size and block_size must be at least 1, got {batch_size} and {block_size}"
        )
    if np.ndim(data) != 1:
        raise ValueError(f"data must be a 1-D array of token ids, got shape {np.shape(data)}")
    n = len(data)
    if n < block_size + 1:
        raise ValueError(
            f"the data has {n} tokens but a window needs block_size + 1 = {block_size + 1}"
        )
    data = jnp.asarray(data)
    starts = jax.random.randint(key, (batch_size,), 0, n - block_size)
    offsets = jnp.arange(block_size)
    idx = starts[:, None] + offsets[None, :]
    return data[idx].astype(jnp.int32), data[idx + 1].astype(jnp.int32)
