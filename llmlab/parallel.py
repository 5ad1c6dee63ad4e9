"""Data parallelism, checked: the gradient of a batch split over several devices equals the
gradient of the whole batch on one.

Data parallel training copies the weights to every device and gives each device B / n rows of
the batch. Each device computes the gradient of its rows; an all-reduce averages them, so
every device ends with the gradient of the whole batch and applies the same update. With
`jax.sharding` we only say where the data live (`NamedSharding(mesh, PartitionSpec("data"))`:
axis 0 split over the mesh axis "data", everything else copied); `jax.jit` compiles the same
loss function for the split batch and inserts the all-reduce itself. `llmlab.train.fit(...,
mesh=...)` trains this way.

`compare_gradients(mesh)` runs that check in this process, on whatever devices the mesh holds
(the GPUs of a GPU host). A notebook has one CPU device, and JAX fixes the number of devices
when it starts, so `simulate_data_parallel(4)` runs the check in a fresh Python process started
with XLA_FLAGS=--xla_force_host_platform_device_count=4 (4 simulated CPU devices) and hands
back the result as plain data; the notebook's own JAX is left alone.

Shape letters: B batch, T time (block_size), V vocabulary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import jax
import numpy as np
from flax import nnx
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from llmlab.i18n import say
from llmlab.model import GPT, GPTConfig
from llmlab.train import data_parallel_mesh, lm_loss

MOST_DEVICES = 64  # simulated CPU devices `simulate_data_parallel` agrees to start


class DataParallelCheck(NamedTuple):
    """One gradient on one device against the same gradient on a split batch, as plain data.

    devices: the mesh's devices, as text. shards: (device, first row, end row) of the batch
    that each device held. max_abs_diff: the largest |difference| over every gradient entry;
    max_abs_grad: the largest |gradient entry|, for scale. loss_one, loss_many: the batch loss
    computed both ways.
    """

    devices: list[str]
    shards: list[tuple[str, int, int]]
    max_abs_diff: float
    max_abs_grad: float
    loss_one: float
    loss_many: float


def _splits(batch_size, n: int) -> bool:
    """Whether batch_size is a positive multiple of n (each device gets the same rows)."""
    is_int = isinstance(batch_size, int) and not isinstance(batch_size, bool)
    return is_int and batch_size >= n and batch_size % n == 0


def _tiny_gpt(seed: int) -> GPT:
    return GPT(GPTConfig(vocab_size=65, block_size=16, n_layer=2, n_head=2, n_embd=32),
               rngs=nnx.Rngs(seed))  # fmt: skip


def _loss_and_grads(params, graphdef, rest, x, y):
    def loss(params):
        return lm_loss(nnx.merge(graphdef, params, rest), (x, y))

    return jax.value_and_grad(loss)(params)


def compare_gradients(mesh: Mesh, *, batch_size: int = 8, seed: int = 0) -> DataParallelCheck:
    """The loss gradient of a tiny GPT on one batch: on one device, then split over `mesh`.

    Args:
        mesh: a 1-D mesh with axis "data" (`llmlab.train.data_parallel_mesh()`).
        batch_size: B, a multiple of the number of devices; each device gets B / n rows.
        seed: picks the weights and the random (B, 16) batch of token ids.

    Returns:
        a DataParallelCheck; max_abs_diff is float32 rounding (the sums are added in another
        order), not a difference in the maths.
    """
    n = mesh.size
    if not _splits(batch_size, n):
        raise ValueError(say("scale.batch_split", batch=batch_size, n=n))
    model = _tiny_gpt(seed)
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    tokens = jax.random.randint(jax.random.key(seed), (batch_size, 17), 0, 65)
    x, y = tokens[:, :-1], tokens[:, 1:]  # (B, T): next-token targets
    step = jax.jit(_loss_and_grads, static_argnums=1)

    first = mesh.devices.flat[0]
    one = jax.device_put((params, rest, x, y), first)
    loss_one, grads_one = step(one[0], graphdef, one[1], one[2], one[3])

    copied = NamedSharding(mesh, PartitionSpec())  # every device holds all the weights
    split = NamedSharding(mesh, PartitionSpec("data"))  # axis 0 (B) cut into n slices
    params_m, rest_m = jax.device_put((params, rest), copied)
    x_m, y_m = jax.device_put((x, y), split)
    loss_many, grads_many = step(params_m, graphdef, rest_m, x_m, y_m)

    grads_one, grads_many = jax.device_get((grads_one, grads_many))  # both to the host
    diffs = jax.tree.map(lambda a, b: np.max(np.abs(a - b)), grads_one, grads_many)
    sizes = jax.tree.map(lambda a: np.max(np.abs(a)), grads_one)
    shards = sorted(  # by first row
        ((str(s.device), s.index[0].start or 0, s.index[0].stop or batch_size)
         for s in x_m.addressable_shards), key=lambda shard: shard[1]
    )  # fmt: skip
    return DataParallelCheck(
        devices=[str(d) for d in mesh.devices.flat],
        shards=[(d, int(a), int(b)) for d, a, b in shards],
        max_abs_diff=float(max(jax.tree.leaves(diffs))),
        max_abs_grad=float(max(jax.tree.leaves(sizes))),
        loss_one=float(loss_one),
        loss_many=float(loss_many),
    )


def simulate_data_parallel(n_devices: int = 4, *, batch_size: int = 8, seed: int = 0,
                           timeout: float = 300) -> DataParallelCheck:  # fmt: skip
    """`compare_gradients` over `n_devices` simulated CPU devices, in a separate Python process.

    The notebook's JAX keeps its one device; the child process starts JAX with
    XLA_FLAGS=--xla_force_host_platform_device_count=n_devices on the CPU, runs the check and
    prints it as JSON. If it fails or takes longer than `timeout` seconds, a RuntimeError says
    so; the notebook carries on.

    Example:
        simulate_data_parallel(4).shards -> [('cpu:0', 0, 2), ('cpu:1', 2, 4), ('cpu:2', 4, 6),
        ('cpu:3', 6, 8)] (jax 0.7.2 names the devices TFRT_CPU_0, ...)
    """
    if (isinstance(n_devices, bool) or not isinstance(n_devices, int)
            or not 1 <= n_devices <= MOST_DEVICES):  # fmt: skip
        raise ValueError(say("scale.n_devices", most=MOST_DEVICES, value=n_devices))
    if not _splits(batch_size, n_devices):
        raise ValueError(say("scale.batch_split", batch=batch_size, n=n_devices))
    flags = os.environ.get("XLA_FLAGS", "")
    package_root = str(Path(__file__).resolve().parent.parent)  # so the child imports this llmlab
    env = dict(
        os.environ,
        XLA_FLAGS=f"{flags} --xla_force_host_platform_device_count={n_devices}".strip(),
        JAX_PLATFORMS="cpu",
        PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p),
    )
    command = [sys.executable, "-m", "llmlab.parallel", json.dumps([batch_size, seed])]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise RuntimeError(say("scale.subprocess_timeout", n=n_devices, seconds=timeout)) from None
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise RuntimeError(say("scale.subprocess_failed", n=n_devices, code=done.returncode,
                               tail=tail))  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["shards"] = [tuple(s) for s in result["shards"]]
    return DataParallelCheck(**result)


def _main(argv: list[str]) -> None:
    """The child process of `simulate_data_parallel`: one check, printed as one JSON line."""
    batch_size, seed = json.loads(argv[0])
    check = compare_gradients(data_parallel_mesh(), batch_size=batch_size, seed=seed)
    print(json.dumps(check._asdict()))


if __name__ == "__main__":
    _main(sys.argv[1:])
