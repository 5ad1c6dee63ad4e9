"""Checks for lesson 01 (conditional probability): P(A∣B) from counts, bigram counts, and
normalising a count table into next-token distributions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.probability import bigram_counts, conditional_distribution, venn

LESSON = "01_probability"


@task(
    LESSON,
    "p_a_given_b",
    references=("llmlab.probability.venn",),
)
def check_p_a_given_b(fn, rng):
    cases = [(4, 5, 3, 2)]  # the tennis/football example of the lesson: 3/8
    cases += [tuple(int(c) for c in rng.integers(0, 30, size=4)) for _ in range(5)]
    cases = [(a, b, both + 1, n) for a, b, both, n in cases]  # B is never empty
    for only_a, only_b, both, neither in cases:
        want = venn(only_a, only_b, both, neither)
        when = f"for only_a={only_a}, only_b={only_b}, both={both}, neither={neither}"
        got = call(fn, only_a, only_b, both, neither, when=when)
        if isinstance(got, Fraction | int | float | np.floating | np.integer) is False:
            raise Mistake(f"your function returned a {type(got).__name__}, not a number, {when}.")
        got = float(got)
        if np.isclose(got, float(want.p_b_given_a)) and want.p_b_given_a != want.p_a_given_b:
            raise Mistake(
                f"you computed P(B∣A) = {want.p_b_given_a} {when}: P(A∣B) divides by "
                "the people who like B, not by those who like A."
            )
        if np.isclose(got, float(want.p_a_and_b)) and want.p_a_and_b != want.p_a_given_b:
            raise Mistake(
                f"you computed P(A∩B) = {want.p_a_and_b} {when}: divide by the people who "
                "like B, not by everybody."
            )
        close(got, float(want.p_a_given_b), "P(A∣B)", when)


@task(
    LESSON,
    "count_bigrams",
    references=("llmlab.probability.bigram_counts",),
)
def check_count_bigrams(fn, rng):
    vocab_size = int(rng.integers(3, 8))
    while True:  # a symmetric table could not tell counts[a, b] from counts[b, a]
        ids = [int(i) for i in rng.integers(0, vocab_size, size=int(rng.integers(20, 40)))]
        want = bigram_counts(ids, vocab_size)
        if not np.array_equal(want, want.T):
            break
    when = f"for {len(ids)} ids and vocab_size={vocab_size}"
    got = as_array(call(fn, ids, vocab_size, when=when), "counts", when)
    same_shape(got, want.shape, "counts", when)
    if not np.array_equal(got, want) and np.array_equal(got, want.T):
        raise Mistake(
            f"your counts are transposed {when}: counts[a, b] must count a followed by b."
        )
    if got.sum() == len(ids):
        raise Mistake(
            f"your counts add up to {len(ids)} {when}, but a sequence of {len(ids)} ids has "
            f"only {len(ids) - 1} neighbouring pairs: the last id has no next id."
        )
    close(got, want, "counts", when)
    one = call(fn, [int(rng.integers(vocab_size))], vocab_size, when="for a single token")
    close(one, np.zeros((vocab_size, vocab_size)), "counts", "for a single token (no pairs)")


@task(
    LESSON,
    "normalise_rows",
    references=("llmlab.probability.conditional_distribution",),
)
def check_normalise_rows(fn, rng):
    vocab_size = int(rng.integers(3, 7))
    counts = rng.integers(0, 9, size=(vocab_size, vocab_size)).astype(np.int64)
    counts[:, 0] += 1  # no empty rows yet
    when = f"for a ({vocab_size}, {vocab_size}) count table"
    got = as_array(call(fn, counts.copy(), when=when), "probabilities", when)
    same_shape(got, counts.shape, "probabilities", when)
    if np.isclose(got.sum(), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
        raise Mistake(
            f"your whole table sums to 1 but its rows do not {when}: divide each row by "
            "its own sum, because each row is P(next ∣ this token)."
        )
    if np.allclose(got.sum(axis=0), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
        raise Mistake(f"your columns sum to 1 instead of your rows {when}: use axis=-1.")
    close(got, conditional_distribution(counts), "probabilities", when)
    counts[int(rng.integers(vocab_size))] = 0
    when = "when a row of the count table is all zeros"
    got = as_array(call(fn, counts.copy(), when=when), "probabilities", when)
    if np.isnan(got).any():
        raise Mistake(
            f"your probabilities contain NaN {when} (0 / 0): give such a row the uniform "
            "distribution instead."
        )
    close(got, conditional_distribution(counts), "probabilities", when)
