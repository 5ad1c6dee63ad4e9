"""Tests for llmlab.loss: negative log-likelihood (cross-entropy), masks and perplexity."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tolerances import float32_atol

from llmlab.loss import cross_entropy, nll, nll_from_probs, perplexity, token_nll

FEW = settings(max_examples=50, deadline=None)
B, T, V = 2, 3, 5  # one shape for the property tests: each new shape costs JAX a compilation


def _loop_token_nll(logits, targets):
    """The obvious spec: softmax each row with Python floats, take -ln of the target's share."""
    logits, targets = np.asarray(logits, np.float64), np.asarray(targets)
    out = np.zeros(targets.shape)
    for index in np.ndindex(targets.shape):
        row = logits[index]
        exps = [math.exp(z - row.max()) for z in row]
        out[index] = -math.log(exps[targets[index]] / sum(exps))
    return out


batches = st.integers(0, 2**31 - 1).map(
    lambda seed: (
        jax.random.normal(jax.random.key(seed), (B, T, V)) * 4,
        jax.random.randint(jax.random.key(seed + 1), (B, T), 0, V),
    )
)


# ---- worked examples -------------------------------------------------------------------------


def test_nll_of_a_uniform_distribution_is_ln_v_and_its_perplexity_is_v():
    """Equal logits over V = 65 characters: p = 1/65, -ln(1/65) = ln 65 ≈ 4.174, exp(ln 65) = 65."""
    logits, targets = jnp.zeros((4, 65)), jnp.array([0, 7, 30, 64])
    np.testing.assert_allclose(token_nll(logits, targets), [math.log(65)] * 4, rtol=1e-6)
    np.testing.assert_allclose(nll(logits, targets), math.log(65), rtol=1e-6)
    np.testing.assert_allclose(perplexity(nll(logits, targets)), 65.0, rtol=1e-5)


def test_nll_worked_example_three_quarters():
    """Logits [0, ln 3]: p = [1, 3] / 4. Target 1 -> -ln(3/4) ≈ 0.2877; target 0 -> ln 4 ≈ 1.386."""
    logits = jnp.array([[0.0, math.log(3)], [0.0, math.log(3)]])
    np.testing.assert_allclose(
        token_nll(logits, jnp.array([1, 0])), [-math.log(0.75), math.log(4)], rtol=1e-6
    )
    mean = (-math.log(0.75) + math.log(4)) / 2
    np.testing.assert_allclose(nll(logits, jnp.array([1, 0])), mean, rtol=1e-6)
    np.testing.assert_allclose(
        nll_from_probs(jnp.array([[0.25, 0.75]]), jnp.array([1])), -math.log(0.75), rtol=1e-6
    )


def test_a_confident_right_answer_costs_nearly_nothing_and_a_confident_wrong_one_a_lot():
    """Logits [10, 0]: p(0) = 1 / (1 + e^-10), so NLL(0) = ln(1 + e^-10) ≈ 4.5e-5, NLL(1) ≈ 10.

    (float32 holds 10.0000454 to about 1e-6, hence the absolute tolerance.)
    """
    logits = jnp.array([[10.0, 0.0], [10.0, 0.0]])
    right, wrong = token_nll(logits, jnp.array([0, 1]))
    np.testing.assert_allclose(right, math.log1p(math.exp(-10)), atol=1e-6)
    np.testing.assert_allclose(wrong, 10 + math.log1p(math.exp(-10)), rtol=1e-6)


def test_mask_averages_over_masked_in_positions_only():
    """Per-position NLL [ln 4, -ln(3/4), ln 4] with mask [1, 0, 1] -> mean of the two ln 4."""
    logits = jnp.array([[0.0, math.log(3)]] * 3)
    targets = jnp.array([0, 1, 0])
    mask = jnp.array([True, False, True])
    np.testing.assert_allclose(nll(logits, targets, mask), math.log(4), rtol=1e-6)
    np.testing.assert_allclose(nll_from_probs(jax.nn.softmax(logits), targets, mask), math.log(4))


def test_huge_logits_give_finite_losses():
    logits = jnp.array([[1e4, -1e4, 0.0]] * 3)
    losses = token_nll(logits, jnp.array([0, 1, 2]))
    assert jnp.isfinite(losses).all(), "logsumexp must not overflow for logits of ±1e4"
    np.testing.assert_allclose(losses, [0.0, 2e4, 1e4], rtol=1e-6)


def test_cross_entropy_is_nll():
    assert cross_entropy is nll, "cross-entropy with a one-hot target is the same function"


# ---- oracles and properties ------------------------------------------------------------------


@given(batches)
@FEW
def test_token_nll_equals_optax_and_a_python_loop(batch):
    logits, targets = batch
    exact = _loop_token_nll(logits, targets)  # float64
    atol = float32_atol(logits)  # float32 -ln p is exact to a few ulps of the logits' size
    expected = optax.softmax_cross_entropy_with_integer_labels(logits, targets)
    np.testing.assert_allclose(token_nll(logits, targets), expected, rtol=0, atol=atol)
    np.testing.assert_allclose(token_nll(logits, targets), exact, rtol=0, atol=atol)
    np.testing.assert_allclose(nll(logits, targets), exact.mean(), rtol=0, atol=atol)


@given(batches, st.lists(st.booleans(), min_size=B * T, max_size=B * T))
@FEW
def test_masked_nll_is_the_mean_of_the_kept_positions_and_never_negative(batch, bits):
    logits, targets = batch
    mask = np.array(bits).reshape(B, T)
    per_position = np.asarray(token_nll(logits, targets))
    assert (per_position >= 0).all(), "-ln p is never negative since p <= 1"
    if not mask.any():
        with pytest.raises(ValueError, match="mask hides every position"):
            nll(logits, targets, mask)
        return
    # The reference is float64; a loss near 0 (p near 1) is compared in absolute terms, since
    # float32 -ln p of a p rounded to float32 is off by an ulp of 1, not by a ulp of the loss.
    exact = _loop_token_nll(logits, targets)[mask].mean()
    atol = float32_atol(logits)
    np.testing.assert_allclose(nll(logits, targets, mask), exact, rtol=0, atol=atol)
    probs = jax.nn.softmax(logits)
    np.testing.assert_allclose(nll_from_probs(probs, targets, mask), exact, rtol=0, atol=atol)


def test_gradient_of_nll_is_softmax_minus_one_hot():
    """d/dz of (logsumexp(z) - z[y]) = softmax(z) - one_hot(y), averaged over positions."""
    logits = jax.random.normal(jax.random.key(0), (B, T, V))
    targets = jax.random.randint(jax.random.key(1), (B, T), 0, V)
    grad = jax.grad(nll)(logits, targets)
    expected = (jax.nn.softmax(logits) - jax.nn.one_hot(targets, V)) / (B * T)
    np.testing.assert_allclose(grad, expected, atol=1e-6)


def test_under_jit_an_all_hidden_mask_gives_zero_and_finite_gradients():
    logits = jax.random.normal(jax.random.key(0), (B, T, V))
    targets = jnp.zeros((B, T), jnp.int32)
    hidden = jnp.zeros((B, T), bool)
    value, grad = jax.jit(jax.value_and_grad(nll))(logits, targets, hidden)
    assert float(value) == 0.0, "a batch with nothing to score has loss 0 under jit"
    assert jnp.isfinite(grad).all() and not grad.any(), "and contributes no gradient"
    np.testing.assert_allclose(
        jax.jit(nll)(logits, targets, jnp.ones((B, T), bool)), nll(logits, targets), rtol=1e-6
    )


def test_hidden_positions_with_infinite_loss_do_not_poison_the_mean():
    probs = jnp.array([[1.0, 0.0], [0.5, 0.5]])
    targets, mask = jnp.array([1, 0]), jnp.array([False, True])
    assert float(nll_from_probs(probs, targets)) == math.inf, "p = 0 for the target costs inf"
    np.testing.assert_allclose(nll_from_probs(probs, targets, mask), math.log(2), rtol=1e-6)


# ---- bad input -------------------------------------------------------------------------------


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3, 5\).*\(2, 4\)"):
        nll(jnp.zeros((2, 3, 5)), jnp.zeros((2, 4), jnp.int32))
    with pytest.raises(ValueError, match=r"\(\).*\(\)"):
        token_nll(jnp.float32(0.0), jnp.int32(0))
    with pytest.raises(ValueError, match="mask"):
        nll(jnp.zeros((2, 5)), jnp.zeros(2, jnp.int32), jnp.ones(3, bool))


@pytest.mark.parametrize("bad", [-1, 5, 100])
def test_targets_out_of_range_are_rejected(bad):
    targets = jnp.array([0, bad, 2])
    with pytest.raises(ValueError, match=rf"targets\[1\] = {bad} .*\[0, 5\)"):
        nll(jnp.zeros((3, 5)), targets)
    with pytest.raises(ValueError, match="not a token id"):
        nll_from_probs(jnp.full((3, 5), 0.2), targets)


def test_float_targets_are_a_type_error():
    with pytest.raises(TypeError, match="integer"):
        nll(jnp.zeros((3, 5)), jnp.array([0.0, 1.0, 2.0]))


def test_negative_mask_weights_are_rejected():
    with pytest.raises(ValueError, match="weights >= 0"):
        nll(jnp.zeros((2, 5)), jnp.array([0, 1]), jnp.array([1.0, -1.0]))
