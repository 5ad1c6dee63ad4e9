"""Tests for llmlab.scaling: the power-law fit recovers known laws; the sweep trains as it says."""

import math

import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.model import GPT, GPTConfig, param_count_formula
from llmlab.scaling import PowerLaw, fit_power_law, non_embedding_params, sweep

# log10 N of 2-8 model sizes between 10 and 1e9, at least 0.1 decade apart
sizes_st = st.lists(st.floats(1.0, 9.0), min_size=2, max_size=8, unique=True).filter(
    lambda xs: np.diff(np.sort(xs)).min() >= 0.1
)


def test_the_worked_example_of_the_docstring():
    # log L falls by 1 (1.0 -> 0.1) while log N rises by 2 (1e2 -> 1e4): b = 1/2, a = 1 · 100^0.5
    law = fit_power_law([1e2, 1e4], [1.0, 0.1])
    assert math.isclose(law.a, 10.0, rel_tol=1e-9) and math.isclose(law.b, 0.5, rel_tol=1e-9)
    assert law.c == 0.0, "without irreducible=True there is no floor"
    assert math.isclose(law.predict(1e6), 0.01, rel_tol=1e-9), "the line continues: 10 · 1e6^-0.5"


def test_predict_takes_a_number_or_an_array():
    law = PowerLaw(a=10.0, b=0.5, c=1.0)
    assert law.predict(100) == 2.0, "1 + 10 · 100^-0.5 = 2"
    np.testing.assert_allclose(law.predict([1, 100, 1e4]), [11.0, 2.0, 1.1])
    assert str(law) == "L(N) = 1 + 10 · N^(-0.5)"


@settings(max_examples=60)
@given(a=st.floats(0.5, 100.0), b=st.floats(0.02, 1.5), log_n=sizes_st)
def test_a_noise_free_power_law_is_recovered(a, b, log_n):
    n = 10.0 ** np.array(log_n)
    law = fit_power_law(n, a * n ** (-b))
    assert math.isclose(law.b, b, rel_tol=1e-7, abs_tol=1e-9), f"slope {law.b}, made with {b}"
    assert math.isclose(law.a, a, rel_tol=1e-6), f"a = {law.a}, made with {a}"


@settings(max_examples=40)
@given(a=st.floats(1.0, 50.0), b=st.floats(0.05, 1.0), sigma=st.floats(0.001, 0.05),
       seed=st.integers(0, 2**32 - 1))  # fmt: skip
def test_noisy_losses_give_the_slope_within_five_standard_errors(a, b, sigma, seed):
    log_n = np.linspace(3.0, 8.0, 12)
    noise = np.random.default_rng(seed).normal(0.0, sigma, log_n.size)  # relative noise on L
    law = fit_power_law(10.0**log_n, a * (10.0**log_n) ** (-b) * np.exp(noise))
    # least squares in log space: the slope's standard error is sigma / sqrt(sum (x - mean x)^2)
    x = log_n * math.log(10.0)
    standard_error = sigma / math.sqrt(np.sum((x - x.mean()) ** 2))
    assert abs(law.b - b) <= 5 * standard_error, (
        f"fitted slope {law.b} is more than 5 standard errors ({standard_error:.2g}) from {b}"
    )


@settings(max_examples=40)
@given(a=st.floats(1.0, 50.0), b=st.floats(0.1, 1.0), c=st.floats(0.5, 2.0))
def test_a_noise_free_law_with_a_floor_is_recovered_with_its_floor(a, b, c):
    n = np.logspace(1.0, 6.0, 6)
    law = fit_power_law(n, c + a * n ** (-b), irreducible=True)
    assert math.isclose(law.c, c, rel_tol=1e-4), f"floor {law.c}, made with {c}"
    assert math.isclose(law.b, b, rel_tol=1e-4), f"slope {law.b}, made with {b}"
    assert math.isclose(law.a, a, rel_tol=1e-3), f"a = {law.a}, made with {a}"


def test_a_floor_is_zero_when_the_points_lie_on_a_plain_power_law():
    n = np.logspace(2.0, 6.0, 5)
    law = fit_power_law(n, 3.0 * n**-0.3, irreducible=True)
    smallest = 3.0 * 1e6**-0.3
    assert law.c <= 1e-9 * smallest, f"a straight log-log line has no floor, got c = {law.c}"
    assert math.isclose(law.b, 0.3, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("n_params", "losses", "message"),
    [
        ([1e3, 0.0], [2.0, 1.0], r"n_params must hold positive finite numbers.*got 0.0 at "
         r"position 1"),
        ([1e3, 1e4], [2.0, -1.0], r"losses must hold positive.*got -1.0 at position 1"),
        ([1e3, 1e4], [2.0, float("nan")], r"losses must hold positive.*nan at position 1"),
        ([1e3, 1e4, 1e5], [2.0, 1.0], r"same length.*got 3 and 2"),
        ([1e3], [2.0], r"at least 2 \(n_params, loss\) points, got 1"),
        ([1e3, 1e3], [2.0, 1.9], r"at least 2 different sizes.*only 1000"),
    ],
)  # fmt: skip
def test_bad_points_are_refused_with_what_came(n_params, losses, message):
    with pytest.raises(ValueError, match=message):
        fit_power_law(n_params, losses)


def test_a_floor_needs_three_points():
    with pytest.raises(ValueError, match=r"at least 3 .*got 2"):
        fit_power_law([1e3, 1e4], [2.0, 1.0], irreducible=True)


def test_non_embedding_params_leave_out_the_token_and_position_tables():
    config = GPTConfig(vocab_size=65, block_size=32, n_layer=2, n_head=2, n_embd=16)
    model = GPT(config, rngs=nnx.Rngs(0))
    assert non_embedding_params(model) == param_count_formula(config) - (65 + 32) * 16


V = 6
CORPUS = np.array([0, 1, 2, 3, 4, 5, 4, 3, 2, 1] * 60, dtype=np.int32)
SWEEP = dict(vocab_size=V, block_size=8, batch_size=4, eval_iters=2)


def test_a_sweep_trains_each_size_on_the_same_tokens_and_is_reproducible():
    sizes = [(1, 1, 8), (1, 2, 16)]
    points = sweep(sizes, 4 * 8 * 30, CORPUS, CORPUS, **SWEEP)
    again = sweep(sizes, 4 * 8 * 30, CORPUS, CORPUS, **SWEEP)
    assert [p.config.n_embd for p in points] == [8, 16], "one point per size, in order"
    for point in points:
        formula = param_count_formula(point.config)
        assert point.n_total == formula, "n_total counts every parameter"
        assert point.n_params == formula - (V + 8) * point.config.n_embd
        assert 0 < point.val_loss < math.log(V), "30 steps on a loop must beat uniform guessing"
    assert [p.val_loss for p in points] == [p.val_loss for p in again], "same seed, same losses"


def test_on_point_hears_of_each_model_as_it_is_measured():
    heard = []
    points = sweep([(1, 1, 8)], 4 * 8 * 2, CORPUS, CORPUS, **SWEEP, on_point=heard.append)
    assert heard == points


@pytest.mark.parametrize(
    ("sizes", "tokens", "message"),
    [
        ([(1, 3, 16)], 1000, r"\(n_layer, n_head, n_embd\).*got \(1, 3, 16\)"),
        ([(1, 16)], 1000, r"\(n_layer, n_head, n_embd\).*got \(1, 16\)"),
        ([], 1000, "at least one size"),
        ([(1, 1, 8)], 31, r"at least batch_size · block_size = 32.*got 31"),
        ([(1, 1, 8)], 1e5, r"tokens must be an int.*got 100000.0"),
    ],
)
def test_bad_sizes_and_budgets_are_refused_before_any_training(sizes, tokens, message):
    with pytest.raises(ValueError, match=message):
        sweep(sizes, tokens, CORPUS, CORPUS, **SWEEP)
