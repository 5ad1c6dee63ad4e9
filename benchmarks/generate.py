"""How much faster is generation with a KV cache? ms/token with and without it.

    .venv/bin/python benchmarks/generate.py            # nanoGPT CPU model, 500 tokens
    .venv/bin/python benchmarks/generate.py --json     # one JSON object, for scripts

The model is randomly initialised (speed does not depend on the weights). Both paths are
compiled before timing; the two are timed in alternating rounds so that load from other
programs hits both alike. The headline figures are the best of the rounds (as `timeit`
reports: the run least disturbed by other programs); the medians come along in --json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import jax
from flax import nnx

from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig

PRESETS = {"tiny": GPTConfig.tiny, "nanogpt_cpu": GPTConfig.nanogpt_cpu, "small": GPTConfig.small}


def seconds_for(model: GPT, tokens: int, use_cache: bool, seed: int) -> float:
    """Wall-clock seconds to generate `tokens` new tokens after a one-token prompt."""
    start = time.perf_counter()
    out = generate(model, [0], tokens, key=jax.random.key(seed), use_cache=use_cache)
    elapsed = time.perf_counter() - start
    assert len(out) == tokens, "no stop token was given, so every token must be generated"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="nanogpt_cpu")
    parser.add_argument("--vocab-size", type=int, default=65)
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    config = PRESETS[args.preset](args.vocab_size)
    model = GPT(config, rngs=nnx.Rngs(0))
    for use_cache in (True, False):  # compile every step function before timing
        generate(model, [0], config.block_size + 2, key=jax.random.key(0), use_cache=use_cache)

    cached, uncached = [], []
    for r in range(args.rounds):
        cached.append(seconds_for(model, args.tokens, True, r))
        uncached.append(seconds_for(model, args.tokens, False, r))
    ms_cached = min(cached) / args.tokens * 1e3
    ms_uncached = min(uncached) / args.tokens * 1e3
    result = {
        "preset": args.preset,
        "config": config.to_dict(),
        "new_tokens": args.tokens,
        "rounds": args.rounds,
        "backend": jax.default_backend(),
        "ms_per_token_cache": round(ms_cached, 4),
        "ms_per_token_no_cache": round(ms_uncached, 4),
        "speedup": round(ms_uncached / ms_cached, 2),
        "speedup_of_medians": round(statistics.median(uncached) / statistics.median(cached), 2),
        "speedup_per_round": [round(u / c, 2) for c, u in zip(cached, uncached)],
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{args.preset} ({config.n_layer} layers, {config.n_embd} channels, "
            f"context {config.block_size}), {args.tokens} new tokens on {result['backend']}:"
        )
        print(f"  with KV cache    {ms_cached:8.3f} ms/token")
        print(f"  without cache    {ms_uncached:8.3f} ms/token")
        print(f"  speed-up         {result['speedup']:8.2f}x")


if __name__ == "__main__":
    main()
