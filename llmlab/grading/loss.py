"""Checks for lesson 04 (loss): log-softmax with logsumexp, NLL from logits, perplexity."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.grading.sampling import random_logits
from llmlab.loss import nll, perplexity

LESSON = "04_loss"


@task(
    LESSON,
    "log_softmax",
)
def check_log_softmax(fn, rng):
    V = int(rng.integers(4, 12))
    cases = [
        (random_logits(rng, V), f"for logits of shape ({V},)"),
        (random_logits(rng, 2, 5, V), f"for a batch of shape (2, 5, {V})"),
        (random_logits(rng, V, scale=40.0) + 500.0, "for large logits (around 500)"),
        (jnp.asarray([0.0, -200.0, 3.0, 1.0]), "for logits [0, -200, 3, 1] (one tiny probability)"),
    ]
    for logits, when in cases:
        got = as_array(call(fn, logits, when=when), "log-probabilities", when)
        same_shape(got, logits.shape, "log-probabilities", when)
        if np.isnan(got).any() or np.isinf(got).any():
            raise Mistake(
                f"your log-probabilities contain NaN or inf {when}: log(softmax) underflows "
                "or exp overflows; use z - logsumexp(z) with the max subtracted."
            )
        if (got > 1e-6).any():
            raise Mistake(f"some of your log-probabilities are positive {when}: log p ≤ 0.")
        close(got, jax.nn.log_softmax(logits), "log-probabilities", when, rtol=1e-4, atol=1e-4)


@task(
    LESSON,
    "nll_loss",
    references=("llmlab.loss.nll",),
)
def check_nll_loss(fn, rng):
    V = int(rng.integers(4, 12))
    for shape in [(5,), (3, 4), (1,)]:
        logits = random_logits(rng, *shape, V)
        targets = jnp.asarray(rng.integers(0, V, size=shape), dtype=jnp.int32)
        when = f"for logits of shape {(*shape, V)} and targets of shape {shape}"
        got = as_array(call(fn, logits, targets, when=when), "loss", when)
        if got.size != 1:
            raise Mistake(
                f"your loss has shape {got.shape} {when}: average over all positions to get "
                "one number."
            )
        want = float(nll(logits, targets))
        value = float(got.reshape(()))
        if value < 0:  # -log p >= 0 because p <= 1
            raise Mistake(f"your loss is negative {when}: NLL is MINUS the mean log-probability.")
        if shape != (1,) and np.isclose(value, want * np.prod(shape), rtol=1e-4):
            raise Mistake(f"you summed the losses {when}: take their mean instead.")
        close(value, want, "loss", when)
    logits = jnp.asarray([[2000.0, 0.0, -2000.0]])
    targets = jnp.asarray([1], dtype=jnp.int32)
    when = "for the huge logits [2000, 0, -2000] with target 1 (loss 2000)"
    got = as_array(call(fn, logits, targets, when=when), "loss", when)
    if np.isnan(got).any() or np.isinf(got).any():
        raise Mistake(f"your loss is NaN or inf {when}: compute log-softmax with logsumexp.")
    close(got.reshape(()), 2000.0, "loss", when)


@task(
    LESSON,
    "perplexity",
    references=("llmlab.loss.perplexity",),
)
def check_perplexity(fn, rng):
    V = int(rng.integers(2, 100))
    for value, when in [
        (float(np.log(V)), f"for the NLL ln {V} of a uniform guess over {V} tokens"),
        (0.0, "for a loss of 0 (a model that is always sure and right)"),
        (float(rng.uniform(0.5, 5.0)), "for a random loss"),
    ]:
        got = as_array(call(fn, jnp.float32(value), when=when), "perplexity", when)
        if got.size != 1:
            raise Mistake(f"your perplexity has shape {got.shape} {when}: return one number.")
        if np.isclose(float(got.reshape(-1)[0]), np.exp(-value)) and value > 0:
            raise Mistake(f"you computed exp(-NLL) {when}: perplexity is exp(+NLL) ≥ 1.")
        if np.isclose(float(got.reshape(-1)[0]), 2.0**value) and value > 0:
            raise Mistake(f"you used base 2 {when}: our NLL is in nats, so use exp.")
        close(got.reshape(()), perplexity(value), "perplexity", when)
