"""Tests for llmlab.probability: probabilities from counts and n-gram next-token tables."""

import itertools
from fractions import Fraction

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from llmlab.data import load_text
from llmlab.probability import (
    VennProbabilities,
    bigram_counts,
    conditional,
    conditional_distribution,
    conditional_fraction,
    joint,
    marginal,
    next_token_distribution,
    ngram_counts,
    sample_ngram,
    venn,
)

FEW = settings(max_examples=50, deadline=None)


def count_tables(min_dims, max_dims, max_side, most):
    """Arrays of small counts with min_dims to max_dims axes."""
    shapes = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, max_side=max_side)
    return hnp.arrays(np.int64, shapes, elements=st.integers(0, most))


def test_tennis_football_gives_p_a_given_b_exactly_three_eighths():
    """14 people: 4 only tennis (A), 5 only football (B), 3 both, 2 neither.

    P(A) = (4 + 3)/14 = 1/2, P(B) = (5 + 3)/14 = 4/7, P(A and B) = 3/14,
    P(A | B) = P(A and B) / P(B) = (3/14) / (8/14) = 3/8, P(B | A) = 3/7.
    """
    v = venn(4, 5, 3, 2)
    assert isinstance(v, VennProbabilities)
    assert v.total == 14
    assert v.p_a == Fraction(7, 14) and v.p_b == Fraction(8, 14), "P(A) = 7/14, P(B) = 8/14"
    assert v.p_a_and_b == Fraction(3, 14)
    assert v.p_a_given_b == Fraction(3, 8), "3 of the 8 football fans also like tennis"
    assert v.p_b_given_a == Fraction(3, 7)
    assert v.p_a_given_b == v.p_a_and_b / v.p_b, "P(A|B) must equal P(A and B) / P(B)"


def test_venn_prints_a_table_with_counts_fractions_and_decimals():
    text = repr(venn(4, 5, 3, 2))
    for piece in ["P(A | B)", "3/8", "0.3750", "7/14", "1/2", "total: 14"]:
        assert piece in text, f"the printed table should show {piece!r}; got:\n{text}"


def test_venn_with_nobody_in_b_leaves_p_a_given_b_undefined():
    v = venn(4, 0, 0, 2)
    assert v.p_a_given_b is None, "P(A|B) has no value when nobody likes B"
    assert v.p_b_given_a == 0
    assert "undefined" in repr(v)


@pytest.mark.parametrize(
    ("args", "error"),
    [((-1, 5, 3, 2), ValueError), ((0, 0, 0, 0), ValueError), ((1.5, 5, 3, 2), TypeError)],
)
def test_venn_rejects_negative_empty_or_fractional_counts(args, error):
    with pytest.raises(error):
        venn(*args)


def test_conditional_fraction_is_exact_and_checks_its_counts():
    assert conditional_fraction(3, 8) == Fraction(3, 8)
    assert conditional_fraction(0, 5) == 0
    with pytest.raises(ValueError, match="undefined"):
        conditional_fraction(0, 0)
    with pytest.raises(ValueError, match="cannot exceed"):
        conditional_fraction(9, 8)


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
@FEW
def test_venn_agrees_with_the_array_functions(only_a, only_b, both, neither):
    """The Fraction answers and the float array answers are the same numbers."""
    if only_a + only_b + both + neither == 0:
        return
    v = venn(only_a, only_b, both, neither)
    # rows: B yes / no; columns: A yes / no
    p = joint([[both, only_b], [only_a, neither]])
    np.testing.assert_allclose(p.sum(), 1.0)
    np.testing.assert_allclose(marginal(p, 1)[0], float(v.p_a))
    np.testing.assert_allclose(marginal(p, 0)[0], float(v.p_b))
    np.testing.assert_allclose(p[0, 0], float(v.p_a_and_b))
    if v.p_a_given_b is not None:
        np.testing.assert_allclose(conditional(p, 0)[0, 0], float(v.p_a_given_b))
    assert v.p_a + v.p_b - v.p_a_and_b + Fraction(neither, v.total) == 1, "regions cover everyone"


def test_joint_marginal_conditional_worked_example():
    """Counts [[3, 4], [5, 2]] (14 in all): joint = counts / 14; row totals 7, 7; column 8, 6.

    conditional(P, 0)[0] = [3, 4] / 7; conditional(P, 1)[:, 0] = [3, 5] / 8.
    """
    p = joint([[3, 4], [5, 2]])
    np.testing.assert_allclose(p, np.array([[3, 4], [5, 2]]) / 14)
    np.testing.assert_allclose(marginal(p, 0), [7 / 14, 7 / 14])
    np.testing.assert_allclose(marginal(p, 1), [8 / 14, 6 / 14])
    np.testing.assert_allclose(conditional(p, 0)[0], [3 / 7, 4 / 7])
    np.testing.assert_allclose(conditional(p, 1)[:, 0], [3 / 8, 5 / 8])
    np.testing.assert_allclose(marginal(np.ones((2, 3, 4)) / 24, (0, 2)), np.full((2, 4), 1 / 8))


@given(count_tables(2, 3, 4, 9))
@FEW
def test_conditional_slices_sum_to_one_and_chain_rule_holds(counts):
    """Every slice of P(. | given) sums to 1, and P(given) * P(. | given) = P(joint)."""
    for given_axis in range(counts.ndim):
        cond = conditional(counts, given_axis)
        others = tuple(a for a in range(counts.ndim) if a != given_axis)
        np.testing.assert_allclose(cond.sum(axis=others), 1.0, err_msg="slices must sum to 1")
        if counts.sum() > 0:
            p = joint(counts)
            p_given = np.expand_dims(marginal(p, given_axis), others)
            np.testing.assert_allclose(p_given * cond, p, atol=1e-12)


def test_table_functions_reject_bad_input():
    with pytest.raises(ValueError, match="all 0"):
        joint([[0, 0], [0, 0]])
    with pytest.raises(ValueError, match=">= 0"):
        joint([1, -1])
    with pytest.raises(ValueError, match="out of range"):
        marginal(np.ones((2, 2)), 2)
    with pytest.raises(ValueError, match="scalar"):
        conditional(3.0, 0)


def test_bigram_counts_of_abab():
    """ "abab" with a=0, b=1 has windows ab, ba, ab: counts[a, b] = 2, counts[b, a] = 1."""
    counts = bigram_counts([0, 1, 0, 1], vocab_size=2)
    np.testing.assert_array_equal(counts, [[0, 2], [1, 0]])
    np.testing.assert_array_equal(ngram_counts([0, 1, 0, 1], 1, 2), [2, 2])
    trigrams = ngram_counts([0, 1, 0, 1], 3, 2)  # windows aba, bab
    assert trigrams.shape == (2, 2, 2) and trigrams.sum() == 2
    assert trigrams[0, 1, 0] == 1 and trigrams[1, 0, 1] == 1


def _loop_ngram_counts(ids, n, vocab_size):
    """The obvious spec: walk every window and add one."""
    counts = np.zeros((vocab_size,) * n, dtype=np.int64)
    for i in range(len(ids) - n + 1):
        counts[tuple(ids[i : i + n])] += 1
    return counts


@given(
    st.integers(1, 5).flatmap(
        lambda v: st.tuples(st.just(v), st.lists(st.integers(0, v - 1), max_size=30))
    ),
    st.integers(1, 3),
)
@FEW
def test_ngram_counts_match_a_python_loop(vocab_and_ids, n):
    vocab_size, ids = vocab_and_ids
    counts = ngram_counts(ids, n, vocab_size)
    np.testing.assert_array_equal(counts, _loop_ngram_counts(ids, n, vocab_size))
    assert counts.sum() == max(len(ids) - n + 1, 0), "one count per window of n tokens"


def test_ngram_counts_reject_bad_ids_and_orders():
    with pytest.raises(ValueError, match=r"ids\[2\] = 5"):
        bigram_counts([0, 1, 5], 3)
    with pytest.raises(ValueError, match="n must be at least 1"):
        ngram_counts([0, 1], 0, 3)
    with pytest.raises(ValueError, match="too big"):
        ngram_counts([0, 1], 4, 5000)
    with pytest.raises(ValueError, match="1-D"):
        bigram_counts([[0, 1]], 3)
    with pytest.raises(TypeError, match="integer"):
        bigram_counts([0.0, 1.0], 3)


def test_counting_shakespeare_is_fast_and_counts_every_pair():
    """1,115,394 characters -> 1,115,393 bigrams and 1,115,392 trigrams, vectorised."""
    import time

    text = load_text("shakespeare")
    chars = sorted(set(text))
    lookup = np.zeros(max(map(ord, chars)) + 1, dtype=np.int64)
    lookup[[ord(c) for c in chars]] = np.arange(len(chars))
    ids = lookup[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
    start = time.perf_counter()
    counts = bigram_counts(ids, len(chars))
    trigrams = ngram_counts(ids, 3, len(chars))
    elapsed = time.perf_counter() - start
    assert counts.sum() == len(text) - 1 and trigrams.sum() == len(text) - 2
    assert elapsed < 2.0, f"counting 1.1M characters took {elapsed:.2f} s; it should be vectorised"


def test_conditional_distribution_normalises_rows_with_add_k_smoothing():
    """Counts [[0, 2], [1, 0]]: rows -> [0, 1], [1, 0].

    With k = 1 every count grows by 1: [1, 3] / 4 = [1/4, 3/4] and [2, 1] / 3 = [2/3, 1/3].
    """
    counts = np.array([[0, 2], [1, 0]])
    np.testing.assert_allclose(conditional_distribution(counts), [[0, 1], [1, 0]])
    np.testing.assert_allclose(
        conditional_distribution(counts, smoothing=1.0), [[1 / 4, 3 / 4], [2 / 3, 1 / 3]]
    )
    unseen = conditional_distribution(np.array([[0, 0, 0], [1, 1, 2]]))
    np.testing.assert_allclose(unseen[0], [1 / 3] * 3, err_msg="an unseen context is uniform")
    with pytest.raises(ValueError, match="smoothing"):
        conditional_distribution(counts, smoothing=-1.0)


@given(
    count_tables(1, 3, 5, 20),
    st.floats(0.0, 3.0),
)
@FEW
def test_conditional_distribution_rows_sum_to_one(counts, smoothing):
    probs = conditional_distribution(counts, smoothing)
    assert probs.shape == counts.shape
    assert (probs >= 0).all()
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, err_msg="every row must sum to 1")


def test_next_token_distribution_uses_the_last_n_minus_1_tokens():
    bigram = conditional_distribution(bigram_counts([0, 1, 0, 1], 2))
    np.testing.assert_allclose(next_token_distribution(bigram, [1, 0]), [0, 1])
    trigram = conditional_distribution(ngram_counts([0, 1, 1, 0, 1, 1], 3, 2))
    # after (1, 1) the corpus continues with 0 once -> P(. | 1 1) = [1, 0]
    np.testing.assert_allclose(next_token_distribution(trigram, [0, 1, 1]), [1, 0])
    unigram = conditional_distribution(ngram_counts([0, 1, 1, 1], 1, 2))
    np.testing.assert_allclose(next_token_distribution(unigram, []), [1 / 4, 3 / 4])
    with pytest.raises(ValueError, match="at least 2 tokens"):
        next_token_distribution(trigram, [1])
    with pytest.raises(ValueError, match="shape"):
        next_token_distribution(np.ones((2, 3)), [0])


def test_sample_ngram_follows_a_deterministic_table_for_any_key():
    table = np.array([[0.0, 1.0], [1.0, 0.0]])  # a -> b, b -> a always
    for seed in range(3):
        assert sample_ngram(jax.random.key(seed), table, [0], 5) == [1, 0, 1, 0, 1]
    assert sample_ngram(jax.random.key(0), table, [0], 0) == []


@given(st.integers(0, 2**31 - 1))
@settings(max_examples=10, deadline=None)
def test_sample_ngram_same_key_same_tokens_and_never_an_impossible_one(seed):
    probs = conditional_distribution(bigram_counts([0, 1, 2, 0, 2, 1, 0, 1], 3))
    first = sample_ngram(jax.random.key(seed), probs, [0], 20)
    assert first == sample_ngram(jax.random.key(seed), probs, [0], 20), "same key, same tokens"
    history = [0, *first]
    for prev, nxt in itertools.pairwise(history):
        assert probs[prev, nxt] > 0, f"{prev} -> {nxt} never happens in the corpus"


def test_sample_ngram_frequencies_match_the_distribution():
    """Unigram P = [0.1, 0.3, 0.6]; 4,000 draws: each count is within 5 standard deviations."""
    probs = np.array([0.1, 0.3, 0.6])
    draws = sample_ngram(jax.random.key(42), probs, [], 4000)
    counts = np.bincount(draws, minlength=3)
    std = np.sqrt(4000 * probs * (1 - probs))
    assert (np.abs(counts - 4000 * probs) < 5 * std).all(), f"counts {counts} vs {4000 * probs}"


def test_sample_ngram_rejects_bad_arguments():
    table = np.array([[0.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="no mass"):
        sample_ngram(jax.random.key(0), table, [1], 1)
    with pytest.raises(ValueError, match="num_tokens"):
        sample_ngram(jax.random.key(0), table, [0], -1)
    with pytest.raises(ValueError, match="not a token id"):
        sample_ngram(jax.random.key(0), table, [7], 1)
