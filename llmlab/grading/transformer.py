"""Checks for lesson 07 (the transformer): LayerNorm, the MLP, a whole pre-LayerNorm block
written with plain arrays, and counting GPT's parameters."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.attention import attention, causal_mask
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, equal, same_shape
from llmlab.i18n import say
from llmlab.model.config import GPTConfig, param_count_formula

LESSON = "07_transformer"
EPS = 1e-5


def layer_norm_reference(x, scale, bias):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + EPS) * scale + bias


def mlp_reference(x, w_fc, b_fc, w_out, b_out):
    return jax.nn.gelu(x @ w_fc + b_fc, approximate=True) @ w_out + b_out


def block_params(rng: np.random.Generator, C: int) -> dict[str, jnp.ndarray]:
    """Random weights of one block; the shapes are the task's docstring."""
    shapes = {
        "ln1_scale": (C,), "ln1_bias": (C,), "w_qkv": (C, 3 * C), "b_qkv": (3 * C,),
        "w_proj": (C, C), "b_proj": (C,), "ln2_scale": (C,), "ln2_bias": (C,),
        "w_fc": (C, 4 * C), "b_fc": (4 * C,), "w_out": (4 * C, C), "b_out": (C,),
    }  # fmt: skip
    params = {k: rng.normal(0, 0.3, size=s) for k, s in shapes.items()}
    params["ln1_scale"] += 1.0
    params["ln2_scale"] += 1.0
    return {k: jnp.asarray(v, jnp.float32) for k, v in params.items()}


def block_reference(x, p, n_head, *, pre_norm=True, residual=True):
    B, T, C = x.shape

    def heads(a):  # (B, T, C) -> (B, H, T, D)
        return a.reshape(B, T, n_head, C // n_head).transpose(0, 2, 1, 3)

    def attn(h):
        q, k, v = jnp.split(h @ p["w_qkv"] + p["b_qkv"], 3, axis=-1)
        out = attention(heads(q), heads(k), heads(v), causal_mask(T))
        return out.transpose(0, 2, 1, 3).reshape(B, T, C) @ p["w_proj"] + p["b_proj"]

    def mlp(h):
        return mlp_reference(h, p["w_fc"], p["b_fc"], p["w_out"], p["b_out"])

    ln1 = lambda h: layer_norm_reference(h, p["ln1_scale"], p["ln1_bias"])  # noqa: E731
    ln2 = lambda h: layer_norm_reference(h, p["ln2_scale"], p["ln2_bias"])  # noqa: E731
    keep = 1.0 if residual else 0.0
    if pre_norm:
        x = keep * x + attn(ln1(x))
        return keep * x + mlp(ln2(x))
    x = ln1(keep * x + attn(x))
    return ln2(keep * x + mlp(x))


@task(
    LESSON,
    "layer_norm",
    references=("llmlab.grading.transformer.layer_norm_reference",),
)
def check_layer_norm(fn, rng):
    for shape in [(int(rng.integers(4, 10)),), (2, 3, 8)]:
        C = shape[-1]
        x = jnp.asarray(rng.normal(3.0, 4.0, size=shape), jnp.float32)
        scale = jnp.asarray(rng.normal(1.0, 0.5, size=C), jnp.float32)
        bias = jnp.asarray(rng.normal(size=C), jnp.float32)
        when = say("check.when.x_shape", shape=shape)
        name = say("check.name.output")
        got = as_array(call(fn, x, scale, bias, when=when), name, when)
        same_shape(got, shape, name, when)
        ones, zeros = jnp.ones(C), jnp.zeros(C)
        plain = as_array(call(fn, x, ones, zeros, when=when), name, when)
        if not np.allclose(plain.mean(-1), 0.0, atol=1e-4):
            raise Mistake(say("check.transformer.mean_0", when=when))
        if len(shape) > 1 and np.allclose(plain, (x - x.mean()) / jnp.sqrt(x.var() + EPS)):
            raise Mistake(say("check.transformer.whole_array", when=when))
        if not np.allclose(plain.var(-1), 1.0, atol=2e-3):
            raise Mistake(say("check.transformer.var_1", when=when))
        close(got, layer_norm_reference(x, scale, bias), name, when, atol=1e-4)


@task(
    LESSON,
    "mlp",
    references=("llmlab.grading.transformer.mlp_reference",),
)
def check_mlp(fn, rng):
    for shape in [(int(rng.integers(2, 6)), 4), (2, 3, 6)]:
        C = shape[-1]
        x = jnp.asarray(rng.normal(size=shape), jnp.float32)
        w_fc, w_out = (
            jnp.asarray(rng.normal(size=s), jnp.float32) for s in [(C, 4 * C), (4 * C, C)]
        )
        b_fc, b_out = (jnp.asarray(rng.normal(size=s), jnp.float32) for s in [(4 * C,), (C,)])
        when = say("check.when.x_shape", shape=shape)
        name = say("check.name.output")
        got = as_array(call(fn, x, w_fc, b_fc, w_out, b_out, when=when), name, when)
        same_shape(got, shape, name, when)
        if np.allclose(got, (x @ w_fc + b_fc) @ w_out + b_out, atol=1e-3):
            raise Mistake(say("check.transformer.linear", when=when))
        want = mlp_reference(x, w_fc, b_fc, w_out, b_out)
        close(got, want, name, when, atol=1e-3, rtol=1e-3)


@task(
    LESSON,
    "transformer_block",
    references=("llmlab.grading.transformer.block_reference",),
)
def check_transformer_block(fn, rng):
    for B, T, C, H in [(2, int(rng.integers(3, 6)), 8, 2), (1, 1, 8, 4)]:
        x = jnp.asarray(rng.normal(size=(B, T, C)), jnp.float32)
        params = block_params(rng, C)
        when = say("check.transformer.when_block", B=B, T=T, C=C, H=H)
        name = say("check.name.output")
        got = as_array(call(fn, x, dict(params), H, when=when), name, when)
        same_shape(got, (B, T, C), name, when)
        want = block_reference(x, params, H)
        if np.allclose(got, block_reference(x, params, H, residual=False), atol=1e-3):
            raise Mistake(say("check.transformer.no_residual", when=when))
        if np.allclose(got, block_reference(x, params, H, pre_norm=False), atol=1e-3):
            raise Mistake(say("check.transformer.post_norm", when=when))
        if T > 1:
            future = x.at[:, -1].add(5.0)
            early = as_array(call(fn, future, dict(params), H, when=when), name, when)
            if not np.allclose(early[:, :-1], got[:, :-1], atol=1e-4):
                raise Mistake(say("check.transformer.unmasked", when=when))
        close(got, want, name, when, atol=1e-3, rtol=1e-3)


@task(
    LESSON,
    "param_count",
    references=("llmlab.model.config.param_count_formula",),
)
def check_param_count(fn, rng):
    configs = [GPTConfig.gpt2(), GPTConfig.tiny(int(rng.integers(50, 100)))]
    V, L = int(rng.integers(60, 500)), int(rng.integers(1, 5))
    configs.append(GPTConfig(vocab_size=V, block_size=32, n_layer=L, n_head=2, n_embd=16))
    for config in configs:
        args = (config.vocab_size, config.block_size, config.n_layer, config.n_embd)
        when = say("check.transformer.when_config", **dict(zip("VTLC", args)))
        got = call(fn, *args, when=when)
        if not isinstance(got, int | np.integer):
            raise Mistake(say("check.transformer.not_int", kind=type(got).__name__, when=when))
        want = param_count_formula(config)
        if got == want + config.vocab_size * config.n_embd:
            raise Mistake(say("check.transformer.untied", when=when))
        equal(int(got), want, say("check.name.count"), when)
