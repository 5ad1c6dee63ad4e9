"""Distillation: train a small student to match a big teacher's whole distribution, not one label.

A hard label says only "the next character was e"; the teacher's probabilities also say that
"a" was nearly as good and "Q" absurd ("dark knowledge"). Hinton et al. (2015) soften both
distributions with a temperature T, so the small probabilities count, and minimise

    T² · KL(softmax(teacher / T) || softmax(student / T))

(T² keeps the gradient's size the same for every T), optionally mixed with the hard-label NLL:
loss = α · soft + (1 - α) · NLL(student, targets).

With `llmlab.fit`: `loss_fn, batch_fn = distillation(teacher, block_size)` and
`fit(student, train, val, cfg, loss_fn=loss_fn, batch_fn=batch_fn)`. The batch function draws
(B, T) windows as usual and adds the teacher's logits; the teacher's weights are frozen as
plain arrays inside it, so they are never trained and nothing outside the compiled step runs.

Shape letters: B batch, T time, V vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
from flax import nnx

from llmlab.data import get_batch
from llmlab.loss import nll


def _check(temperature, alpha) -> None:
    if not temperature > 0:  # also refuses NaN
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(
            f"alpha weighs the soft loss against the hard one, in [0, 1]; got {alpha!r}"
        )


def soft_kl(student_logits, teacher_logits, temperature: float = 1.0) -> jax.Array:
    """T² · KL(softmax(teacher / T) || softmax(student / T)), averaged over positions.

    Shapes: student_logits, teacher_logits float (..., V), the same shape -> scalar.

    Example: equal logits -> 0; student [0, 0], teacher [0, ln 3] (p = [1/4, 3/4]), T 1
    -> 1/4 ln(1/2) + 3/4 ln(3/2) ≈ 0.1308
    """
    s, t = jnp.asarray(student_logits), jnp.asarray(teacher_logits)
    if s.shape != t.shape or s.ndim < 1:
        raise ValueError(
            f"student and teacher logits must have the same shape (..., V), "
            f"got {tuple(s.shape)} and {tuple(t.shape)}"
        )
    _check(temperature, 0.0)
    log_p = jax.nn.log_softmax(t / temperature, axis=-1)  # the teacher: the target
    log_q = jax.nn.log_softmax(s / temperature, axis=-1)
    kl = jnp.sum(jnp.exp(log_p) * (log_p - log_q), axis=-1)
    return temperature**2 * jnp.mean(kl)


def distill_loss(student_logits, teacher_logits, targets, temperature: float = 2.0,
                 alpha: float = 1.0) -> jax.Array:  # fmt: skip
    """α · soft_kl(student, teacher, T) + (1 - α) · NLL(student, targets).

    Shapes: logits float (B, T, V) each, targets int (B, T) -> scalar. α = 1: soft targets only;
    α = 0: the ordinary hard-label loss.
    """
    _check(temperature, alpha)
    soft = soft_kl(student_logits, teacher_logits, temperature)
    return alpha * soft + (1.0 - alpha) * nll(student_logits, targets)


def distillation(teacher: nnx.Module, block_size: int, temperature: float = 2.0,
                 alpha: float = 1.0) -> tuple[Callable, Callable]:  # fmt: skip
    """A (loss_fn, batch_fn) pair for `fit` that trains a student on `teacher`'s soft targets.

    batch_fn(key, data, B) -> (x, y, teacher logits): x, y int32 (B, T) random windows of the
    token ids `data` (N,), as `get_batch` draws them, and the frozen teacher's logits (B, T, V).
    loss_fn(student, batch) -> `distill_loss` of the student's logits on x.
    The teacher is copied now (in eval mode), so training or changing it later has no effect.
    """
    _check(temperature, alpha)
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValueError(f"block_size must be a positive int, got {block_size!r}")
    frozen = nnx.clone(teacher)
    frozen.eval()
    graphdef, state = nnx.split(frozen)

    def batch_fn(key: jax.Array, data: jax.Array, batch_size: int):
        x, y = get_batch(key, data, batch_size, block_size)
        teacher_logits = jax.lax.stop_gradient(nnx.merge(graphdef, state)(x))
        return x, y, teacher_logits

    def loss_fn(student: nnx.Module, batch) -> jax.Array:
        x, y, teacher_logits = batch
        return distill_loss(student(x), teacher_logits, y, temperature, alpha)

    return loss_fn, batch_fn
