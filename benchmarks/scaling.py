"""A scaling sweep on Shakespeare characters: loss against size at one token budget, and its fit.

    .venv/bin/python benchmarks/scaling.py                      # lesson 12's four widths
    .venv/bin/python benchmarks/scaling.py --widths 8 16 32 64 128 --tokens 153600

Each model has --layers blocks of 2 heads and width C from --widths; all read the same --tokens
characters (same batches, same order). The script prints each model's size and validation loss,
the wall-clock and CPU seconds of the whole sweep (CPU seconds are what it would cost alone on
the machine: on a busy machine wall time is longer), and three fits: L = a · N^(-b) on
non-embedding parameters (Kaplan's N, `SweepPoint.n_params`), on all parameters, and with a
floor, L = c + a · N^(-b).
"""

from __future__ import annotations

import argparse
import os
import time

from llmlab.data import encode_corpus, load_text, train_val_split
from llmlab.scaling import fit_power_law, sweep
from llmlab.tokenizer import CharTokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=76_800)
    parser.add_argument("--block-size", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    args = parser.parse_args()
    text = load_text("shakespeare")
    tokenizer = CharTokenizer.from_text(text)
    train, val = train_val_split(encode_corpus(text, tokenizer))
    sizes = [(args.layers, 2, width) for width in args.widths]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"{args.tokens:,} tokens per model")  # fmt: skip
    wall, cpu = time.perf_counter(), time.process_time()
    points = sweep(sizes, args.tokens, train, val, vocab_size=tokenizer.vocab_size,
                   block_size=args.block_size, batch_size=args.batch_size, lr=args.lr,
                   on_point=lambda p: print(
                       f"C = {p.config.n_embd:3d}: N = {p.n_params:7,} non-embedding "
                       f"({p.n_total:7,} in all), val loss {p.val_loss:.4f}, {p.seconds:.1f} s",
                       flush=True))  # fmt: skip
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"sweep: {wall:.1f} s wall clock, {cpu:.1f} s of CPU time")
    losses = [p.val_loss for p in points]
    print("fit on non-embedding N:", fit_power_law([p.n_params for p in points], losses))
    print("fit on all parameters: ", fit_power_law([p.n_total for p in points], losses))
    if len(points) >= 3:
        floor = fit_power_law([p.n_params for p in points], losses, irreducible=True)
        print("fit with a floor:      ", floor)


if __name__ == "__main__":
    main()
