"""Every GPTConfig preset trains, samples and checkpoints on the CPU, a few steps each.

The lessons pick `GPTConfig.for_device`: `tiny` on a CPU, `small` (with dropout 0.2) on a GPU
or TPU. CI has only a CPU, so without these tests the GPU path of lesson 08 could break
unseen (it did: dropout crashed `fit`). Steps, batch and context are shrunk, never the
architecture, except for `gpt2`: 124M parameters (and a 1.5 GB checkpoint with its Adam
state) is too big for a test of seconds, so it keeps its width, heads and context, with
1 layer instead of 12 and the 65-character vocabulary instead of 50,257.
"""

from __future__ import annotations

import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from llmlab.checkpoint import load_checkpoint, save_checkpoint
from llmlab.data import load_text
from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig
from llmlab.tokenizer import CharTokenizer
from llmlab.train import TrainConfig, fit

TEXT = load_text("shakespeare")
TOKENIZER = CharTokenizer.from_text(TEXT)
IDS = np.array(TOKENIZER.encode(TEXT[:3000]), dtype=np.int32)
# Three steps of 2 windows of 16 tokens: enough to run every piece of the loop once.
CFG = TrainConfig(batch_size=2, block_size=16, warmup_steps=1, max_steps=3, eval_interval=3,
                  eval_iters=1, log_interval=1)  # fmt: skip

PRESETS = {
    "tiny": GPTConfig.tiny,
    "nanogpt_cpu": GPTConfig.nanogpt_cpu,
    "small": GPTConfig.small,
    "gpt2 (1 layer, 65 tokens)": lambda V: dataclasses.replace(
        GPTConfig.gpt2(), n_layer=1, vocab_size=V
    ),
}


def test_for_device_picks_small_with_dropout_off_the_cpu(monkeypatch):
    assert GPTConfig.for_device(65) == GPTConfig.tiny(65) or jax.default_backend() != "cpu"
    monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
    picked = GPTConfig.for_device(65)
    assert picked == GPTConfig.small(65) and picked.dropout > 0, "the preset tested below"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_trains_samples_and_round_trips_through_a_checkpoint(name, tmp_path):
    config = PRESETS[name](TOKENIZER.vocab_size)
    model = GPT(config, rngs=nnx.Rngs(0))
    history = fit(model, IDS[:2500], IDS[2500:], CFG)
    losses = history["train_loss"]
    assert history.stopped is None and history.step == CFG.max_steps, history.stopped
    assert all(math.isfinite(x) for x in [*losses, history["val_loss"][-1]]), losses
    assert abs(losses[0] - math.log(config.vocab_size)) < 1.0, "a fresh model guesses ~evenly"

    new = generate(model, TOKENIZER.encode("ROMEO:"), 4, key=jax.random.key(0))
    assert len(new) == 4 and all(0 <= t < config.vocab_size for t in new)

    path = save_checkpoint(tmp_path / "p.safetensors", model, tokenizer=TOKENIZER, step=3,
                           opt_state=history.opt_state, train_config=CFG)  # fmt: skip
    ckpt = load_checkpoint(path)
    assert ckpt.config == config and ckpt.step == CFG.max_steps
    x = jnp.asarray(IDS[None, :16])
    np.testing.assert_array_equal(ckpt.model(x), model(x), "the same weights, the same logits")
    for a, b in zip(jax.tree.leaves(ckpt.opt_state), jax.tree.leaves(history.opt_state),
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
