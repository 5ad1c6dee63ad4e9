"""Checks for lesson 05 (embeddings): one-hot vectors, embedding lookup, cosine similarity and
the (context, next token) windows an MLP language model trains on."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, equal, same_shape

LESSON = "05_embeddings"


@task(
    LESSON,
    "one_hot",
)
def check_one_hot(fn, rng):
    V = int(rng.integers(4, 10))
    for shape in [(), (5,), (2, 3)]:
        ids = jnp.asarray(rng.integers(0, V, size=shape), dtype=jnp.int32)
        when = f"for ids of shape {shape} and V = {V}"
        got = as_array(call(fn, ids, V, when=when), "one-hot vectors", when)
        same_shape(got, (*shape, V), "one-hot vectors", when)
        if not np.issubdtype(got.dtype, np.floating):
            raise Mistake(f"your one-hot vectors have dtype {got.dtype} {when}: use floats.")
        close(got, jax.nn.one_hot(ids, V), "one-hot vectors", when)


@task(
    LESSON,
    "embed",
)
def check_embed(fn, rng):
    V, C = int(rng.integers(5, 12)), int(rng.integers(2, 6))
    table = jnp.asarray(rng.normal(size=(V, C)), dtype=jnp.float32)
    for shape in [(), (6,), (2, 4)]:
        ids = jnp.asarray(rng.integers(0, V, size=shape), dtype=jnp.int32)
        when = f"for a table of shape ({V}, {C}) and ids of shape {shape}"
        got = call(fn, table, ids, when=when)
        close(got, table[ids], "embeddings", when)


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
        (a, 3 * a, "for a vector and 3 times itself (cosine 1)"),
        (a, -a, "for a vector and its opposite (cosine -1)"),
        (a, rng.normal(size=C) * 5, f"for two random vectors of shape ({C},)"),
        (rng.normal(size=(4, C)), rng.normal(size=(4, C)), f"for batches of shape (4, {C})"),
    ]
    for a, b, when in cases:
        a32, b32 = jnp.asarray(a, jnp.float32), jnp.asarray(b, jnp.float32)
        got = as_array(call(fn, a32, b32, when=when), "similarity", when)
        same_shape(got, a.shape[:-1], "similarity", when)
        if (np.abs(got) > 1 + 1e-4).any():
            raise Mistake(
                f"your similarity is {float(got.reshape(-1)[0]):.3g} {when}, outside [-1, 1]: "
                "divide the dot product by both lengths."
            )
        close(got, cosine(a, b), "similarity", when, atol=1e-4)


@task(
    LESSON,
    "context_windows",
)
def check_context_windows(fn, rng):
    for n, length in [(3, int(rng.integers(8, 16))), (1, 5), (4, 5)]:
        ids = [int(i) for i in rng.integers(0, 50, size=length)]
        when = f"for {length} ids and a context of {n}"
        got = call(fn, list(ids), n, when=when)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise Mistake(f"your function should return a pair (x, y) {when}.")
        x = as_array(got[0], "contexts x", when)
        y = as_array(got[1], "targets y", when)
        want_x = np.array([ids[t - n : t] for t in range(n, length)]).reshape(-1, n)
        want_y = np.array(ids[n:])
        if (x.ndim == 2 and len(x) == len(want_x) + 1) or (
            y.ndim == 1 and len(y) == len(want_y) + 1
        ):
            raise Mistake(
                f"you made one window too many {when}: the last id has nothing after it to "
                "predict, so there are len(ids) - n windows."
            )
        same_shape(x, want_x.shape, "contexts x", when)
        same_shape(y, want_y.shape, "targets y", when)
        if not np.array_equal(y, want_y) and np.array_equal(y, np.array(ids[n - 1 : -1])):
            raise Mistake(
                f"your targets are the last id of each context {when}: the target is the "
                "id right after the context."
            )
        equal(x, want_x, "contexts x", when)
        equal(y, want_y, "targets y", when)
