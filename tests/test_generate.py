"""llmlab.generate: the readable loop and the compiled, cached one give the same tokens."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from llmlab.generate import _compiled_steps, generate, generate_simple
from llmlab.model import GPT, GPTConfig

CFG = GPTConfig(vocab_size=13, block_size=8, n_layer=2, n_head=2, n_embd=16)
PROMPT = [1, 2, 3]


@pytest.fixture(scope="module")
def model():
    return GPT(CFG, rngs=nnx.Rngs(0))


def compile_counts(model):
    graphdef, state = nnx.split(model)
    return [step._cache_size() for step in _compiled_steps(graphdef, jax.tree.flatten(state)[1])]


@pytest.mark.parametrize(
    "knobs",
    [{"temperature": 0.0}, {"temperature": 1.0}, {"temperature": 0.8, "top_k": 4, "top_p": 0.9}],
)
def test_cached_and_uncached_generation_give_the_same_tokens(model, knobs):
    # 5 new tokens after a 3-token prompt stay inside the 8-token window.
    key = jax.random.key(7)
    cached = generate(model, PROMPT, 5, key=key, **knobs)
    uncached = generate(model, PROMPT, 5, key=key, use_cache=False, **knobs)
    assert cached == uncached, "the cache must not change which tokens are drawn"
    assert len(cached) == 5 and all(isinstance(t, int) and 0 <= t < 13 for t in cached)


def test_the_readable_loop_gives_the_same_tokens_and_slides_past_the_window(model):
    # 12 tokens after 6 run well past block_size 8: without a cache every step sees the last
    # 8 tokens, in the readable loop as in the compiled one. The cached run agrees until its
    # window first fills (6 + 2 = 8), then rebuilds its cache from the last 4 tokens.
    key, knobs = jax.random.key(4), {"temperature": 0.9, "top_k": 6}
    prompt = [1, 2, 3, 4, 5, 6]
    simple = generate_simple(model, prompt, 12, key=key, **knobs)
    assert simple == generate(model, prompt, 12, key=key, use_cache=False, **knobs)
    cached = generate(model, prompt, 12, key=key, **knobs)
    assert cached[:2] == simple[:2], "identical until the window first fills"
    assert len(cached) == 12 and all(0 <= t < 13 for t in cached)


def test_greedy_first_token_is_the_argmax_of_the_last_logits(model):
    prompt = [1, 2, 3, 4, 5, 6]  # the readable-loop test above already ran this shape
    logits = model(jnp.array([prompt]))[0, -1]
    first = generate(model, prompt, 1, key=jax.random.key(0), temperature=0.0)
    assert first == [int(jnp.argmax(logits))]


def test_temperature_zero_gives_the_same_text_for_every_key(model):
    runs = {
        tuple(generate(model, PROMPT, 6, key=jax.random.key(s), temperature=0)) for s in range(3)
    }
    assert len(runs) == 1, "greedy decoding must not depend on the key"


def test_same_key_same_tokens_and_different_keys_differ(model):
    a = generate(model, PROMPT, 6, key=jax.random.key(1))
    assert a == generate(model, PROMPT, 6, key=jax.random.key(1))
    others = {tuple(generate(model, PROMPT, 6, key=jax.random.key(s))) for s in range(2, 6)}
    assert len(others | {tuple(a)}) > 1, "different keys should give different samples"


def test_changing_temperature_top_k_top_p_does_not_recompile(model):
    generate(model, PROMPT, 12, key=jax.random.key(0), temperature=1.0)  # fills and refills
    generate(model, PROMPT, 2, key=jax.random.key(0), use_cache=False)
    before = compile_counts(model)
    for t, k, p in [(0.0, None, None), (0.5, 3, None), (2.0, 7, 0.5), (1.0, None, 0.95)]:
        generate(model, [4], 12, key=jax.random.key(1), temperature=t, top_k=k, top_p=p)
        generate(model, [4, 5], 2, key=jax.random.key(1), temperature=t, top_k=k, use_cache=False)
    assert compile_counts(model) == before == [1, 1, 1], "each step must compile exactly once"


def test_on_token_streams_every_token_and_can_stop(model):
    seen = []
    out = generate(model, PROMPT, 6, key=jax.random.key(3), on_token=seen.append)
    assert seen == out, "on_token must see every new token, in order"
    stopped = generate(model, PROMPT, 6, key=jax.random.key(3), on_token=lambda t: len(seen) > 99)
    assert stopped == out[:1], "returning False stops right after that token"


def test_stop_token_ends_generation_and_is_included(model):
    full = generate(model, PROMPT, 6, key=jax.random.key(3))
    stop = full[2]
    out = generate(model, PROMPT, 6, key=jax.random.key(3), stop_token=stop)
    assert out == full[: full.index(stop) + 1]


def test_a_prompt_longer_than_the_window_is_cropped_to_its_last_block(model):
    long_prompt = [5, 6, 7, 8, 9, 10, 11, 12, 0, 1, 2]  # 11 tokens, block_size 8
    for use_cache in (True, False):
        out = generate(model, long_prompt, 3, key=jax.random.key(2), use_cache=use_cache)
        cropped = generate(model, long_prompt[-8:], 3, key=jax.random.key(2), use_cache=use_cache)
        assert out == cropped


def test_a_full_cache_is_rebuilt_from_the_last_half_window(model):
    # An 8-token prompt fills the 8-slot cache at once, so after the first new token the
    # cache is rebuilt from the last 8 // 2 = 4 tokens: the same as starting again from
    # those 4 tokens with the key that the first step left behind.
    prompt, key = [5, 6, 7, 8, 9, 10, 11, 12], jax.random.key(9)
    out = generate(model, prompt, 5, key=key)
    key_after_one_token = jax.random.split(key)[0]
    restart = generate(model, (prompt + out[:1])[-4:], 4, key=key_after_one_token)
    assert out[1:] == restart


def test_generate_leaves_a_training_model_as_it_was():
    model = GPT(dataclasses.replace(CFG, dropout=0.5, n_layer=1), rngs=nnx.Rngs(0))
    model.train()
    a = generate(model, PROMPT, 4, key=jax.random.key(0))
    assert a == generate(model, PROMPT, 4, key=jax.random.key(0)), "generation runs in eval mode"
    assert model.blocks[0].mlp.dropout.deterministic is False, "the caller's model is untouched"


@pytest.mark.parametrize(
    "prompt, error, message",
    [
        ([], ValueError, "empty"),
        ([1.0, 2.0], TypeError, "integer"),
        ([1, 13], ValueError, r"\[0, 13\).*13 at position 1"),
        ([-1], ValueError, "position 0"),
        ([[1, 2]], ValueError, r"shape \(T,\)"),
    ],
)
def test_bad_prompts_are_refused(model, prompt, error, message):
    for fn in (generate, generate_simple):
        with pytest.raises(error, match=message):
            fn(model, prompt, 3, key=jax.random.key(0))


@pytest.mark.parametrize(
    "count, error", [(0, ValueError), (-2, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_max_new_tokens_must_be_a_positive_int(model, count, error):
    with pytest.raises(error, match="max_new_tokens"):
        generate(model, PROMPT, count, key=jax.random.key(0))


@pytest.mark.parametrize(
    "knobs, message",
    [
        ({"temperature": -1.0}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"top_k": 0}, "top_k"),
        ({"top_p": 0.0}, "top_p"),
        ({"top_p": 1.5}, "top_p"),
        ({"stop_token": 99}, r"\[0, 13\)"),
    ],
)
def test_bad_sampling_settings_are_refused(model, knobs, message):
    with pytest.raises(ValueError, match=message):
        generate(model, PROMPT, 3, key=jax.random.key(0), **knobs)


def test_numpy_and_jax_prompts_work_like_lists(model):
    key = jax.random.key(5)
    expected = generate(model, PROMPT, 3, key=key)
    assert generate(model, np.array(PROMPT), 3, key=key) == expected
    assert generate(model, jnp.array(PROMPT), 3, key=key) == expected


def broken(model, value):
    """A copy of `model` whose output logits are all `value` (NaN, +inf or -inf)."""
    copy = nnx.clone(model)
    copy.ln_f.bias[...] = copy.ln_f.bias[...] * 0 + value
    copy.ln_f.scale[...] = copy.ln_f.scale[...] * 0
    copy.wte.embedding[...] = copy.wte.embedding[...] * 0 + 1.0
    return copy


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("use_cache", [True, False])
def test_a_broken_model_is_refused_with_a_sentence_instead_of_writing_token_0(
    model, value, use_cache
):
    bad = broken(model, value)
    with pytest.raises(ValueError, match="no token can be drawn"):
        generate(bad, PROMPT, 20, key=jax.random.key(0), use_cache=use_cache)
    with pytest.raises(ValueError, match="no token can be drawn"):
        generate_simple(bad, PROMPT, 2, key=jax.random.key(0))


def test_a_healthy_model_past_its_window_raises_nothing(model):
    new = generate(model, PROMPT, 3 * CFG.block_size, key=jax.random.key(0))
    assert len(new) == 3 * CFG.block_size, "steps computed past the cache's end are not checked"


def test_a_key_that_is_not_a_jax_key_is_a_type_error_before_any_compilation(model):
    for run in (generate, generate_simple):
        with pytest.raises(TypeError, match=r"key must be a JAX random key .* got '42'"):
            run(model, PROMPT, 3, key="42")


def test_a_stop_token_given_as_text_says_to_encode_it(model):
    with pytest.raises(TypeError, match=r"stop_token must be one token id .*tokenizer.encode"):
        generate(model, PROMPT, 3, key=jax.random.key(0), stop_token="\n")
    with pytest.raises(ValueError, match=r"stop_token must be a token id in \[0, 13\), got 13"):
        generate(model, PROMPT, 3, key=jax.random.key(0), stop_token=13)
    with pytest.raises(TypeError, match="temperature must be a number"):
        generate(model, PROMPT, 3, key=jax.random.key(0), temperature="hot")
