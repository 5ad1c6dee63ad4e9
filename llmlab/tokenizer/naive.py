"""Byte-pair encoding the readable way: count every pair, merge the best one, repeat.

This is the version to read first (it follows Karpathy's minbpe). It recounts every pair after
every merge, so it is slow on a real corpus; `llmlab.tokenizer.fast` does the same thing with
numpy arrays and is tested to learn exactly the same merges.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise


def get_stats(ids: Sequence[int], counts: dict[tuple[int, int], int] | None = None) -> dict:
    """Count how often each pair of neighbouring ids occurs.

    The dict is in order of each pair's first occurrence, which is what breaks ties in training.
    Overlapping pairs count separately: "aaa" holds (a, a) twice.

    Args:
        ids: token ids, length T.
        counts: an existing dict to add to (used to count over several chunks).

    Returns:
        dict (left_id, right_id) -> count.

    Example: [1, 2, 3, 1, 2] -> {(1, 2): 2, (2, 3): 1, (3, 1): 1}
    """
    counts = {} if counts is None else counts
    for pair in pairwise(ids):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids: Sequence[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace every occurrence of `pair` by `new_id`, scanning left to right.

    A run like (a, a, a) with pair (a, a) becomes (new, a): once the first two are merged, the
    middle `a` is used up.

    Example: merge([5, 6, 6, 6, 7], (6, 6), 99) -> [5, 99, 6, 7]
    """
    out = []
    i = 0
    while i < len(ids):
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train_bpe_naive(
    ids: Sequence[int] | Sequence[Sequence[int]], num_merges: int, first_id: int = 256
) -> dict[tuple[int, int], int]:
    """Learn `num_merges` merges by recounting all pairs after each one.

    Tie-break: among pairs with the same count, the one whose first occurrence comes earliest in
    the current sequence wins (get_stats keeps first-occurrence order and max keeps the first).
    Stops early when no pair is left.

    Args:
        ids: byte ids of the text (ints 0-255), or a list of chunks (one list per pre-split
            piece); pairs never cross from one chunk into the next.
        num_merges: how many new tokens to create.
        first_id: the id of the first new token (256 for byte-level BPE).

    Returns:
        merges: dict (left_id, right_id) -> new_id, in the order they were learned.

    Example: train_bpe_naive(list(b"aaabdaaabac"), 3) -> {(97, 97): 256, (256, 97): 257,
        (257, 98): 258}
    """
    chunks = [list(ids)] if ids and isinstance(ids[0], int) else [list(c) for c in ids]
    merges = {}
    for new_id in range(first_id, first_id + num_merges):
        counts: dict[tuple[int, int], int] = {}
        for chunk in chunks:
            get_stats(chunk, counts)
        if not counts:
            break
        best = max(counts, key=counts.get)  # first of the most frequent, in occurrence order
        chunks = [merge(chunk, best, new_id) for chunk in chunks]
        merges[best] = new_id
    return merges
