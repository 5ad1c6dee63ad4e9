"""Tests for llmlab.sampling: softmax with temperature, top-k, top-p, sampling and entropy."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerances import float32_atol

from llmlab.sampling import (
    apply_temperature,
    broken_rows,
    entropy,
    probabilities,
    sample,
    softmax,
    top_k_filter,
    top_p_filter,
)

FEW = settings(max_examples=50, deadline=None)

# Property tests use one vocabulary size: every new shape costs JAX a compilation per operation,
# which would dominate the run time; shape handling is tested separately on fixed examples.
V = 6
logit_rows = st.lists(st.floats(-20, 20, width=32), min_size=V, max_size=V).map(
    lambda xs: jnp.asarray(xs, dtype=jnp.float32)
)
# Distinct logits at least 0.5 apart, so "the k largest" and "the most likely" have no ties.
distinct_rows = st.lists(st.integers(-40, 40), min_size=V, max_size=V, unique=True).map(
    lambda xs: jnp.asarray(xs, dtype=jnp.float32) / 2
)
temperatures = st.floats(0.05, 5.0)


# ---- worked examples -------------------------------------------------------------------------


def test_softmax_of_zero_and_ln2_is_one_third_two_thirds():
    """exp(0) = 1, exp(ln 2) = 2, total 3 -> [1/3, 2/3]."""
    np.testing.assert_allclose(softmax([0.0, math.log(2)]), [1 / 3, 2 / 3], rtol=1e-6)


def test_temperature_two_halves_the_logits():
    """[0, 2 ln 2] / 2 = [0, ln 2] -> [1/3, 2/3]."""
    np.testing.assert_allclose(apply_temperature([2.0, 4.0], 2.0), [1.0, 2.0])
    np.testing.assert_allclose(softmax([0.0, 2 * math.log(2)], 2.0), [1 / 3, 2 / 3], rtol=1e-6)


def test_top_k_two_of_three_renormalises_the_survivors():
    """Logits ln[1, 2, 3] -> p = [1, 2, 3] / 6; top-2 keeps 2 and 3 -> [0, 2/5, 3/5]."""
    logits = jnp.log(jnp.array([1.0, 2.0, 3.0]))
    assert jnp.isneginf(top_k_filter(logits, 2)[0]), "the smallest logit must become -inf"
    np.testing.assert_allclose(probabilities(logits, top_k=2), [0, 2 / 5, 3 / 5], rtol=1e-6)


@pytest.mark.parametrize(("p", "kept"), [(0.01, 1), (0.4, 1), (0.6, 2), (0.8, 4), (1.0, 4)])
def test_top_p_worked_example(p, kept):
    """p = [0.5, 0.25, 0.125, 0.125]: running mass 0.5, 0.75, 0.875, 1.0.

    Keep the most likely tokens until their mass reaches p: p = 0.4 -> 0.5 (one token);
    p = 0.6 -> 0.5 + 0.25 (two); p = 0.8 needs a third token, and the fourth ties with it, so
    both are kept (four).
    """
    logits = jnp.log(jnp.array([0.5, 0.25, 0.125, 0.125]))
    survivors = int(jnp.isfinite(top_p_filter(logits, p)).sum())
    assert survivors == kept, f"top_p={p} should keep {kept} tokens, kept {survivors}"


def test_ties_are_kept_together():
    """Logits [1, 2, 2, 0]: the 1st and 2nd largest tie, so top-1 keeps both 2s."""
    logits = jnp.array([1.0, 2.0, 2.0, 0.0])
    np.testing.assert_array_equal(jnp.isfinite(top_k_filter(logits, 1)), [0, 1, 1, 0])
    np.testing.assert_array_equal(jnp.isfinite(top_k_filter(logits, 3)), [1, 1, 1, 0])
    np.testing.assert_allclose(probabilities(logits, top_k=1), [0, 0.5, 0.5, 0])
    np.testing.assert_array_equal(softmax(logits, 0.0), [0, 1, 0, 0], "greedy takes the first")


def test_top_k_larger_than_vocabulary_keeps_everything():
    logits = jnp.array([0.3, -1.0, 2.0])
    np.testing.assert_array_equal(top_k_filter(logits, 10), logits)


def test_entropy_worked_examples():
    """Uniform over V: -V (1/V) ln(1/V) = ln V; one-hot: 1 ln 1 = 0; [1/2, 1/2]: ln 2."""
    np.testing.assert_allclose(entropy(jnp.full(65, 1 / 65)), math.log(65), rtol=1e-6)
    assert float(entropy(jnp.array([0.0, 1.0, 0.0]))) == 0.0, "0 ln 0 must count as 0"
    np.testing.assert_allclose(entropy(jnp.array([[0.5, 0.5], [1.0, 0.0]])), [math.log(2), 0])


# ---- stability and temperature 0 -------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.0, 1e-30, 0.1, 1.0, 100.0])
def test_softmax_is_finite_for_logits_of_plus_minus_1e4(temperature):
    logits = jnp.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    probs = softmax(logits, temperature)
    assert jnp.isfinite(probs).all(), f"NaN or inf at T={temperature}: {probs}"
    np.testing.assert_allclose(probs.sum(-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(probs[0], [1, 0, 0], atol=1e-6)


def test_temperature_zero_is_the_exact_one_hot_with_finite_gradients():
    logits = jnp.array([[0.1, 3.0, -2.0], [5.0, 4.0, 4.9]])
    np.testing.assert_array_equal(softmax(logits, 0.0), [[0, 1, 0], [1, 0, 0]])
    np.testing.assert_array_equal(
        probabilities(logits, 0.0, top_k=2, top_p=0.3), softmax(logits, 0)
    )

    def first_prob(z, t):
        return softmax(z, t)[0, 1]

    grad_z, grad_t = jax.grad(first_prob, argnums=(0, 1))(logits, 0.0)
    assert jnp.isfinite(grad_z).all() and jnp.isfinite(grad_t), "T = 0 must not leak NaN gradients"
    assert jnp.isfinite(jax.grad(first_prob, argnums=1)(logits, 0.7)), "dp/dT exists at T > 0"


@given(distinct_rows)
@FEW
def test_temperature_to_zero_approaches_the_argmax(logits):
    top = int(jnp.argmax(logits))
    cold = softmax(logits, 1e-3)  # gaps >= 0.5 -> others get exp(-500) = 0
    assert int(jnp.argmax(cold)) == top
    np.testing.assert_allclose(cold, jax.nn.one_hot(top, logits.shape[-1]), atol=1e-6)
    for key in range(3):
        assert int(sample(jax.random.key(key), logits, 0.0)) == top, "T = 0 must be greedy"


# ---- oracles and properties ------------------------------------------------------------------


@given(logit_rows, temperatures)
@FEW
def test_softmax_equals_jax_nn_softmax_of_scaled_logits(logits, temperature):
    # Probabilities are off by about the rounding error of the scaled logits, however small.
    scaled = np.asarray(logits, np.float64) / temperature
    expected = np.exp(scaled - scaled.max()) / np.exp(scaled - scaled.max()).sum()  # float64
    atol = float32_atol(np.asarray(logits) / temperature)
    np.testing.assert_allclose(softmax(logits, temperature), expected, rtol=0, atol=atol)


@given(logit_rows, temperatures, st.integers(1, V + 2), st.floats(0.01, 1.0))
@FEW
def test_probability_rows_sum_to_one_and_filters_only_remove_tokens(logits, t, k, p):
    batch = jnp.stack([logits, -logits])  # (2, V)
    probs = probabilities(batch, t, top_k=k, top_p=p)
    assert probs.shape == batch.shape
    atol = float32_atol(batch / t)
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=atol, err_msg="rows must sum to 1")
    assert (probs >= 0).all()
    kept = probs > 0
    unfiltered = softmax(batch, t)
    # Survivors keep their relative odds: probs = softmax restricted to the kept set, renormalised.
    survivors = jnp.where(kept, unfiltered, 0.0)
    renormalised = survivors / jnp.sum(survivors, axis=-1, keepdims=True)
    np.testing.assert_allclose(probs, renormalised, rtol=0, atol=atol)


@given(distinct_rows, st.integers(1, V + 2))
@FEW
def test_top_k_keeps_exactly_the_k_largest_when_there_are_no_ties(logits, k):
    kept = jnp.isfinite(top_k_filter(logits, k))
    expected = min(k, logits.shape[-1])
    assert int(kept.sum()) == expected, f"top_k={k} must keep exactly {expected} tokens"
    smallest_kept = jnp.min(jnp.where(kept, logits, jnp.inf))
    assert (logits[~kept] < smallest_kept).all(), "every dropped logit is below every kept one"


@given(distinct_rows, st.floats(0.01, 1.0))
@FEW
def test_top_p_keeps_the_smallest_set_whose_mass_reaches_p(logits, p):
    probs = np.asarray(jax.nn.softmax(logits), dtype=np.float64)
    kept = np.asarray(jnp.isfinite(top_p_filter(logits, p)))
    assert kept[np.argmax(probs)], "the most likely token is always kept"
    mass = probs[kept].sum()
    assert mass >= p - 1e-5, f"kept mass {mass} must reach p = {p}"
    assert mass - probs[kept].min() < p + 1e-5, "dropping the least likely kept token falls short"
    assert probs[~kept].max(initial=0) <= probs[kept].min(), "kept tokens are the most likely"


@given(logit_rows, st.floats(0.2, 5.0), st.floats(0.2, 5.0))
@FEW
def test_entropy_grows_with_temperature(logits, t1, t2):
    low, high = sorted((t1, t2))
    assert entropy(softmax(logits, low)) <= entropy(softmax(logits, high)) + 1e-4


def test_batched_input_matches_row_by_row():
    logits = jax.random.normal(jax.random.key(0), (2, 3, V)) * 3
    probs = probabilities(logits, 0.8, top_k=4, top_p=0.9)
    for i in range(2):
        for j in range(3):
            np.testing.assert_allclose(probs[i, j], probabilities(logits[i, j], 0.8, 4, 0.9))
    ids = sample(jax.random.key(1), logits, 0.8, top_k=4, top_p=0.9)
    assert ids.shape == (2, 3) and ids.dtype == jnp.int32


# ---- sampling --------------------------------------------------------------------------------


@given(logit_rows, st.integers(0, 2**31 - 1))
@settings(max_examples=20, deadline=None)
def test_same_key_same_sample(logits, seed):
    key = jax.random.key(seed)
    first = sample(key, logits, 0.9, top_k=5, top_p=0.95)
    assert int(first) == int(sample(key, logits, 0.9, top_k=5, top_p=0.95)), "same key, same id"
    assert probabilities(logits, 0.9, 5, 0.95)[first] > 0, "a filtered token was sampled"


def test_sample_frequencies_match_the_distribution():
    """20,000 draws from p = [0.1, 0.2, 0.3, 0.4]: every count within 5 standard deviations."""
    n, probs = 20_000, np.array([0.1, 0.2, 0.3, 0.4])
    logits = jnp.broadcast_to(jnp.log(jnp.asarray(probs, jnp.float32)), (n, 4))
    counts = np.bincount(np.asarray(sample(jax.random.key(7), logits)), minlength=4)
    std = np.sqrt(n * probs * (1 - probs))
    assert (np.abs(counts - n * probs) < 5 * std).all(), f"counts {counts} vs {n * probs}"
    filtered = np.bincount(np.asarray(sample(jax.random.key(8), logits, top_k=2)), minlength=4)
    assert filtered[:2].sum() == 0, "top_k=2 must never draw the two least likely tokens"
    expected = n * np.array([3 / 7, 4 / 7])
    assert (np.abs(filtered[2:] - expected) < 5 * np.sqrt(n * 12 / 49)).all()


# ---- jit with traced settings ----------------------------------------------------------------


def test_jit_with_traced_temperature_top_k_top_p_compiles_once():
    traces = []

    @jax.jit
    def draw(key, logits, temperature, top_k, top_p):
        traces.append(1)  # runs only while tracing
        return sample(key, logits, temperature, top_k, top_p), probabilities(
            logits, temperature, top_k, top_p
        )

    logits = jax.random.normal(jax.random.key(3), (2, V)) * 2
    for t, k, p in [(1.0, 5, 0.9), (0.0, 1, 0.1), (0.3, V, 1.0), (2.5, 2, 0.5)]:
        ids, probs = draw(jax.random.key(0), logits, t, k, p)
        np.testing.assert_allclose(probs, probabilities(logits, t, k, p), rtol=1e-5, atol=1e-7)
        np.testing.assert_array_equal(ids, sample(jax.random.key(0), logits, t, k, p))
    assert len(traces) == 1, f"changing only values must not recompile; traced {len(traces)} times"


def test_traced_out_of_range_values_are_clipped_not_nan():
    """Under jit a bad value cannot raise: T < 0 acts as 0, k < 1 as 1, p <= 0 keeps the top."""
    logits = jnp.array([0.0, 2.0, 1.0])
    jitted = jax.jit(probabilities)
    np.testing.assert_array_equal(jitted(logits, 1.0, 0, 0.5), [0, 1, 0], "k = 0 acts as 1")
    np.testing.assert_array_equal(jitted(logits, 1.0, 3, 0.0), [0, 1, 0], "p = 0 keeps the top")
    np.testing.assert_array_equal(jitted(logits, -1.0, 3, 1.0), [0, 1, 0], "T < 0 acts as 0")


# ---- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": -0.5}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"temperature": jnp.array([1.0, 2.0])}, "single number"),
        ({"top_p": 0.0}, "top_p"),
        ({"top_p": 1.5}, "top_p"),
        ({"top_p": -0.1}, "top_p"),
        ({"top_p": float("nan")}, "top_p"),
        ({"top_k": 0}, "top_k"),
        ({"top_k": -3}, "top_k"),
        ({"top_k": 2.5}, "integer"),
        ({"top_k": True}, "integer"),
    ],
)
def test_bad_settings_raise_a_value_error_that_names_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        probabilities(jnp.zeros(4), **kwargs)
    with pytest.raises(ValueError, match=message):
        sample(jax.random.key(0), jnp.zeros(4), **kwargs)


@pytest.mark.parametrize("logits", [jnp.float32(1.0), jnp.zeros((3, 0))])
def test_logits_without_a_vocabulary_axis_are_rejected(logits):
    for fn in (softmax, probabilities, lambda z: top_k_filter(z, 1), lambda z: top_p_filter(z, 1)):
        with pytest.raises(ValueError, match="vocabulary axis"):
            fn(logits)


@pytest.mark.parametrize("key", [0, jnp.zeros(3, jnp.uint32), None])
def test_sample_needs_a_jax_random_key(key):
    with pytest.raises(TypeError, match=r"jax\.random\.key"):
        sample(key, jnp.zeros(4))


def test_sample_accepts_old_style_uint32_keys():
    assert int(sample(jax.random.PRNGKey(0), jnp.array([0.0, 9.0]), 0.0)) == 1


def test_apply_temperature_refuses_zero_and_points_to_greedy():
    with pytest.raises(ValueError, match="greedy"):
        apply_temperature(jnp.zeros(3), 0.0)
    with pytest.raises(ValueError, match="temperature"):
        softmax(jnp.zeros(3), -1.0)
    with pytest.raises(ValueError, match="scalar"):
        entropy(0.5)


NAN, INF = float("nan"), float("inf")


def test_broken_rows_are_those_with_nan_or_plus_inf_or_only_minus_inf():
    rows = jnp.array([[0.0, NAN], [-INF, -INF], [0.0, INF], [0.0, -INF], [3.0, 1.0]])
    assert broken_rows(rows).tolist() == [True, True, True, False, False]


@pytest.mark.parametrize("logits", [[0.0, NAN, 1.0], [-INF, -INF, -INF], [0.0, INF, 1.0]])
def test_sampling_logits_no_token_can_be_drawn_from_is_refused_with_a_sentence(logits):
    with pytest.raises(ValueError, match=r"no token can be drawn.*broken model"):
        sample(jax.random.key(0), jnp.array(logits))
    with pytest.raises(ValueError, match=r"row \(1,\)"):
        sample(jax.random.key(0), jnp.array([[0.0, 1.0, 2.0], logits]))


def test_minus_inf_for_some_tokens_is_fine_they_are_never_drawn():
    logits = jnp.array([-INF, 0.0, -INF])
    ids = [int(sample(k, logits)) for k in jax.random.split(jax.random.key(0), 5)]
    assert ids == [1] * 5, "only the one finite token can be drawn"


@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_a_word_instead_of_a_number_is_a_type_error_naming_the_setting(name):
    with pytest.raises(TypeError, match=f"{name} must be a number, got 'hot'"):
        probabilities(jnp.zeros(3), **{name: "hot"})
    with pytest.raises(TypeError, match="temperature must be a number"):
        softmax(jnp.zeros(3), "hot")
