"""Train the shipped tiny models and write their weights next to this file.

    python -m llmlab.pretrained build              # every model, in dependency order
    python -m llmlab.pretrained build shakespeare  # one of them

Each pretraining recipe is a character-level GPT trained from seed 0 on the first 90% of a
shipped corpus (`llmlab.data`); the validation loss is measured on the last 10% (nanoGPT's
estimate: the mean over 200 random batches) and written, with the recipe, into the
checkpoint's metadata. `tang_base` is pretrained like `tang` but with the chat's special
tokens in its vocabulary and a context of 80, long enough for every conversation of the
instruction set; `tang_chat` is `tang_base` after supervised fine-tuning (SFT) on that set
(`llmlab.data.instructions`), its validation loss the masked loss on the held-out
conversations. Same
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


CHAT_CONTEXT = 80  # the longest conversation of the instruction set is 74 tokens


def _chat_config(vocab_size: int) -> GPTConfig:
    return dataclasses.replace(GPTConfig.nanogpt_cpu(vocab_size), block_size=CHAT_CONTEXT)


def _chat_tokenizer(text: str):
    """The corpus's characters, then those of the instruction and preference sets, then the
    chat's special tokens: one vocabulary for the base model and its fine-tuned versions."""
    from llmlab.chat import chat_tokenizer
    from llmlab.data.instructions import load_instructions, load_preferences
    from llmlab.tokenizer import CharTokenizer

    said = [m["content"] for c in load_instructions(None) for m in c["messages"]]
    for pair in load_preferences(None):
        said += [m["content"] for m in pair["prompt"]] + [pair["chosen"], pair["rejected"]]
    return chat_tokenizer(CharTokenizer.from_text(text), "".join(said))


def _char_tokenizer(text: str):
    from llmlab.tokenizer import CharTokenizer

    return CharTokenizer.from_text(text)


# name -> (corpus, model config for a vocabulary size, training recipe, tokenizer maker)
RECIPES = {
    # nanoGPT's CPU recipe for Shakespeare (its published figure: val loss 1.88 at 2,000 steps).
    "shakespeare": (
        "shakespeare", GPTConfig.nanogpt_cpu, TrainConfig.nanogpt_cpu(), _char_tokenizer
    ),
    # The same shape on the quatrains, with context 32: a whole seven-character quatrain
    # is 32 characters (28 + 4 punctuation marks), so the model sees the poem so far.
    # 5,043 distinct characters make the embedding most of the parameters.
    "tang": (
        "tang", _tang_config, TrainConfig(batch_size=24, block_size=32, max_steps=1500),
        _char_tokenizer,
    ),
    # The base model the chat lessons fine-tune: same corpus, steps and tokens per step as
    # `tang` (10 x 80 = 800 vs 24 x 32 = 768), with context 80.
    "tang_base": (
        "tang", _chat_config,
        TrainConfig(batch_size=10, block_size=CHAT_CONTEXT, max_steps=1500), _chat_tokenizer,
    ),
}  # fmt: skip
# SFT of tang_base on the instruction set: a lower learning rate than pretraining, so the
# model learns the format without forgetting the poems it has read.
SFT = TrainConfig(batch_size=16, block_size=CHAT_CONTEXT, lr=3e-4, min_lr=3e-5,
                  warmup_steps=50, max_steps=600, eval_interval=100, eval_iters=20)  # fmt: skip
# Three adders of one size, one per way of writing an addition (`llmlab.data.arithmetic`):
# the answer at once, a scratchpad of column sums first, or a calculator call.
ADDERS = {"add_direct": "direct", "add_scratch": "scratch", "add_tool": "tool"}
ADD_CONTEXT = 64  # the longest scratchpad, 4 digits + 4 digits, is 54 tokens


def adder_config(vocab_size: int) -> GPTConfig:
    """The adders' shape: 2 layers, 4 heads, 64 channels (GPTConfig.tiny, ~0.1M parameters)."""
    return GPTConfig.tiny(vocab_size)


ADD_TRAIN = TrainConfig(batch_size=64, block_size=ADD_CONTEXT, lr=3e-3, min_lr=1e-4, max_steps=800,
                        eval_interval=200, eval_iters=20, log_interval=50)  # fmt: skip
ADD_PROBLEMS = 30_000  # training problems, drawn from the train split with seed 0
ORDER = ("shakespeare", "tang", "tang_base", "tang_chat", *ADDERS, "follow")


def _reporter(name: str, verbose: bool):
    """A `fit` callback that prints each evaluation of model `name` (silent if not verbose)."""

    def progress(record):
        if verbose and record["val_loss"] is not None:
            r = record
            print(f"[{name}] step {r['step']:5d}  train {r['train_loss']:.3f}  "
                  f"val {r['val_loss']:.3f}  {r['elapsed']:.0f}s", flush=True)  # fmt: skip

    return progress


def build(name: str, out_dir: Path = HERE, verbose: bool = True) -> dict:
    """Train recipe `name`, save `<out_dir>/<name>.safetensors`, return its figures."""
    if name == "tang_chat":
        return build_chat(out_dir, verbose)
    if name in ADDERS:
        return build_adder(name, out_dir, verbose)
    if name == "follow":  # the instruction follower of prompt injection (follow.py)
        from llmlab.pretrained.follow import build_follow

        return build_follow(out_dir, verbose, _reporter(name, verbose))
    corpus, model_preset, cfg, make_tokenizer = RECIPES[name]
    text = load_text(corpus)
    tokenizer = make_tokenizer(text)
    train, val = train_val_split(encode_corpus(text, tokenizer), 0.1)
    model = GPT(model_preset(tokenizer.vocab_size), rngs=nnx.Rngs(cfg.seed))

    progress = _reporter(name, verbose)
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


def sft_data(tokenizer, split: str):
    """The instruction set's `split` ("train" or "test") as padded arrays for `fit`."""
    from llmlab.chat import encode_chat, pack_chats
    from llmlab.data.instructions import load_instructions

    examples = [encode_chat(c["messages"], tokenizer) for c in load_instructions(split)]
    return pack_chats(examples, CHAT_CONTEXT, pad_id=0)


def build_chat(out_dir: Path = HERE, verbose: bool = True) -> dict:
    """Fine-tune `<out_dir>/tang_base.safetensors` on the instruction set; save tang_chat."""
    from llmlab.chat import example_batch, sft_loss
    from llmlab.checkpoint import load_checkpoint

    base = load_checkpoint(out_dir / "tang_base.safetensors")
    model, tokenizer = base.model, base.tokenizer
    train, val = sft_data(tokenizer, "train"), sft_data(tokenizer, "test")
    chat = {"loss_fn": sft_loss, "batch_fn": example_batch}

    progress = _reporter("tang_chat", verbose)
    before = evaluate(model, val, SFT, jax.random.key(1234), **chat)
    start = time.perf_counter()
    history = fit(model, train, val, SFT, callback=progress, **chat)
    seconds = time.perf_counter() - start
    path = save_checkpoint(out_dir / "tang_chat.safetensors", model, tokenizer=tokenizer,
                           step=history.step, train_config=SFT, dtype=np.float16)  # fmt: skip
    shipped = load_checkpoint(path).model
    val_loss = evaluate(shipped, val, SFT, jax.random.key(1234), **chat)
    figures = {"val_loss": round(val_loss, 4), "val_loss_before": round(before, 4),
               "train_seconds": round(seconds, 1), "steps": history.step,
               "bytes": path.stat().st_size}  # fmt: skip
    if verbose:
        print(f"[tang_chat] {json.dumps(figures)}", flush=True)
    return figures


def build_adder(name: str, out_dir: Path = HERE, verbose: bool = True) -> dict:
    """Train adder `name` (a key of ADDERS) from seed 0; save it; return its figures."""
    from llmlab.arithmetic import encode_problems, train_adder
    from llmlab.chat import example_batch, sft_loss
    from llmlab.checkpoint import load_checkpoint
    from llmlab.data.arithmetic import arithmetic_tokenizer, make_problems

    fmt, cfg = ADDERS[name], ADD_TRAIN
    tokenizer = arithmetic_tokenizer()
    model = GPT(adder_config(tokenizer.vocab_size), rngs=nnx.Rngs(cfg.seed))

    progress = _reporter(name, verbose)
    start = time.perf_counter()
    history = train_adder(model, tokenizer, fmt, cfg, n_train=ADD_PROBLEMS, callback=progress)
    seconds = time.perf_counter() - start
    path = save_checkpoint(out_dir / f"{name}.safetensors", model, tokenizer=tokenizer,
                           step=history.step, train_config=cfg, dtype=np.float16)  # fmt: skip
    val = encode_problems(make_problems(2000, "test", seed=cfg.seed + 1), fmt, tokenizer,
                          ADD_CONTEXT)  # fmt: skip
    val_loss = evaluate(load_checkpoint(path).model, val, cfg, jax.random.key(1234),
                        loss_fn=sft_loss, batch_fn=example_batch)  # fmt: skip
    figures = {"val_loss": round(val_loss, 4), "train_seconds": round(seconds, 1),
               "steps": history.step, "bytes": path.stat().st_size}  # fmt: skip
    if verbose:
        print(f"[{name}] {json.dumps(figures)}", flush=True)
    return figures


def main(argv: list[str]) -> None:
    names = [n for n in ORDER if n in argv] if argv else list(ORDER)
    unknown = sorted(set(argv) - set(ORDER))
    if unknown:
        raise SystemExit(f"unknown model(s) {unknown}; expected some of {list(ORDER)}")
    for name in names:
        build(name)


if __name__ == "__main__":
    main(sys.argv[1:])
