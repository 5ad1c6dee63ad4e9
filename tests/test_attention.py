"""llmlab.attention: the causal mask, softmax(q·kᵀ/√D)·v, and the multi-head module."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.attention import MultiHeadAttention, attention, causal_mask


def test_causal_mask_is_the_lower_triangle():
    # Row t lists who position t may see: itself and everything before it.
    expected = np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]], dtype=bool)
    mask = causal_mask(3)
    assert mask.dtype == jnp.bool_, "the mask must be boolean (True = may attend)"
    np.testing.assert_array_equal(mask, expected, "causal_mask(3) must be the lower triangle")


@pytest.mark.parametrize("bad", [0, -2, 2.0, True])
def test_causal_mask_rejects_a_non_positive_or_non_int_size(bad):
    with pytest.raises(ValueError, match="positive int"):
        causal_mask(bad)


def test_equal_scores_average_the_visible_values():
    # q = k = 0 makes every score 0, so softmax spreads weight evenly over what is visible:
    # position 0 sees v0 = 1 -> 1; position 1 sees v0, v1 -> (1 + 3) / 2 = 2;
    # position 2 sees all three -> (1 + 3 + 8) / 3 = 4.
    q = k = jnp.zeros((3, 2))
    v = jnp.array([[1.0], [3.0], [8.0]])
    out, weights = attention(q, k, v, causal_mask(3), return_weights=True)
    np.testing.assert_allclose(out[:, 0], [1.0, 2.0, 4.0], rtol=1e-6)
    np.testing.assert_allclose(weights[1], [0.5, 0.5, 0.0], rtol=1e-6)


def test_scores_are_scaled_by_the_square_root_of_the_head_size():
    # One query [2, 2] against keys [1, 1] and [0, 0]: dot products 4 and 0, divided by
    # √D = √2 gives 2√2 and 0, so the first weight is e^(2√2) / (e^(2√2) + 1).
    q = jnp.array([[2.0, 2.0]])
    k = jnp.array([[1.0, 1.0], [0.0, 0.0]])
    _, weights = attention(q, k, jnp.eye(2), return_weights=True)
    expected = np.exp(2 * np.sqrt(2)) / (np.exp(2 * np.sqrt(2)) + 1)
    np.testing.assert_allclose(weights[0, 0], expected, rtol=1e-6)


@pytest.mark.parametrize("causal", [True, False])
def test_attention_equals_jax_dot_product_attention(causal):
    B, H, T, D = 2, 3, 7, 8
    kq, kk, kv = jax.random.split(jax.random.key(0), 3)
    q, k, v = (jax.random.normal(key, (B, H, T, D)) for key in (kq, kk, kv))
    ours = attention(q, k, v, causal_mask(T) if causal else None)
    # jax.nn.dot_product_attention puts the heads after time: (B, T, N, H) in its letters.
    to_bthd = lambda x: jnp.transpose(x, (0, 2, 1, 3))  # noqa: E731
    theirs = jax.nn.dot_product_attention(to_bthd(q), to_bthd(k), to_bthd(v), is_causal=causal)
    np.testing.assert_allclose(to_bthd(ours), theirs, atol=1e-5, rtol=1e-5)


@settings(max_examples=8, deadline=None)
@given(T=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_weights_rows_sum_to_one_and_hide_the_future(T, seed):
    q, k, v = jax.random.normal(jax.random.key(seed), (3, 2, T, 4))
    _, weights = attention(q, k, v, causal_mask(T), return_weights=True)
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5, err_msg="rows must sum to 1")
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    assert np.all(np.asarray(weights)[:, future] == 0.0), "no weight may fall on the future"


def test_attention_rejects_mismatched_shapes_and_non_bool_masks():
    q = jnp.zeros((4, 8))
    with pytest.raises(ValueError, match=r"q \(\.\.\., T, D\)"):
        attention(q, jnp.zeros((4, 6)), jnp.zeros((4, 8)))
    with pytest.raises(TypeError, match="bool"):
        attention(q, q, q, jnp.ones((4, 4)))


def _mha_by_hand(mha, x, mask):
    """Reference: slice each head's channels out of q, k, v and attend head by head."""
    C, H = x.shape[-1], mha.n_head
    D = C // H
    qkv = x @ mha.c_attn.kernel[...] + mha.c_attn.bias[...][None, None]
    q, k, v = qkv[..., :C], qkv[..., C : 2 * C], qkv[..., 2 * C :]
    heads = [
        attention(q[..., h * D : (h + 1) * D], k[..., h * D : (h + 1) * D],
                  v[..., h * D : (h + 1) * D], mask)
        for h in range(H)
    ]  # fmt: skip
    return (
        jnp.concatenate(heads, axis=-1) @ mha.c_proj.kernel[...] + mha.c_proj.bias[...][None, None]
    )


def test_multi_head_attention_equals_one_head_at_a_time():
    B, T, C, H = 2, 5, 12, 3
    mha = MultiHeadAttention(C, H, rngs=nnx.Rngs(0))
    x = jax.random.normal(jax.random.key(1), (B, T, C))
    out, weights, (k, v) = mha(x, causal_mask(T))
    assert out.shape == (B, T, C) and weights.shape == (B, H, T, T)
    assert k.shape == v.shape == (B, H, T, C // H), "keys and values come back per head"
    np.testing.assert_allclose(out, _mha_by_hand(mha, x, causal_mask(T)), atol=1e-5)


def test_multi_head_attention_with_a_cache_equals_the_full_pass():
    # Run 3 positions, then 2 more against the cache: same output as 5 positions at once.
    B, T, C, H, S = 1, 5, 8, 2, 6
    mha = MultiHeadAttention(C, H, rngs=nnx.Rngs(2))
    x = jax.random.normal(jax.random.key(3), (B, T, C))
    full, _, _ = mha(x, causal_mask(T))
    empty = (jnp.zeros((B, H, S, C // H)), jnp.zeros((B, H, S, C // H)))
    may_see = lambda pos, n: jnp.arange(S)[None, :] <= (pos + jnp.arange(n))[:, None]  # noqa: E731
    first, _, cache = mha(x[:, :3], may_see(0, 3), cache=empty, pos=0)
    second, _, _ = mha(x[:, 3:], may_see(3, 2), cache=cache, pos=3)
    np.testing.assert_allclose(jnp.concatenate([first, second], 1), full, atol=1e-5)


def test_multi_head_attention_needs_channels_divisible_by_heads():
    with pytest.raises(ValueError, match="divisible"):
        MultiHeadAttention(10, 3, rngs=nnx.Rngs(0))
