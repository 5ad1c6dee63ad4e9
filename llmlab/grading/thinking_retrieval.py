"""Checks for lesson 13 (thinking, tools, retrieval), its retrieval half: a bag-of-characters
embedding and cosine top-k over the rows of a matrix (the checks of thinking and tools are in
thinking.py; this module comes after it, so its tasks come last in the exercise)."""

from __future__ import annotations

import numpy as np

from llmlab import retrieval
from llmlab.grading.core import Mistake, NotDone, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.grading.thinking import LESSON
from llmlab.i18n import say

# --- bag_of_chars ---------------------------------------------------------------------------

POOL = "春眠不觉晓处闻啼鸟夜来风雨声花落知多少床前明月光疑是地上霜"


@task(LESSON, "bag_of_chars", references=("llmlab.retrieval.bag_of_chars",))
def check_bag_of_chars(fn, rng):
    vocabulary = "".join(rng.choice(list(POOL), size=int(rng.integers(7, 11)), replace=False))
    outside = [c for c in POOL if c not in vocabulary]
    text = "".join(rng.choice(list(vocabulary[:4]) * 3 + outside[:3] + ["，", "。"], size=12))
    cases = [text, vocabulary[0] * 3 + vocabulary[1], "".join(outside[:4]) + "。", ""]
    name = say("check.name.embeddings")
    for text in cases:
        when = say("check.thinking.when_text", text=repr(text), vocabulary=vocabulary)
        got = as_array(call(fn, text, vocabulary, when=when), name, when)
        same_shape(got, (len(vocabulary),), name, when)
        want = retrieval.bag_of_chars([text], vocabulary)[0]
        counts = np.array([text.count(c) for c in vocabulary], np.float64)
        if not counts.any() and np.isnan(got).any():
            raise Mistake(say("check.thinking.empty_nan", when=when))
        once = (counts > 0).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            wrong = [("raw_counts", counts), ("l1", counts / counts.sum()),
                     ("once", once / np.linalg.norm(once)),
                     ("by_length", counts / len(text))]  # fmt: skip
        for key, value in wrong:
            if not np.allclose(value, want) and np.allclose(got, value, rtol=1e-4, atol=1e-5):
                raise Mistake(say(f"check.thinking.{key}", when=when))
        close(got, want, name, when, rtol=1e-4, atol=1e-5)


# --- top_k_similar --------------------------------------------------------------------------


def _retrieval_case(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A query (C,) and N rows (N, C) of very different lengths: one all zeros, one an exact
    copy of another row, some pointing away from the query, no two other scores within 1e-4 (no
    row at a right angle to the query, tying with the zero row),
    and a top two by dot product that is not the top two by cosine. Every number is a multiple
    of 1/32, so float32 computes both copies' scores exactly alike, whatever the order of sums.
    """
    while True:
        N, C = int(rng.integers(7, 10)), int(rng.integers(3, 6))
        m = rng.integers(-8, 9, size=(N, C)) / 8.0 * 2.0 ** rng.integers(-2, 4, size=(N, 1))
        zero, copy = (int(i) for i in rng.choice(N, size=2, replace=False))
        m[zero] = 0.0
        m[copy] = m[int(rng.choice([i for i in range(N) if i not in (zero, copy)]))]
        query = rng.integers(-16, 17, size=C) / 8.0
        if not query.any():
            continue
        scores = retrieval.cosine_similarity(query, m)
        s = np.sort(np.unique(scores))
        longest_wins = _ranking(m @ query)[:2] != _ranking(scores)[:2]  # the dot product's top
        if len(s) == N - 1 and (s < 0).any() and (np.diff(s) > 1e-4).all() and longest_wins:
            return query.astype(np.float32), m.astype(np.float32)


def _ranking(scores: np.ndarray) -> list[int]:
    return [int(i) for i in np.argsort(-scores, kind="stable")]


def _ranks_by(got: list[int], scores: np.ndarray) -> bool:
    """Whether `got` holds the top len(got) of `scores`, highest first (NaN last, ties in any
    order)."""
    return np.array_equal(scores[got], -np.sort(-scores)[: len(got)], equal_nan=True)


@task(LESSON, "top_k_similar",
      references=("llmlab.retrieval.top_k", "llmlab.retrieval.cosine_similarity"))  # fmt: skip
def check_top_k_similar(fn, rng):
    query, m = _retrieval_case(rng)
    N, C = m.shape
    name = say("check.name.indices")
    for k in (int(rng.integers(2, N - 1)), N, 1):
        when = say("check.thinking.when_rows_k", N=N, C=C, k=k)
        got = as_array(call(fn, query.copy(), m.copy(), k, when=when), name, when)
        if got.shape == (N,) and k < N:
            raise Mistake(say("check.thinking.all_rows", k=k, when=when))
        same_shape(got, (k,), name, when)
        if not np.issubdtype(got.dtype, np.integer):
            raise Mistake(say("check.thinking.index", when=when))
        got = [int(i) for i in got]
        if len(set(got)) < k or not all(0 <= i < N for i in got):
            raise Mistake(say("check.thinking.bad_rows", got=got, N=N, when=when))
        want = [int(i) for i in retrieval.top_k(query, m, k).indices]
        if got == want:
            continue
        scores = retrieval.cosine_similarity(query, m)
        m64, q64 = m.astype(np.float64), query.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            nan_zero = (m64 @ q64) / (np.linalg.norm(m64, axis=1) * np.linalg.norm(q64))
        for key, by in [("least_first", -scores), ("dot_product", m64 @ q64),
                        ("zero_row_nan", nan_zero)]:  # fmt: skip
            if _ranks_by(got, by) and not _ranks_by(want, by):
                raise Mistake(say(f"check.thinking.{key}", when=when))
        if k > 1 and np.array_equal(scores[got], scores[want][::-1]):
            raise Mistake(say("check.thinking.reversed", when=when))
        if np.array_equal(scores[got], scores[want]):
            raise Mistake(say("check.thinking.tie_rows", when=when))
        i = next(j for j, (a, b) in enumerate(zip(got, want)) if a != b)
        raise Mistake(say("check.thinking.not_nearest", i=i, got=got[i], want=want[i], when=when))
    when = say("check.thinking.when_zero_query", N=N, C=C)
    try:
        fn(np.zeros(C, np.float32), m.copy(), 1)
    except NotImplementedError:
        raise NotDone() from None
    except Mistake:
        raise
    except Exception as error:  # from the batch grader a stand-in class of the same name comes
        if isinstance(error, ValueError) or type(error).__name__ == "ValueError":
            return
        raise Mistake(
            say("check.thinking.zero_query_raised", error=type(error).__name__, when=when)
        ) from None
    raise Mistake(say("check.thinking.zero_query", when=when))
