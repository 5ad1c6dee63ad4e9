"""Byte-pair encoding with numpy: the same merges as `naive.py`, a hundred times faster.

The whole corpus is one int array. Pair (left, right) gets the code left * n + right, so
`np.bincount` counts every pair at once; merging is a few array operations. Chunks from a
pre-split are laid end to end with a -1 between them, so no pair crosses a chunk boundary, and
identical chunks are stored once with a weight (how often they occur).

Shape letters: N length of the packed sequence (tokens plus separators).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from llmlab.tokenizer.vocab import MergeStep

SEP = -1  # separator between chunks: never part of a pair
_MAX_DENSE_BINS = 1 << 22  # above this many possible pairs, count with np.unique instead


def pack_chunks(
    chunks: Iterable[bytes], dedupe: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Lay the distinct chunks end to end, separated by SEP, with one weight per position.

    Chunks keep the order of their first appearance, which keeps the tie-break rule of
    `train_bpe_naive` (earliest first occurrence wins) intact.

    Args:
        chunks: pieces of text as bytes.
        dedupe: store each distinct chunk once (for training); False keeps every chunk in
            order (for encoding).

    Returns:
        ids: int64 (N,), byte values and SEP.
        weights: int64 (N,), how often the chunk at each position occurs; None when all are 1.

    Example: [b"ab", b"c", b"ab"] -> ids [97, 98, -1, 99], weights [2, 2, 2, 1]
    """
    if dedupe:
        counts: dict[bytes, int] = {}
        for chunk in chunks:
            counts[chunk] = counts.get(chunk, 0) + 1
        chunks, weights = list(counts), np.fromiter(counts.values(), np.int64, len(counts))
    else:
        chunks = list(chunks)
        weights = np.ones(len(chunks), np.int64)
    if not chunks:
        return np.zeros(0, np.int64), None
    data = np.frombuffer(b"".join(chunks), dtype=np.uint8)
    lengths = np.fromiter(map(len, chunks), np.int64, len(chunks))
    ids = np.full(len(data) + len(chunks) - 1, SEP, np.int64)
    # chunk k moves right by k places, leaving one SEP after each chunk
    ids[np.arange(len(data)) + np.repeat(np.arange(len(chunks)), lengths)] = data
    weights = np.repeat(weights, lengths + 1)[:-1]
    return ids, (None if weights.max() == 1 else weights)


def unpack_chunks(ids: np.ndarray) -> list[list[int]]:
    """Split packed ids at the SEPs back into one list per chunk (the inverse of packing).

    Example: [97, 98, -1, 99] -> [[97, 98], [99]]
    """
    cuts = np.flatnonzero(ids == SEP).tolist()
    flat = ids.tolist()
    return [flat[s:e] for s, e in zip([0] + [c + 1 for c in cuts], [*cuts, len(flat)])]


def pair_codes(ids: np.ndarray, n: int) -> np.ndarray:
    """Code left * n + right for each neighbouring pair; n * n where the pair touches a SEP.

    Shape: ids (N,) -> codes (N - 1,).
    """
    left, right = ids[:-1], ids[1:]
    codes = left * n + right
    if SEP in (left.min(initial=0), right.min(initial=0)):
        codes[(left == SEP) | (right == SEP)] = n * n
    return codes


def count_pairs(codes: np.ndarray, weights: np.ndarray | None, n: int) -> np.ndarray:
    """How often each pair code occurs, shape (n * n + 1,) (the last bin, SEP pairs, is zeroed)."""
    if (n * n + 1) <= _MAX_DENSE_BINS:
        counts = np.bincount(codes, weights, minlength=n * n + 1)
    else:  # too many bins for a dense array: count only the codes that occur
        uniq, inverse = np.unique(codes, return_inverse=True)
        counts = np.zeros(n * n + 1, np.float64 if weights is not None else np.int64)
        counts[uniq] = np.bincount(inverse.ravel(), weights)
    counts[n * n] = 0
    return counts


def best_pair(codes: np.ndarray, counts: np.ndarray) -> tuple[int, int]:
    """The code of the most frequent pair and its count; ties go to the earliest occurrence."""
    top = counts.max()
    winners = np.flatnonzero(counts == top)
    if len(winners) == 1:
        return int(winners[0]), int(top)
    first = np.argmax(counts[codes] == top)  # first position whose pair has the top count
    return int(codes[first]), int(top)


def non_overlapping(pos: np.ndarray) -> np.ndarray:
    """Of the sorted start positions of a pair (a, a), keep those a left-to-right merge uses.

    In a run "aaaa" the pair starts at 0, 1 and 2, but merging at 0 uses up position 1, so the
    merge happens at 0 and 2. (For a pair (a, b) with a != b, matches never overlap.)

    Example: [0, 1, 2, 7, 8] -> [0, 2, 7]
    """
    if len(pos) < 2:
        return pos
    k = np.arange(len(pos))
    run_start = np.maximum.accumulate(np.where(np.diff(pos, prepend=-2) != 1, k, 0))
    return pos[(k - run_start) % 2 == 0]  # every other match within each run


def merge_array(ids: np.ndarray, pos: np.ndarray, new_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Write `new_id` at each position in `pos` and drop the element after it.

    Returns the merged ids and the mask of kept positions (to shrink a weight array the same way).
    """
    keep = np.ones(len(ids), bool)
    keep[pos + 1] = False
    out = ids[keep]
    out[pos - np.arange(len(pos))] = new_id  # each earlier deletion moves a position left by one
    return out, keep


def iter_merges(
    chunks: Iterable[bytes], num_merges: int, first_id: int = 256
) -> Iterator[MergeStep]:
    """Learn merges one at a time from pre-split chunks of bytes; a generator of MergeStep.

    Gives the same merges, in the same order, as `train_bpe_naive` on the same chunks.
    Stops early when no pair is left.

    Example: list(iter_merges([b"aaabdaaabac"], 3))[0] -> MergeStep((97, 97) -> 256 'aa', count=4)
    """
    ids, weights = pack_chunks(chunks)
    vocab = [bytes([b]) for b in range(first_id)]
    for new_id in range(first_id, first_id + num_merges):
        n = new_id  # every id so far is < new_id
        codes = pair_codes(ids, n)
        counts = count_pairs(codes, None if weights is None else weights[:-1], n)
        if len(codes) == 0 or counts.max() == 0:
            return
        code, count = best_pair(codes, counts)
        a, b = divmod(code, n)
        pos = np.flatnonzero(codes == code)
        ids, keep = merge_array(ids, non_overlapping(pos) if a == b else pos, new_id)
        if weights is not None:
            weights = weights[keep]
        vocab.append(vocab[a] + vocab[b])
        yield MergeStep((a, b), new_id, count, vocab[new_id])


def apply_merges(ids: np.ndarray, merges: dict[tuple[int, int], int]) -> np.ndarray:
    """Encode packed ids by applying the merges in the order they were learned.

    Each merge can only create pairs that were learned later, so one pass in rank order gives
    the same result as minbpe's "merge the lowest-ranked pair present, repeat".

    Shape: ids (N,) with SEPs allowed -> (M,), M <= N.
    """
    for (a, b), new_id in merges.items():
        if len(ids) < 2:
            break
        pos = np.flatnonzero((ids[:-1] == a) & (ids[1:] == b))
        if len(pos):
            ids, _ = merge_array(ids, non_overlapping(pos) if a == b else pos, new_id)
    return ids
