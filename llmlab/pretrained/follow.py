"""The recipe of `follow`: a tiny model that applies a command to a piece of text.

    python -m llmlab.pretrained build follow

The adders' shape (2 layers, 4 heads, 64 channels) with a context of 96, trained from seed 0
on requests of `llmlab.data.commands` in both prompt formats of `llmlab.injection` (with and
without the data markers), one model for both. The loss is SFT's masked loss
(`llmlab.chat.sft_loss`): only the answer and its newline count. The validation loss is on
held-out words; `benchmarks/injection.py` measures accuracy and injection rates.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import jax
import numpy as np
from flax import nnx

from llmlab.model import GPT, GPTConfig
from llmlab.optimizer import TrainConfig

FOLLOW_CONTEXT = 96  # the longest held-out attack, guarded and answered, is 97 tokens
FOLLOW_TRAIN = TrainConfig(batch_size=64, block_size=FOLLOW_CONTEXT, lr=3e-3, min_lr=1e-4,
                           max_steps=1500, eval_interval=250, eval_iters=20,
                           log_interval=50)  # fmt: skip
FOLLOW_EXAMPLES = 40_000  # training requests, from the train words with seed 0


def follow_config(vocab_size: int) -> GPTConfig:
    """GPTConfig.tiny (the adders' shape, ~0.1M parameters) with a context of 96."""
    return dataclasses.replace(GPTConfig.tiny(vocab_size), block_size=FOLLOW_CONTEXT)


def follow_data(tokenizer, n: int, *, seed: int, split: str = "train"):
    """`n` requests of `split` in both formats, as padded arrays x, y, mask (N, T) for `fit`.

    The train split mixes clean requests, changes of mind and guarded data with instructions
    inside (`make_training`); the test split does the same with held-out words.
    """
    from llmlab.chat import pack_chats
    from llmlab.data.commands import make_training
    from llmlab.injection import encode_example

    examples = make_training(n, seed=seed, split=split)
    return pack_chats([encode_example(tokenizer, r, g) for r, g in examples], FOLLOW_CONTEXT, 0)


def build_follow(out_dir: Path, verbose: bool = True, reporter=None) -> dict:
    """Train `follow` from seed 0; save `<out_dir>/follow.safetensors`; return its figures."""
    from llmlab.chat import example_batch, sft_loss
    from llmlab.checkpoint import load_checkpoint, save_checkpoint
    from llmlab.injection import follow_tokenizer
    from llmlab.train import evaluate, fit

    cfg = FOLLOW_TRAIN
    tokenizer = follow_tokenizer()
    model = GPT(follow_config(tokenizer.vocab_size), rngs=nnx.Rngs(cfg.seed))
    train = follow_data(tokenizer, FOLLOW_EXAMPLES, seed=cfg.seed)
    val = follow_data(tokenizer, 2000, seed=cfg.seed + 1, split="test")
    sft = {"loss_fn": sft_loss, "batch_fn": example_batch}

    start = time.perf_counter()
    history = fit(model, train, val, cfg, callback=reporter, **sft)
    seconds = time.perf_counter() - start
    path = save_checkpoint(out_dir / "follow.safetensors", model, tokenizer=tokenizer,
                           step=history.step, train_config=cfg, dtype=np.float16)  # fmt: skip
    val_loss = evaluate(load_checkpoint(path).model, val, cfg, jax.random.key(1234), **sft)
    figures = {"val_loss": round(val_loss, 4), "train_seconds": round(seconds, 1),
               "steps": history.step, "bytes": path.stat().st_size}  # fmt: skip
    if verbose:
        print(f"[follow] {json.dumps(figures)}", flush=True)
    return figures
