"""Retrieval: turn texts into vectors and find the ones nearest a query (the R of RAG).

Two embeddings of a text, each one unit-length vector per text:
- bag of characters: how often each character of a vocabulary occurs, L2-normalised;
- the course's own model: the mean of its final hidden states over the text's tokens.
Nearness is cosine similarity, the dot product of unit vectors; `top_k` returns the k most
similar rows. Retrieval-augmented generation then puts the retrieved text in the model's
context, so the model can copy what it never learned.

Shape letters: N texts, C channels (embedding width), V vocabulary, B batch, T time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import jax.numpy as jnp
import numpy as np

PUNCTUATION = "，。？！、；：「」《》 \n"


def _texts(texts: Any) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise TypeError(f"texts must be a list of str, got {type(texts).__name__}")
    for k, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"text {k} must be a str, got {type(t).__name__}")
    if not texts:
        raise ValueError("texts is empty: there is nothing to embed")
    return list(texts)


def char_vocabulary(texts: Sequence[str], ignore: str = PUNCTUATION) -> str:
    """Every character the texts use, sorted, except those in `ignore` (punctuation).

    Example: char_vocabulary(["春眠，", "眠花"]) -> "春花眠" (sorted by code point)
    """
    return "".join(sorted(set("".join(_texts(texts))) - set(ignore)))


def normalise_rows(matrix: Any) -> np.ndarray:
    """Each row divided by its L2 norm; an all-zero row stays zero. (N, C) -> (N, C) float32."""
    m = np.asarray(matrix, np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected a matrix (N, C), got shape {m.shape}")
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return (m / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def bag_of_chars(texts: Sequence[str], vocabulary: str) -> np.ndarray:
    """Character counts over `vocabulary`, L2-normalised: (N, V) float32.

    Characters outside the vocabulary are not counted; a text with none of its characters
    gets a zero row (similar to nothing).

    Example: bag_of_chars(["aab"], "ab") -> [[2, 1] / sqrt(5)] = [[0.894, 0.447]]
    """
    texts = _texts(texts)
    index = {c: i for i, c in enumerate(vocabulary)}
    if len(index) != len(vocabulary):
        raise ValueError(f"the vocabulary repeats a character: {vocabulary!r}")
    counts = np.zeros((len(texts), len(vocabulary)), np.float64)
    for n, text in enumerate(texts):
        for c in text:
            if c in index:
                counts[n, index[c]] += 1
    return normalise_rows(counts)


def model_embeddings(
    model: Any, tokenizer: Any, texts: Sequence[str], batch_size: int = 256
) -> np.ndarray:
    """The mean of `model.hidden_states` over each text's tokens, L2-normalised: (N, C).

    Texts are encoded with `tokenizer`, padded on the right (the model is causal, so padding
    never changes the states of the real tokens) and averaged over the real tokens only.
    """
    texts = _texts(texts)
    ids = [tokenizer.encode(t) for t in texts]
    limit = model.config.block_size
    for k, i in enumerate(ids):
        if not 1 <= len(i) <= limit:
            raise ValueError(
                f"text {k} is {len(i)} tokens; the model reads 1 to {limit} (block_size)"
            )
    out = []
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        T = max(len(i) for i in chunk)
        x = np.zeros((len(chunk), T), np.int32)
        mask = np.zeros((len(chunk), T), np.float32)
        for r, i in enumerate(chunk):
            x[r, : len(i)], mask[r, : len(i)] = i, 1.0
        h = np.asarray(model.hidden_states(jnp.asarray(x)), np.float64)  # (B, T, C)
        out.append((h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True))
    return normalise_rows(np.concatenate(out))


def cosine_similarity(query: Any, matrix: Any) -> np.ndarray:
    """Cosine of the angle between `query` (C,) and each row of `matrix` (N, C): (N,).

    A zero row has similarity 0. A zero query has no direction, so it raises ValueError.

    Example: cosine_similarity([1, 0], [[2, 0], [1, 1], [0, 3]]) -> [1, 0.707, 0]
    """
    q = np.asarray(query, np.float64)
    m = np.asarray(matrix, np.float64)
    if q.ndim != 1 or m.ndim != 2 or m.shape[1] != q.shape[0]:
        raise ValueError(
            f"expected a query (C,) and a matrix (N, C), got shapes {q.shape} and {m.shape}"
        )
    qn = np.linalg.norm(q)
    if not qn > 0:
        raise ValueError(
            "the query vector is all zeros (its text has no character or token the embedding "
            "knows), so it points nowhere: nothing is nearer to it than anything else"
        )
    norms = np.linalg.norm(m, axis=1)
    return (m @ q) / (np.where(norms > 0, norms, 1.0) * qn)


class Retrieved(NamedTuple):
    """The k rows most similar to a query: their indices (k,) and cosine similarities (k,)."""

    indices: np.ndarray
    scores: np.ndarray


def top_k(query: Any, matrix: Any, k: int) -> Retrieved:
    """The k rows of `matrix` (N, C) most cosine-similar to `query` (C,), best first.

    Equal scores keep their order in the matrix (the lower index first), so the answer is
    the same on every run. k must be between 1 and N.

    Example: top_k([1, 0], [[0, 1], [1, 0], [1, 1]], 2) -> indices [1, 2], scores [1, 0.707]
    """
    scores = cosine_similarity(query, matrix)
    n = scores.shape[0]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise ValueError(f"k must be an int between 1 and the number of rows {n}, got {k!r}")
    order = np.argsort(-scores, kind="stable")[:k]
    return Retrieved(order, scores[order])


def rank_of(query: Any, matrix: Any, row: int) -> int:
    """Where row `row` comes in the ranking for `query`: 1 if it is the most similar.

    Ties count against it: every row scoring at least as high, other than itself, is ahead.
    """
    scores = cosine_similarity(query, matrix)
    if not 0 <= row < scores.shape[0]:
        raise ValueError(f"row must be between 0 and {scores.shape[0] - 1}, got {row}")
    return int((scores >= scores[row]).sum())
