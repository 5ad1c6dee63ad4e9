"""Checks for lesson 08 (pretraining): random training windows, the warm-up + cosine learning
rate, and one optimiser step with optax."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
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
    when = f"for data of {len(data)} distinct ids, batch_size {B}, block_size {T}"
    got = call(fn, key, data, B, T, when=when)
    if not (isinstance(got, tuple) and len(got) == 2):
        raise Mistake(f"your function should return a pair (x, y) {when}.")
    x, y = (as_array(a, name, when) for a, name in zip(got, ["x", "y"]))
    same_shape(x, (B, T), "x", when)
    same_shape(y, (B, T), "y", when)
    if not np.issubdtype(x.dtype, np.integer):
        raise Mistake(f"your x has dtype {x.dtype} {when}: token ids are ints.")
    if np.array_equal(x, y):
        raise Mistake(f"your y equals x {when}: y must be x shifted by one token.")
    starts = []
    for row_x, row_y in zip(x, y):
        s = where.get(int(row_x[0]))
        if s is None or not np.array_equal(row_x, np.asarray(data[s : s + T])):
            raise Mistake(f"a row of your x is not a window of the data {when}: {row_x.tolist()}.")
        if s + T >= len(data):
            raise Mistake(
                f"your window starting at position {s} has no next token for its last position "
                f"{when}: starts must be below len(data) - block_size = {len(data) - T}."
            )
        if not np.array_equal(row_y, np.asarray(data[s + 1 : s + T + 1])):
            raise Mistake(f"for the window starting at {s}, your y is not x shifted by one {when}.")
        starts.append(s)
    if max(starts) != len(data) - T - 1 or min(starts) != 0:
        raise Mistake(
            f"your windows start only at positions {min(starts)}..{max(starts)} {when}, never at "
            f"0 or {len(data) - T - 1}: every window that fits should be possible."
        )
    again = call(fn, key, data, B, T, when=when)
    if not np.array_equal(as_array(again[0], "x", when), x):
        raise Mistake(f"the same key gave a different batch {when}: draw with the key you get.")


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
        when = (
            f"at step {step} (lr {lr:g}, min_lr {lr / 10:g}, warm-up {warmup}, {max_steps} steps)"
        )
        got = as_array(call(fn, step, lr, lr / 10, warmup, max_steps, when=when), "rate", when)
        if got.size != 1:
            raise Mistake(f"your learning rate has shape {got.shape} {when}: return one number.")
        value = float(got.reshape(()))
        if step == 0 and np.isclose(value, lr):
            raise Mistake(f"your rate is already the peak {when}: warm up from 0 first.")
        if step >= max_steps and not np.isclose(value, lr / 10, rtol=1e-3):
            raise Mistake(f"your rate is {value:.3g} {when}, but it should stay at min_lr.")
        close(value, float(schedule(step)), "learning rate", when, rtol=1e-3, atol=1e-9)


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
    when = f"for a bigram model with V = {V} and AdamW"

    @jax.jit  # one compiled step instead of dozens of small eager ones
    def reference(params, opt_state):
        loss, grads = jax.value_and_grad(bigram_loss)(params, x, y)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return loss, updates, opt_state

    for _ in range(2):
        got = call(fn, params, opt_state, x, y, bigram_loss, optimizer, when=when)
        if not (isinstance(got, tuple) and len(got) == 3):
            raise Mistake(f"your function should return (params, opt_state, loss) {when}.")
        loss, updates, want_state = reference(params, opt_state)
        want_params = optax.apply_updates(params, updates)
        got_params, got_state, got_loss = got
        if jax.tree.structure(got_params) != jax.tree.structure(params):
            raise Mistake(f"your new params are not a dict like the old ones {when}.")
        if np.allclose(got_params["table"], params["table"]):
            raise Mistake(f"your params did not change {when}: apply the updates.")
        downhill = jax.tree.map(lambda p, u: p - u, params, updates)
        if np.allclose(got_params["table"], downhill["table"], atol=1e-6):
            raise Mistake(
                f"you subtracted the updates {when}: optax's updates already point downhill, "
                "so add them with optax.apply_updates(params, updates)."
            )
        for name in params:
            close(got_params[name], want_params[name], f"new {name!r} values", when, atol=1e-5)
        close(as_array(got_loss, "loss", when).reshape(()), loss, "loss", when)
        if jax.tree.structure(got_state) != jax.tree.structure(want_state):
            raise Mistake(f"your opt_state is not the optimizer's new state {when}.")
        for got_leaf, want_leaf in zip(jax.tree.leaves(got_state), jax.tree.leaves(want_state)):
            close(got_leaf, want_leaf, "optimizer state", f"{when} (return the new opt_state)")
        params, opt_state = want_params, want_state
        when += ", on the second step"
