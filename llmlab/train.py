"""Training a GPT: the optimiser, a jit-compiled step, evaluation and the `fit` loop.

Read it top to bottom: `TrainConfig` holds every number of a run, `make_optimizer` turns it
into Optax's AdamW with warm-up + cosine decay and gradient clipping, `train_step` is one
pure optimiser step on one batch, `train_steps` runs several of them in one compiled call,
`evaluate` averages the loss over random batches, and `fit` puts them together, recording
a `History` and calling back after every few steps so a notebook can draw live curves.

Speed: the model is split into plain arrays (`nnx.split`) and the step is a pure function
under `jax.jit`, so no Python runs between steps; `train_steps` draws its batches inside
the compiled call (from `fold_in(key, step)`) and loops with `lax.scan`, so one dispatch
does `log_interval` steps. The batch of step s depends only on the seed and s, which makes
runs deterministic and a resumed run identical to an uninterrupted one.

Fine-tuning uses the same loop through three keyword arguments of `fit`: `batch_fn` draws a
batch from any data (padded chat examples, preference pairs), `loss_fn(model, batch)` scores
it (the masked NLL of SFT, the DPO loss), and `trainable` picks which parameters the optimiser
sees (`nnx.LoRAParam` for LoRA: everything else is passed through untouched).

Shape letters: B batch, T time (block size), V vocabulary, N corpus length in tokens.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from llmlab.data import get_batch
from llmlab.loss import nll
from llmlab.optimizer import TrainConfig, lr_schedule, make_optimizer

__all__ = [
    "History",
    "TrainConfig",
    "TrainingStopped",
    "data_parallel_mesh",
    "evaluate",
    "fit",
    "lm_loss",
    "lr_schedule",
    "make_optimizer",
    "train_step",
    "train_steps",
]


def lm_loss(model: nnx.Module, batch: tuple[jax.Array, jax.Array]) -> jax.Array:
    """Mean next-token NLL of a batch (x, y), each int32 (B, T): `fit`'s default loss_fn."""
    x, y = batch
    return nll(model(x), y)


def _loss(params, graphdef, rest, batch, loss_fn=None, trainable=nnx.Param):
    # Rebuild `rest` here: it is not differentiated, so its Variables (dropout's random
    # stream) would still belong to the trace outside `grad`, where dropout may not advance them.
    rest = jax.tree.map(lambda leaf: leaf, rest)
    model = nnx.merge(graphdef, params, rest)
    loss = (loss_fn or lm_loss)(model, batch)
    return loss, nnx.state(model, nnx.Not(trainable))  # dropout keys move on


def _step(graphdef, optimizer, params, rest, opt_state, batch, loss_fn=None, trainable=nnx.Param):
    grad_fn = jax.value_and_grad(_loss, has_aux=True)
    (loss, rest), grads = grad_fn(params, graphdef, rest, batch, loss_fn, trainable)
    updates, opt_state = optimizer.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), rest, opt_state, loss


def train_step(graphdef, optimizer, params, rest, opt_state, x, y):
    """One optimiser step on one batch; pure, so it can be jitted, scanned or sharded.

    Args:
        graphdef, params, rest: the model, from `nnx.split(model, nnx.Param, ...)`.
        optimizer: from `make_optimizer`; opt_state: its state.
        x, y: int32 (B, T) inputs and next-token targets.

    Returns:
        (params, rest, opt_state, loss): the updated state and the batch loss before the step.
    """
    return _step(graphdef, optimizer, params, rest, opt_state, (x, y))


def _draw(key, data, shape, batch_fn):
    return get_batch(key, data, *shape) if batch_fn is None else batch_fn(key, data, shape[0])


_STATIC = ("graphdef", "optimizer", "num_steps", "shape", "mesh", "loss_fn", "batch_fn",
           "trainable")  # fmt: skip


@partial(jax.jit, static_argnames=_STATIC)
def train_steps(graphdef, optimizer, params, rest, opt_state, data, key, first_step, *,
                num_steps: int, shape: tuple[int, int], mesh: Mesh | None = None,
                loss_fn=None, batch_fn=None, trainable=nnx.Param):  # fmt: skip
    """`num_steps` train steps in one compiled call; step s trains on batch `fold_in(key, s)`.

    Args:
        data: int32 token ids (N,), or any arrays `batch_fn` draws from; shape: (B, T);
        mesh: see `data_parallel_mesh`; loss_fn, batch_fn, trainable: see `fit`.

    Returns:
        (params, rest, opt_state, losses (num_steps,)).
    """

    def one_step(state, step):
        batch = _draw(jax.random.fold_in(key, step), data, shape, batch_fn)
        if mesh is not None:  # cut the batch into one slice per device
            batch = jax.lax.with_sharding_constraint(batch, _batch_sharding(mesh))
        *state, loss = _step(graphdef, optimizer, *state, batch, loss_fn, trainable)
        return tuple(state), loss

    steps = first_step + jnp.arange(num_steps)
    state, losses = jax.lax.scan(one_step, (params, rest, opt_state), steps)
    return (*state, losses)


@partial(jax.jit, static_argnames=("graphdef", "shape", "num_batches", "loss_fn", "batch_fn"))
def _mean_loss(graphdef, params, rest, data, key, *, shape, num_batches, loss_fn=None,
               batch_fn=None):  # fmt: skip
    def batch_loss(k):
        return _loss(params, graphdef, rest, _draw(k, data, shape, batch_fn), loss_fn)[0]

    return jax.lax.map(batch_loss, jax.random.split(key, num_batches)).mean()


def evaluate(model: nnx.Module, data: Any, cfg: TrainConfig, key: jax.Array, *,
             loss_fn: Callable | None = None, batch_fn: Callable | None = None,
             ) -> float:  # fmt: skip
    """Mean loss over `cfg.eval_iters` random (B, T) windows of `data` (nanoGPT's estimate).

    Args:
        model: a GPT (dropout is switched off while evaluating).
        data: int token ids (N,), N >= block_size + 1 (or what batch_fn draws from).
        cfg: gives B, T and eval_iters; key: picks the windows.
        loss_fn, batch_fn: as in `fit`.
    """
    data = _check_data(data, "data", cfg, model, batch_fn)
    was_training = _dropout_on(model)
    model.eval()
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    shape = (cfg.batch_size, cfg.block_size)
    loss = _mean_loss(graphdef, params, rest, data, key, shape=shape, num_batches=cfg.eval_iters,
                      loss_fn=loss_fn, batch_fn=batch_fn)  # fmt: skip
    if was_training:
        model.train()
    return float(loss)


class TrainingStopped(RuntimeWarning):
    """`fit` stopped early on its own: the loss stopped being a number, or Ctrl-C."""


# Always show it: a learner who reruns the same diverging cell must be told again.
warnings.simplefilter("always", TrainingStopped)


@dataclass
class History:
    """What `fit` recorded, plus what a later `fit` needs to resume (opt_state, step).

    `records` holds one dict per `log_interval` steps: step, train_loss (mean over those
    steps), val_loss (None except every eval_interval steps and at the end), tokens_per_s,
    elapsed (seconds since `fit` began). `history["val_loss"]` gives one column.
    opt_state and step always belong to the model's weights as `fit` left them.
    `stopped` says, in a sentence, why `fit` ended early by itself (None otherwise).
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    opt_state: Any = None
    step: int = 0
    stopped: str | None = None

    def __getitem__(self, name: str) -> list[Any]:
        return [r[name] for r in self.records]

    def __len__(self) -> int:
        return len(self.records)


Callback = Callable[[dict[str, Any]], Any]


def fit(model: nnx.Module, train_data: Any, val_data: Any, cfg: TrainConfig, *,
        callback: Callback | None = None, opt_state: Any = None, start_step: int = 0,
        mesh: Mesh | None = None, loss_fn: Callable | None = None,
        batch_fn: Callable | None = None, trainable: Any = nnx.Param) -> History:  # fmt: skip
    """Train `model` in place from `start_step` to `cfg.max_steps`.

    Args:
        model: a GPT; its weights are updated in place, also before every callback.
        train_data, val_data: int token ids (N,), each with N >= block_size + 1.
        cfg: the run's numbers; the same cfg and model give the same losses.
        callback: called with each record; returning False stops training cleanly.
        opt_state, start_step: resume a run (from a `History` or a checkpoint).
        mesh: train data-parallel over this `data_parallel_mesh` (batch split, weights copied).
        loss_fn: `loss_fn(model, batch) -> scalar`; default `lm_loss` (next-token NLL).
        batch_fn: `batch_fn(key, data, B) -> batch`, pure (it runs inside the compiled step);
            default: random (B, T) windows of a 1-D token array (`get_batch`).
        trainable: an nnx filter for the parameters to train (nnx.LoRAParam for LoRA: not
            nnx.Param, which LoRAParam subclasses); all other state is left bit-identical.

    Returns:
        History; `fit(..., opt_state=h.opt_state, start_step=h.step)` continues the run.
        Two things end it early and are said in `h.stopped` and a `TrainingStopped` warning:
        a loss that is NaN or infinite (the model keeps its last weights with a finite loss),
        and Ctrl-C (the model keeps the weights of `h.step`, nothing is lost).
    """
    train = _check_data(train_data, "train_data", cfg, model, batch_fn)
    val = _check_data(val_data, "val_data", cfg, model, batch_fn)
    if not 0 <= start_step <= cfg.max_steps:
        raise ValueError(f"start_step must be in [0, {cfg.max_steps}], got {start_step}")
    optimizer = make_optimizer(cfg)
    model.train()
    graphdef, params, rest = nnx.split(model, trainable, ...)
    if not jax.tree.leaves(params):
        raise ValueError(f"the model has no parameters matching trainable={trainable!r}")
    opt_state = _check_opt_state(optimizer, params, opt_state)
    if mesh is not None:
        if cfg.batch_size % mesh.size:
            raise ValueError(
                f"batch_size {cfg.batch_size} must split evenly over {mesh.size} devices"
            )
        params, rest, opt_state, train, val = jax.device_put(
            (params, rest, opt_state, train, val), NamedSharding(mesh, PartitionSpec())
        )
    train_key, eval_key = jax.random.split(jax.random.key(cfg.seed))
    history, step, start = (
        History(opt_state=opt_state, step=start_step),
        start_step,
        time.perf_counter(),
    )
    try:
        while step < cfg.max_steps:
            n = min(_until_multiple(step, cfg.log_interval),
                    _until_multiple(step, cfg.eval_interval), cfg.max_steps - step)  # fmt: skip
            tick = time.perf_counter()
            *new_state, losses = train_steps(
                graphdef, optimizer, params, rest, opt_state, train, train_key, step,
                num_steps=n, shape=(cfg.batch_size, cfg.block_size), mesh=mesh, loss_fn=loss_fn,
                batch_fn=batch_fn, trainable=trainable)  # fmt: skip
            train_loss = float(losses.mean())  # waits for the steps to finish
            if not math.isfinite(train_loss):  # keep the last weights that still had a loss
                history.stopped = _diverged(losses, step, cfg, params)
                break
            tokens_per_s = n * cfg.batch_size * cfg.block_size / (time.perf_counter() - tick)
            # One assignment, so that Ctrl-C cannot separate the weights from their step.
            params, rest, opt_state, step = (*new_state, step + n)
            nnx.update(model, params, rest)
            history.opt_state, history.step = opt_state, step
            val_loss = None
            if step % cfg.eval_interval == 0 or step == cfg.max_steps:
                val_loss = evaluate(model, val, cfg, jax.random.fold_in(eval_key, step),
                                    loss_fn=loss_fn, batch_fn=batch_fn)  # fmt: skip
            record = {"step": step, "train_loss": train_loss, "val_loss": val_loss,
                      "tokens_per_s": tokens_per_s,
                      "elapsed": time.perf_counter() - start}  # fmt: skip
            history.records.append(record)
            if callback is not None and callback(record) is False:
                break
    except KeyboardInterrupt:  # Ctrl-C: hand back the run so far instead of losing it
        nnx.update(model, params, rest)
        history.opt_state, history.step = opt_state, step
        history.stopped = (
            f"Interrupted at step {step}: the model has the weights of step {step}; continue "
            "with fit(..., opt_state=history.opt_state, start_step=history.step), or save "
            "them with save_checkpoint."
        )
    model.eval()
    if history.stopped is not None:
        warnings.warn(history.stopped, TrainingStopped, stacklevel=2)
    return history


def _diverged(losses: jax.Array, step: int, cfg: TrainConfig, params: Any) -> str:
    """The sentence for a loss that became NaN or infinite in the steps after `step`."""
    losses = np.asarray(losses)
    bad = step + int(np.flatnonzero(~np.isfinite(losses))[0])
    said = f"Training stopped: the loss became {losses[bad - step]} at step {bad}"
    if not all(bool(jnp.isfinite(p).all()) for p in jax.tree.leaves(params)):
        return (
            f"{said}, because the model's weights (step {step}) already hold NaN or infinite "
            "numbers: start again from a fresh model or a checkpoint."
        )
    return (
        f"{said} (learning rate {float(lr_schedule(cfg)(bad)):.3g}), so the model keeps its "
        f"weights of step {step}. Try a lower learning rate (TrainConfig.lr = {cfg.lr:g} now) "
        "and check that the data are the token ids you meant."
    )


def data_parallel_mesh(devices: list | None = None) -> Mesh:
    """A 1-D mesh named "data" over `devices` (default: all of `jax.devices()`)."""
    return Mesh(np.array(jax.devices() if devices is None else devices), ("data",))


def _batch_sharding(mesh: Mesh) -> NamedSharding:
    return NamedSharding(mesh, PartitionSpec("data"))  # split axis 0 (B), copy the rest


def _until_multiple(step: int, every: int) -> int:
    return every - step % every


def _dropout_on(model: nnx.Module) -> bool:
    return any(not m.deterministic for _, m in nnx.iter_graph(model) if isinstance(m, nnx.Dropout))


def _check_data(data, name, cfg, model, batch_fn=None):
    if batch_fn is not None:  # any arrays that batch_fn can index: checked by drawing from them
        data = jax.tree.map(jnp.asarray, data)
        if not jax.tree.leaves(data):
            raise ValueError(f"{name} holds no arrays for batch_fn to draw from")
        return data
    if isinstance(data, str):
        raise TypeError(
            f"{name} is text ({len(data):,} characters), but training needs token ids: "
            f"encode it first, e.g. np.array(tokenizer.encode(text))"
        )
    try:
        arr = jnp.asarray(data)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"{name} must be a 1-D array of int token ids, got {type(data).__name__} ({e})"
        ) from None
    if arr.ndim != 1 or not jnp.issubdtype(arr.dtype, jnp.integer):
        raise ValueError(f"{name} must be a 1-D array of int token ids, got {arr.dtype}{arr.shape}")
    if len(arr) < cfg.block_size + 1:
        raise ValueError(
            f"{name} has {len(arr)} tokens, but a training window needs "
            f"block_size + 1 = {cfg.block_size + 1}: use more text or a smaller block_size"
        )
    config = getattr(model, "config", None)
    if config is not None:
        if cfg.block_size > config.block_size:
            raise ValueError(
                f"TrainConfig.block_size {cfg.block_size} exceeds the model's {config.block_size}"
            )
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi >= config.vocab_size:
            raise ValueError(
                f"{name} holds token ids in [{lo}, {hi}], the model knows [0, {config.vocab_size})"
            )
    return arr.astype(jnp.int32)


def _check_opt_state(optimizer, params, opt_state):
    fresh = optimizer.init(params)
    if opt_state is None:
        return fresh
    want, got = jax.tree.structure(fresh), jax.tree.structure(opt_state)
    shapes = [jnp.shape(x) for x in jax.tree.leaves(fresh)]
    if want != got or shapes != [jnp.shape(x) for x in jax.tree.leaves(opt_state)]:
        raise ValueError(
            "opt_state does not belong to this model and TrainConfig's optimizer: "
            f"expected structure {want}, got {got}"
        )
    return opt_state
