"""How fast is BPE? Train 256 merges on Shakespeare, encode it, and compare with the naive loop.

Run: python benchmarks/bpe.py [--corpus shakespeare|tang] [--merges 256] [--naive-merges 4] [--json]

The naive loop (train_bpe_naive) recounts every pair after every merge, so its time per merge
is roughly constant; we time a few merges on the full corpus and extrapolate to --merges
(an overestimate of maybe a third: the sequence gets shorter as merges are made).
"""

from __future__ import annotations

import argparse
import json
import time

from llmlab.data import load_text
from llmlab.tokenizer import GPT4_SPLIT_PATTERN, BPETokenizer, train_bpe_naive


def timed(fn):
    """Run fn(); return its result, wall-clock seconds and CPU seconds of this process.

    On a shared machine the wall time includes waiting for a core; the CPU time does not.
    """
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="shakespeare", choices=["shakespeare", "tang"])
    parser.add_argument("--merges", type=int, default=256)
    parser.add_argument(
        "--naive-merges", type=int, default=4, help="merges timed for the naive loop"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON dict of figures")
    args = parser.parse_args()

    text = load_text(args.corpus)
    raw = text.encode("utf-8")
    figures: dict[str, str | float | int] = {
        "corpus": args.corpus,
        "corpus_bytes": len(raw),
        "merges": args.merges,
    }
    for name, pattern in [("plain", None), ("gpt4_split", GPT4_SPLIT_PATTERN)]:
        tok = BPETokenizer(pattern)
        _, train_s, train_cpu = timed(lambda tok=tok: tok.train(text, 256 + args.merges))
        ids, encode_s, encode_cpu = timed(lambda tok=tok: tok.encode(text))
        decoded, decode_s, _ = timed(lambda tok=tok, ids=ids: tok.decode(ids))
        assert decoded == text, "the round trip must give back the corpus"
        figures |= {
            f"{name}_train_s": round(train_s, 3),
            f"{name}_train_cpu_s": round(train_cpu, 3),
            f"{name}_encode_s": round(encode_s, 3),
            f"{name}_encode_cpu_s": round(encode_cpu, 3),
            f"{name}_decode_s": round(decode_s, 3),
            f"{name}_tokens": len(ids),
            f"{name}_bytes_per_token": round(len(raw) / len(ids), 3),
        }
    _, naive_s, _ = timed(lambda: train_bpe_naive(list(raw), args.naive_merges))
    figures["naive_merges_timed"] = args.naive_merges
    figures["naive_s_per_merge"] = round(naive_s / args.naive_merges, 3)
    figures["naive_train_s_extrapolated"] = round(naive_s / args.naive_merges * args.merges, 1)
    figures["speedup_vs_naive"] = round(
        figures["naive_train_s_extrapolated"] / figures["plain_train_s"], 1
    )

    if args.json:
        print(json.dumps(figures))
        return
    mb = len(raw) / 1e6
    print(f"{args.corpus}: {mb:.2f} MB, {args.merges} merges")
    for name in ("plain", "gpt4_split"):
        print(
            f"  {name:>10}: train {figures[f'{name}_train_s']:.2f} s "
            f"(CPU {figures[f'{name}_train_cpu_s']:.2f} s), "
            f"encode {figures[f'{name}_encode_s']:.2f} s "
            f"({mb / figures[f'{name}_encode_s']:.1f} MB/s), "
            f"decode {figures[f'{name}_decode_s']:.3f} s, "
            f"{figures[f'{name}_bytes_per_token']} bytes/token"
        )
    print(
        f"  naive loop: {figures['naive_s_per_merge']:.2f} s per merge "
        f"(timed {args.naive_merges}) -> ~{figures['naive_train_s_extrapolated']:.0f} s for "
        f"{args.merges} merges, {figures['speedup_vs_naive']}x slower than the fast trainer"
    )


if __name__ == "__main__":
    main()
