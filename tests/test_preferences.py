"""Tests for llmlab.preferences (Bradley–Terry, fitted ratings) and llmlab.reward."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlab.chat import ChatArrays
from llmlab.dpo import PairArrays, pair_batch
from llmlab.model import GPT, GPTConfig
from llmlab.preferences import (
    ELO_SCALE,
    bradley_terry_prob,
    bt_loss,
    fit_ratings,
    leaderboard,
    simulate_votes,
    win_matrix,
)
from llmlab.reward import RewardModel, last_positions, reward_loss
from llmlab.train import TrainConfig, fit

TRUE = np.array([1.2, 0.6, 0.0, -0.3, -1.5])


def test_bradley_terry_worked_example_and_symmetry():
    assert float(bradley_terry_prob(math.log(3), 0.0)) == pytest.approx(0.75), "odds 3 : 1"
    assert float(bradley_terry_prob(0.4, 0.4)) == 0.5, "equal ratings: a coin flip"
    assert float(bradley_terry_prob(2.0, 0.5) + bradley_terry_prob(0.5, 2.0)) == pytest.approx(1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-20, 20), st.floats(-20, 20)), min_size=1, max_size=8))
def test_bt_loss_is_the_mean_nll_of_the_votes(pairs):
    c, r = np.array(pairs, np.float64).T
    want = np.mean([math.log1p(math.exp(-(a - b))) for a, b in zip(c, r)])
    got = float(bt_loss(jnp.asarray(c, jnp.float32), jnp.asarray(r, jnp.float32)))
    assert got == pytest.approx(want, abs=1e-5 * max(1.0, want), rel=1e-5)


def test_win_matrix_worked_example_and_bad_votes():
    assert win_matrix([0, 0, 1], [1, 1, 0], 2).tolist() == [[0, 2], [1, 0]]
    with pytest.raises(ValueError, match="beat itself"):
        win_matrix([1], [1], 2)
    with pytest.raises(ValueError, match=r"indices in \[0, 2\)"):
        win_matrix([0], [2], 2)


def test_fitting_recovers_known_ratings_from_simulated_votes():
    winners, losers = simulate_votes(jax.random.key(0), TRUE, 20_000)
    fitted = fit_ratings(win_matrix(winners, losers, len(TRUE)))
    truth = TRUE - TRUE.mean()  # only differences are identifiable
    err = fitted.rating - truth
    assert np.all(np.abs(err) < 4 * fitted.stderr), f"errors {err} vs stderr {fitted.stderr}"
    assert np.abs(err).max() < 0.1, f"20,000 votes pin the ratings to < 0.1, got {err}"
    # 4x the votes -> about half the standard error (sqrt(N) law)
    winners, losers = simulate_votes(jax.random.key(1), TRUE, 80_000)
    tighter = fit_ratings(win_matrix(winners, losers, len(TRUE)))
    np.testing.assert_allclose(tighter.stderr / fitted.stderr, 0.5, rtol=0.1)


def test_fitted_ratings_solve_the_likelihood_equations():
    wins = win_matrix(*simulate_votes(jax.random.key(2), TRUE, 3000), len(TRUE))
    r = fit_ratings(wins, prior=0.0).rating
    p = 1 / (1 + np.exp(-(r[:, None] - r[None, :])))
    expected = ((wins + wins.T) * p).sum(axis=1)
    np.testing.assert_allclose(expected, wins.sum(axis=1), rtol=1e-8,
                               err_msg="at the maximum, expected wins = observed wins")  # fmt: skip


def test_a_player_who_won_everything_gets_a_finite_rating():
    wins = np.array([[0, 5], [0, 0]])
    fitted = fit_ratings(wins)
    assert np.all(np.isfinite(fitted.rating)) and fitted.rating[0] > fitted.rating[1]


def test_leaderboard_is_sorted_on_the_elo_scale():
    fitted = fit_ratings(win_matrix(*simulate_votes(jax.random.key(3), TRUE, 5000), 5))
    rows = leaderboard(list("abcde"), fitted)
    assert [r["name"] for r in rows] == list("abcde"), "TRUE is in descending order"
    assert np.mean([r["elo"] for r in rows]) == pytest.approx(1000)
    assert rows[0]["ci95"] == pytest.approx(1.96 * ELO_SCALE * fitted.stderr[0])


def test_last_positions_worked_example():
    mask = jnp.array([[1, 1, 0], [0, 1, 1]], bool)
    assert last_positions(mask).tolist() == [1, 2]


def test_reward_model_body_is_the_gpt_and_it_learns_to_rank_pairs():
    V, T = 6, 4
    gpt = GPT(GPTConfig(V, block_size=T, n_layer=1, n_head=2, n_embd=16), rngs=nnx.Rngs(0))
    rm = RewardModel(gpt, rngs=nnx.Rngs(1))
    x = jnp.array([[1, 2, 3, 0]])
    np.testing.assert_allclose(gpt.wte.attend(rm.hidden(x)), gpt(x), atol=1e-5, rtol=1e-5)
    # pairs: answers ending in token 5 are preferred over answers ending in token 4
    rng = np.random.default_rng(0)
    body = rng.integers(0, 4, (64, T))
    chosen, rejected = body.copy(), body.copy()
    chosen[:, -1], rejected[:, -1] = 5, 4
    mask = np.ones((64, T), bool)
    zeros = np.zeros(64, np.float32)
    data = PairArrays(ChatArrays(chosen, chosen, mask), ChatArrays(rejected, rejected, mask),
                      zeros, zeros)  # fmt: skip
    assert float(reward_loss(rm, data)) == pytest.approx(math.log(2)), "zero head: all equal"
    cfg = TrainConfig(batch_size=16, block_size=T, lr=1e-2, warmup_steps=2, max_steps=40,
                      eval_interval=40, eval_iters=2, log_interval=20)  # fmt: skip
    fit(rm, data, data, cfg, loss_fn=reward_loss, batch_fn=pair_batch)
    r_c, r_r = rm(jnp.asarray(chosen), mask), rm(jnp.asarray(rejected), mask)
    assert float(jnp.mean(r_c > r_r)) == 1.0, "every chosen answer must score higher"
