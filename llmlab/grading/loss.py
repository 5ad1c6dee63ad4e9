"""Checks for lesson 04 (loss): log-softmax with logsumexp, NLL from logits, perplexity."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.grading.sampling import random_logits
from llmlab.i18n import say
from llmlab.loss import nll, perplexity

LESSON = "04_loss"


@task(
    LESSON,
    "log_softmax",
)
def check_log_softmax(fn, rng):
    V = int(rng.integers(4, 12))
    cases = [
        (random_logits(rng, V), say("check.when.logits_shape", shape=f"({V},)")),
        (random_logits(rng, 2, 5, V), say("check.when.batch_shape", shape=f"(2, 5, {V})")),
        (random_logits(rng, V, scale=40.0) + 500.0, say("check.when.large_logits", size=500)),
        (jnp.asarray([0.0, -200.0, 3.0, 1.0]), say("check.loss.when_tiny")),
    ]
    name = say("check.name.log_probs")
    for logits, when in cases:
        got = as_array(call(fn, logits, when=when), name, when)
        same_shape(got, logits.shape, name, when)
        if np.isnan(got).any() or np.isinf(got).any():
            raise Mistake(say("check.loss.log_softmax_nan", when=when))
        if (got > 1e-6).any():
            raise Mistake(say("check.loss.positive", when=when))
        close(got, jax.nn.log_softmax(logits), name, when, rtol=1e-4, atol=1e-4)


@task(
    LESSON,
    "nll_loss",
    references=("llmlab.loss.nll",),
)
def check_nll_loss(fn, rng):
    V = int(rng.integers(4, 12))
    name = say("check.name.loss")
    for shape in [(5,), (3, 4), (1,)]:
        logits = random_logits(rng, *shape, V)
        targets = jnp.asarray(rng.integers(0, V, size=shape), dtype=jnp.int32)
        when = say("check.loss.when_nll", logits=(*shape, V), targets=shape)
        got = as_array(call(fn, logits, targets, when=when), name, when)
        if got.size != 1:
            raise Mistake(say("check.loss.not_scalar", shape=got.shape, when=when))
        want = float(nll(logits, targets))
        value = float(got.reshape(()))
        if value < 0:  # -log p >= 0 because p <= 1
            raise Mistake(say("check.loss.negative", when=when))
        if shape != (1,) and np.isclose(value, want * np.prod(shape), rtol=1e-4):
            raise Mistake(say("check.loss.summed", when=when))
        close(value, want, name, when)
    logits = jnp.asarray([[2000.0, 0.0, -2000.0]])
    targets = jnp.asarray([1], dtype=jnp.int32)
    when = say("check.loss.when_huge")
    got = as_array(call(fn, logits, targets, when=when), name, when)
    if np.isnan(got).any() or np.isinf(got).any():
        raise Mistake(say("check.loss.nll_nan", when=when))
    close(got.reshape(()), 2000.0, name, when)


@task(
    LESSON,
    "perplexity",
    references=("llmlab.loss.perplexity",),
)
def check_perplexity(fn, rng):
    V = int(rng.integers(2, 100))
    name = say("check.name.perplexity")
    for value, when in [
        (float(np.log(V)), say("check.loss.when_uniform", V=V)),
        (0.0, say("check.loss.when_zero")),
        (float(rng.uniform(0.5, 5.0)), say("check.loss.when_random")),
    ]:
        got = as_array(call(fn, jnp.float32(value), when=when), name, when)
        if got.size != 1:
            raise Mistake(say("check.loss.ppl_shape", shape=got.shape, when=when))
        if np.isclose(float(got.reshape(-1)[0]), np.exp(-value)) and value > 0:
            raise Mistake(say("check.loss.exp_minus", when=when))
        if np.isclose(float(got.reshape(-1)[0]), 2.0**value) and value > 0:
            raise Mistake(say("check.loss.base_2", when=when))
        close(got.reshape(()), perplexity(value), name, when)
