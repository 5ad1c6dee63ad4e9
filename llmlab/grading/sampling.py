"""Checks for lesson 03 (softmax, temperature, sampling): a stable softmax, softmax with
temperature, and the top-k and top-p filters."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.sampling import softmax, top_k_filter, top_p_filter

LESSON = "03_sampling"


def random_logits(rng: np.random.Generator, *shape: int, scale: float = 3.0) -> jnp.ndarray:
    return jnp.asarray(rng.normal(0.0, scale, size=shape), dtype=jnp.float32)


def probabilities_of(fn, logits, *args, when: str) -> np.ndarray:
    """Call a softmax-like function and insist on the basics: shape, no NaN, rows sum to 1."""
    got = as_array(call(fn, logits, *args, when=when), "probabilities", when)
    same_shape(got, logits.shape, "probabilities", when)
    if np.isnan(got).any() or np.isinf(got).any():
        raise Mistake(
            f"your probabilities contain NaN or inf {when}: exp overflowed; subtract the "
            "largest logit of each row before exp (it does not change the result)."
        )
    sums = got.sum(axis=-1)
    if not np.allclose(sums, 1.0, atol=1e-4):
        if logits.ndim > 1 and np.isclose(got.sum(), 1.0):
            raise Mistake(
                f"your whole batch sums to 1 but each row should {when}: sum over axis=-1 "
                "with keepdims=True."
            )
        raise Mistake(
            f"your probabilities do not sum to 1 {when} (one row sums to {sums.flat[0]:.4g})."
        )
    return got


@task(
    LESSON,
    "stable_softmax",
    references=("llmlab.sampling.softmax",),
)
def check_stable_softmax(fn, rng):
    V = int(rng.integers(4, 12))
    cases = [
        (random_logits(rng, V), f"for logits of shape ({V},)"),
        (random_logits(rng, 3, V), f"for a batch of logits of shape (3, {V})"),
        (random_logits(rng, V) + 1000.0, "for large logits (around 1000)"),
        (random_logits(rng, 2, 3, V, scale=50.0), "for logits of shape (2, 3, V) spread ±100"),
        (random_logits(rng, 1), "for a single token (V = 1)"),
    ]
    for logits, when in cases:
        got = probabilities_of(fn, logits, when=when)
        close(got, softmax(logits), "probabilities", when)


@task(
    LESSON,
    "softmax_temperature",
    references=("llmlab.sampling.softmax",),
)
def check_softmax_temperature(fn, rng):
    V = int(rng.integers(4, 12))
    for temperature in [1.0, 0.5, 2.0, float(rng.uniform(0.2, 3.0)), 0.01]:
        logits = random_logits(rng, 2, V)
        when = f"when temperature = {temperature:g}"
        got = probabilities_of(fn, logits, temperature, when=when)
        if temperature != 1.0 and np.allclose(got, softmax(logits * temperature), atol=1e-5):
            raise Mistake(f"you multiplied the logits by T {when}: divide them by T instead.")
        if temperature != 1.0 and np.allclose(got, softmax(logits), atol=1e-5):
            raise Mistake(f"your probabilities ignore the temperature {when}.")
        close(got, softmax(logits, temperature), "probabilities", when)


def check_kept(got: np.ndarray, want: np.ndarray, what: str, when: str) -> None:
    """Compare which logits survive a filter, then their values."""
    kept, want_kept = got > -np.inf, want > -np.inf
    if np.isnan(got).any():
        raise Mistake(f"your filtered logits contain NaN {when}.")
    dropped = ~want_kept & kept
    if dropped.any() and np.all(got[dropped] == 0):
        raise Mistake(
            f"you set the dropped logits to 0 {when}, but exp(0) = 1 still gives them "
            "probability: set them to -jnp.inf."
        )
    if (kept.sum(-1) != want_kept.sum(-1)).any():
        row = int(np.argmax((kept.sum(-1) != want_kept.sum(-1)).reshape(-1)))
        n, m = (
            kept.reshape(-1, got.shape[-1])[row].sum(),
            want_kept.reshape(-1, got.shape[-1])[row].sum(),
        )
        raise Mistake(f"you kept {n} tokens but {what} keeps {m} {when}.")
    if (kept != want_kept).any():
        raise Mistake(f"you kept the wrong tokens {when}: keep the largest logits.")
    close(np.where(kept, got, 0.0), np.where(want_kept, want, 0.0), "kept logits", when)


@task(
    LESSON,
    "top_k_filter",
    references=("llmlab.sampling.top_k_filter",),
)
def check_top_k_filter(fn, rng):
    V = int(rng.integers(6, 12))
    for k, shape in [(1, (V,)), (3, (V,)), (int(rng.integers(2, V)), (4, V)), (V, (V,))]:
        logits = random_logits(rng, *shape)
        when = f"when k = {k} for logits of shape {shape}"
        got = as_array(call(fn, logits, k, when=when), "filtered logits", when)
        same_shape(got, logits.shape, "filtered logits", when)
        check_kept(got, np.asarray(top_k_filter(logits, k)), f"top-k with k = {k}", when)


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
        when = f"when p = {p:.3g} for logits of shape {shape}"
        got = as_array(call(fn, logits, p, when=when), "filtered logits", when)
        same_shape(got, logits.shape, "filtered logits", when)
        want = np.asarray(top_p_filter(logits, p))
        if (got > -np.inf).sum() + 1 == (want > -np.inf).sum() and p < 1.0 and got.ndim == 1:
            raise Mistake(
                f"you dropped the token that makes the total reach p {when}: keep tokens "
                "while the mass before them is below p, so that the kept mass is at least p."
            )
        check_kept(got, want, f"top-p with p = {p:.3g}", when)
