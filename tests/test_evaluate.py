"""Tests for llmlab.evaluate: choice scores by log-probabilities, exact match, the question set."""

import math

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.data import load_tang_poems
from llmlab.data.instructions import lines
from llmlab.evaluate import exact_match, next_line_questions, score_choices

A, B, C = 0, 1, 2
# A bigram "model": the next token's probabilities depend on the last token only.
#   after a: p = [1/2, 1/4, 1/4]   after b: p = [1/8, 1/8, 3/4]   after c: uniform 1/3
TABLE = np.log(np.array([[1 / 2, 1 / 4, 1 / 4], [1 / 8, 1 / 8, 3 / 4], [1 / 3, 1 / 3, 1 / 3]]))


def bigram(ids):
    return jnp.asarray(TABLE, jnp.float32)[ids]  # (B, T) -> (B, T, V)


def test_worked_example_against_hand_computed_log_probabilities():
    # prompt "a"; choice "a": p(a|a) = 1/2.  choice "bc": p(b|a) p(c|b) = 1/4 * 3/4 = 3/16.
    # choice "cca": p(c|a) p(c|c) p(a|c) = 1/4 * 1/3 * 1/3 = 1/36.
    s = score_choices(bigram, [A], [[A], [B, C], [C, C, A]])
    want = [math.log(1 / 2), math.log(3 / 16), math.log(1 / 36)]
    np.testing.assert_allclose(s.total, want, atol=1e-6, err_msg="sums of ln p per token")
    np.testing.assert_allclose(s.per_token, [want[0], want[1] / 2, want[2] / 3], atol=1e-6)


def test_the_choice_is_read_after_the_whole_prompt_not_its_first_token():
    # prompt "ab": the first choice token is predicted from b. p(c|b) = 3/4, p(a|b) = 1/8.
    s = score_choices(bigram, [A, B], [[C], [A]])
    np.testing.assert_allclose(s.total, [math.log(3 / 4), math.log(1 / 8)], atol=1e-6)


def history_model(ids):
    """A causal toy model that reads all the past: logits at t depend on sum(ids[:t+1])."""
    key = np.cumsum(np.asarray(ids), axis=1) % 5  # (B, T); numpy: no compile per shape
    return np.sin(np.arange(5 * 4).reshape(5, 4) * 1.7).astype(np.float32)[key]


def one_at_a_time(prompt, choice):
    """ln p(choice | prompt) for one choice alone, no batching or padding, in float64."""
    seq = prompt + choice
    logits = np.asarray(history_model([seq[:-1]]), np.float64)[0]
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return sum(logp[t, seq[t + 1]] for t in range(len(prompt) - 1, len(seq) - 1))


ids = st.lists(st.integers(0, 3), min_size=1, max_size=6)


@settings(max_examples=60)
@given(ids, st.lists(ids, min_size=1, max_size=5))
def test_batched_scores_equal_scoring_each_choice_alone(prompt, choices):
    s = score_choices(history_model, prompt, choices)
    want = [one_at_a_time(prompt, c) for c in choices]
    # Logits are of size <= 1 and sums have <= 6 terms: float32 error stays far below 1e-5.
    np.testing.assert_allclose(s.total, want, atol=1e-5, err_msg="padding must not leak in")
    np.testing.assert_allclose(s.per_token, [w / len(c) for w, c in zip(want, choices)], atol=1e-5)


def test_bad_input_is_refused_with_what_came():
    with pytest.raises(ValueError, match="prompt_ids is empty"):
        score_choices(bigram, [], [[A]])
    with pytest.raises(ValueError, match="choice 1 is empty"):
        score_choices(bigram, [A], [[A], []])
    with pytest.raises(TypeError, match="got str"):
        score_choices(bigram, "ab", [[A]])
    with pytest.raises(ValueError, match="got 2 and 1"):
        exact_match(["a", "b"], ["a"])


def test_exact_match_is_the_fraction_of_equal_answers():
    assert exact_match(["4", "5", "6", "7"], ["4", "5", "7", "7"]) == 0.75


POEMS = load_tang_poems()


def test_next_line_questions_hold_the_true_line_among_same_length_distractors():
    qs = next_line_questions(POEMS, range(2000), 50, seed=3)
    assert len(qs) == 50 and len({q.poem for q in qs}) == 50, "one question per poem"
    for q in qs:
        ls = lines(POEMS[q.poem].poem)
        i = ls.index(q.line)
        assert i in (0, 2) and q.choices[q.answer] == ls[i + 1], "the answer is the next line"
        assert len(set(q.choices)) == 4 and {len(c) for c in q.choices} == {len(ls[0])}
        assert POEMS[q.poem].poem.startswith(q.prefix) and q.prefix.endswith(q.line + "，")
    assert sorted({q.answer for q in qs}) == [0, 1, 2, 3], "the answer's place varies"
    assert qs == next_line_questions(POEMS, range(2000), 50, seed=3), "same seed, same set"
    assert qs != next_line_questions(POEMS, range(2000), 50, seed=4)


def test_unseen_poems_are_out_of_both_pretraining_and_fine_tuning():
    from llmlab.data import load_text, train_val_split
    from llmlab.data.instructions import load_instructions, split_poems
    from llmlab.evaluate import unseen_rows

    rows = unseen_rows(POEMS)
    pretrain, _ = train_val_split(load_text("tang"), 0.1)
    fine_tuned = {c["poem"] for c in load_instructions("train")}
    assert len(rows) > 100, f"enough poems to measure on, got {len(rows)}"
    assert not [r for r in rows if POEMS[r].poem in pretrain], "none in the pretraining text"
    assert not fine_tuned & set(rows), "none in the fine-tuning conversations"
    assert set(rows) <= set(split_poems(POEMS)["test"])
