"""Checks for lesson 01 (conditional probability): P(A∣B) from counts, bigram counts, and
normalising a count table into next-token distributions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say
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
        when = say(
            "check.probability.when_venn", only_a=only_a, only_b=only_b, both=both, neither=neither
        )
        got = call(fn, only_a, only_b, both, neither, when=when)
        if isinstance(got, Fraction | int | float | np.floating | np.integer) is False:
            raise Mistake(say("check.probability.not_number", kind=type(got).__name__, when=when))
        got = float(got)
        if np.isclose(got, float(want.p_b_given_a)) and want.p_b_given_a != want.p_a_given_b:
            raise Mistake(say("check.probability.b_given_a", value=want.p_b_given_a, when=when))
        if np.isclose(got, float(want.p_a_and_b)) and want.p_a_and_b != want.p_a_given_b:
            raise Mistake(say("check.probability.a_and_b", value=want.p_a_and_b, when=when))
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
    when = say("check.probability.when_ids", n=len(ids), V=vocab_size)
    name = say("check.name.counts")
    got = as_array(call(fn, ids, vocab_size, when=when), name, when)
    same_shape(got, want.shape, name, when)
    if not np.array_equal(got, want) and np.array_equal(got, want.T):
        raise Mistake(say("check.probability.transposed", when=when))
    if got.sum() == len(ids):
        raise Mistake(
            say("check.probability.one_too_many", n=len(ids), pairs=len(ids) - 1, when=when)
        )
    close(got, want, name, when)
    single = say("check.probability.when_single")
    one = call(fn, [int(rng.integers(vocab_size))], vocab_size, when=single)
    zeros = np.zeros((vocab_size, vocab_size))
    close(one, zeros, name, say("check.probability.when_single_no_pairs"))


@task(
    LESSON,
    "normalise_rows",
    references=("llmlab.probability.conditional_distribution",),
)
def check_normalise_rows(fn, rng):
    vocab_size = int(rng.integers(3, 7))
    counts = rng.integers(0, 9, size=(vocab_size, vocab_size)).astype(np.int64)
    counts[:, 0] += 1  # no empty rows yet
    when = say("check.probability.when_table", V=vocab_size)
    name = say("check.name.probabilities")
    got = as_array(call(fn, counts.copy(), when=when), name, when)
    same_shape(got, counts.shape, name, when)
    if np.isclose(got.sum(), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
        raise Mistake(say("check.probability.table_sums_to_1", when=when))
    if np.allclose(got.sum(axis=0), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
        raise Mistake(say("check.probability.columns", when=when))
    close(got, conditional_distribution(counts), name, when)
    counts[int(rng.integers(vocab_size))] = 0
    when = say("check.probability.when_zero_row")
    got = as_array(call(fn, counts.copy(), when=when), name, when)
    if np.isnan(got).any():
        raise Mistake(say("check.probability.zero_row_nan", when=when))
    close(got, conditional_distribution(counts), name, when)
