"""Tests for llmlab.distill: the softened KL, its mix with hard labels, and training through fit."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tolerances import float32_atol

from llmlab.distill import distill_loss, distillation, soft_kl
from llmlab.loss import nll
from llmlab.model import GPT, GPTConfig
from llmlab.train import TrainConfig, evaluate, fit

V = 8
CORPUS = np.array([0, 1, 2, 3, 4, 5, 6, 7] * 40, dtype=np.int32)
SMALL = TrainConfig(batch_size=4, block_size=8, lr=1e-2, min_lr=1e-3, warmup_steps=2,
                    max_steps=20, eval_interval=20, eval_iters=2, log_interval=20)  # fmt: skip
logits = arrays(np.float32, (3, V), elements=st.floats(-20, 20, width=32))


def tiny_model(seed: int) -> GPT:
    return GPT(GPTConfig(V, block_size=8, n_layer=1, n_head=2, n_embd=16), rngs=nnx.Rngs(seed))


def numpy_soft_kl(s, t, temperature):
    """The float64 spec: T² · mean over rows of Σ p (ln p − ln q)."""

    def log_softmax(z):
        z = np.asarray(z, np.float64) / temperature
        z = z - z.max(-1, keepdims=True)
        return z - np.log(np.exp(z).sum(-1, keepdims=True))

    log_p, log_q = log_softmax(t), log_softmax(s)
    return temperature**2 * np.mean(np.sum(np.exp(log_p) * (log_p - log_q), -1))


def test_worked_example():
    got = soft_kl(jnp.array([0.0, 0.0]), jnp.array([0.0, math.log(3)]))
    want = 0.25 * math.log(0.5) + 0.75 * math.log(1.5)  # ≈ 0.1308
    assert float(got) == pytest.approx(want, abs=1e-6), f"KL([1/4, 3/4] || [1/2, 1/2]) = {want}"


@settings(max_examples=30)
@given(s=logits, t=logits, temperature=st.sampled_from([0.5, 1.0, 2.0, 4.0]))
def test_soft_kl_matches_a_float64_reference_and_optax(s, t, temperature):
    got = float(soft_kl(s, t, temperature))
    want = numpy_soft_kl(s, t, temperature)
    atol = float32_atol(s / temperature, t / temperature, ulps=64) * temperature**2
    assert got == pytest.approx(want, abs=atol), f"T = {temperature}: {got} vs float64 {want}"
    log_q = jax.nn.log_softmax(s / temperature)
    oracle = optax.kl_divergence(log_q, jax.nn.softmax(t / temperature)).mean() * temperature**2
    assert got == pytest.approx(float(oracle), abs=atol), "optax.kl_divergence agrees"
    assert got >= -atol, f"a KL divergence is never negative, got {got}"


@settings(max_examples=15)
@given(t=logits, temperature=st.sampled_from([0.5, 1.0, 3.0]))
def test_kl_is_zero_when_the_student_is_the_teacher(t, temperature):
    got = float(soft_kl(t, t, temperature))
    assert abs(got) <= float32_atol(t / temperature, ulps=64) * temperature**2, (
        f"a student equal to its teacher has nothing to learn, got KL {got}"
    )


def test_alpha_mixes_the_soft_and_hard_losses():
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    s, t = jax.random.normal(k1, (2, 5, V)), jax.random.normal(k2, (2, 5, V))
    y = jax.random.randint(k3, (2, 5), 0, V)
    hard, soft = float(nll(s, y)), float(soft_kl(s, t, 2.0))
    assert float(distill_loss(s, t, y, 2.0, alpha=0.0)) == pytest.approx(hard, rel=1e-6)
    assert float(distill_loss(s, t, y, 2.0, alpha=1.0)) == pytest.approx(soft, rel=1e-6)
    mixed = float(distill_loss(s, t, y, 2.0, alpha=0.25))
    assert mixed == pytest.approx(0.25 * soft + 0.75 * hard, rel=1e-5), "α = 1/4 mixes 1:3"


def test_twenty_steps_of_fit_lower_the_distillation_loss():
    teacher = tiny_model(1)
    teacher.wte.embedding[...] = teacher.wte.embedding[...] * 100  # sharp, confident logits
    student = tiny_model(0)
    loss_fn, batch_fn = distillation(teacher, block_size=8, temperature=2.0)
    key = jax.random.key(7)
    before = evaluate(student, CORPUS, SMALL, key, loss_fn=loss_fn, batch_fn=batch_fn)
    teacher_before = np.asarray(teacher.wte.embedding[...])
    fit(student, CORPUS, CORPUS, SMALL, loss_fn=loss_fn, batch_fn=batch_fn)
    after = evaluate(student, CORPUS, SMALL, key, loss_fn=loss_fn, batch_fn=batch_fn)
    assert after < 0.7 * before, f"20 steps should cut the distillation loss: {before} -> {after}"
    np.testing.assert_array_equal(teacher.wte.embedding[...], teacher_before,
                                  "the teacher is never trained")  # fmt: skip


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: soft_kl(jnp.zeros((2, 3)), jnp.zeros((2, 4))), "same shape"),
        (lambda: soft_kl(jnp.zeros(3), jnp.zeros(3), 0.0), "temperature must be > 0"),
        (lambda: distill_loss(jnp.zeros((1, 3)), jnp.zeros((1, 3)), jnp.zeros(1, int), 1.0, 2.0),
         r"alpha .* in \[0, 1\]"),
        (lambda: distillation(tiny_model(0), block_size=0), "block_size must be a positive int"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()
