"""Checks for lesson 06 (attention): the causal mask, scaled dot-product attention, and
splitting and merging heads."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.attention import attention, causal_mask
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape

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
        when = f"for T = {T}"
        got = as_array(call(fn, T, when=when), "mask", when)
        same_shape(got, (T, T), "mask", when)
        if got.dtype != np.bool_:
            raise Mistake(f"your mask has dtype {got.dtype} {when}: use .astype(bool).")
        want = np.asarray(causal_mask(T))
        for t in range(T):
            for s in range(T):
                if got[t, s] and not want[t, s]:
                    raise Mistake(f"position {t} can see position {s} {when}: that is the future.")
                if want[t, s] and not got[t, s]:
                    who = "itself" if s == t else f"position {s}"
                    raise Mistake(f"position {t} cannot see {who} {when}, but it should.")


@task(
    LESSON,
    "attention",
    references=("llmlab.attention.attention",),
)
def check_attention(fn, rng):
    T, D = int(rng.integers(3, 7)), int(rng.integers(4, 9))
    cases = [((T, D), causal_mask(T), f"for q, k, v of shape ({T}, {D}) and a causal mask")]
    cases.append(((2, 3, T, D), causal_mask(T), f"for a batch of shape (2, 3, {T}, {D})"))
    cases.append(((1, D), causal_mask(1), "for a single token"))
    full = jnp.ones((T, T), dtype=bool)
    cases.append(((T, D), full, "when the mask allows every position"))
    for shape, mask, when in cases:
        q, k, v = (random_array(rng, *shape) * 2 for _ in range(3))
        got = as_array(call(fn, q, k, v, mask, when=when), "output", when)
        same_shape(got, shape, "output", when)
        want = attention(q, k, v, mask)
        if not np.allclose(got, want, atol=1e-4):
            unscaled = attention(q * np.sqrt(shape[-1]), k, v, mask)
            if np.allclose(got, unscaled, atol=1e-4):
                raise Mistake(f"your scores are not divided by √D {when} (D = {shape[-1]}).")
            if mask is not full and np.allclose(got, attention(q, k, v), atol=1e-4):
                raise Mistake(f"your output ignores the mask {when}: later tokens leak in.")
            scores = jnp.einsum("...td,...sd->...ts", q, k) / np.sqrt(shape[-1])
            hidden = jnp.broadcast_to(mask, scores.shape)
            zeroed = jax.nn.softmax(jnp.where(hidden, scores, 0.0), axis=-1) @ v
            if mask is not full and np.allclose(got, zeroed, atol=1e-4):
                raise Mistake(
                    f"you set the hidden scores to 0 {when}, but exp(0) = 1 still gives the "
                    "future some weight: use a huge negative number such as -1e30."
                )
        close(got, want, "output", when, atol=1e-4)
    q, k, v = (random_array(rng, T, D) for _ in range(3))
    changed = v.at[-1].set(100.0)
    when = f"when only the last value row changes (T = {T})"
    before = as_array(call(fn, q, k, v, causal_mask(T), when=when), "output", when)
    after = as_array(call(fn, q, k, changed, causal_mask(T), when=when), "output", when)
    if not np.allclose(before[:-1], after[:-1], atol=1e-4):
        raise Mistake(f"earlier positions changed {when}: they can see the future.")


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
        when = f"for x of shape ({B}, {T}, {H * D}) and {H} heads"
        got = as_array(call(fn, x, H, when=when), "heads", when)
        same_shape(got, (B, H, T, D), "heads", when)
        if T > 1 and H > 1 and np.allclose(got, np.asarray(x).reshape(B, H, T, D)):
            raise Mistake(
                f"you reshaped straight to (B, H, T, D) {when}: reshape to (B, T, H, D) "
                "first, then move the head axis with transpose(0, 2, 1, 3)."
            )
        close(got, split_reference(np.asarray(x), H), "heads", when)


@task(
    LESSON,
    "merge_heads",
)
def check_merge_heads(fn, rng):
    for B, T, H, D in [(2, int(rng.integers(3, 6)), 4, 3), (1, 1, 2, 5)]:
        heads = random_array(rng, B, H, T, D)
        when = f"for heads of shape ({B}, {H}, {T}, {D})"
        got = as_array(call(fn, heads, when=when), "merged output", when)
        same_shape(got, (B, T, H * D), "merged output", when)
        if T > 1 and np.allclose(got, np.asarray(heads).reshape(B, T, H * D)):
            raise Mistake(
                f"you reshaped without moving the head axis back {when}: transpose(0, 2, 1, 3) "
                "first, then reshape."
            )
        want = np.asarray(heads).transpose(0, 2, 1, 3).reshape(B, T, H * D)
        close(got, want, "merged output", when)
        x = np.asarray(split_reference(np.asarray(got), H))
        close(x, heads, "split_heads(merge_heads(heads))", when)
