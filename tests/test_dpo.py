"""Tests for llmlab.dpo: the loss against hand-computed numbers, and DPO through fit."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.chat import chat_tokenizer, encode_prompt
from llmlab.dpo import (
    DPOLoss,
    dpo_loss,
    dpo_metrics,
    evaluate_pairs,
    implicit_reward,
    pack_pairs,
    pair_batch,
    sequence_logprob,
    with_reference,
)
from llmlab.model import GPT, GPTConfig
from llmlab.preferences import bt_loss
from llmlab.tokenizer import CharTokenizer
from llmlab.train import TrainConfig, fit


def test_dpo_loss_worked_example():
    # rewards: chosen 0.5 * (-1 - (-1.5)) = 0.25, rejected 0.5 * (-2 - (-1.5)) = -0.25
    # loss = -ln sigma(0.25 - (-0.25)) = ln(1 + e^-0.5) = 0.474077...
    got = dpo_loss(jnp.array([-1.0]), jnp.array([-2.0]), jnp.array([-1.5]), jnp.array([-1.5]), 0.5)
    assert float(got) == pytest.approx(math.log1p(math.exp(-0.5)), rel=1e-6)


logps = st.lists(st.floats(-50, 0), min_size=4, max_size=4)


@settings(max_examples=50, deadline=None)
@given(st.lists(logps, min_size=1, max_size=6), st.sampled_from([0.05, 0.1, 0.5, 2.0]))
def test_dpo_loss_equals_a_plain_reference_and_bradley_terry_on_implicit_rewards(rows, beta):
    pc, pr, rc, rr = (jnp.asarray(c, jnp.float32) for c in np.array(rows).T)
    want = np.mean([math.log1p(math.exp(-beta * ((a - c) - (b - d)))) for a, b, c, d in rows])
    got = float(dpo_loss(pc, pr, rc, rr, beta))
    assert got == pytest.approx(want, abs=1e-4 * max(1.0, want)), "against float64 by hand"
    bt = bt_loss(implicit_reward(pc, rc, beta), implicit_reward(pr, rr, beta))
    assert got == pytest.approx(float(bt), abs=1e-6), "DPO is Bradley–Terry on β log(π/π_ref)"


def test_policy_equal_to_reference_gives_ln2_and_zero_margin():
    lp = jnp.array([-3.0, -1.0])
    m = dpo_metrics(lp, lp - 1, lp, lp - 1, beta=0.1)
    assert m["loss"] == pytest.approx(math.log(2)) and m["margin"] == 0.0
    assert m["accuracy"] == 0.0, "a tie is not a win"
    with pytest.raises(ValueError, match="beta must be > 0"):
        dpo_loss(lp, lp, lp, lp, beta=0.0)


def test_sequence_logprob_sums_log_probs_over_the_mask():
    logits = jax.random.normal(jax.random.key(0), (2, 3, 5))
    y = jnp.array([[1, 2, 3], [4, 0, 1]])
    mask = jnp.array([[0, 1, 1], [1, 0, 0]], bool)
    logp = jax.nn.log_softmax(logits)
    want = [logp[0, 1, 2] + logp[0, 2, 3], logp[1, 0, 4]]
    np.testing.assert_allclose(sequence_logprob(logits, y, mask), want, rtol=1e-5)


def test_dpo_through_fit_raises_p_shanghai_and_leaves_the_reference_alone():
    pairs = [{"prompt": [{"role": "user", "content": "中国最美的城市是哪里？"}],
              "chosen": "上海", "rejected": "北京"}]  # fmt: skip
    tok = chat_tokenizer(CharTokenizer.from_text("中国最美的城市是哪里？上海北京"))
    config = GPTConfig(tok.vocab_size, block_size=24, n_layer=1, n_head=2, n_embd=16)
    policy = GPT(config, rngs=nnx.Rngs(0))
    reference = nnx.clone(policy)
    ref_before = [np.asarray(a) for a in jax.tree.leaves(nnx.state(reference))]
    data = with_reference(reference, pack_pairs(pairs, tok, 24, pad_id=0))
    prompt = jnp.asarray(encode_prompt(pairs[0]["prompt"], tok))[None]
    sh, bj = tok.encode("上"), tok.encode("北")

    def p_shanghai(model):
        probs = jax.nn.softmax(model(prompt)[0, -1])
        return float(probs[sh[0]]), float(probs[bj[0]])

    before = p_shanghai(policy)
    assert evaluate_pairs(policy, data)["loss"] == pytest.approx(math.log(2), abs=1e-6)
    cfg = TrainConfig(batch_size=4, block_size=24, lr=3e-3, warmup_steps=2, max_steps=20,
                      eval_interval=20, eval_iters=1, log_interval=10)  # fmt: skip
    fit(policy, data, data, cfg, loss_fn=DPOLoss(0.1), batch_fn=pair_batch)
    after = p_shanghai(policy)
    assert after[0] > before[0] and after[1] < before[1], f"P(上), P(北): {before} -> {after}"
    metrics = evaluate_pairs(policy, data)
    assert metrics["accuracy"] == 1.0 and metrics["margin"] > 0
    for a, b in zip(ref_before, jax.tree.leaves(nnx.state(reference)), strict=True):
        np.testing.assert_array_equal(a, b, "the reference model must stay frozen")
    assert DPOLoss(0.1) == DPOLoss(0.1), "equal losses, so fit compiles its step once"
