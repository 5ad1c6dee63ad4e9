"""Quantised and pruned Shakespeare models: stored size and validation loss, per variant.

    .venv/bin/python benchmarks/quantize.py                  # whole validation set
    .venv/bin/python benchmarks/quantize.py --windows 200    # the first 200 windows only

The shipped Shakespeare GPT is pruned (`llmlab.prune.prune_gpt`, per matrix) to each
--sparsity, then quantised (`llmlab.quantize.quantize_gpt`) to float32 (as is), int8 and int4.
Each variant is scored on the same consecutive, non-overlapping windows of the validation
split (every character predicted once, from up to block_size - 1 characters before it), so the
loss is exact for that split and the same on every run; lesson 12 uses a random-batch estimate
(`evaluate`) of the same quantity. Size is what a dense file of that format stores
(`quantized_bytes`): zeros left by pruning cost as much as any weight.
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.data import encode_corpus, load_text, train_val_split
from llmlab.loss import nll
from llmlab.pretrained import load
from llmlab.prune import prune_gpt
from llmlab.quantize import quantize_gpt, quantized_bytes


def windows(ids: np.ndarray, block_size: int, limit: int | None) -> tuple[np.ndarray, ...]:
    """Consecutive (x, y) windows (W, T) covering `ids` once; the ragged end is dropped."""
    n = (len(ids) - 1) // block_size
    if limit is not None:
        n = min(n, limit)
    x = ids[: n * block_size].reshape(n, block_size)
    y = ids[1 : n * block_size + 1].reshape(n, block_size)
    return x, y


@nnx.jit
def _loss(model, x, y):
    return nll(model(x), y)


def loss_on(model, x: np.ndarray, y: np.ndarray, batch: int = 64) -> float:
    """Mean NLL over all windows, in batches (each window weighs the same)."""
    model.eval()
    total = 0.0
    for start in range(0, len(x), batch):
        xb, yb = jnp.asarray(x[start : start + batch]), jnp.asarray(y[start : start + batch])
        total += float(_loss(model, xb, yb)) * len(xb)
    return total / len(x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=None, help="score only the first N")
    parser.add_argument("--sparsity", type=float, nargs="+", default=[0.0, 0.25, 0.5, 0.75])
    args = parser.parse_args()
    model, tokenizer = load("shakespeare")
    _, val = train_val_split(encode_corpus(load_text("shakespeare"), tokenizer))
    x, y = windows(np.asarray(val), model.config.block_size, args.windows)
    print(
        f"shakespeare: {len(x):,} validation windows of {model.config.block_size} characters "
        f"({x.size:,} predictions); jax {jax.__version__}, {jax.devices()[0].platform}"
    )
    base = quantized_bytes(model)
    for sparsity in args.sparsity:
        pruned = prune_gpt(model, sparsity)[0] if sparsity else model
        for bits, name in ((None, "float32"), (8, "int8"), (4, "int4")):
            start = time.perf_counter()
            variant = quantize_gpt(pruned, bits) if bits else pruned
            loss = loss_on(variant, x, y)
            size = quantized_bytes(model, bits)
            print(
                f"sparsity {sparsity:4.0%}  {name:7s} {size:10,} bytes ({size / base:4.0%})  "
                f"val loss {loss:.4f}  ({time.perf_counter() - start:.1f} s)"
            )


if __name__ == "__main__":
    main()
