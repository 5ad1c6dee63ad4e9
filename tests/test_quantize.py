"""Tests for llmlab.quantize: absmax int8/int4 per output channel, on matrices and on a GPT."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tolerances import float32_atol

from llmlab.quantize import dequantize, quantize, quantize_gpt, quantized_bytes

matrices = arrays(np.float32, st.tuples(st.integers(1, 4), st.integers(1, 3)),
                  elements=st.floats(-100, 100, width=32))  # fmt: skip


def test_worked_example_of_int8_absmax():
    q, scale = quantize(jnp.array([[1.0, 0.0], [-0.5, 0.25]]), bits=8)
    np.testing.assert_allclose(scale, [1 / 127, 0.25 / 127], rtol=1e-6)
    # -0.5 * 127 = -63.5 rounds half to even: -64; 0.25 is its column's maximum: 127.
    np.testing.assert_array_equal(q, [[127, 0], [-64, 127]], "q = round(w / s)")
    assert q.dtype == jnp.int8, f"integers are stored as int8, got {q.dtype}"


@settings(max_examples=25)
@given(w=matrices, bits=st.sampled_from([8, 4]))
def test_round_trip_error_is_at_most_half_a_step_per_channel(w, bits):
    q, scale = quantize(w, bits)
    qmax = {8: 127, 4: 7}[bits]
    assert int(jnp.max(jnp.abs(q))) <= qmax, f"int{bits} integers must lie in [-{qmax}, {qmax}]"
    error = np.abs(np.asarray(dequantize(q, scale), np.float64) - w.astype(np.float64))
    bound = np.asarray(scale, np.float64)[None, :] / 2 + float32_atol(w)
    assert (error <= bound).all(), f"error {error.max()} exceeds half a step {bound.min()}"


def test_an_all_zero_channel_quantises_to_zeros_without_dividing_by_zero():
    w = jnp.array([[0.0, 3.0], [0.0, -1.0]])
    q, scale = quantize(w)
    assert np.isfinite(np.asarray(scale)).all(), f"scales must be finite, got {scale}"
    np.testing.assert_array_equal(dequantize(q, scale)[:, 0], [0.0, 0.0], "zeros stay zeros")


def test_bad_inputs_get_a_clear_sentence():
    with pytest.raises(ValueError, match="bits must be one of"):
        quantize(jnp.ones((2, 2)), bits=3)
    with pytest.raises(ValueError, match=r"float matrix \(in, out\)"):
        quantize(jnp.ones(4))
    with pytest.raises(ValueError, match="scale"):
        dequantize(jnp.ones((2, 3), jnp.int8), jnp.ones(2))


def test_int8_bytes_of_a_kernel_are_a_quarter_plus_the_scales():
    layer = nnx.Linear(128, 512, use_bias=False, rngs=nnx.Rngs(0))
    assert quantized_bytes(layer) == 4 * 128 * 512, "float32: 4 bytes per weight"
    assert quantized_bytes(layer, 8) == 128 * 512 + 4 * 512, "int8: 1 byte each + 512 scales"
    assert quantized_bytes(layer, 4) == 128 * 512 // 2 + 4 * 512, "int4: two per byte + scales"
    # Exactly 4 · in / (in + 4) = 512 / 132 ≈ 3.88: the scales cost a column of 4 bytes.
    ratio = quantized_bytes(layer) / quantized_bytes(layer, 8)
    assert ratio == pytest.approx(512 / 132), f"float32/int8 ratio should be 3.88, got {ratio}"


@functools.cache
def shakespeare():
    from llmlab.pretrained import load

    model, tokenizer = load("shakespeare")
    text = "ROMEO:\nBut soft, what light through yonder window breaks?\nIt is the east, and"
    return model, jnp.array([tokenizer.encode(text)[:64]])


def test_quantised_shakespeare_logits_stay_close_and_int4_is_further_than_int8():
    model, idx = shakespeare()
    before = [np.asarray(x) for x in jax.tree.leaves(nnx.state(model))]
    forward = nnx.jit(lambda m, x: m(x))  # one compiled call per model instead of eager ops
    ref = forward(model, idx)
    err = {b: float(jnp.mean(jnp.abs(forward(quantize_gpt(model, b), idx) - ref))) for b in (8, 4)}
    # Measured: mean |Δ logit| 0.006 (int8) and 0.12 (int4), with logits of size ~10.
    assert 0 < err[8] < 0.03, f"int8 logits should move by < 0.03 on average, got {err[8]}"
    assert err[8] < err[4] < 0.5, f"int4 must be further than int8 yet close, got {err}"
    after = [np.asarray(x) for x in jax.tree.leaves(nnx.state(model))]
    assert all(np.array_equal(a, b) for a, b in zip(before, after)), "the original is unchanged"


def test_quantised_shakespeare_keeps_its_embeddings_and_shrinks_its_kernels():
    model, _ = shakespeare()
    q8 = quantize_gpt(model, 8)
    np.testing.assert_array_equal(q8.wte.embedding[...], model.wte.embedding[...],
                                  "the tied embedding / output head is not quantised")  # fmt: skip
    kernel = q8.blocks[0].mlp.c_fc.kernel[...]
    steps = kernel / jnp.max(jnp.abs(kernel), axis=0)[None, :] * 127
    np.testing.assert_allclose(steps, jnp.round(steps), atol=1e-3,
                               err_msg="each kernel holds integers times its scale")  # fmt: skip
    full, b8, b4 = quantized_bytes(model), quantized_bytes(q8, 8), quantized_bytes(q8, 4)
    assert full == 4 * 809_856, f"float32 Shakespeare is 4 bytes × 809,856 parameters: {full}"
    # Per layer: c_attn (128, 384), c_proj (128, 128), c_fc (128, 512), c_proj (512, 128):
    # K = 196,608 weights and 1,152 output channels; 4 layers.
    K, outs = 4 * 196_608, 4 * 1_152
    assert b8 == full - 4 * K + K + 4 * outs == 898_560, f"int8 bytes: {b8}"
    assert b4 == full - 4 * K + K // 2 + 4 * outs == 505_344, f"int4 bytes: {b4}"
