"""Preferences: which of two answers is better, and ratings that explain the choices.

Choosing is easier than writing: a person who cannot write a good answer can still say which
of two is better. The Bradley–Terry model turns such votes into numbers: every player
(model, answer) has a rating r, and

    P(a beats b) = σ(r_a − r_b) = 1 / (1 + exp(−(r_a − r_b))).

Only differences matter, so ratings are fixed up to a shift; `fit_ratings` reports them
centred (mean 0). An arena leaderboard is this fit on votes between chat models, shown on the
Elo scale (400 / ln 10 points per unit, 1000 for the mean). A reward model (`llmlab.reward`)
learns ratings of answers, and DPO (`llmlab.dpo`) is the same loss on implicit rewards.

Shape letters: P players, N votes or pairs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

ELO_SCALE = 400 / math.log(10)  # Elo points per unit of rating (a 10x odds ratio is 400 points)


def bradley_terry_prob(r_a: ArrayLike, r_b: ArrayLike) -> jax.Array:
    """P(a beats b) = σ(r_a − r_b). Shapes: any two that broadcast -> the same.

    Example: r_a = ln 3, r_b = 0 -> 3 / (1 + 3) = 0.75 (a wins 3 times out of 4).
    """
    return jax.nn.sigmoid(jnp.asarray(r_a) - jnp.asarray(r_b))


def bt_loss(r_chosen: ArrayLike, r_rejected: ArrayLike) -> jax.Array:
    """Mean −ln σ(r_chosen − r_rejected): the NLL of the votes under Bradley–Terry.

    Shapes: (N,), (N,) -> scalar. Equal scores give ln 2 ≈ 0.693 (a coin flip).
    """
    r_chosen, r_rejected = jnp.asarray(r_chosen), jnp.asarray(r_rejected)
    if r_chosen.shape != r_rejected.shape:
        raise ValueError(
            f"r_chosen and r_rejected must have one shape, got {r_chosen.shape} and "
            f"{r_rejected.shape}"
        )
    return -jnp.mean(jax.nn.log_sigmoid(r_chosen - r_rejected))


def win_matrix(winners: ArrayLike, losers: ArrayLike, num_players: int) -> np.ndarray:
    """Count votes into W (P, P): W[i, j] = how often i beat j.

    Example: winners [0, 0, 1], losers [1, 1, 0], 2 players -> [[0, 2], [1, 0]]
    """
    winners, losers = np.asarray(winners), np.asarray(losers)
    if winners.shape != losers.shape or winners.ndim != 1:
        raise ValueError(
            f"winners and losers must be 1-D of one length, got {winners.shape} and {losers.shape}"
        )
    for name, a in (("winners", winners), ("losers", losers)):
        if a.size and (a.dtype.kind not in "iu" or a.min() < 0 or a.max() >= num_players):
            raise ValueError(f"{name} must be player indices in [0, {num_players}), got {a}")
    if np.any(winners == losers):
        raise ValueError("a vote needs two different players, but one has a player beat itself")
    wins = np.zeros((num_players, num_players), np.int64)
    np.add.at(wins, (winners, losers), 1)
    return wins


class Ratings(NamedTuple):
    """Fitted Bradley–Terry ratings (P,), centred to mean 0, and their standard errors (P,)."""

    rating: np.ndarray
    stderr: np.ndarray


def fit_ratings(wins: ArrayLike, prior: float = 1e-3, steps: int = 50) -> Ratings:
    """Maximum-likelihood Bradley–Terry ratings from a table of votes, with uncertainty.

    Newton's method on the log-likelihood Σ W[i, j] ln σ(r_i − r_j) (concave, so it converges
    in a few steps), in float64. A tiny Gaussian prior (precision `prior`) keeps the ratings
    finite when a player won or lost every vote. Standard errors come from the inverse of the
    Fisher information (the negative Hessian), for ratings measured from their mean.

    Args:
        wins: W (P, P), W[i, j] = votes where i beat j (see `win_matrix`).

    Returns:
        Ratings(rating (P,), stderr (P,)); multiply both by ELO_SCALE for Elo points.
    """
    W = np.asarray(wins, np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] < 2:
        raise ValueError(f"wins must be a square (P, P) table with P >= 2, got {W.shape}")
    if (W < 0).any() or not np.isfinite(W).all():
        raise ValueError("wins must hold vote counts >= 0")
    if not prior >= 0:
        raise ValueError(f"prior must be >= 0, got {prior!r}")
    P = W.shape[0]
    games = W + W.T  # games[i, j]: how often i and j met
    r = np.zeros(P)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(r[:, None] - r[None, :])))  # P(i beats j)
        grad = (W - games * p).sum(axis=1) - prior * r
        info = games * p * (1 - p)  # Fisher information of each pairing
        hess = info - np.diag(info.sum(axis=1)) - prior * np.eye(P)
        # least squares: with prior 0 the Hessian is singular along the shift r + c
        step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        r = r - step
        if np.abs(step).max() < 1e-12:
            break
    p = 1 / (1 + np.exp(-(r[:, None] - r[None, :])))
    info = games * p * (1 - p)
    cov = np.linalg.pinv(np.diag(info.sum(axis=1)) - info + prior * np.eye(P))
    centre = np.eye(P) - 1 / P  # ratings minus their mean: the shift the data cannot see
    cov = centre @ cov @ centre
    return Ratings(r - r.mean(), np.sqrt(np.clip(np.diag(cov), 0, None)))


def simulate_votes(
    key: jax.Array, rating: ArrayLike, num_votes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Random votes between random pairs of players who win with Bradley–Terry's probability.

    Returns:
        (winners (N,), losers (N,)) player indices.
    """
    rating = jnp.asarray(rating, jnp.float32)
    P = rating.shape[0]
    k_a, k_b, k_win = jax.random.split(key, 3)
    a = jax.random.randint(k_a, (num_votes,), 0, P)
    b = (a + jax.random.randint(k_b, (num_votes,), 1, P)) % P  # never a itself
    a_wins = jax.random.uniform(k_win, (num_votes,)) < bradley_terry_prob(rating[a], rating[b])
    winners, losers = jnp.where(a_wins, a, b), jnp.where(a_wins, b, a)
    return np.asarray(winners), np.asarray(losers)


def leaderboard(names: Sequence[str], ratings: Ratings) -> list[dict]:
    """Rows {"name", "elo", "ci95"} best first, on the Elo scale (mean 1000).

    ci95 is ±1.96 standard errors in Elo points.
    """
    if len(names) != len(ratings.rating):
        raise ValueError(f"got {len(names)} names for {len(ratings.rating)} ratings")
    rows = [
        {"name": n, "elo": 1000 + ELO_SCALE * float(r), "ci95": 1.96 * ELO_SCALE * float(s)}
        for n, r, s in zip(names, ratings.rating, ratings.stderr)
    ]
    return sorted(rows, key=lambda row: -row["elo"])
