"""Checks for lesson 08 (pretraining): random training windows, the warm-up + cosine learning
rate, and one optimiser step with optax."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say
from llmlab.loss import nll
from llmlab.train import TrainConfig, lr_schedule

LESSON = "08_pretraining"


@task(
    LESSON,
    "get_batch",
    references=("llmlab.data.get_batch",),
)
def check_get_batch(fn, rng):
    B, T = 64, int(rng.integers(3, 7))
    data = jnp.asarray(rng.permutation(T + 4) + 10, jnp.int32)  # distinct ids: a start is findable
    where = {int(token): i for i, token in enumerate(np.asarray(data))}
    key = jax.random.key(int(rng.integers(2**31)))
    when = say("check.pretraining.when_batch", n=len(data), B=B, T=T)
    got = call(fn, key, data, B, T, when=when)
    if not (isinstance(got, tuple) and len(got) == 2):
        raise Mistake(say("check.pair_xy", when=when))
    x, y = (as_array(a, name, when) for a, name in zip(got, ["x", "y"]))
    same_shape(x, (B, T), "x", when)
    same_shape(y, (B, T), "y", when)
    if not np.issubdtype(x.dtype, np.integer):
        raise Mistake(say("check.pretraining.int_x", dtype=x.dtype, when=when))
    if np.array_equal(x, y):
        raise Mistake(say("check.pretraining.y_is_x", when=when))
    starts = []
    for row_x, row_y in zip(x, y):
        s = where.get(int(row_x[0]))
        if s is None or not np.array_equal(row_x, np.asarray(data[s : s + T])):
            raise Mistake(say("check.pretraining.not_window", row=row_x.tolist(), when=when))
        if s + T >= len(data):
            raise Mistake(say("check.pretraining.no_next", s=s, limit=len(data) - T, when=when))
        if not np.array_equal(row_y, np.asarray(data[s + 1 : s + T + 1])):
            raise Mistake(say("check.pretraining.not_shifted", s=s, when=when))
        starts.append(s)
    if max(starts) != len(data) - T - 1 or min(starts) != 0:
        low, high, last = min(starts), max(starts), len(data) - T - 1
        raise Mistake(say("check.pretraining.narrow", low=low, high=high, last=last, when=when))
    again = call(fn, key, data, B, T, when=when)
    if not np.array_equal(as_array(again[0], "x", when), x):
        raise Mistake(say("check.pretraining.same_key", when=when))


@task(
    LESSON,
    "lr_at",
    references=("llmlab.optimizer.lr_schedule",),
)
def check_lr_at(fn, rng):
    warmup, max_steps = int(rng.integers(5, 50)), int(rng.integers(200, 1000))
    lr = float(rng.choice([1e-3, 6e-4, 3e-3]))
    cfg = TrainConfig(lr=lr, min_lr=lr / 10, warmup_steps=warmup, max_steps=max_steps)
    schedule = lr_schedule(cfg)
    steps = [0, warmup // 2, warmup, (warmup + max_steps) // 2, max_steps, max_steps + 10]
    steps += [int(s) for s in rng.integers(0, max_steps, size=3)]
    for step in steps:
        when = say(
            "check.pretraining.when_step", step=step, lr=f"{lr:g}", min_lr=f"{lr / 10:g}",
            warmup=warmup, steps=max_steps,
        )  # fmt: skip
        rate = say("check.name.rate")
        got = as_array(call(fn, step, lr, lr / 10, warmup, max_steps, when=when), rate, when)
        if got.size != 1:
            raise Mistake(say("check.pretraining.rate_shape", shape=got.shape, when=when))
        value = float(got.reshape(()))
        if step == 0 and np.isclose(value, lr):
            raise Mistake(say("check.pretraining.peak_at_0", when=when))
        if step >= max_steps and not np.isclose(value, lr / 10, rtol=1e-3):
            raise Mistake(say("check.pretraining.not_min", value=f"{value:.3g}", when=when))
        name = say("check.name.learning_rate")
        close(value, float(schedule(step)), name, when, rtol=1e-3, atol=1e-9)


class AdamW:
    """optax.adamw(lr, weight_decay=...) that pickles by its settings, so that the batch grader
    can send it to a learner's kernel (optax's transformations are closures)."""

    def __init__(self, lr: float, weight_decay: float):
        self.lr, self.weight_decay = lr, weight_decay
        self._tx = optax.adamw(lr, weight_decay=weight_decay)

    def init(self, params):
        return self._tx.init(params)

    def update(self, updates, state, params=None):
        return self._tx.update(updates, state, params)

    def __reduce__(self):
        return AdamW, (self.lr, self.weight_decay)


def bigram_loss(params, x, y):
    """A bigram model's loss: logits (B, T, V) = table[x] + bias."""
    return nll(params["table"][x] + params["bias"], y)


@task(
    LESSON,
    "train_step",
)
def check_train_step(fn, rng):
    V, B, T = int(rng.integers(4, 9)), 4, 6
    params = {
        "table": jnp.asarray(rng.normal(size=(V, V)), jnp.float32),
        "bias": jnp.asarray(rng.normal(size=(V,)), jnp.float32),
    }
    x = jnp.asarray(rng.integers(0, V, size=(B, T)), jnp.int32)
    y = jnp.asarray(rng.integers(0, V, size=(B, T)), jnp.int32)
    optimizer = AdamW(0.05, weight_decay=0.1)
    opt_state = optimizer.init(params)
    when = say("check.pretraining.when_step_model", V=V)

    @jax.jit  # one compiled step instead of dozens of small eager ones
    def reference(params, opt_state):
        loss, grads = jax.value_and_grad(bigram_loss)(params, x, y)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return loss, updates, opt_state

    for _ in range(2):
        got = call(fn, params, opt_state, x, y, bigram_loss, optimizer, when=when)
        if not (isinstance(got, tuple) and len(got) == 3):
            raise Mistake(say("check.pretraining.triple", when=when))
        loss, updates, want_state = reference(params, opt_state)
        want_params = optax.apply_updates(params, updates)
        got_params, got_state, got_loss = got
        if jax.tree.structure(got_params) != jax.tree.structure(params):
            raise Mistake(say("check.pretraining.params_dict", when=when))
        if np.allclose(got_params["table"], params["table"]):
            raise Mistake(say("check.pretraining.unchanged", when=when))
        downhill = jax.tree.map(lambda p, u: p - u, params, updates)
        if np.allclose(got_params["table"], downhill["table"], atol=1e-6):
            raise Mistake(say("check.pretraining.subtracted", when=when))
        for name in params:
            new = say("check.name.new_values", name=repr(name))
            close(got_params[name], want_params[name], new, when, atol=1e-5)
        loss_name = say("check.name.loss")
        close(as_array(got_loss, loss_name, when).reshape(()), loss, loss_name, when)
        if jax.tree.structure(got_state) != jax.tree.structure(want_state):
            raise Mistake(say("check.pretraining.state", when=when))
        state_name = say("check.name.optimizer_state")
        state_when = say("check.pretraining.return_state", when=when)
        for got_leaf, want_leaf in zip(jax.tree.leaves(got_state), jax.tree.leaves(want_state)):
            close(got_leaf, want_leaf, state_name, state_when)
        params, opt_state = want_params, want_state
        when = say("check.pretraining.second_step", when=when)
