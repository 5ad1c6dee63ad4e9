"""Byte-pair training with numpy: the same merges as `naive.py`, a hundred times faster.

The whole corpus is one int array. `np.bincount` on pair codes left * V + right counts every
pair at once; after that, each merge only updates the counts of the pairs next to the merged
positions (PairCounts), and merging itself is a few array operations. Chunks from a pre-split
are laid end to end with a -1 between them, so no pair crosses a chunk boundary, and identical
chunks are stored once with a weight (how often they occur).

Shape letters: N length of the packed sequence (tokens plus separators).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from llmlab.tokenizer.vocab import MergeStep

SEP = -1  # separator between chunks: never part of a pair
_MAX_TABLE = 1 << 28  # at most this many cells in the pair-count table (1 GB of int32)


def pack_chunks(chunks: Iterable[bytes]) -> tuple[np.ndarray, np.ndarray | None]:
    """Lay the distinct chunks end to end, separated by SEP, with one weight per position.

    Chunks keep the order of their first appearance, which keeps the tie-break rule of
    `train_bpe_naive` (earliest first occurrence wins) intact.

    Args:
        chunks: pieces of text as bytes.

    Returns:
        ids: int32 (N,), byte values and SEP.
        weights: int64 (N,), how often the chunk at each position occurs; None when all are 1.

    Example: [b"ab", b"c", b"ab"] -> ids [97, 98, -1, 99], weights [2, 2, 2, 1]
    """
    counts: dict[bytes, int] = {}
    for chunk in chunks:
        counts[chunk] = counts.get(chunk, 0) + 1
    chunks, weights = list(counts), np.fromiter(counts.values(), np.int64, len(counts))
    if not chunks:
        return np.zeros(0, np.int32), None
    data = np.frombuffer(b"".join(chunks), dtype=np.uint8)
    lengths = np.fromiter(map(len, chunks), np.int64, len(chunks))
    ids = np.full(len(data) + len(chunks) - 1, SEP, np.int32)
    # chunk k moves right by k places, leaving one SEP after each chunk
    ids[np.arange(len(data)) + np.repeat(np.arange(len(chunks)), lengths)] = data
    weights = np.repeat(weights, lengths + 1)[:-1]
    return ids, (None if weights.max() == 1 else weights)


class PairCounts:
    """How often each pair of neighbouring ids occurs, kept up to date merge by merge.

    Counts live in a (V + 1, V + 1) table: table[left, right]. Recounting every pair after each
    merge would cost O(N); but a merge only changes the pairs that touch a merged position, so we
    subtract those before the merge and add the new ones after. Each row's maximum is cached,
    so finding the most frequent pair costs O(V) instead of O(V²).
    """

    def __init__(self, ids: np.ndarray, weights: np.ndarray | None, V: int):
        if (V + 1) ** 2 > _MAX_TABLE:
            raise ValueError(
                f"vocab_size {V} needs a {V}x{V} table of pair counts "
                f"({4 * (V + 1) ** 2 / 1e9:.1f} GB); this trainer supports vocab sizes up to "
                f"{int(_MAX_TABLE**0.5) - 1}"
            )
        left, right, w = self._pairs(ids, weights, np.arange(max(len(ids) - 1, 0)))
        flat = np.bincount(left * (V + 1) + right, w, minlength=(V + 1) * (V + 1))
        # one extra row and column, never written: table[SEP, x] and table[x, SEP] stay 0
        self.table = flat.astype(np.int32).reshape(V + 1, V + 1)
        self.row_max = self.table.max(axis=1)

    @staticmethod
    def _pairs(ids, weights, starts):
        """The pairs starting at `starts` that do not touch a SEP, and their weights."""
        left, right = ids[starts], ids[starts + 1]
        ok = (left != SEP) & (right != SEP)
        w = None if weights is None else weights[starts[ok]]
        return left[ok], right[ok], w

    def update(self, ids: np.ndarray, weights: np.ndarray | None, starts: np.ndarray, sign: int):
        """Add (sign=+1) or remove (sign=-1) the pairs that start at positions `starts`."""
        left, right, w = self._pairs(ids, weights, starts)
        np.add.at(self.table, (left, right), sign if w is None else (sign * w).astype(np.int32))
        rows = np.unique(left)
        self.row_max[rows] = self.table[rows].max(axis=1)

    def most_frequent(self, ids: np.ndarray) -> tuple[tuple[int, int], int] | None:
        """The most frequent pair and its count; ties go to the earliest occurrence in ids."""
        top = self.row_max.max(initial=0)
        if top <= 0:
            return None
        rows = np.flatnonzero(self.row_max == top)
        left, right = np.nonzero(self.table[rows] == top)
        if len(left) == 1:
            return (int(rows[left[0]]), int(right[0])), int(top)
        # a tie: scan for the first pair with the top count, in growing blocks since it is
        # usually near the start (a SEP indexes row/column -1 of the table, which stays 0)
        start, size = 0, 1 << 14
        while start < len(ids) - 1:
            end = min(start + size, len(ids) - 1)
            hit = self.table[ids[start:end], ids[start + 1 : end + 1]] == top
            if hit.any():
                first = start + int(np.argmax(hit))
                return (int(ids[first]), int(ids[first + 1])), int(top)
            start, size = end, size * 4
        raise AssertionError(f"the table counts {top} of a pair that the sequence does not hold")


def pair_starts_around(pos: np.ndarray, offsets: tuple[int, ...], n_pairs: int) -> np.ndarray:
    """Distinct pair starts pos + offset that lie in 0..n_pairs-1."""
    starts = np.unique(np.concatenate([pos + o for o in offsets]))
    return starts[(starts >= 0) & (starts < n_pairs)]


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
    pairs = PairCounts(ids, weights, V=first_id + num_merges)
    vocab = [bytes([b]) for b in range(first_id)]
    for new_id in range(first_id, first_id + num_merges):
        best = pairs.most_frequent(ids)
        if best is None:
            return
        (a, b), count = best
        pos = np.flatnonzero((ids[:-1] == a) & (ids[1:] == b))
        pos = non_overlapping(pos) if a == b else pos
        # only pairs touching a merged position change: remove them, merge, add the new ones
        pairs.update(ids, weights, pair_starts_around(pos, (-1, 0, 1), len(ids) - 1), -1)
        ids, keep = merge_array(ids, pos, new_id)
        weights = None if weights is None else weights[keep]
        new_pos = pos - np.arange(len(pos))
        pairs.update(ids, weights, pair_starts_around(new_pos, (-1, 0), len(ids) - 1), +1)
        vocab.append(vocab[a] + vocab[b])
        yield MergeStep((a, b), new_id, count, vocab[new_id])
