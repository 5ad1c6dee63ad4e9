"""Evaluation: multiple-choice questions scored by log-probabilities, and exact match.

A multiple-choice benchmark asks the model nothing: for each choice it reads
ln p(choice | question) = the sum over the choice's tokens of ln p(token | everything before),
and the model's answer is the choice it finds most likely. The sum favours short choices
(every token costs probability), so benchmarks also report the mean per token
("length-normalised"). Chance is 1 / (number of choices).

The question set is built from the Tang corpus by `next_line_questions`: "which line follows
X?", the true line against three of the same length from other poems, with a fixed seed.

Shape letters: B batch (here: one row per choice, K of them), T time, V vocabulary.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import jax.numpy as jnp
import numpy as np

from llmlab.data import Poem
from llmlab.data.instructions import lines


class ChoiceScores(NamedTuple):
    """ln p(choice | prompt) of each of K choices: summed over its tokens, and per token."""

    total: np.ndarray  # (K,)
    per_token: np.ndarray  # (K,)


def _ids(ids: Any, name: str) -> list[int]:
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__len__"):
        raise TypeError(f"{name} must be a list of token ids, got {type(ids).__name__}")
    out = [int(i) for i in ids]
    if [i for i in out if i < 0]:
        raise ValueError(f"{name} must hold token ids >= 0, got {out}")
    return out


def score_choices(
    logits_fn: Callable[[Any], Any], prompt_ids: Sequence[int], choices: Sequence[Sequence[int]]
) -> ChoiceScores:
    """The log-probability the model gives each choice after the prompt.

    Args:
        logits_fn: token ids (B, T) -> logits (B, T, V), causal (position t reads ids <= t)
            like every language model; a GPT is such a function.
        prompt_ids: the question's token ids (at least one).
        choices: K lists of token ids, each non-empty.

    Returns:
        ChoiceScores: total[k] = sum over the choice's tokens c_j of
        ln softmax(logits at the token before c_j)[c_j], and per_token[k] = total[k] / len.

    Example: a model that always gives p(a) = 1/2, p(b) = 1/4, p(c) = 1/4, choices "a", "bc"
        -> total [ln 1/2, ln 1/16] = [-0.693, -2.773], per_token [-0.693, -1.386]
    """
    prompt = _ids(prompt_ids, "prompt_ids")
    if not prompt:
        raise ValueError("prompt_ids is empty: the first choice token needs a token before it")
    if isinstance(choices, (str, bytes)) or not choices:
        raise ValueError(f"choices must be a non-empty list of id lists, got {choices!r}")
    rows = [_ids(c, f"choice {k}") for k, c in enumerate(choices)]
    for k, c in enumerate(rows):
        if not c:
            raise ValueError(f"choice {k} is empty: it has no token to score")
    T = len(prompt) + max(len(c) for c in rows) - 1  # the last choice token is never an input
    x = np.zeros((len(rows), T), np.int32)  # padding on the right: a causal model ignores it
    y = np.zeros((len(rows), T), np.int32)
    mask = np.zeros((len(rows), T), bool)
    for k, c in enumerate(rows):
        seq = prompt + c
        x[k, : len(seq) - 1], y[k, : len(seq) - 1] = seq[:-1], seq[1:]
        mask[k, len(prompt) - 1 : len(seq) - 1] = True  # the positions that predict the choice
    logits = np.asarray(logits_fn(jnp.asarray(x)), np.float64)  # (B, T, V)
    if logits.shape[:2] != x.shape:
        raise ValueError(
            f"logits_fn must map ids {x.shape} to logits (B, T, V), got {logits.shape}"
        )
    # ln softmax in float64, shifted by the max so that exp never overflows.
    top = logits.max(axis=-1, keepdims=True)
    log_norm = top[..., 0] + np.log(np.exp(logits - top).sum(axis=-1))
    logp = np.take_along_axis(logits, y[..., None], axis=-1)[..., 0] - log_norm  # (B, T)
    total = np.where(mask, logp, 0.0).sum(axis=1)
    return ChoiceScores(total, total / np.array([len(c) for c in rows]))


def exact_match(predictions: Sequence[Any], answers: Sequence[Any]) -> float:
    """The fraction of predictions equal to their answer.

    Example: exact_match(["4", "5", "6"], ["4", "5", "7"]) -> 0.667
    """
    if len(predictions) != len(answers) or not answers:
        raise ValueError(
            "need as many predictions as answers (at least one), got "
            f"{len(predictions)} and {len(answers)}"
        )
    return sum(p == a for p, a in zip(predictions, answers)) / len(answers)


class Question(NamedTuple):
    """Which line follows `line`? `prefix` is the poem up to it ("L1，" or "L1，L2。L3，"),
    `choices` four lines (no punctuation), `answer` the index of the true one, `poem` the row."""

    prefix: str
    line: str
    choices: tuple[str, ...]
    answer: int
    poem: int


def next_line_questions(
    poems: Sequence[Poem], rows: Sequence[int], n: int, seed: int = 0, n_choices: int = 4
) -> list[Question]:
    """`n` questions "which line follows X?" from the poems at `rows`, reproducible by seed.

    X is the first or third line of a poem (the start of a couplet); the distractors are
    lines of the same length from other poems of `rows`, none equal to the answer.
    """
    if not 2 <= n_choices <= 10:
        raise ValueError(f"n_choices must be between 2 and 10, got {n_choices}")
    rows = list(rows)
    if len(rows) < n_choices or n < 1:
        raise ValueError(
            f"need n >= 1 and at least n_choices={n_choices} poems, got n={n}, {len(rows)} poems"
        )
    rng = random.Random(seed)
    out = []
    for row in rng.sample(rows, min(n, len(rows))):
        ls = lines(poems[row].poem)
        i = rng.choice([0, 2])
        right = ls[i + 1]
        wrong: list[str] = []
        while len(wrong) < n_choices - 1:
            other = rng.choice(rows)
            cand = lines(poems[other].poem)[rng.choice([1, 3])]
            if other != row and len(cand) == len(right) and cand not in (right, *wrong):
                wrong.append(cand)
        answer = rng.randrange(n_choices)
        choices = (*wrong[:answer], right, *wrong[answer:])
        prefix = poems[row].poem[: (len(ls[0]) + 1) * i + len(ls[i]) + 1]
        out.append(Question(prefix, ls[i], choices, answer, row))
    return out


def unseen_rows(poems: Sequence[Poem]) -> list[int]:
    """Rows of the poems no shipped Tang model trained on: held out of pretraining (the last
    10% of the corpus text) and of fine-tuning (the instruction set's "test" poems)."""
    from llmlab.data.instructions import split_poems

    start, pretrain_chars = 0, round(sum(len(p.poem) + 1 for p in poems) * 0.9)
    first_val = len(poems)
    for row, p in enumerate(poems):  # the first poem that starts inside the validation text
        if start >= pretrain_chars:
            first_val = row
            break
        start += len(p.poem) + 1
    return [r for r in split_poems(list(poems))["test"] if r >= first_val]
