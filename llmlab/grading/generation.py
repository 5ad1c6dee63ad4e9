"""Checks for lesson 09 (generation): a greedy decoding loop, writing into a KV cache, and one
new token attending over the cache."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from llmlab.attention import attention
from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.i18n import say

LESSON = "09_generation"


class TableModel:
    """A stand-in language model: logits (T, V) for ids (T,), from the token and its position.

    A class rather than a closure so that the batch grader can send it to a learner's kernel.
    """

    def __init__(self, table: np.ndarray, drift: np.ndarray):
        self.table, self.drift = table, drift

    def __call__(self, ids):
        # numpy inside: a new length T each step would make jax compile again every step
        ids = np.asarray(ids).astype(np.int64)
        if ids.ndim != 1:
            raise ValueError(say("check.generation.table_ids", shape=ids.shape))
        return jnp.asarray(self.table[ids] + self.drift[: ids.shape[0]])


def table_model(rng: np.random.Generator, V: int) -> TableModel:
    table = rng.normal(0, 3, size=(V, V)).astype(np.float32)
    drift = rng.normal(0, 3, size=(64, V)).astype(np.float32)
    return TableModel(table, drift)


def greedy_reference(logits_fn, prompt, n, *, position=-1):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(np.argmax(np.asarray(logits_fn(np.asarray(ids)))[position])))
    return ids[len(prompt) :]


@task(
    LESSON,
    "greedy_decode",
    references=("llmlab.grading.generation.greedy_reference",),
)
def check_greedy_decode(fn, rng):
    V = int(rng.integers(5, 12))
    logits_fn = table_model(rng, V)
    cases = [([int(i) for i in rng.integers(0, V, size=3)], 6), ([int(rng.integers(V))], 4)]
    cases.append(([1, 2], 0))
    for prompt, n in cases:
        when = say("check.generation.when_prompt", prompt=prompt, n=n)
        got = call(fn, logits_fn, list(prompt), n, when=when)
        try:
            got = [int(i) for i in got]
        except (TypeError, ValueError):
            raise Mistake(say("check.generation.ints", when=when)) from None
        want = greedy_reference(logits_fn, prompt, n)
        if got == want:  # right, even where a mistake would give the same tokens
            continue
        if n and got == list(prompt) + want:
            raise Mistake(say("check.generation.prompt_too", when=when))
        if len(got) != n:
            raise Mistake(say("check.generation.count", got=len(got), n=n, when=when))
        if n and got == greedy_reference(logits_fn, prompt, n, position=0):
            raise Mistake(say("check.generation.first_row", when=when))
        first = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
        raise Mistake(
            say("check.generation.not_argmax", i=first, got=got[first], want=want[first], when=when)
        )


@task(
    LESSON,
    "cache_update",
)
def check_cache_update(fn, rng):
    B, H, S, D = 2, 2, 8, 4
    for pos, T_new in [(0, 1), (int(rng.integers(1, 7)), 1), (3, 4), (7, 1)]:
        cache_k, cache_v = (jnp.asarray(rng.normal(size=(B, H, S, D)), jnp.float32) for _ in "kv")
        k_new, v_new = (jnp.asarray(rng.normal(size=(B, H, T_new, D)), jnp.float32) for _ in "kv")
        when = say("check.generation.when_cache", pos=pos, n=T_new, S=S)
        got = call(fn, cache_k, cache_v, k_new, v_new, pos, when=when)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise Mistake(say("check.generation.pair", when=when))
        for name, out, old, new in [("k", got[0], cache_k, k_new), ("v", got[1], cache_v, v_new)]:
            out = as_array(out, f"cache_{name}", when)
            if out.ndim == 4 and out.shape[2] == S + T_new:
                raise Mistake(
                    say(
                        "check.generation.grew", name=f"cache_{name}", slots=out.shape[2], when=when
                    )
                )
            same_shape(out, (B, H, S, D), f"cache_{name}", when)
            if pos + 1 < S and np.allclose(
                out[:, :, pos + 1 : pos + 1 + T_new], new[:, :, : S - pos - 1]
            ):
                raise Mistake(say("check.generation.off_by_one", pos=pos, slot=pos + 1, when=when))
            close(out, old.at[:, :, pos : pos + T_new].set(new), f"cache_{name}", when)


@task(
    LESSON,
    "cached_attention",
)
def check_cached_attention(fn, rng):
    B, H, S, D = 2, 2, 8, 4
    for pos in [int(rng.integers(1, 7)), 0, S - 1]:
        cache_k, cache_v = (jnp.asarray(rng.normal(size=(B, H, S, D)), jnp.float32) for _ in "kv")
        q = jnp.asarray(rng.normal(size=(B, H, 1, D)), jnp.float32)
        when = say("check.generation.when_token", pos=pos, S=S)
        name = say("check.name.output")
        got = as_array(call(fn, q, cache_k, cache_v, pos, when=when), name, when)
        same_shape(got, (B, H, 1, D), name, when)
        seen = jnp.arange(S)[None, :]
        want = attention(q, cache_k, cache_v, seen <= pos)
        if pos < S - 1 and np.allclose(got, attention(q, cache_k, cache_v), atol=1e-4):
            raise Mistake(say("check.generation.empty_slots", when=when))
        if pos > 0 and np.allclose(got, attention(q, cache_k, cache_v, seen < pos), atol=1e-4):
            raise Mistake(say("check.generation.not_itself", when=when))
        close(got, want, name, when, atol=1e-4)
