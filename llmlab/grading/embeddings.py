"""Checks for lesson 05 (embeddings): one-hot vectors, embedding lookup, cosine similarity and
the (context, next token) windows an MLP language model trains on."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, equal, same_shape
from llmlab.i18n import say

LESSON = "05_embeddings"


@task(
    LESSON,
    "one_hot",
)
def check_one_hot(fn, rng):
    V = int(rng.integers(4, 10))
    for shape in [(), (5,), (2, 3)]:
        ids = jnp.asarray(rng.integers(0, V, size=shape), dtype=jnp.int32)
        when = say("check.embeddings.when_ids", shape=shape, V=V)
        name = say("check.name.one_hot")
        got = as_array(call(fn, ids, V, when=when), name, when)
        same_shape(got, (*shape, V), name, when)
        if not np.issubdtype(got.dtype, np.floating):
            raise Mistake(say("check.embeddings.floats", dtype=got.dtype, when=when))
        close(got, jax.nn.one_hot(ids, V), name, when)


@task(
    LESSON,
    "embed",
)
def check_embed(fn, rng):
    V, C = int(rng.integers(5, 12)), int(rng.integers(2, 6))
    table = jnp.asarray(rng.normal(size=(V, C)), dtype=jnp.float32)
    for shape in [(), (6,), (2, 4)]:
        ids = jnp.asarray(rng.integers(0, V, size=shape), dtype=jnp.int32)
        when = say("check.embeddings.when_table", V=V, C=C, shape=shape)
        got = call(fn, table, ids, when=when)
        close(got, table[ids], say("check.name.embeddings"), when)


@task(
    LESSON,
    "cosine_similarity",
)
def check_cosine_similarity(fn, rng):
    C = int(rng.integers(3, 8))

    def cosine(a, b):
        return np.sum(a * b, -1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))

    a = rng.normal(size=C) * 5
    cases = [
        (a, 3 * a, say("check.embeddings.when_same")),
        (a, -a, say("check.embeddings.when_opposite")),
        (a, rng.normal(size=C) * 5, say("check.embeddings.when_random", C=C)),
        (
            rng.normal(size=(4, C)),
            rng.normal(size=(4, C)),
            say("check.embeddings.when_batches", C=C),
        ),
    ]
    name = say("check.name.similarity")
    for a, b, when in cases:
        a32, b32 = jnp.asarray(a, jnp.float32), jnp.asarray(b, jnp.float32)
        got = as_array(call(fn, a32, b32, when=when), name, when)
        same_shape(got, a.shape[:-1], name, when)
        if (np.abs(got) > 1 + 1e-4).any():
            value = f"{float(got.reshape(-1)[0]):.3g}"
            raise Mistake(say("check.embeddings.outside", value=value, when=when))
        close(got, cosine(a, b), name, when, atol=1e-4)


@task(
    LESSON,
    "context_windows",
)
def check_context_windows(fn, rng):
    for n, length in [(3, int(rng.integers(8, 16))), (1, 5), (4, 5)]:
        ids = [int(i) for i in rng.integers(0, 50, size=length)]
        when = say("check.embeddings.when_windows", length=length, n=n)
        got = call(fn, list(ids), n, when=when)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise Mistake(say("check.pair_xy", when=when))
        x_name, y_name = say("check.name.contexts"), say("check.name.targets")
        x = as_array(got[0], x_name, when)
        y = as_array(got[1], y_name, when)
        want_x = np.array([ids[t - n : t] for t in range(n, length)]).reshape(-1, n)
        want_y = np.array(ids[n:])
        if (x.ndim == 2 and len(x) == len(want_x) + 1) or (
            y.ndim == 1 and len(y) == len(want_y) + 1
        ):
            raise Mistake(say("check.embeddings.one_too_many", when=when))
        same_shape(x, want_x.shape, x_name, when)
        same_shape(y, want_y.shape, y_name, when)
        if not np.array_equal(y, want_y) and np.array_equal(y, np.array(ids[n - 1 : -1])):
            raise Mistake(say("check.embeddings.last_of_context", when=when))
        equal(x, want_x, x_name, when)
        equal(y, want_y, y_name, when)
