"""Where XLA spends the time of one nanoGPT-CPU train step, op by op (jax.profiler trace).

    python benchmarks/profile_train.py [--steps 10] [--top 20]

Runs `llmlab.train.train_steps` (the compiled multi-step call that `fit` uses) on random
tokens, traces a few calls, and prints the milliseconds per train step of each kind of XLA
operation ("ynn_fusion.57" and "ynn_fusion.12" count as one kind). On XLA:CPU the matmuls
show up as ynn_fusion/dot, layout changes (head split/merge transposes) as copy*_fusion.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import tempfile
from pathlib import Path

import jax
import jax.numpy as jnp
from flax import nnx

from llmlab.model import GPT, GPTConfig
from llmlab.train import TrainConfig, make_optimizer, train_steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="train steps per compiled call")
    parser.add_argument("--calls", type=int, default=3, help="calls traced")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()

    cfg = TrainConfig.nanogpt_cpu()
    model = GPT(GPTConfig.nanogpt_cpu(65), rngs=nnx.Rngs(0))
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    optimizer = make_optimizer(cfg)
    opt_state = optimizer.init(params)
    data = jax.random.randint(jax.random.key(0), (100_000,), 0, 65, dtype=jnp.int32)

    shape, key = (cfg.batch_size, cfg.block_size), jax.random.key(1)

    def call(params, rest, opt_state):
        state = (params, rest, opt_state)
        return train_steps(graphdef, optimizer, *state, data, key, 0, num_steps=args.steps,
                           shape=shape)  # fmt: skip

    params, rest, opt_state, _ = jax.block_until_ready(call(params, rest, opt_state))  # compile
    with tempfile.TemporaryDirectory() as folder:
        with jax.profiler.trace(folder, create_perfetto_trace=True):
            for _ in range(args.calls):
                params, rest, opt_state, losses = call(params, rest, opt_state)
                jax.block_until_ready(losses)
        trace = next(Path(folder).rglob("*.trace.json.gz"))
        events = json.load(gzip.open(trace))["traceEvents"]
    total, count = collections.Counter(), collections.Counter()
    for e in events:
        if e.get("ph") == "X" and not e["name"].startswith(("$", "ThunkExecutor", "Pjit")):
            kind = re.sub(r"\.\d+$", "", e["name"])
            total[kind] += e["dur"]
            count[kind] += 1
    steps = args.calls * args.steps
    print(f"{'ms/step':>8}  {'ops/step':>8}  kind")
    for kind, us in total.most_common(args.top):
        print(f"{us / steps / 1e3:8.2f}  {count[kind] / steps:8.1f}  {kind}")


if __name__ == "__main__":
    main()
