"""Train the shipped tiny models and write their weights next to this file.

    python -m llmlab.pretrained build              # both models
    python -m llmlab.pretrained build shakespeare  # one of them

Each recipe is a character-level GPT trained from seed 0 on the first 90% of a shipped corpus
(`llmlab.data`); the validation loss is measured on the last 10% (nanoGPT's estimate: the mean
over 200 random batches) and written, with the recipe, into the checkpoint's metadata. Same
code, versions and machine -> the same weights; another CPU may round differently (a rebuild
of `shakespeare` on another machine gave weights within 0.003 of the shipped ones and the
same validation loss, 1.876). Weights are stored as float16 to keep the package small; they
load as float32. The metadata carries a checksum of the tensors, checked on every load.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

import jax
import numpy as np
from flax import nnx

from llmlab.checkpoint import save_checkpoint
from llmlab.data import encode_corpus, load_text, train_val_split
from llmlab.model import GPT, GPTConfig
from llmlab.train import TrainConfig, evaluate, fit

HERE = Path(__file__).parent


def _tang_config(vocab_size: int) -> GPTConfig:
    return dataclasses.replace(GPTConfig.nanogpt_cpu(vocab_size), block_size=32)


# name -> (corpus, model config for a vocabulary size, training recipe)
RECIPES = {
    # nanoGPT's CPU recipe for Shakespeare (its published figure: val loss 1.88 at 2,000 steps).
    "shakespeare": ("shakespeare", GPTConfig.nanogpt_cpu, TrainConfig.nanogpt_cpu()),
    # The same shape on the quatrains, with context 32: a whole seven-character quatrain
    # is 32 characters (28 + 4 punctuation marks), so the model sees the poem so far.
    # 5,043 distinct characters make the embedding most of the parameters.
    "tang": ("tang", _tang_config, TrainConfig(batch_size=24, block_size=32, max_steps=1500)),
}


def build(name: str, out_dir: Path = HERE, verbose: bool = True) -> dict:
    """Train recipe `name`, save `<out_dir>/<name>.safetensors`, return its figures."""
    from llmlab.tokenizer import CharTokenizer

    corpus, model_preset, cfg = RECIPES[name]
    text = load_text(corpus)
    tokenizer = CharTokenizer.from_text(text)
    train, val = train_val_split(encode_corpus(text, tokenizer), 0.1)
    model = GPT(model_preset(tokenizer.vocab_size), rngs=nnx.Rngs(cfg.seed))

    def progress(record):
        if verbose and record["val_loss"] is not None:
            r = record
            print(f"[{name}] step {r['step']:5d}  train {r['train_loss']:.3f}  "
                  f"val {r['val_loss']:.3f}  {r['elapsed']:.0f}s", flush=True)  # fmt: skip

    start = time.perf_counter()
    history = fit(model, train, val, cfg, callback=progress)
    seconds = time.perf_counter() - start
    path = save_checkpoint(out_dir / f"{name}.safetensors", model, tokenizer=tokenizer,
                           step=history.step, train_config=cfg, dtype=np.float16)  # fmt: skip
    # Measure the model as shipped (float16 weights), on a fixed key.
    from llmlab.checkpoint import load_checkpoint

    shipped = load_checkpoint(path).model
    val_loss = evaluate(shipped, val, cfg, jax.random.key(1234))
    figures = {"val_loss": round(val_loss, 4), "train_seconds": round(seconds, 1),
               "steps": history.step, "bytes": path.stat().st_size}  # fmt: skip
    if verbose:
        print(f"[{name}] {json.dumps(figures)}", flush=True)
    return figures


def main(argv: list[str]) -> None:
    names = argv or sorted(RECIPES)
    unknown = sorted(set(names) - set(RECIPES))
    if unknown:
        raise SystemExit(f"unknown model(s) {unknown}; expected some of {sorted(RECIPES)}")
    for name in names:
        build(name)


if __name__ == "__main__":
    main(sys.argv[1:])
