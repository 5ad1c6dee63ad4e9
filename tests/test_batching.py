"""Tests for llmlab.batching: batched greedy text equals one-by-one text; schedules by hand."""

import math

import jax
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.batching import continuous_batching, generate_batch, static_batching
from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig

V = 11


@pytest.fixture(scope="module")
def model():
    # bigger initial weights than GPT's 0.02 spread the logits, so no greedy choice is a near-tie
    config = GPTConfig(vocab_size=V, block_size=16, n_layer=2, n_head=2, n_embd=16)
    gpt = GPT(config, rngs=nnx.Rngs(3))
    state = nnx.state(gpt, nnx.Param)
    keys = jax.random.split(jax.random.key(1), len(jax.tree.leaves(state)))
    leaves = [x + jax.random.normal(k, x.shape) * 0.3 for x, k in
              zip(jax.tree.leaves(state), keys, strict=True)]  # fmt: skip
    nnx.update(gpt, jax.tree.unflatten(jax.tree.structure(state), leaves))
    return gpt


def alone(model, prompt, n):
    return generate(model, prompt, n, key=jax.random.key(0), temperature=0.0)


def test_each_row_of_a_batch_gets_the_text_it_gets_alone(model):
    prompts = [[1, 2, 3, 4, 5, 6, 7], [8], [3, 3], [10, 0, 9, 1]]
    batch = generate_batch(model, prompts, 6)
    for prompt, row in zip(prompts, batch, strict=True):
        assert row == alone(model, prompt, 6), f"prompt {prompt} must continue as it does alone"


def test_the_rows_differ_so_the_comparison_means_something(model):
    batch = generate_batch(model, [[1, 2, 3, 4, 5, 6, 7], [8], [3, 3], [10, 0, 9, 1]], 6)
    assert len({tuple(row) for row in batch}) > 1, "different prompts should not all agree"


@settings(max_examples=15)
@given(prompts=st.lists(st.lists(st.integers(0, V - 1), min_size=1, max_size=10), min_size=1,
                        max_size=5), new=st.integers(1, 7))  # fmt: skip
def test_batched_greedy_text_equals_one_by_one_for_any_prompts(model, prompts, new):
    batch = generate_batch(model, prompts, new)
    assert batch == [alone(model, p, new) for p in prompts], "batching must not change the text"


def test_a_prompt_that_fills_the_context_exactly_is_served(model):
    prompt = [*range(V), 0, 1]  # 13 tokens + 4 new - 1 fed = 16 = block_size
    assert generate_batch(model, [prompt, [5]], 4)[0] == alone(model, prompt, 4)


@pytest.mark.parametrize(
    ("prompts", "new", "error", "message"),
    [
        ([[1] * 14, [2]], 4, ValueError, r"prompt 0 has 14 tokens.*needs 17 .*block_size is 16"),
        ([], 3, ValueError, "at least one prompt"),
        ([[1], []], 3, ValueError, "empty"),
        ([[1], [V]], 3, ValueError, str(V)),
        ([[1]], 0, ValueError, "max_new_tokens"),
        ([["a"]], 2, TypeError, "integer token ids"),
    ],
)
def test_bad_prompts_are_refused_with_what_came(model, prompts, new, error, message):
    with pytest.raises(error, match=message):
        generate_batch(model, prompts, new)


def test_static_batching_by_hand():
    # batch (3, 1): 3 steps, slot 2 idle for the last 2; batch (1, 1): 1 step
    s = static_batching([3, 1, 1, 1], slots=2)
    assert s.steps == 4 and s.utilisation == 6 / 8
    assert s.finished == (3, 1, 4, 4)
    np.testing.assert_array_equal(s.timeline, [[0, 1], [0, -1], [0, -1], [2, 3]])


def test_continuous_batching_by_hand():
    # slot 1 serves request 0 for 3 steps; slot 2 serves 1, 2, 3 one after another
    s = continuous_batching([3, 1, 1, 1], slots=2)
    assert s.steps == 3 and s.utilisation == 1.0
    assert s.finished == (3, 1, 2, 3)
    np.testing.assert_array_equal(s.timeline, [[0, 1], [0, 2], [0, 3]])


def test_a_long_request_holds_a_static_batch_but_not_a_continuous_one():
    # lengths 8, 2, 2, 2, 2, 2, 2 on 2 slots. Static: (8, 2) 8 steps, (2, 2) 2, (2, 2) 2, (2) 2
    # = 14 steps. Continuous: slot 2 serves four 2s while slot 1 serves the 8 (steps 1-8),
    # then the last two 2s run side by side in steps 9-10: 10 steps, no slot ever idle.
    lengths = [8, 2, 2, 2, 2, 2, 2]
    static, continuous = static_batching(lengths, 2), continuous_batching(lengths, 2)
    assert (static.steps, continuous.steps) == (14, 10)
    assert static.utilisation == 20 / 28 and continuous.utilisation == 1.0


lengths_st = st.lists(st.integers(1, 12), min_size=1, max_size=20)


@settings(max_examples=80)
@given(lengths=lengths_st, slots=st.integers(1, 6))
def test_every_request_gets_exactly_its_tokens_and_continuous_is_never_slower(lengths, slots):
    static, continuous = static_batching(lengths, slots), continuous_batching(lengths, slots)
    for s in (static, continuous):
        served = [int((s.timeline == i).sum()) for i in range(len(lengths))]
        assert served == lengths, "each request is served one token per step, its length in all"
        assert s.timeline.shape == (s.steps, slots)
        assert s.steps >= max(max(lengths), math.ceil(sum(lengths) / slots)), "no faster than ideal"
        assert math.isclose(s.utilisation, sum(lengths) / (s.steps * slots))
        for i in range(len(lengths)):
            served_at = np.flatnonzero((s.timeline == i).any(axis=1))
            assert served_at[-1] + 1 == s.finished[i], "finished is the step of the last token"
            assert np.all(np.diff(served_at) == 1), "a request is never paused once started"
    assert continuous.steps <= static.steps, "freeing slots early can only help"


def test_with_one_slot_both_policies_serve_one_request_after_another():
    for policy in (static_batching, continuous_batching):
        s = policy([2, 3, 1], 1)
        assert s.steps == 6 and s.utilisation == 1.0 and s.finished == (2, 5, 6)


@pytest.mark.parametrize(
    ("lengths", "slots", "message"),
    [
        ([3, 0], 2, r"positive ints.*got 0 at position 1"),
        ([3, 2.5], 2, r"positive ints.*got 2.5 at position 1"),
        ([], 2, "at least one request"),
        ([3], 0, r"slots must be a positive int.*got 0"),
        ([3], True, r"slots must be a positive int.*got True"),
    ],
)
def test_bad_queues_are_refused_with_what_came(lengths, slots, message):
    for policy in (static_batching, continuous_batching):
        with pytest.raises(ValueError, match=message):
            policy(lengths, slots)
