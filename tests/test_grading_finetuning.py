# ruff: noqa: E501  (the table of mistakes reads best one per line)
"""Exercise 10's checks: a right answer passes on every draw; its planted
mistakes (MISTAKES) are run, with the other lessons', by test_grading_mistakes.py."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import llmlab.grading as grading
from llmlab.lora import lora_forward
from llmlab.loss import nll


def mask_walk(ids, assistant_id, end_id, *, marker=False, end=True, every_turn=True):
    """The assistant-only mask by walking the ids; the keywords plant one mistake each."""
    out, inside, turns = [], False, 0
    for i in np.asarray(ids).tolist():
        if i == assistant_id:
            inside, turns = True, turns + 1
            out.append(marker)
            continue
        learn = inside and (every_turn or turns == 1)
        out.append(learn and (end or i != end_id))
        if i == end_id:
            inside = False
    return np.array(out, bool)


def mask_right(ids, assistant_id, end_id):
    return mask_walk(ids, assistant_id, end_id)


def picked_logp(logits, targets):
    return jnp.take_along_axis(jax.nn.log_softmax(logits), targets[..., None], -1)[..., 0]


def nll_over_every_position(logits, targets, mask):
    return -jnp.sum(picked_logp(logits, targets) * mask) / mask.size


def nll_row_means(logits, targets, mask):
    logp, m = picked_logp(logits, targets), mask.astype(jnp.float32)
    rows = m.sum(-1)
    per_row = -(logp * m).sum(-1) / jnp.maximum(rows, 1)
    return jnp.sum(jnp.where(rows > 0, per_row, 0.0)) / jnp.sum(rows > 0)


def lora_no_bias(x, kernel, bias, a, b, alpha):
    return lora_forward(x, kernel, None, a, b, alpha)


MISTAKES = [
    ("assistant_mask", lambda ids, a, e: ~mask_right(ids, a, e), "wrong way round"),
    ("assistant_mask", lambda ids, a, e: mask_walk(ids, a, e, marker=True), "role marker"),
    ("assistant_mask", lambda ids, a, e: mask_walk(ids, a, e, end=False), "never learns to stop"),
    ("assistant_mask", lambda ids, a, e: mask_walk(ids, a, e, every_turn=False), "every assistant turn"),
    ("masked_nll", lambda z, t, m: nll(z, t), "ignores the mask"),
    ("masked_nll", nll_over_every_position, "divided by every position"),
    ("masked_nll", lambda z, t, m: -jnp.sum(picked_logp(z, t) * m), "summed"),
    ("masked_nll", nll_row_means, "averaged each row first"),
    ("lora_forward", lambda x, w, bias, a, b, alpha: lora_forward(x, w, bias, a, b, alpha * a.shape[1]), "scaled the update by alpha"),
    ("lora_forward", lambda x, w, bias, a, b, alpha: lora_forward(x, w, bias, a, b, a.shape[1]), "forgot the scale"),
    ("lora_forward", lambda x, w, bias, a, b, alpha: lora_forward(x, w, bias, a, b, a.shape[1] ** 2 / alpha), "r / alpha"),
    ("lora_forward", lora_no_bias, "forgot the bias"),
    ("lora_forward", lambda x, w, bias, a, b, alpha: lora_forward(x, w * 0, bias, a, b, alpha), "forgot the frozen layer"),
    ("merge_lora", lambda w, a, b, alpha: w + alpha * a @ b, "scaled the update by alpha"),
    ("merge_lora", lambda w, a, b, alpha: w + a @ b, "forgot the scale"),
    ("merge_lora", lambda w, a, b, alpha: alpha / a.shape[1] * a @ b, "only the update"),
]  # fmt: skip


RIGHT = {
    "assistant_mask": mask_right,
    "masked_nll": nll,
    "lora_forward": lora_forward,
    "merge_lora": lambda w, a, b, alpha: w + (alpha / a.shape[1]) * (a @ b),
}


@pytest.mark.parametrize("task_id", list(RIGHT))
def test_a_right_fine_tuning_answer_passes_on_every_draw(task_id):
    failures = [
        r.message
        for s in range(8)
        if not (r := grading.run_check(task_id, RIGHT[task_id], seed=s)).passed
    ]
    assert failures == [], f"a right {task_id} failed {len(failures)} of 8 draws: {failures[:2]}"


def test_the_mask_check_accepts_ones_and_zeros_but_not_other_numbers():
    as_ints = grading.run_check(
        "assistant_mask", lambda ids, a, e: mask_right(ids, a, e).astype(int)
    )
    assert as_ints.passed, f"a 0/1 int mask is a mask too: {as_ints.message}"
    doubled = grading.run_check(
        "assistant_mask", lambda ids, a, e: 2 * mask_right(ids, a, e).astype(int)
    )
    assert not doubled.passed and "only True/False" in doubled.message, doubled.message
