"""Tests for llmlab.lora and LoRA training through llmlab.train.fit (trainable=LoRAParam)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from llmlab.lora import LoRALinear, add_lora, lora_forward, merge_lora, trainable_fraction
from llmlab.model import GPT, GPTConfig
from llmlab.train import TrainConfig, fit

V = 8
CORPUS = np.array([0, 1, 2, 3, 4, 5, 6, 7] * 40, dtype=np.int32)
SMALL = TrainConfig(batch_size=4, block_size=8, lr=1e-2, min_lr=1e-3, warmup_steps=2,
                    max_steps=20, eval_interval=10, eval_iters=2, log_interval=10)  # fmt: skip


def tiny_model(seed: int = 0) -> GPT:
    return GPT(GPTConfig(V, block_size=8, n_layer=2, n_head=2, n_embd=16), rngs=nnx.Rngs(seed))


def leaves(model, filt):
    return [np.asarray(x) for x in jax.tree.leaves(nnx.state(model, filt))]


def test_lora_forward_equals_a_linear_layer_with_the_merged_weight():
    k = jax.random.split(jax.random.key(0), 5)
    x, W, b = (jax.random.normal(k[0], (3, 6)), jax.random.normal(k[1], (6, 4)),
               jax.random.normal(k[2], (4,)))  # fmt: skip
    A, B = jax.random.normal(k[3], (6, 2)), jax.random.normal(k[4], (2, 4))
    want = x @ (W + (8.0 / 2) * A @ B) + b[None]  # alpha 8, rank 2: scale 4
    np.testing.assert_allclose(lora_forward(x, W, b, A, B, 8.0), want, rtol=1e-4, atol=1e-4)


def test_fresh_adapters_change_nothing_and_wrap_only_the_targets():
    base = tiny_model()
    x = jnp.arange(8)[None] % V
    lora = add_lora(base, rank=2, rngs=nnx.Rngs(1))
    np.testing.assert_array_equal(lora(x), base(x), "B starts at 0: the same model")
    wrapped = [".".join(map(str, p)) for p, n in nnx.iter_graph(lora) if isinstance(n, LoRALinear)]
    want = [f"blocks.{i}.attn.{n}" for i in range(2) for n in ("c_attn", "c_proj")]
    assert sorted(wrapped) == sorted(want), "attention's layers only, not the MLP's"
    assert not any(isinstance(n, LoRALinear) for _, n in nnx.iter_graph(base)), "base untouched"
    with pytest.raises(ValueError, match="no Linear layer matches"):
        add_lora(base, ("q_proj",), rngs=nnx.Rngs(1))


def test_trainable_fraction_of_the_shakespeare_shape_matches_the_arithmetic():
    base = GPT(GPTConfig.nanogpt_cpu(65), rngs=nnx.Rngs(0))  # 809,856 parameters
    for rank in (4, 8):
        # per layer: c_attn 128r + r*384, c_proj 128r + 128r -> 768r; 4 layers -> 3072r
        lora_params = 3072 * rank
        got = trainable_fraction(add_lora(base, rank=rank, rngs=nnx.Rngs(1)))
        assert got == pytest.approx(lora_params / (809_856 + lora_params), rel=1e-12)


def test_lora_training_changes_only_the_adapters_and_merging_keeps_the_function():
    lora = add_lora(tiny_model(), rank=2, alpha=4.0, rngs=nnx.Rngs(1))
    base_before = leaves(lora, nnx.Not(nnx.LoRAParam))
    adapters_before = leaves(lora, nnx.LoRAParam)
    history = fit(lora, CORPUS, CORPUS, SMALL, trainable=nnx.LoRAParam)
    for a, b in zip(base_before, leaves(lora, nnx.Not(nnx.LoRAParam)), strict=True):
        np.testing.assert_array_equal(a, b, "LoRA must leave the base weights bit-identical")
    adapters_after = leaves(lora, nnx.LoRAParam)
    moved = [not np.array_equal(a, b) for a, b in zip(adapters_before, adapters_after)]
    assert any(moved), "the adapters must learn"
    assert history["train_loss"][-1] < history["train_loss"][0], "the loss must go down"
    merged = merge_lora(lora)
    assert not any(isinstance(n, LoRALinear) for _, n in nnx.iter_graph(merged)), "plain GPT"
    x = CORPUS[None, :8]
    np.testing.assert_allclose(merged(x), lora(x), atol=1e-4, rtol=1e-4)


def test_the_flax_trap_splitting_on_param_trains_the_base_weights_too():
    lora = add_lora(tiny_model(), rank=2, rngs=nnx.Rngs(1))
    before = leaves(lora, nnx.Not(nnx.LoRAParam))
    fit(lora, CORPUS, CORPUS, SMALL)  # trainable defaults to nnx.Param, which includes LoRAParam
    after = leaves(lora, nnx.Not(nnx.LoRAParam))
    assert any(not np.array_equal(a, b) for a, b in zip(before, after)), (
        "with trainable=nnx.Param the frozen weights move: the reason for trainable=LoRAParam"
    )


def test_fit_refuses_a_filter_that_selects_no_parameter():
    with pytest.raises(ValueError, match="no parameters matching"):
        fit(tiny_model(), CORPUS, CORPUS, SMALL, trainable=nnx.LoRAParam)
