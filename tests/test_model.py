"""llmlab.model: GPTConfig presets, the GPT forward pass, its KV cache and parameter count."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from llmlab.model import GPT, GPTConfig, count_params, param_count_formula

CFG = GPTConfig(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16)

# Compiled calls: one compilation per shape is much faster than running op by op.
forward = nnx.jit(lambda model, idx: model(idx))
forward_with_maps = nnx.jit(lambda model, idx: model(idx, return_attention=True))
decode = nnx.jit(lambda model, idx, cache, pos: model.decode(idx, cache, pos))


@pytest.fixture(scope="module")
def model():
    return GPT(CFG, rngs=nnx.Rngs(0))


def test_nanogpt_cpu_preset_is_the_nanogpt_cpu_recipe():
    c = GPTConfig.nanogpt_cpu(65)
    assert (c.n_layer, c.n_head, c.n_embd, c.block_size, c.dropout) == (4, 4, 128, 64, 0.0)
    assert c.vocab_size == 65 and c.head_size == 32


def test_gpt2_preset_has_gpt2_small_shape_and_124m_parameters():
    c = GPTConfig.gpt2()
    assert (c.vocab_size, c.block_size, c.n_layer, c.n_head, c.n_embd) == (50257, 1024, 12, 12, 768)
    # 50257·768 + 1024·768 + 12·(12·768² + 13·768) + 2·768 = 124,439,808 (GPT-2 small).
    assert param_count_formula(c) == 124_439_808


def test_for_device_picks_tiny_on_cpu_and_says_so():
    picked = GPTConfig.for_device(65)
    if jax.default_backend() == "cpu":
        assert picked == GPTConfig.tiny(65), "on a CPU the tiny preset keeps lessons fast"
    else:
        assert picked.n_embd > GPTConfig.tiny(65).n_embd
    assert "GPTConfig(" in repr(picked), "a notebook can print which config was picked"


def test_config_is_frozen_and_round_trips_through_a_dict():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CFG.n_layer = 3
    assert GPTConfig.from_dict(CFG.to_dict()) == CFG
    with pytest.raises(ValueError, match="unknown GPTConfig fields"):
        GPTConfig.from_dict({**CFG.to_dict(), "n_heads": 2})


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"n_embd": 10, "n_head": 3}, "divisible"),
        ({"n_layer": 0}, "positive int"),
        ({"dropout": 1.0}, "dropout"),
    ],
)
def test_config_rejects_impossible_shapes(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(CFG, **changes)


def test_logits_have_shape_b_t_v_and_dtype_float32(model):
    idx = jnp.array([[1, 2, 3], [4, 5, 6]], dtype=jnp.int32)
    logits = forward(model, idx)
    assert logits.shape == (2, 3, CFG.vocab_size) and logits.dtype == jnp.float32


def test_changing_a_future_token_never_changes_earlier_logits(model):
    idx = jnp.array([[1, 2, 3, 4, 5, 6]])
    changed = idx.at[0, 4].set(9)
    a, b = forward(model, idx), forward(model, changed)
    np.testing.assert_allclose(a[0, :4], b[0, :4], atol=1e-6, err_msg="positions 0..3 moved")
    assert not np.allclose(a[0, 4], b[0, 4]), "the changed position itself must react"


def test_return_attention_gives_one_causal_map_per_layer(model):
    idx = jnp.array([[3, 1, 4, 1, 5]])
    logits, maps = forward_with_maps(model, idx)
    np.testing.assert_allclose(logits, forward(model, idx), atol=1e-6)
    assert len(maps) == CFG.n_layer
    for w in maps:
        assert w.shape == (1, CFG.n_head, 5, 5)
        np.testing.assert_allclose(w.sum(-1), 1.0, rtol=1e-5, err_msg="rows must sum to 1")
        assert np.all(np.triu(np.asarray(w[0, 0]), k=1) == 0), "no weight on the future"


def test_decode_with_a_cache_equals_the_full_forward_pass(model):
    idx = jnp.array([[1, 2, 3, 4, 5, 6, 7]])
    full = forward(model, idx)
    first, cache = decode(model, idx[:, :4], model.init_cache(1), 0)
    rest = [first]
    for pos in range(4, 7):  # then one token at a time, as generation does
        logits, cache = decode(model, idx[:, pos : pos + 1], cache, pos)
        rest.append(logits)
    np.testing.assert_allclose(jnp.concatenate(rest, axis=1), full, atol=1e-5)


def test_a_sequence_longer_than_the_context_is_refused_with_both_numbers(model):
    with pytest.raises(ValueError, match=r"T=9.*block_size=8"):
        model(jnp.zeros((1, 9), jnp.int32))


def test_float_ids_and_flat_ids_are_refused(model):
    with pytest.raises(TypeError, match="integer"):
        model(jnp.zeros((1, 3), jnp.float32))
    with pytest.raises(ValueError, match=r"\(B, T\)"):
        model(jnp.zeros((3,), jnp.int32))


@pytest.mark.parametrize("bias", [True, False])
def test_parameter_count_is_the_sum_of_the_leaves_and_the_formula(bias):
    config = dataclasses.replace(CFG, bias=bias)
    model = GPT(config, rngs=nnx.Rngs(0))
    leaves = jax.tree.leaves(nnx.state(model, nnx.Param))
    # By hand for C=16, L=2, V=11, block 8 with biases: embeddings 11·16 + 8·16 = 304;
    # a block 12·16² + 13·16 = 3280; final LayerNorm 32 -> 304 + 2·3280 + 32 = 6896.
    assert count_params(model) == sum(x.size for x in leaves)
    assert count_params(model) == param_count_formula(config)
    if bias:
        assert count_params(model) == 6896


def test_twelve_l_c_squared_is_most_of_a_wide_model():
    c = GPTConfig(vocab_size=100, block_size=16, n_layer=6, n_head=8, n_embd=512)
    approx = 12 * c.n_layer * c.n_embd**2
    assert 0.95 < approx / param_count_formula(c) < 1.0


def test_output_head_is_tied_to_the_token_embedding(model):
    paths = jax.tree_util.tree_leaves_with_path(nnx.state(model, nnx.Param))
    names = {jax.tree_util.keystr(path) for path, _ in paths}
    assert not any("head" in n for n in names), "no separate output matrix: it is wte"
    x = jax.random.normal(jax.random.key(0), (1, 1, CFG.n_embd))
    np.testing.assert_allclose(
        model.wte.attend(x), x @ model.wte.embedding[...].T, rtol=1e-5, atol=1e-6
    )


def test_dropout_is_off_by_default_and_on_after_train():
    config = dataclasses.replace(CFG, dropout=0.5, n_layer=1)
    model = GPT(config, rngs=nnx.Rngs(0))
    idx = jnp.array([[1, 2, 3]])
    np.testing.assert_array_equal(model(idx), model(idx), "eval mode must be deterministic")
    model.train()
    assert not np.allclose(model(idx), model(idx)), "dropout must vary between calls"
    model.eval()
    np.testing.assert_array_equal(model(idx), model(idx))


def test_model_trains_under_jit_with_finite_gradients(model):
    graphdef, params = nnx.split(model, nnx.Param)
    idx = jnp.array([[1, 2, 3, 4]])

    @jax.jit
    def loss(params):
        logits = nnx.merge(graphdef, params)(idx[:, :-1])
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), idx[:, 1:, None], -1))

    grads = jax.grad(loss)(params)
    assert all(bool(jnp.all(jnp.isfinite(g))) for g in jax.tree.leaves(grads))
    # An untrained model is close to uniform: loss ≈ ln 11 ≈ 2.40.
    assert abs(float(loss(params)) - np.log(11)) < 0.3
