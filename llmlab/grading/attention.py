"""Checks for lesson 06 (attention): the causal mask, scaled dot-product attention, and
splitting and merging heads."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.attention import attention, causal_mask
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say

LESSON = "06_attention"


def random_array(rng: np.random.Generator, *shape: int) -> jnp.ndarray:
    return jnp.asarray(rng.normal(size=shape), dtype=jnp.float32)


@task(
    LESSON,
    "causal_mask",
    references=("llmlab.attention.causal_mask",),
)
def check_causal_mask(fn, rng):
    for T in [int(rng.integers(4, 9)), 1, 2]:
        when = say("check.attention.when_T", T=T)
        name = say("check.name.mask")
        got = as_array(call(fn, T, when=when), name, when)
        same_shape(got, (T, T), name, when)
        if got.dtype != np.bool_:
            raise Mistake(say("check.attention.bool", dtype=got.dtype, when=when))
        want = np.asarray(causal_mask(T))
        for t in range(T):
            for s in range(T):
                if got[t, s] and not want[t, s]:
                    raise Mistake(say("check.attention.sees_future", t=t, s=s, when=when))
                if want[t, s] and not got[t, s]:
                    who = (
                        say("check.attention.itself")
                        if s == t
                        else say("check.attention.position", s=s)
                    )
                    raise Mistake(say("check.attention.blind", t=t, who=who, when=when))


@task(
    LESSON,
    "attention",
    references=("llmlab.attention.attention",),
)
def check_attention(fn, rng):
    T, D = int(rng.integers(3, 7)), int(rng.integers(4, 9))
    cases = [((T, D), causal_mask(T), say("check.attention.when_qkv", T=T, D=D))]
    batch = say("check.when.batch_shape", shape=f"(2, 3, {T}, {D})")
    cases.append(((2, 3, T, D), causal_mask(T), batch))
    cases.append(((1, D), causal_mask(1), say("check.attention.when_single")))
    full = jnp.ones((T, T), dtype=bool)
    cases.append(((T, D), full, say("check.attention.when_full")))
    name = say("check.name.output")
    for shape, mask, when in cases:
        q, k, v = (random_array(rng, *shape) * 2 for _ in range(3))
        got = as_array(call(fn, q, k, v, mask, when=when), name, when)
        same_shape(got, shape, name, when)
        want = attention(q, k, v, mask)
        if not np.allclose(got, want, atol=1e-4):
            unscaled = attention(q * np.sqrt(shape[-1]), k, v, mask)
            if np.allclose(got, unscaled, atol=1e-4):
                raise Mistake(say("check.attention.unscaled", D=shape[-1], when=when))
            if mask is not full and np.allclose(got, attention(q, k, v), atol=1e-4):
                raise Mistake(say("check.attention.no_mask", when=when))
            scores = jnp.einsum("...td,...sd->...ts", q, k) / np.sqrt(shape[-1])
            hidden = jnp.broadcast_to(mask, scores.shape)
            zeroed = jax.nn.softmax(jnp.where(hidden, scores, 0.0), axis=-1) @ v
            if mask is not full and np.allclose(got, zeroed, atol=1e-4):
                raise Mistake(say("check.attention.zeroed", when=when))
        close(got, want, name, when, atol=1e-4)
    q, k, v = (random_array(rng, T, D) for _ in range(3))
    changed = v.at[-1].set(100.0)
    when = say("check.attention.when_last_value", T=T)
    before = as_array(call(fn, q, k, v, causal_mask(T), when=when), name, when)
    after = as_array(call(fn, q, k, changed, causal_mask(T), when=when), name, when)
    if not np.allclose(before[:-1], after[:-1], atol=1e-4):
        raise Mistake(say("check.attention.leak", when=when))


def split_reference(x, n_head):
    B, T, C = x.shape
    return x.reshape(B, T, n_head, C // n_head).transpose(0, 2, 1, 3)


@task(
    LESSON,
    "split_heads",
)
def check_split_heads(fn, rng):
    for B, T, H, D in [(2, int(rng.integers(3, 6)), 4, 3), (1, 1, 2, 5), (3, 4, 1, 6)]:
        x = random_array(rng, B, T, H * D)
        when = say("check.attention.when_split", B=B, T=T, C=H * D, H=H)
        name = say("check.name.heads")
        got = as_array(call(fn, x, H, when=when), name, when)
        same_shape(got, (B, H, T, D), name, when)
        if T > 1 and H > 1 and np.allclose(got, np.asarray(x).reshape(B, H, T, D)):
            raise Mistake(say("check.attention.straight", when=when))
        close(got, split_reference(np.asarray(x), H), name, when)


@task(
    LESSON,
    "merge_heads",
)
def check_merge_heads(fn, rng):
    for B, T, H, D in [(2, int(rng.integers(3, 6)), 4, 3), (1, 1, 2, 5)]:
        heads = random_array(rng, B, H, T, D)
        when = say("check.attention.when_merge", B=B, H=H, T=T, D=D)
        name = say("check.name.merged_output")
        got = as_array(call(fn, heads, when=when), name, when)
        same_shape(got, (B, T, H * D), name, when)
        if T > 1 and np.allclose(got, np.asarray(heads).reshape(B, T, H * D)):
            raise Mistake(say("check.attention.no_transpose", when=when))
        want = np.asarray(heads).transpose(0, 2, 1, 3).reshape(B, T, H * D)
        close(got, want, name, when)
        x = np.asarray(split_reference(np.asarray(got), H))
        close(x, heads, say("check.name.split_merge"), when)
