"""Tests for llmlab.train and llmlab.optimizer: schedule, clipping, fit, resume, data parallel."""

import dataclasses
import json
import math
import os
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

from llmlab.data import get_batch
from llmlab.model import GPT, GPTConfig
from llmlab.train import (
    TrainConfig,
    TrainingStopped,
    evaluate,
    fit,
    lr_schedule,
    make_optimizer,
)

V = 8
CORPUS = np.array([0, 1, 2, 3, 4, 5, 6, 7] * 40, dtype=np.int32)  # a loop: 0 1 2 ... 7 0 1 ...
SMALL = TrainConfig(batch_size=4, block_size=8, lr=1e-2, min_lr=1e-3, warmup_steps=2,
                    max_steps=20, eval_interval=10, eval_iters=2, log_interval=5)  # fmt: skip


def tiny_model(seed: int = 0) -> GPT:
    config = GPTConfig(vocab_size=V, block_size=8, n_layer=1, n_head=2, n_embd=16)
    return GPT(config, rngs=nnx.Rngs(seed))


def test_schedule_warms_up_linearly_then_follows_half_a_cosine_to_min_lr():
    lr = lr_schedule(TrainConfig(lr=1e-3, min_lr=1e-4, warmup_steps=100, max_steps=2000))
    assert float(lr(0)) == 0.0, "warm-up starts at 0"
    assert math.isclose(float(lr(50)), 5e-4, rel_tol=1e-5), "half-way up: 1e-3 / 2"
    assert math.isclose(float(lr(100)), 1e-3, rel_tol=1e-5), "the peak is lr, at warmup_steps"
    # half-way down the cosine: min + (max - min) * (1 + cos(pi / 2)) / 2 = 1e-4 + 9e-4 / 2
    assert math.isclose(float(lr(1050)), 5.5e-4, rel_tol=1e-4)
    assert math.isclose(float(lr(2000)), 1e-4, rel_tol=1e-5), "the end is min_lr"


def test_gradients_above_the_clip_norm_are_scaled_down_to_it():
    params = {"w": jnp.zeros((2, 2)), "b": jnp.zeros(2)}
    optimizer = make_optimizer(TrainConfig(grad_clip=1.0))
    big = {"w": jnp.full((2, 2), 4.0), "b": jnp.full(2, 3.0)}  # norm sqrt(4*16 + 2*9) ~ 9.06
    small = {"w": jnp.full((2, 2), 0.1), "b": jnp.zeros(2)}  # norm 0.2: left alone
    for grads, scale in ((big, 1 / math.sqrt(82)), (small, 1.0)):
        _, state = optimizer.update(grads, optimizer.init(params), params)
        mu = optax.tree_utils.tree_get(state, "mu")  # Adam's first moment = (1 - beta1) * grad
        np.testing.assert_allclose(mu["w"], 0.1 * scale * grads["w"], rtol=1e-5)


def test_weight_decay_pulls_matrices_but_not_biases():
    params = {"w": jnp.ones((2, 2)), "b": jnp.ones(2)}
    cfg = TrainConfig(warmup_steps=0, max_steps=10, weight_decay=0.5)
    optimizer = make_optimizer(cfg)
    zero = jax.tree.map(jnp.zeros_like, params)
    updates, _ = optimizer.update(zero, optimizer.init(params), params)
    np.testing.assert_allclose(updates["w"], -1e-3 * 0.5 * np.ones((2, 2)), rtol=1e-5)
    np.testing.assert_array_equal(updates["b"], 0.0, "biases must not decay")


def test_evaluate_is_the_mean_loss_over_random_batches():
    model, cfg, key = tiny_model(), dataclasses.replace(SMALL, eval_iters=3), jax.random.key(1)
    losses = [
        optax.softmax_cross_entropy_with_integer_labels(model(x), y).mean()
        for x, y in (get_batch(k, CORPUS, 4, 8) for k in jax.random.split(key, 3))
    ]
    assert evaluate(model, CORPUS, cfg, key) == pytest.approx(float(np.mean(losses)), rel=1e-5)


def test_fit_lowers_the_loss_on_a_tiny_corpus():
    history = fit(
        tiny_model(), CORPUS[:200], CORPUS[200:], dataclasses.replace(SMALL, max_steps=40)
    )
    first, last = history["train_loss"][0], history["train_loss"][-1]
    assert first > 1.5 and last < 0.5 * first, f"train loss should fall: {first:.3f} -> {last:.3f}"
    assert history["val_loss"][-1] < math.log(V) - 1, "the loop is learnable: val loss near 0"
    assert history["step"] == [5, 10, 15, 20, 25, 30, 35, 40]
    assert history["val_loss"][0] is None and history["val_loss"][1] is not None


def test_same_seed_gives_the_same_losses_and_another_seed_does_not():
    a = fit(tiny_model(), CORPUS, CORPUS, SMALL)["train_loss"]
    b = fit(tiny_model(), CORPUS, CORPUS, SMALL)["train_loss"]
    c = fit(tiny_model(), CORPUS, CORPUS, dataclasses.replace(SMALL, seed=1))["train_loss"]
    assert a == b, "same model and seed must give bit-identical losses"
    assert a != c, "another seed draws other batches"


def test_resuming_from_a_stopped_run_equals_the_uninterrupted_run():
    full = fit(tiny_model(), CORPUS, CORPUS, SMALL)
    model = tiny_model()
    first = fit(model, CORPUS, CORPUS, SMALL, callback=lambda r: r["step"] < 10)
    assert first.step == 10 and len(first) == 2, "returning False stops after that record"
    rest = fit(model, CORPUS, CORPUS, SMALL, opt_state=first.opt_state, start_step=first.step)
    np.testing.assert_allclose(first["train_loss"] + rest["train_loss"], full["train_loss"],
                               rtol=1e-6)  # fmt: skip


def test_callback_sees_every_record_and_the_model_is_updated_before_it():
    model, seen = tiny_model(), []
    before = np.asarray(model.wte.embedding[...]).copy()

    def callback(record):
        seen.append((record, np.asarray(model.wte.embedding[...]).copy()))

    history = fit(model, CORPUS, CORPUS, SMALL, callback=callback)
    assert [r for r, _ in seen] == history.records
    assert not np.array_equal(seen[0][1], before), "the callback must see the trained weights"
    assert set(seen[0][0]) == {"step", "train_loss", "val_loss", "tokens_per_s", "elapsed"}


def test_data_shorter_than_a_window_is_refused_with_the_numbers():
    with pytest.raises(ValueError, match=r"has 8 tokens.*block_size \+ 1 = 9"):
        fit(tiny_model(), CORPUS[:8], CORPUS, SMALL)


def test_token_ids_outside_the_vocabulary_are_refused():
    with pytest.raises(ValueError, match=r"token ids in \[0, 8\].*\[0, 8\)"):
        fit(tiny_model(), np.arange(9, dtype=np.int32).repeat(3), CORPUS, SMALL)


def test_opt_state_from_another_model_is_refused():
    other = GPT(GPTConfig(V, 8, 1, 2, 32), rngs=nnx.Rngs(0))
    wrong = make_optimizer(SMALL).init(nnx.state(other, nnx.Param))
    with pytest.raises(ValueError, match="opt_state does not belong"):
        fit(tiny_model(), CORPUS, CORPUS, SMALL, opt_state=wrong)


def test_bad_config_values_are_refused():
    with pytest.raises(ValueError, match="warmup_steps"):
        TrainConfig(warmup_steps=10, max_steps=10)
    with pytest.raises(ValueError, match="batch_size"):
        TrainConfig(batch_size=0)
    assert TrainConfig.from_dict(SMALL.to_dict()) == SMALL


DATA_PARALLEL_SCRIPT = """
import json, jax, numpy as np
jax.config.update("jax_numpy_rank_promotion", "raise")
from tests.test_train import CORPUS, SMALL, tiny_model
from llmlab.train import data_parallel_mesh, fit
one = fit(tiny_model(), CORPUS, CORPUS, SMALL)
mesh = data_parallel_mesh()
four = fit(tiny_model(), CORPUS, CORPUS, SMALL, mesh=mesh)
print(json.dumps({"devices": mesh.size, "one": one["train_loss"], "four": four["train_loss"],
                  "val": [one["val_loss"][-1], four["val_loss"][-1]]}))
"""


@pytest.mark.slow
def test_data_parallel_over_4_devices_gives_the_losses_of_1_device():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4",
               JAX_PLATFORMS="cpu", PYTHONPATH=root)  # fmt: skip
    out = subprocess.run([sys.executable, "-c", DATA_PARALLEL_SCRIPT], env=env, cwd=root,
                         capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["devices"] == 4, "the flag must give 4 simulated devices"
    np.testing.assert_allclose(result["four"], result["one"], atol=1e-5)
    np.testing.assert_allclose(*result["val"], atol=1e-5)


def dropout_model(seed: int = 0, dropout: float = 0.2) -> GPT:
    config = GPTConfig(vocab_size=V, block_size=8, n_layer=1, n_head=2, n_embd=16, dropout=dropout)
    return GPT(config, rngs=nnx.Rngs(seed))


def test_a_model_with_dropout_trains_and_draws_new_masks_every_step():
    model = dropout_model()
    with_dropout = fit(model, CORPUS, CORPUS, SMALL)["train_loss"]
    again = fit(dropout_model(), CORPUS, CORPUS, SMALL)["train_loss"]
    without = fit(dropout_model(dropout=0.0), CORPUS, CORPUS, SMALL)["train_loss"]
    assert all(math.isfinite(x) for x in with_dropout), f"losses must be numbers: {with_dropout}"
    assert with_dropout == again, "same seed, same dropout masks, same losses"
    assert with_dropout != without, "dropout 0.2 must change the losses of dropout 0"
    count = int(model.drop.rngs.count[...])
    assert count == SMALL.max_steps, f"one dropout key per step for the embedding, got {count}"


def test_a_diverging_run_stops_at_the_first_nan_loss_and_says_what_to_try():
    model = tiny_model()
    before = [np.asarray(x).copy() for x in jax.tree.leaves(nnx.state(model, nnx.Param))]
    with pytest.warns(TrainingStopped, match="lower learning rate"):
        history = fit(model, CORPUS, CORPUS, dataclasses.replace(SMALL, lr=1e9))
    assert history.stopped is not None and "loss became nan" in history.stopped
    assert history.step == 0 and len(history) == 0, "no record of a step with a NaN loss"
    after = [np.asarray(x) for x in jax.tree.leaves(nnx.state(model, nnx.Param))]
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b, "the model must keep its last weights with a loss")


def test_a_model_whose_weights_are_nan_is_named_as_the_cause():
    model = tiny_model()
    model.wte.embedding[...] = model.wte.embedding[...] * np.nan
    with pytest.warns(TrainingStopped, match="weights .* already hold NaN"):
        history = fit(model, CORPUS, CORPUS, SMALL)
    assert history.step == 0 and "fresh model" in history.stopped


def test_a_run_that_reaches_the_end_has_no_stop_sentence():
    assert fit(tiny_model(), CORPUS, CORPUS, SMALL).stopped is None


def test_nan_or_infinite_optimiser_numbers_are_refused_by_the_config():
    for field_name in ("grad_clip", "lr", "weight_decay", "beta2"):
        with pytest.raises(ValueError, match=field_name):
            TrainConfig(**{field_name: float("nan")})
    with pytest.raises(ValueError, match="lr"):
        TrainConfig(lr=float("inf"))


def test_ctrl_c_in_the_callback_returns_the_run_so_far_and_it_can_be_resumed():
    full = fit(tiny_model(), CORPUS, CORPUS, SMALL)

    def interrupt_at_10(record):
        if record["step"] == 10:
            raise KeyboardInterrupt

    model = tiny_model()
    with pytest.warns(TrainingStopped, match="Interrupted at step 10"):
        first = fit(model, CORPUS, CORPUS, SMALL, callback=interrupt_at_10)
    assert first.step == 10 and first.opt_state is not None and len(first) == 2
    rest = fit(model, CORPUS, CORPUS, SMALL, opt_state=first.opt_state, start_step=first.step)
    np.testing.assert_allclose(first["train_loss"] + rest["train_loss"], full["train_loss"],
                               rtol=1e-6)  # fmt: skip


def test_ctrl_c_during_the_steps_keeps_the_weights_and_state_of_the_last_finished_steps(
    monkeypatch,
):
    import llmlab.train

    reference = tiny_model()
    stopped = fit(reference, CORPUS, CORPUS, SMALL, callback=lambda r: r["step"] < 10)
    calls, real = [], llmlab.train.train_steps

    def interrupted_third_call(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(llmlab.train, "train_steps", interrupted_third_call)
    model = tiny_model()
    with pytest.warns(TrainingStopped, match="Interrupted at step 10"):
        history = fit(model, CORPUS, CORPUS, SMALL)
    assert history.step == 10, "two calls of 5 steps finished before Ctrl-C"
    for a, b in zip(jax.tree.leaves(history.opt_state), jax.tree.leaves(stopped.opt_state),
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    for a, b in zip(jax.tree.leaves(nnx.state(model, nnx.Param)),
                    jax.tree.leaves(nnx.state(reference, nnx.Param)), strict=True):  # fmt: skip
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), "weights of step 10")


def test_raw_text_instead_of_token_ids_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"train_data is text .*encode it first"):
        fit(tiny_model(), "First Citizen:\nBefore we proceed", CORPUS, SMALL)
