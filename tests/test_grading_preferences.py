# ruff: noqa: E501  (the table of mistakes reads best one per line)
"""Exercise 11's checks: a right answer passes on every draw; its planted
mistakes (MISTAKES) are run, with the other lessons', by test_grading_mistakes.py,
and the DPO check holds a loss to being the Bradley–Terry loss of the implicit rewards."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import llmlab.grading as grading
from llmlab.dpo import dpo_loss, dpo_metrics, implicit_reward, sequence_logprob
from llmlab.preferences import bradley_terry_prob, bt_loss


def picked(logits, targets):
    return jnp.take_along_axis(jax.nn.log_softmax(logits), targets[..., None], -1)[..., 0]


def margin_accuracy(pc, pr, rc, rr, beta, *, ties=False, reference=True, count=False):
    """The margin and accuracy of DPO's rewards; the keywords plant one mistake each."""
    c = implicit_reward(pc, rc if reference else 0.0, beta)
    r = implicit_reward(pr, rr if reference else 0.0, beta)
    wins = (c >= r) if ties else (c > r)
    return jnp.mean(c - r), (jnp.sum(wins) if count else jnp.mean(wins))


def dpo_with(pc, pr, rc, rr, beta):
    return bt_loss(beta * (pc - rc), beta * (pr - rr))


MISTAKES = [
    ("bradley_terry_prob", lambda a, b: jnp.exp(a) / (jnp.exp(a) + jnp.exp(b)), "exp of a big rating overflows"),
    ("bradley_terry_prob", lambda a, b: jax.nn.sigmoid(b - a), "backwards"),
    ("bradley_terry_prob", lambda a, b: a - b, "through the sigmoid"),
    ("bt_loss", lambda c, r: -jnp.mean(jnp.log(jax.nn.sigmoid(c - r))), "log_sigmoid"),
    ("bt_loss", lambda c, r: bt_loss(r, c), "rewards the rejected"),
    ("bt_loss", lambda c, r: -jnp.sum(jax.nn.log_sigmoid(c - r)), "summed"),
    ("bt_loss", lambda c, r: jnp.mean(jax.nn.log_sigmoid(c - r)), "negative"),
    ("sequence_logprob", lambda z, t, m: jnp.sum(jnp.where(m, picked(z, t), 0), -1) / jnp.maximum(m.sum(-1), 1), "the sum"),
    ("sequence_logprob", lambda z, t, m: jnp.sum(picked(z, t), -1), "ignores the mask"),
    ("sequence_logprob", lambda z, t, m: jnp.sum(jnp.where(m, jnp.take_along_axis(z, t[..., None], -1)[..., 0], 0), -1), "raw logits"),
    ("sequence_logprob", lambda z, t, m: -sequence_logprob(z, t, m), "returned the NLL"),
    ("dpo_loss", lambda pc, pr, rc, rr, beta: dpo_loss(pc, pr, rc, rr, 1.0), "forgot beta"),
    ("dpo_loss", lambda pc, pr, rc, rr, beta: bt_loss(beta * pc, beta * pr), "left out the reference"),
    ("dpo_loss", lambda pc, pr, rc, rr, beta: dpo_loss(pr, pc, rr, rc, beta), "prefers the rejected"),
    ("dpo_loss", lambda pc, pr, rc, rr, beta: dpo_with(pc, pr, -rc, -rr, beta), "added the reference"),
    ("reward_margin_accuracy", lambda *a: margin_accuracy(*a, ties=True), "ties as right"),
    ("reward_margin_accuracy", lambda *a: margin_accuracy(*a, reference=False), "leaves out the reference"),
    ("reward_margin_accuracy", lambda *a: margin_accuracy(*a, count=True), "is a count"),
    ("reward_margin_accuracy", lambda pc, pr, rc, rr, beta: margin_accuracy(pc, pr, rc, rr, 1.0), "forgets beta"),
]  # fmt: skip


def metrics_pair(pc, pr, rc, rr, beta):
    m = dpo_metrics(pc, pr, rc, rr, beta)
    return m["margin"], m["accuracy"]


RIGHT = {
    "bradley_terry_prob": bradley_terry_prob,
    "bt_loss": bt_loss,
    "sequence_logprob": sequence_logprob,
    "dpo_loss": dpo_loss,
    "reward_margin_accuracy": metrics_pair,
}


@pytest.mark.parametrize("task_id", list(RIGHT))
def test_llmlab_itself_passes_the_preference_checks_on_every_draw(task_id):
    failures = [
        r.message
        for s in range(8)
        if not (r := grading.run_check(task_id, RIGHT[task_id], seed=s)).passed
    ]
    assert failures == [], f"llmlab's {task_id} failed {len(failures)} of 8 draws: {failures[:2]}"


def test_a_dpo_loss_that_is_not_ln_2_before_the_policy_moves_fails():
    # Right wherever the policy moved, wrong where it has not: there every implicit reward is 0,
    # so the loss must be ln 2 (a coin flip), a case the check always tries.
    def off_at_the_start(pc, pr, rc, rr, beta):
        moved = jnp.any(pc != rc)
        return jnp.where(moved, dpo_loss(pc, pr, rc, rr, beta), 0.0)

    result = grading.run_check("dpo_loss", off_at_the_start, seed=0)
    assert not result.passed and "0.6931" in result.message, result.message
