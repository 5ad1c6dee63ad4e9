"""Tests for llmlab.prune: magnitude pruning of a matrix and of a GPT's Linear kernels."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from llmlab.model import GPT, GPTConfig
from llmlab.prune import magnitude_prune, prune_gpt


def tiny_model() -> GPT:
    config = GPTConfig(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=8)
    return GPT(config, rngs=nnx.Rngs(0))


def test_worked_example_zeroes_exactly_the_smallest_magnitudes():
    w = jnp.array([[0.5, -0.1, 0.05], [0.3, -2.0, 1.0]])
    # |w| sorted: 0.05, 0.1, 0.3, 0.5, 1.0, 2.0; sparsity 0.5 -> round(3.0) = 3 zeroed.
    pruned, achieved = magnitude_prune(w, 0.5)
    np.testing.assert_array_equal(pruned, [[0.5, 0, 0], [0, -2.0, 1.0]], "the 3 smallest go")
    assert achieved == 0.5, f"3 of 6 zeroed is sparsity 0.5, got {achieved}"
    pruned, achieved = magnitude_prune(w, 0.4)  # round(2.4) = 2
    assert int((pruned == 0).sum()) == 2 and achieved == 2 / 6, f"2 of 6, got {achieved}"


def test_ties_still_give_the_exact_count():
    pruned, achieved = magnitude_prune(jnp.ones((4, 4)), 0.25)
    assert int((pruned == 0).sum()) == 4, "ties at the threshold must not prune more than asked"
    assert achieved == 0.25, f"achieved sparsity {achieved}"


def test_sparsity_zero_changes_nothing_and_one_zeroes_everything():
    w = jax.random.normal(jax.random.key(0), (5, 7))
    np.testing.assert_array_equal(magnitude_prune(w, 0)[0], w, "sparsity 0 keeps every weight")
    pruned, achieved = magnitude_prune(w, 1.0)
    assert not pruned.any() and achieved == 1.0, "sparsity 1 zeroes every weight"


def test_prune_gpt_prunes_each_kernel_and_keeps_the_rest():
    model = tiny_model()
    idx = jnp.arange(8)[None] % 11
    unchanged, s0 = prune_gpt(model, 0.0)
    np.testing.assert_array_equal(unchanged(idx), model(idx), "sparsity 0: the same model")
    assert s0 == 0.0, f"sparsity 0 achieved {s0}"
    pruned, achieved = prune_gpt(model, 0.3)
    for layer in (pruned.blocks[0].attn.c_attn, pruned.blocks[1].mlp.c_proj):
        kernel = np.asarray(layer.kernel[...])
        want = round(0.3 * kernel.size) / kernel.size
        assert (kernel == 0).mean() == want, f"each kernel is pruned to {want} on its own"
    assert abs(achieved - 0.3) < 0.01, f"achieved sparsity {achieved} should be ≈ 0.3"
    np.testing.assert_array_equal(pruned.wte.embedding[...], model.wte.embedding[...],
                                  "the tied embedding is not pruned")  # fmt: skip
    assert not (np.asarray(model.blocks[0].attn.c_attn.kernel[...]) == 0).any(), (
        "the original model is unchanged"
    )


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "half", True])
def test_bad_sparsity_gets_a_clear_sentence(bad):
    with pytest.raises(ValueError, match=r"sparsity is the fraction of weights to zero"):
        magnitude_prune(jnp.ones((2, 2)), bad)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        prune_gpt(tiny_model(), bad)
