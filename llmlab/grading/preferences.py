"""Checks for lesson 11 (preferences): the Bradley–Terry probability and loss, the log-probability
of an answer under a mask, the DPO loss, and DPO's reward margin and preference accuracy.

References are computed in float64 numpy from the formulas, and the DPO loss is also compared
with llmlab's Bradley–Terry loss on the implicit rewards: DPO is that loss, nothing more.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from llmlab.grading.core import Mistake, task
from llmlab.grading.expect import as_array, call, close, same_shape
from llmlab.grading.finetuning import log_softmax64
from llmlab.i18n import say
from llmlab.preferences import bt_loss

LESSON = "11_preferences"


def f32(x) -> jnp.ndarray:
    return jnp.asarray(x, jnp.float32)


def sigmoid64(z) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, np.float64)))


def bt_loss64(margin) -> float:
    """Mean −ln σ(margin), without overflow: ln(1 + e^(−m)) = logaddexp(0, −m)."""
    return float(np.mean(np.logaddexp(0.0, -np.asarray(margin, np.float64))))


def named(got: np.ndarray, want, wrongs: dict, when: str, atol: float) -> None:
    """Raise the Mistake of the first wrong answer `got` equals, when it is not `want`."""
    if np.allclose(got, want, rtol=1e-4, atol=atol):
        return
    for key, wrong in wrongs.items():
        wrong = np.asarray(wrong, np.float64)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=1e-4, atol=atol):
            raise Mistake(say(key, when=when))


@task(LESSON, "bradley_terry_prob", references=("llmlab.preferences.bradley_terry_prob",))
def check_bradley_terry_prob(fn, rng):
    P = int(rng.integers(3, 7))
    cases = [
        (rng.normal(0, 2, size=(P,)), rng.normal(0, 2, size=(P,))),
        (rng.normal(0, 2, size=(2, P)), rng.normal(0, 2, size=(2, P))),
        (np.array([100.0, 0.0, -100.0]), np.array([90.0, 0.5, -95.0])),  # large ratings
    ]
    for r_a, r_b in cases:
        when = say("check.preferences.when_ratings", shape=r_a.shape,
                   big=f"{np.abs(r_a).max():.3g}")  # fmt: skip
        name = say("check.name.probabilities")
        got = as_array(call(fn, f32(r_a), f32(r_b), when=when), name, when)
        want = sigmoid64(r_a - r_b)
        same_shape(got, want.shape, name, when)
        if np.isnan(got).any():
            raise Mistake(say("check.preferences.bt_overflow", when=when))
        wrongs = {
            "check.preferences.bt_backwards": sigmoid64(r_b - r_a),
            "check.preferences.bt_ratio": r_a / (r_a + r_b),
            "check.preferences.bt_no_sigmoid": r_a - r_b,
        }
        named(got, want, wrongs, when, atol=1e-5)
        close(got, want, name, when, atol=1e-5)


@task(LESSON, "bt_loss", references=("llmlab.preferences.bt_loss", "llmlab.dpo.dpo_loss"))
def check_bt_loss(fn, rng):
    N = int(rng.integers(3, 9))
    chosen, rejected = rng.normal(0, 2, size=(N,)), rng.normal(0, 2, size=(N,))
    far = rng.normal(0, 1, size=(N,))
    cases = [(chosen, rejected), (far, far), (far - 200.0, far)]  # coin flips; far apart
    for r_c, r_r in cases:
        margin = r_c - r_r
        when = say("check.preferences.when_votes", N=N, lo=f"{margin.min():.3g}",
                   hi=f"{margin.max():.3g}")  # fmt: skip
        name = say("check.name.loss")
        got = as_array(call(fn, f32(r_c), f32(r_r), when=when), name, when)
        if got.shape != ():
            raise Mistake(say("check.preferences.not_scalar", shape=got.shape, when=when))
        want = bt_loss64(margin)
        if not np.isfinite(got):
            raise Mistake(say("check.preferences.log_of_sigmoid", when=when))
        wrongs = {
            "check.preferences.loss_backwards": bt_loss64(-margin),
            "check.preferences.loss_summed": N * want,
            "check.preferences.loss_negative": -want,
            "check.preferences.loss_no_log": float(np.mean(1 - sigmoid64(margin))),
        }
        named(got, want, wrongs, when, atol=1e-4 * (1 + abs(want)))
        close(got, want, name, when, atol=1e-4 * (1 + abs(want)))


def sequence_inputs(rng: np.random.Generator):
    B, T, V = int(rng.integers(2, 5)), int(rng.integers(4, 9)), int(rng.integers(4, 10))
    logits = rng.normal(0, 2, size=(B, T, V))
    targets = rng.integers(0, V, size=(B, T))
    mask = np.zeros((B, T), bool)
    for row in range(B):  # a prompt, then an answer of its own length, then padding
        start = int(rng.integers(1, T - 1))
        mask[row, start : start + 1 + int(rng.integers(0, T - start))] = True
    mask[0, 0] = False
    return logits, targets, mask


@task(LESSON, "sequence_logprob", references=("llmlab.dpo.sequence_logprob",))
def check_sequence_logprob(fn, rng):
    logits, targets, mask = sequence_inputs(rng)
    B, T, V = logits.shape
    logp = np.take_along_axis(log_softmax64(logits), targets[..., None], -1)[..., 0]
    for m in (mask, np.zeros_like(mask)):  # an empty answer has log-probability 0 (p = 1)
        when = say("check.preferences.when_sequence", B=B, T=T, V=V, n=int(m.sum()))
        name = say("check.name.log_probs")
        got = as_array(call(fn, f32(logits), jnp.asarray(targets, jnp.int32), jnp.asarray(m),
                            when=when), name, when)  # fmt: skip
        want = (logp * m).sum(-1)
        same_shape(got, want.shape, name, when)
        raw = np.take_along_axis(logits, targets[..., None], -1)[..., 0]
        wrongs = {
            "check.preferences.logp_mean": (logp * m).sum(-1) / np.maximum(m.sum(-1), 1),
            "check.preferences.logp_no_mask": logp.sum(-1),
            "check.preferences.logp_raw_logits": (raw * m).sum(-1),
            "check.preferences.logp_negative": -want,
        }
        atol = 1e-4 * (1 + float(np.abs(want).max()))
        named(got, want, wrongs, when, atol)
        close(got, want, name, when, atol=atol)


def dpo_inputs(rng: np.random.Generator):
    B = int(rng.integers(3, 9))
    ref_c, ref_r = rng.normal(-20, 5, size=(B,)), rng.normal(-20, 5, size=(B,))
    pol_c, pol_r = ref_c + rng.normal(0, 3, size=(B,)), ref_r + rng.normal(0, 3, size=(B,))
    beta = float(rng.choice([0.1, 0.2, 0.5]))
    return pol_c, pol_r, ref_c, ref_r, beta


@task(LESSON, "dpo_loss", references=("llmlab.dpo.dpo_loss", "llmlab.preferences.bt_loss"))
def check_dpo_loss(fn, rng):
    pol_c, pol_r, ref_c, ref_r, beta = dpo_inputs(rng)
    B = pol_c.shape[0]
    cases = [(pol_c, pol_r, beta), (ref_c, ref_r, beta), (pol_c, pol_r, 2 * beta)]
    for c, r, b in cases:  # the second: the policy is still the reference, loss ln 2
        when = say("check.preferences.when_dpo", B=B, beta=f"{b:g}")
        name = say("check.name.loss")
        got = as_array(call(fn, f32(c), f32(r), f32(ref_c), f32(ref_r), b, when=when), name,
                       when)  # fmt: skip
        if got.shape != ():
            raise Mistake(say("check.preferences.not_scalar", shape=got.shape, when=when))
        margin = b * ((c - ref_c) - (r - ref_r))
        want = bt_loss64(margin)
        atol = 1e-4 * (1 + abs(want))
        wrongs = {
            "check.preferences.dpo_no_beta": bt_loss64(margin / b),
            "check.preferences.dpo_no_reference": bt_loss64(b * (c - r)),
            "check.preferences.dpo_backwards": bt_loss64(-margin),
            "check.preferences.dpo_reference_added": bt_loss64(b * ((c + ref_c) - (r + ref_r))),
            "check.preferences.loss_summed": B * want,
        }
        named(got, want, wrongs, when, atol)
        close(got, want, name, when, atol=atol)
        # DPO is the Bradley–Terry loss on the implicit rewards β (log π − log π_ref).
        bt = bt_loss(f32(b * (c - ref_c)), f32(b * (r - ref_r)))
        if not np.isclose(float(got), float(bt), rtol=1e-4, atol=atol):
            raise Mistake(say("check.preferences.dpo_not_bt", got=f"{float(got):.4g}",
                              bt=f"{float(bt):.4g}", when=when))  # fmt: skip


@task(LESSON, "reward_margin_accuracy", references=("llmlab.dpo.dpo_metrics",))
def check_reward_margin_accuracy(fn, rng):
    pol_c, pol_r, ref_c, ref_r, beta = dpo_inputs(rng)
    B = pol_c.shape[0]
    # Second case: the reference prefers the rejected answers by far, so the raw policy
    # log-probabilities and the rewards disagree; third: the policy is the reference (ties).
    ref_r2 = ref_r + 30.0
    cases = [(pol_c, pol_r, ref_c, ref_r), (pol_c, pol_r + 30.0 - 1.0, ref_c, ref_r2),
             (ref_c, ref_r, ref_c, ref_r)]  # fmt: skip
    for c, r, rc, rr in cases:
        # the float32 values the learner gets, so that a near-tie is judged on the same numbers
        c, r, rc, rr = (np.asarray(f32(v), np.float64) for v in (c, r, rc, rr))
        when = say("check.preferences.when_dpo", B=B, beta=f"{beta:g}")
        got = call(fn, f32(c), f32(r), f32(rc), f32(rr), beta, when=when)
        if not (isinstance(got, tuple | list) and len(got) == 2):
            raise Mistake(say("check.preferences.pair", when=when))
        margin_name, accuracy_name = say("check.name.margin"), say("check.name.accuracy")
        margin = as_array(got[0], margin_name, when)
        accuracy = as_array(got[1], accuracy_name, when)
        reward_c, reward_r = beta * (c - rc), beta * (r - rr)
        want_margin = float(np.mean(reward_c - reward_r))
        want_accuracy = float(np.mean(reward_c > reward_r))
        for value, name in ((margin, margin_name), (accuracy, accuracy_name)):
            if value.shape != ():
                raise Mistake(say("check.preferences.not_scalar_named", name=name,
                                  shape=value.shape, when=when))  # fmt: skip
        atol = 1e-4 * (1 + abs(want_margin))
        named(margin, want_margin, {
            "check.preferences.margin_no_beta": want_margin / beta,
            "check.preferences.margin_no_reference": float(np.mean(beta * (c - r))),
            "check.preferences.margin_backwards": -want_margin,
        }, when, atol)  # fmt: skip
        close(margin, want_margin, margin_name, when, atol=atol)
        named(accuracy, want_accuracy, {
            "check.preferences.accuracy_ties": float(np.mean(reward_c >= reward_r)),
            "check.preferences.accuracy_no_reference": float(np.mean(c > r)),
            "check.preferences.accuracy_count": float(np.sum(reward_c > reward_r)),
        }, when, 1e-6)  # fmt: skip
        close(accuracy, want_accuracy, accuracy_name, when, atol=1e-6)
