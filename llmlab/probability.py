"""Probability from counts: joint, marginal and conditional, then n-gram next-token tables.

A language model predicts P(next token | context). Before any neural network, we can estimate that
distribution by counting: how often does each token follow each context? This module does that.

Shape letters: V vocabulary size, n the n-gram order, N corpus length in tokens.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import jax
import numpy as np

# A dense table of V**n int64 counts: refuse sizes beyond a laptop's memory (2**28 -> 2 GB).
_MAX_TABLE_ENTRIES = 2**28


@dataclass(frozen=True)
class VennProbabilities:
    """Exact probabilities of two events A and B, from the four regions of a Venn diagram.

    `p_a_given_b` is None when nobody is in B (P(A|B) is undefined), likewise `p_b_given_a`.
    """

    only_a: int
    only_b: int
    both: int
    neither: int
    total: int
    p_a: Fraction
    p_b: Fraction
    p_a_and_b: Fraction
    p_a_given_b: Fraction | None
    p_b_given_a: Fraction | None

    def table(self) -> str:
        """The probabilities as a small text table: counts, reduced fraction, decimal."""
        n_a, n_b, n = self.only_a + self.both, self.only_b + self.both, self.total
        rows = [
            ("P(A)", f"{n_a}/{n}", self.p_a),
            ("P(B)", f"{n_b}/{n}", self.p_b),
            ("P(A and B)", f"{self.both}/{n}", self.p_a_and_b),
            ("P(A | B)", f"{self.both}/{n_b}", self.p_a_given_b),
            ("P(B | A)", f"{self.both}/{n_a}", self.p_b_given_a),
        ]
        lines = [
            f"only A: {self.only_a}, only B: {self.only_b}, both: {self.both}, "
            f"neither: {self.neither}, total: {n}",
            f"{'event':<12}{'counts':>10}{'fraction':>10}{'decimal':>10}",
        ]
        for name, counts, value in rows:
            if value is None:
                lines.append(f"{name:<12}{counts:>10}{'undefined':>20}")
            else:
                lines.append(f"{name:<12}{counts:>10}{value!s:>10}{float(value):>10.4f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.table()


def _whole(value: object, name: str, minimum: int = 0) -> int:
    """value as an int, or TypeError (not a whole number) / ValueError (below `minimum`)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def conditional_fraction(count_both: int, count_given: int) -> Fraction:
    """P(A | B) = count(A and B) / count(B), as an exact fraction.

    Example: 3 people like both sports, 8 like football -> conditional_fraction(3, 8) == 3/8
    """
    both, given = _whole(count_both, "count_both"), _whole(count_given, "count_given")
    if given == 0:
        raise ValueError("P(A | B) is undefined when B never happens: count_given is 0")
    if both > given:
        raise ValueError(
            f"count_both ({both}) cannot exceed count_given ({given}): A and B is part of B"
        )
    return Fraction(both, given)


def venn(only_a: int, only_b: int, both: int, neither: int) -> VennProbabilities:
    """Probabilities of A, B, A and B, A given B and B given A from the four Venn regions.

    Example (14 people; tennis = A, football = B): venn(4, 5, 3, 2).p_a_given_b == Fraction(3, 8)
    because 3 of the 8 football fans also like tennis.
    """
    a, b = _whole(only_a, "only_a"), _whole(only_b, "only_b")
    ab, none = _whole(both, "both"), _whole(neither, "neither")
    total = a + b + ab + none
    if total == 0:
        raise ValueError("all four regions are 0: there is nobody to compute probabilities over")
    return VennProbabilities(
        only_a=a,
        only_b=b,
        both=ab,
        neither=none,
        total=total,
        p_a=Fraction(a + ab, total),
        p_b=Fraction(b + ab, total),
        p_a_and_b=Fraction(ab, total),
        p_a_given_b=Fraction(ab, b + ab) if b + ab else None,
        p_b_given_a=Fraction(ab, a + ab) if a + ab else None,
    )


def _counts_array(counts: object, name: str) -> np.ndarray:
    table = np.array(counts, dtype=np.float64)  # a copy: callers divide it in place
    if table.ndim == 0:
        raise ValueError(f"{name} must be an array with at least one axis, got a scalar")
    if not (table >= 0).all():  # also catches NaN
        raise ValueError(f"{name} must hold counts or probabilities >= 0, got {table.min()}")
    return table


def joint(counts: np.ndarray | Sequence) -> np.ndarray:
    """Joint distribution from a table of counts: each cell divided by the grand total.

    Shapes: counts (any shape) -> same shape, summing to 1.

    Example: joint([[3, 4], [5, 2]]) -> [[3/14, 4/14], [5/14, 2/14]]
    (rows: likes football yes/no; columns: likes tennis yes/no).
    """
    table = _counts_array(counts, "counts")
    total = table.sum()
    if total == 0:
        raise ValueError("the counts are all 0: a joint distribution needs at least one event")
    return table / total


def _axes(axis: int | Sequence[int], ndim: int) -> tuple[int, ...]:
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of range for a table with {ndim} axes")
    return tuple(sorted(a % ndim for a in axes))


def marginal(joint_table: np.ndarray, axis: int | Sequence[int]) -> np.ndarray:
    """The distribution of the variable(s) on `axis`, summing the joint over all the other axes.

    Shapes: joint (V0, V1, ...) -> (V_axis,) (or the kept axes, in order, for a tuple of axes).

    Example: P(B, A) = [[3, 4], [5, 2]] / 14 -> marginal(P, 0) = P(B) = [7/14, 7/14],
    marginal(P, 1) = P(A) = [8/14, 6/14].
    """
    table = _counts_array(joint_table, "joint_table")
    keep = _axes(axis, table.ndim)
    summed = tuple(a for a in range(table.ndim) if a not in keep)
    return table.sum(axis=summed)


def conditional(joint_table: np.ndarray, given_axis: int) -> np.ndarray:
    """P(other variables | the variable on `given_axis`), same shape as the joint table.

    Each slice along `given_axis` is divided by its own total, so it sums to 1. Counts work as
    well as probabilities. A condition that never happens (total 0) gets the uniform distribution.

    Example: P(B, A) = [[3, 4], [5, 2]] / 14; conditional(P, 0)[0] = P(A | B=yes) = [3/7, 4/7];
    conditional(P, 1)[:, 0] = P(B | A=yes) = [3/8, 5/8].
    """
    table = _counts_array(joint_table, "joint_table")
    (given,) = _axes(given_axis, table.ndim)
    others = tuple(a for a in range(table.ndim) if a != given)
    return _normalise(table, others)


def _normalise(table: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """Divide `table` in place so it sums to 1 over `axes`; an all-zero slice becomes uniform."""
    totals = table.sum(axis=axes, keepdims=True)
    empty = totals == 0
    table /= np.where(empty, 1.0, totals)
    # In place, not np.where over the whole table: an n-gram table can hold 25M cells.
    if empty.any():
        cells_per_slice = table.size // max(totals.size, 1)
        np.putmask(table, np.broadcast_to(empty, table.shape), 1.0 / max(cells_per_slice, 1))
    return table


def _token_ids(ids: object, vocab_size: int, name: str) -> np.ndarray:
    array = np.asarray(ids)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of token ids, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must hold integer token ids, got dtype {array.dtype}")
    array = array.astype(np.int64)
    bad = np.flatnonzero((array < 0) | (array >= vocab_size))
    if bad.size:
        raise ValueError(
            f"{name}[{bad[0]}] = {array[bad[0]]} is not a token id in [0, {vocab_size})"
        )
    return array


def ngram_counts(ids: np.ndarray | Sequence[int], n: int, vocab_size: int) -> np.ndarray:
    """Count every window of n consecutive tokens into a dense table.

    Shapes: ids (N,) -> int64 counts (V,)*n; counts[a, b] = how often b directly follows a (n=2).
    There are N - n + 1 windows (none when N < n).

    Example: ids "abab" = [0, 1, 0, 1], n=2, V=2: windows ab, ba, ab -> [[0, 2], [1, 0]].
    """
    n, vocab_size = _whole(n, "n", 1), _whole(vocab_size, "vocab_size", 1)
    entries = vocab_size**n
    if entries > _MAX_TABLE_ENTRIES:
        raise ValueError(
            f"a dense table of V**n = {vocab_size}**{n} = {entries:,} counts is too big "
            f"(limit {_MAX_TABLE_ENTRIES:,}); use a smaller n or vocabulary"
        )
    array = _token_ids(ids, vocab_size, "ids")
    windows = len(array) - n + 1
    flat = np.zeros(max(windows, 0), dtype=np.int64)
    # Read each window as a base-V number: window (a, b, c) -> a*V*V + b*V + c, one cell per n-gram.
    for offset in range(n):
        flat = flat * vocab_size + array[offset : offset + max(windows, 0)]
    return np.bincount(flat, minlength=entries).reshape((vocab_size,) * n)


def bigram_counts(ids: np.ndarray | Sequence[int], vocab_size: int) -> np.ndarray:
    """Count pairs of neighbouring tokens: counts[a, b] = how often b follows a. Shape (V, V).

    Example: bigram_counts([0, 1, 0, 1], 2) -> [[0, 2], [1, 0]]
    """
    return ngram_counts(ids, 2, vocab_size)


def conditional_distribution(counts: np.ndarray, smoothing: float = 0.0) -> np.ndarray:
    """Turn n-gram counts into P(next | context): normalise the last axis, with add-k smoothing.

    Shapes: counts (..., V) -> float64 probabilities (..., V), each row summing to 1.
    Smoothing k adds k to every count first, so unseen pairs keep a little probability.
    A context never seen (an all-zero row with k = 0) gets the uniform distribution.

    Example: counts [[0, 2], [1, 0]] -> [[0, 1], [1, 0]];
    with smoothing=1 -> [[1/4, 3/4], [2/3, 1/3]].
    """
    smoothing = float(smoothing)
    if not smoothing >= 0.0:
        raise ValueError(f"smoothing must be >= 0 (an add-k count), got {smoothing}")
    table = _counts_array(counts, "counts")
    table += smoothing
    return _normalise(table, (table.ndim - 1,))


def next_token_distribution(
    probs_table: np.ndarray, context_ids: Sequence[int] | np.ndarray
) -> np.ndarray:
    """Look up P(next | the last n - 1 tokens of the context) in an n-gram table.

    Shapes: probs_table (V,)*n, context (L,) with L >= n - 1 -> (V,).

    Example: bigram table P = [[0, 1], [1, 0]], context [1, 0] -> P[0] = [0, 1] (only the last
    token matters to a bigram model).
    """
    table = np.asarray(probs_table)
    n, vocab_size = table.ndim, table.shape[-1] if table.ndim else 0
    if n == 0 or table.shape != (vocab_size,) * n:
        raise ValueError(f"probs_table must have shape (V,)*n, got {table.shape}")
    context = _token_ids(context_ids, vocab_size, "context_ids")
    if len(context) < n - 1:
        raise ValueError(
            f"an {n}-gram table needs a context of at least {n - 1} tokens, got {len(context)}"
        )
    return table[tuple(context[len(context) - (n - 1) :])]


def sample_ngram(
    key: jax.Array,
    probs_table: np.ndarray,
    context_ids: Sequence[int] | np.ndarray,
    num_tokens: int,
) -> list[int]:
    """Generate `num_tokens` new tokens from an n-gram table, one at a time.

    Each step looks up P(next | last n - 1 tokens) and draws from it. Returns only the new tokens.
    The same key gives the same tokens. Rows need not be normalised (counts work too).

    Example: with P = [[0, 1], [1, 0]] (a always followed by b, b by a), context [0] and
    num_tokens=4 -> [1, 0, 1, 0] for any key.
    """
    _whole(num_tokens, "num_tokens")
    tokens = [int(t) for t in np.asarray(context_ids).reshape(-1)]
    next_token_distribution(probs_table, tokens)  # validates the table and the context up front
    table = np.asarray(probs_table, dtype=np.float64)
    # One uniform number per step from the key, then inverse-CDF sampling in numpy: fast, and a
    # token with probability 0 can never be drawn (its CDF step has width 0).
    uniforms = np.asarray(jax.random.uniform(key, (num_tokens,)), dtype=np.float64)
    n, new_tokens = table.ndim, []
    for u in uniforms:
        cdf = np.cumsum(table[tuple(tokens[len(tokens) - (n - 1) :])])
        if not cdf[-1] > 0:
            raise ValueError(f"the row for context {tokens[len(tokens) - (n - 1) :]} has no mass")
        token = int(np.searchsorted(cdf, u * cdf[-1], side="right"))
        tokens.append(token)
        new_tokens.append(token)
    return new_tokens
