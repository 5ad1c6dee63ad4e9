"""Training speed and quality on nanoGPT's CPU recipe, to compare with nanoGPT side by side.

    python benchmarks/train.py --preset nanogpt-cpu --iters 2000 --json
    -> {"ms_per_iter": ..., "tokens_per_s": ..., "val_loss": ..., "compile_s": ...}

The recipe (nanoGPT `config/train_shakespeare_char.py` with its CPU overrides): character-level
Shakespeare, 90/10 split, 4 layers, 4 heads, 128 channels, context 64, batch 12, AdamW lr 1e-3
(betas 0.9/0.99, weight decay 0.1), 100 warm-up steps, cosine to 1e-4 at the last step, clip 1.0,
dropout 0. val_loss is nanoGPT's estimate: the mean over 200 random validation batches at the end.
ms_per_iter leaves out the first compiled call (compilation); compile_s is that call's extra time.
`benchmarks/nanogpt_torch.py` runs the same recipe in eager PyTorch (nanoGPT's model and loop),
for a side-by-side figure on the same machine.
`--naive N` also times N steps of the straightforward port (nnx.jit + nnx.Optimizer, one
dispatch and one host-drawn batch per step) in the same process, for a ratio that does not
depend on how busy the machine is.
`--devices N` splits the CPU into N XLA host devices and trains data parallel over them
(llmlab.train's mesh), one device per core: XLA:CPU runs each device's step on its own thread.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

# --devices must reach XLA before JAX starts, so it is read here, before JAX is imported.
if "--devices" in sys.argv[:-1]:
    count = int(sys.argv[sys.argv.index("--devices") + 1])
    flag = f"--xla_force_host_platform_device_count={count}"
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {flag}".strip()

import jax
import optax
from flax import nnx

from llmlab.data import encode_corpus, get_batch, load_text, train_val_split
from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import CharTokenizer
from llmlab.train import TrainConfig, data_parallel_mesh, fit, make_optimizer

PRESETS = {"nanogpt-cpu": (GPTConfig.nanogpt_cpu, TrainConfig.nanogpt_cpu)}


def naive_ms_per_iter(model, train, cfg: TrainConfig, iters: int) -> float:
    """ms per step of the textbook loop: nnx.jit step, nnx.Optimizer, batch drawn per step."""
    optimizer = nnx.Optimizer(model, make_optimizer(cfg), wrt=nnx.Param)

    @nnx.jit
    def step(model, optimizer, x, y):
        def loss_fn(model):
            return optax.softmax_cross_entropy_with_integer_labels(model(x), y).mean()

        loss, grads = nnx.value_and_grad(loss_fn)(model)
        optimizer.update(model, grads)
        return loss

    key = jax.random.key(0)
    for i in range(iters + 3):
        if i == 3:  # after compilation and warm-up
            start = time.perf_counter()
        x, y = get_batch(jax.random.fold_in(key, i), train, cfg.batch_size, cfg.block_size)
        step(model, optimizer, x, y).block_until_ready()
    return (time.perf_counter() - start) / iters * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="nanogpt-cpu")
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--log-interval", type=int, default=10, help="steps per compiled call")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--naive", type=int, default=0, metavar="N", help="also time N naive steps")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--devices", type=int, default=1, help="CPU devices, data parallel")
    args = parser.parse_args()

    text = load_text("shakespeare")
    tokenizer = CharTokenizer.from_text(text)
    train, val = train_val_split(encode_corpus(text, tokenizer), 0.1)
    model_preset, train_preset = PRESETS[args.preset]
    cfg = dataclasses.replace(
        train_preset(),
        max_steps=args.iters,
        warmup_steps=min(train_preset().warmup_steps, args.iters - 1),
        eval_interval=args.iters,  # one validation estimate, at the end
        log_interval=args.log_interval,
        seed=args.seed,
    )
    model = GPT(model_preset(tokenizer.vocab_size), rngs=nnx.Rngs(args.seed))

    def report(record):
        if not args.json:
            print(f"step {record['step']:5d}  train {record['train_loss']:.4f}  "
                  f"{record['tokens_per_s']:8.0f} tokens/s")  # fmt: skip

    mesh = data_parallel_mesh() if args.devices > 1 else None
    history = fit(model, train, val, cfg, callback=report, mesh=mesh)
    tokens = cfg.batch_size * cfg.block_size
    steps = [0, *history["step"]]
    seconds = [(b - a) * tokens / r["tokens_per_s"]
               for a, b, r in zip(steps, steps[1:], history.records)]  # fmt: skip
    ms = sum(seconds[1:]) / (cfg.max_steps - steps[1]) * 1e3  # the first call compiles
    result = {
        "ms_per_iter": round(ms, 2),
        "tokens_per_s": round(tokens / ms * 1e3),
        "val_loss": round(history["val_loss"][-1], 4),
        "compile_s": round(seconds[0] - steps[1] * ms / 1e3, 2),
        "devices": len(jax.devices()),
    }
    if args.naive:
        fresh = GPT(model_preset(tokenizer.vocab_size), rngs=nnx.Rngs(args.seed))
        result["naive_ms_per_iter"] = round(naive_ms_per_iter(fresh, train, cfg, args.naive), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
