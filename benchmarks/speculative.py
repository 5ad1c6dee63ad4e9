"""Speculative decoding on the shipped Shakespeare model: acceptance, target passes, speed-up.

    .venv/bin/python benchmarks/speculative.py               # gamma 4, draft = first layer
    .venv/bin/python benchmarks/speculative.py --layers 2 --gamma 3

The target is the shipped Shakespeare GPT; the draft is a truncated copy of it (its first
--layers blocks, then the target's own final LayerNorm and tied head), so it needs no
training. Generation is greedy, so the speculative text must equal plain cached `generate`'s,
and the script checks that. Both paths are compiled first; each is then timed --rounds times,
alternating, and the best round is reported (the run least disturbed by other programs).
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import jax
from flax import nnx

from llmlab.generate import generate
from llmlab.model import GPT
from llmlab.pretrained import load
from llmlab.speculative import speculative_generate


def truncated(model: GPT, layers: int) -> GPT:
    """A copy of `model` keeping only its first `layers` blocks."""
    draft = nnx.clone(model)
    draft.blocks = nnx.data(list(draft.blocks)[:layers])
    draft.config = dataclasses.replace(model.config, n_layer=layers)
    return draft


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gamma", type=int, default=4)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    target, tokenizer = load("shakespeare")
    draft = truncated(target, args.layers)
    prompt = tokenizer.encode("ROMEO:\n")
    n = target.config.block_size - len(prompt) + 1 - args.gamma  # the most that fits
    key = jax.random.key(0)

    def plain():
        return generate(target, prompt, n, key=key, temperature=0.0)

    def spec():
        return speculative_generate(target, draft, prompt, n, key=key, gamma=args.gamma,
                                    temperature=0.0)  # fmt: skip

    want, (got, stats) = plain(), spec()  # compiles both
    assert got == want, "speculative greedy text differs from the target's greedy text"
    times = {"plain": [], "spec": []}
    for _ in range(args.rounds):
        for name, fn in (("plain", plain), ("spec", spec)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    best_plain, best_spec = min(times["plain"]), min(times["spec"])
    c = target.config
    print(f"target: shakespeare ({c.n_layer} layers, C={c.n_embd}); draft: first "
          f"{args.layers} layer(s); gamma={args.gamma}; {n} greedy tokens")  # fmt: skip
    print(f"identical greedy text: yes; acceptance rate {stats.acceptance_rate:.2f} "
          f"({stats.accepted}/{stats.proposals})")  # fmt: skip
    print(f"target passes per token {stats.target_passes_per_token:.3f} (plain: 1.000)")
    speed_up = best_plain / best_spec
    print(f"plain cached generate {1000 * best_plain / n:.2f} ms/token, speculative "
          f"{1000 * best_spec / n:.2f} ms/token: speed-up x{speed_up:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
