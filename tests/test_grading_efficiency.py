# ruff: noqa: E501  (the table of mistakes reads best one per line)
"""The checks of lesson 12 (llmlab/grading/efficiency.py).

Its planted mistakes (MISTAKES, run by test_grading_mistakes.py with the other lessons'); the
exact binomial ranges against scipy; and, computed exactly rather than sampled, how often the
speculative step's distribution test would fail a right answer and how surely it catches the
classic wrong ones on its own, without the structural checks that usually name them first.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.stats import binom

import llmlab.grading as grading
from llmlab import cost, quantize, speculative
from llmlab.grading.efficiency import CALLS, TAIL, binomial_range, speculative_case


def quantize_with(w, bits, *, axis=0, qmax=None, guard=True, rounding=jnp.round):
    qmax = qmax or 2 ** (bits - 1) - 1
    absmax = jnp.max(jnp.abs(w), axis=axis)
    scale = jnp.where(absmax > 0, absmax / qmax, 1.0) if guard else absmax / qmax
    shaped = scale if axis is None else jnp.expand_dims(scale, axis)
    q = jnp.clip(rounding(w / shaped), -qmax, qmax).astype(jnp.int8)
    return q, scale


def step_always_accepting(key, p, q, token):
    return True, token


def step_resampling_from(target):
    """A step that accepts with probability min(1, p/q) but draws a rejection's token from
    target(p, q) instead of the residual."""

    def step(key, p, q, token):
        k1, k2 = jax.random.split(key)
        if jax.random.uniform(k1) < p[token] / q[token]:
            return True, token
        return False, int(jax.random.choice(k2, p.shape[0], p=target(p, q)))

    return step


def step_keeping_what_the_target_likes_as_much(key, p, q, token):
    # Right structure (keeps p >= q, rejects p = 0, redraws from the residual), wrong coin:
    # a token the draft likes a little more than the target is never kept.
    if p[token] >= q[token]:
        return True, token
    residual = jnp.maximum(p - q, 0.0)
    return False, int(jax.random.choice(key, p.shape[0], p=residual / residual.sum()))


def residual_reversed(p, q):
    r = jnp.maximum(q - p, 0.0)
    return r / r.sum()


def days(n, d, g, peak, u, *, flops_per=6, per_day=86_400):
    return flops_per * n * d / (g * peak * u) / per_day


MISTAKES = [
    ("quantize", lambda w, bits: quantize_with(w, bits, axis=None), "one scale for the whole matrix"),
    ("quantize", lambda w, bits: quantize_with(w, bits, axis=1), "one scale per row"),
    ("quantize", lambda w, bits: quantize_with(w, bits, qmax=2 ** (bits - 1)), "absmax / 128"),
    ("quantize", lambda w, bits: quantize_with(w, bits, guard=False), "all-zero column"),
    ("quantize", lambda w, bits: quantize_with(w, bits, rounding=jnp.trunc), "truncated"),
    ("quantize", lambda w, bits: quantize_with(w, bits, rounding=jnp.floor), "within half a step"),
    ("dequantize", lambda q, s: q * s[:, None], "multiplied the rows"),
    ("dequantize", lambda q, s: q / s[None, :], "divided q by the scales"),
    ("accept_or_resample", step_always_accepting, "probability 0"),
    ("accept_or_resample", step_resampling_from(lambda p, q: p), "residual max(p - q, 0)"),
    ("accept_or_resample", step_resampling_from(residual_reversed), "residual max(p - q, 0)"),
    ("accept_or_resample", step_keeping_what_the_target_likes_as_much, "that count would lie in"),
    ("training_days", lambda n, d, g, peak, u: days(n, d, g, peak, u, flops_per=2), "forward pass only"),
    ("training_days", lambda n, d, g, peak, u: days(n, d, g, peak, 1.0), "too short by the utilisation"),
    ("training_days", lambda n, d, g, peak, u: days(n, d, g, peak, 1 / u), "multiplied by the utilisation"),
    ("training_days", lambda n, d, g, peak, u: days(n, d, g, peak, u, per_day=3_600), "in hours"),
    ("training_days", lambda n, d, g, peak, u: days(n, d, 1, peak, u), "time on one GPU"),
    ("kv_cache_bytes", lambda L, T, C, B, nbytes: L * T * C * B * nbytes, "a key AND a value"),
    ("kv_cache_bytes", lambda L, T, C, B, nbytes: 2 * T * C * B * nbytes, "one layer"),
    ("kv_cache_bytes", lambda L, T, C, B, nbytes: L * 2 * T * C * nbytes, "one sequence"),
    ("kv_cache_bytes", lambda L, T, C, B, nbytes: L * 2 * T * C * B, "numbers, not bytes"),
]  # fmt: skip


RIGHT = {
    "quantize": quantize.quantize,
    "dequantize": quantize.dequantize,
    "accept_or_resample": speculative.accept_or_resample,
    "training_days": lambda n, d, g, peak, u: cost.training_days(6 * n * d, g, peak, u),
    "kv_cache_bytes": lambda L, T, C, B, nbytes: L * 2 * T * C * B * nbytes,
}


@pytest.mark.parametrize("task_id", list(RIGHT))
def test_llmlab_own_answers_pass_the_lesson_12_checks(task_id):
    for seed in range(2):
        result = grading.run_check(task_id, RIGHT[task_id], seed=seed)
        assert result.passed, (
            f"{task_id}: llmlab's own answer failed (seed {seed}): {result.message}"
        )


@pytest.mark.parametrize("n", [1, 40, CALLS])
@pytest.mark.parametrize("p", [0.0, 1e-3, 0.02, 0.3, 0.5, 0.93, 1.0])
def test_a_binomial_range_is_the_narrowest_with_at_most_tail_on_each_side(n, p):
    lo, hi = binomial_range(n, p)
    assert binom.cdf(lo - 1, n, p) <= TAIL, "fewer than lo happens at most TAIL of the time"
    assert binom.sf(hi, n, p) <= TAIL, "more than hi happens at most TAIL of the time"
    if 0 < p < 1:  # and it could not be narrower
        assert binom.cdf(lo, n, p) > TAIL and binom.sf(hi - 1, n, p) > TAIL, (lo, hi)


def caught(wrong: np.ndarray, p: np.ndarray) -> float:
    """The chance that the distribution test fails a step whose tokens follow `wrong`:
    at least its chance on the token where it is largest (exact binomial sums)."""
    chances = []
    for i in range(len(p)):
        lo, hi = binomial_range(CALLS, float(p[i]))
        chances.append(binom.cdf(lo - 1, CALLS, wrong[i]) + binom.sf(hi, CALLS, wrong[i]))
    return max(chances)


def test_the_distribution_test_fails_a_right_answer_less_than_once_in_a_million():
    # Summed over tokens and both sides (a union bound): the exact chance that a step whose
    # tokens follow p lands outside one of the ranges.
    for seed in range(50):
        p, _ = speculative_case(np.random.default_rng(seed))
        false_alarm = 0.0
        for p_i in p.astype(np.float64):
            lo, hi = binomial_range(CALLS, float(p_i))
            false_alarm += binom.cdf(lo - 1, CALLS, p_i) + binom.sf(hi, CALLS, p_i)
        assert false_alarm < 1e-6, f"seed {seed}: a right answer fails {false_alarm:.2g} of checks"


def test_the_distribution_test_alone_catches_always_accepting_and_resampling_from_p():
    # Always accepting outputs the draft's q; resampling from p outputs min(p, q) + (1 - β) p,
    # β = Σ min(p, q). The structural checks name both at once; this shows that the counts
    # alone would catch them too, on every draw of p and q the checker can make.
    for seed in range(100):
        p, q = (a.astype(np.float64) for a in speculative_case(np.random.default_rng(seed)))
        overlap = np.minimum(p, q)
        from_p = overlap + (1 - overlap.sum()) * p
        assert caught(q, p) > 1 - 1e-9, f"seed {seed}: always accepting could pass"
        assert caught(from_p, p) > 0.9999, f"seed {seed}: resampling from p could pass"


def test_the_speculative_case_has_a_token_only_the_target_wants_and_one_it_never_says():
    for seed in range(50):
        p, q = speculative_case(np.random.default_rng(seed))
        assert np.isclose(p.sum(), 1, atol=1e-6) and np.isclose(q.sum(), 1, atol=1e-6)
        assert (q > 0).all(), "the draft can propose every token"
        assert ((p == 0) & (q > 0.25)).any(), "a likely proposal the target never says"
        assert (p - q > 0.3).any(), "the residual has a token the target wants much more"
