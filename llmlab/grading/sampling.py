"""Checks for lesson 03 (softmax, temperature, sampling): a stable softmax, softmax with
temperature, and the top-k and top-p filters."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say
from llmlab.sampling import softmax, top_k_filter, top_p_filter

LESSON = "03_sampling"


def random_logits(rng: np.random.Generator, *shape: int, scale: float = 3.0) -> jnp.ndarray:
    return jnp.asarray(rng.normal(0.0, scale, size=shape), dtype=jnp.float32)


def probabilities_of(fn, logits, *args, when: str) -> np.ndarray:
    """Call a softmax-like function and insist on the basics: shape, no NaN, rows sum to 1."""
    name = say("check.name.probabilities")
    got = as_array(call(fn, logits, *args, when=when), name, when)
    same_shape(got, logits.shape, name, when)
    if np.isnan(got).any() or np.isinf(got).any():
        raise Mistake(say("check.sampling.overflow", when=when))
    sums = got.sum(axis=-1)
    if not np.allclose(sums, 1.0, atol=1e-4):
        if logits.ndim > 1 and np.isclose(got.sum(), 1.0):
            raise Mistake(say("check.sampling.batch_sums_to_1", when=when))
        raise Mistake(say("check.sampling.not_sum_1", when=when, total=f"{sums.flat[0]:.4g}"))
    return got


@task(
    LESSON,
    "stable_softmax",
    references=("llmlab.sampling.softmax",),
)
def check_stable_softmax(fn, rng):
    V = int(rng.integers(4, 12))
    cases = [
        (random_logits(rng, V), say("check.when.logits_shape", shape=f"({V},)")),
        (random_logits(rng, 3, V), say("check.sampling.when_batch", shape=f"(3, {V})")),
        (random_logits(rng, V) + 1000.0, say("check.when.large_logits", size=1000)),
        (random_logits(rng, 2, 3, V, scale=50.0), say("check.sampling.when_spread")),
        (random_logits(rng, 1), say("check.sampling.when_single")),
    ]
    for logits, when in cases:
        got = probabilities_of(fn, logits, when=when)
        close(got, softmax(logits), say("check.name.probabilities"), when)


@task(
    LESSON,
    "softmax_temperature",
    references=("llmlab.sampling.softmax",),
)
def check_softmax_temperature(fn, rng):
    V = int(rng.integers(4, 12))
    for temperature in [1.0, 0.5, 2.0, float(rng.uniform(0.2, 3.0)), 0.01]:
        logits = random_logits(rng, 2, V)
        when = say("check.sampling.when_temperature", temperature=f"{temperature:g}")
        got = probabilities_of(fn, logits, temperature, when=when)
        if temperature != 1.0 and np.allclose(got, softmax(logits * temperature), atol=1e-5):
            raise Mistake(say("check.sampling.multiplied", when=when))
        if temperature != 1.0 and np.allclose(got, softmax(logits), atol=1e-5):
            raise Mistake(say("check.sampling.ignores_t", when=when))
        close(got, softmax(logits, temperature), say("check.name.probabilities"), when)


def check_kept(got: np.ndarray, want: np.ndarray, what: str, when: str) -> None:
    """Compare which logits survive a filter, then their values."""
    kept, want_kept = got > -np.inf, want > -np.inf
    if np.isnan(got).any():
        raise Mistake(say("check.sampling.filter_nan", when=when))
    dropped = ~want_kept & kept
    if dropped.any() and np.all(got[dropped] == 0):
        raise Mistake(say("check.sampling.dropped_to_0", when=when))
    if (kept.sum(-1) != want_kept.sum(-1)).any():
        row = int(np.argmax((kept.sum(-1) != want_kept.sum(-1)).reshape(-1)))
        n, m = (
            kept.reshape(-1, got.shape[-1])[row].sum(),
            want_kept.reshape(-1, got.shape[-1])[row].sum(),
        )
        raise Mistake(say("check.sampling.kept_count", n=n, what=what, m=m, when=when))
    if (kept != want_kept).any():
        raise Mistake(say("check.sampling.wrong_tokens", when=when))
    kept_name = say("check.name.kept_logits")
    close(np.where(kept, got, 0.0), np.where(want_kept, want, 0.0), kept_name, when)


@task(
    LESSON,
    "top_k_filter",
    references=("llmlab.sampling.top_k_filter",),
)
def check_top_k_filter(fn, rng):
    V = int(rng.integers(6, 12))
    for k, shape in [(1, (V,)), (3, (V,)), (int(rng.integers(2, V)), (4, V)), (V, (V,))]:
        logits = random_logits(rng, *shape)
        when = say("check.sampling.when_k", k=k, shape=shape)
        name = say("check.name.filtered_logits")
        got = as_array(call(fn, logits, k, when=when), name, when)
        same_shape(got, logits.shape, name, when)
        what = say("check.sampling.top_k", k=k)
        check_kept(got, np.asarray(top_k_filter(logits, k)), what, when)


@task(
    LESSON,
    "top_p_filter",
    references=("llmlab.sampling.top_p_filter",),
)
def check_top_p_filter(fn, rng):
    V = int(rng.integers(6, 12))
    cases = [(0.9, (V,)), (0.5, (V,)), (float(rng.uniform(0.3, 0.95)), (3, V))]
    cases += [(1.0, (V,)), (0.001, (V,))]
    for p, shape in cases:
        logits = random_logits(rng, *shape, scale=1.5)
        when = say("check.sampling.when_p", p=f"{p:.3g}", shape=shape)
        name = say("check.name.filtered_logits")
        got = as_array(call(fn, logits, p, when=when), name, when)
        same_shape(got, logits.shape, name, when)
        want = np.asarray(top_p_filter(logits, p))
        if (got > -np.inf).sum() + 1 == (want > -np.inf).sum() and p < 1.0 and got.ndim == 1:
            raise Mistake(say("check.sampling.dropped_crossing", when=when))
        check_kept(got, want, say("check.sampling.top_p", p=f"{p:.3g}"), when)
