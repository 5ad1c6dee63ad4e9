"""Tests for llmlab.retrieval: embeddings, cosine similarity and top-k against brute force."""

import math

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from tolerances import float32_atol

from llmlab.model import GPT, GPTConfig
from llmlab.retrieval import (
    bag_of_chars,
    char_vocabulary,
    cosine_similarity,
    model_embeddings,
    rank_of,
    top_k,
)
from llmlab.tokenizer import CharTokenizer


def test_worked_example_bag_of_chars_counts_and_normalises():
    # "春眠春" over vocabulary 春眠晓: counts [2, 1, 0], norm sqrt(5).
    m = bag_of_chars(["春眠春", "晓"], "春眠晓")
    np.testing.assert_allclose(m, [[2 / 5**0.5, 1 / 5**0.5, 0], [0, 0, 1]], atol=1e-7)
    assert char_vocabulary(["春眠，", "眠晓。"]) == "春晓眠", "sorted characters, no punctuation"


def test_a_text_with_no_known_character_gets_a_zero_row_and_cannot_be_a_query():
    m = bag_of_chars(["abc", "春"], "ab")
    assert m[1].tolist() == [0, 0], "nothing of the vocabulary: a zero row"
    with pytest.raises(ValueError, match="all zeros"):
        top_k(m[1], m, 1)


def brute_force(query, matrix):
    """Cosine similarity of each row, one row at a time, in float64 Python arithmetic."""
    q = [float(v) for v in query]
    qn = math.sqrt(sum(v * v for v in q))
    out = []
    for row in matrix:
        r = [float(v) for v in row]
        rn = math.sqrt(sum(v * v for v in r))
        out.append(0.0 if rn == 0 else sum(a * b for a, b in zip(q, r)) / (qn * rn))
    return out


finite = st.floats(-100, 100, width=32, allow_subnormal=False)


@settings(max_examples=100)
@given(
    st.integers(1, 8).flatmap(
        lambda c: st.tuples(
            hnp.arrays(np.float32, (c,), elements=finite).filter(lambda q: np.abs(q).max() > 1e-3),
            hnp.arrays(np.float32, st.tuples(st.integers(1, 12), st.just(c)), elements=finite),
        )
    ),
    st.data(),
)
def test_top_k_returns_the_k_best_rows_of_the_brute_force_ranking(case, data):
    query, matrix = case
    k = data.draw(st.integers(1, matrix.shape[0]))
    reference = brute_force(query, matrix)
    got = top_k(query, matrix, k)
    # Cosines lie in [-1, 1] and both sides work in float64: 1e-6 is far above rounding.
    np.testing.assert_allclose(got.scores, [reference[i] for i in got.indices], atol=1e-6)
    best = sorted(reference, reverse=True)[:k]
    np.testing.assert_allclose(got.scores, best, atol=1e-6, err_msg="the k largest scores")
    assert len(set(got.indices.tolist())) == k, "no row may be returned twice"


def test_cosine_similarity_matches_the_worked_example():
    s = cosine_similarity([1, 0], [[2, 0], [1, 1], [0, 3], [0, 0]])
    np.testing.assert_allclose(s, [1, 1 / 2**0.5, 0, 0], atol=1e-12)


def test_ties_keep_the_lower_index_first_and_rank_counts_them_against_the_row():
    m = [[1, 0], [0, 1], [1, 0], [1, 0]]
    got = top_k([1, 0], m, 3)
    assert got.indices.tolist() == [0, 2, 3], "equal scores come in matrix order"
    assert rank_of([1, 0], m, 0) == 3, "two other rows score as high: rank 3, pessimistic"
    assert rank_of([1, 0], m, 1) == 4


@pytest.mark.parametrize("k", [0, 4, -1, 1.5, True])
def test_k_outside_1_to_n_is_refused_with_what_came(k):
    with pytest.raises(ValueError, match=f"between 1 and the number of rows 3, got {k!r}"):
        top_k([1, 0], [[1, 0], [0, 1], [1, 1]], k)


def test_shapes_that_do_not_fit_are_refused_with_both_shapes():
    with pytest.raises(ValueError, match=r"\(3,\) and \(2, 2\)"):
        top_k([1, 0, 0], [[1, 0], [0, 1]], 1)


def tiny_model():
    tok = CharTokenizer.from_text("abcdefgh")
    return GPT(GPTConfig.tiny(tok.vocab_size), rngs=nnx.Rngs(0)), tok


def test_hidden_states_are_what_the_head_reads():
    model, tok = tiny_model()
    idx = jnp.asarray([tok.encode("abcab"), tok.encode("hgfed")], jnp.int32)
    logits = model.wte.attend(model.hidden_states(idx))
    np.testing.assert_allclose(
        logits, model(idx), atol=float32_atol(logits), err_msg="head(hidden) must be logits"
    )


def test_model_embeddings_are_the_unit_mean_of_the_hidden_states_and_ignore_padding():
    model, tok = tiny_model()
    texts = ["abcdefg", "ab", "hh"]
    got = model_embeddings(model, tok, texts, batch_size=2)
    for n, text in enumerate(texts):  # one text alone: no padding at all
        h = np.asarray(model.hidden_states(jnp.asarray([tok.encode(text)], jnp.int32)))[0]
        mean = h.mean(0)
        np.testing.assert_allclose(
            got[n], mean / np.linalg.norm(mean), atol=1e-5, err_msg=f"text {text!r}"
        )


def test_model_embeddings_refuse_a_text_longer_than_the_context():
    model, tok = tiny_model()
    long = "a" * (model.config.block_size + 1)
    with pytest.raises(ValueError, match=f"{len(long)} tokens; the model reads 1 to"):
        model_embeddings(model, tok, ["ab", long])
