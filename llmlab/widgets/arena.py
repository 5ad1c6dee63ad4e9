"""Arena leaderboard (lesson 11): Bradley–Terry ratings from the first N votes, with error bars.

Every vote says which of two players (models) gave the better answer. The slider sets how many
of the votes are counted; the ratings are fitted again (`llmlab.preferences.fit_ratings`) and
drawn on the Elo scale with their 95 % intervals, which tighten as votes come in.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.preferences import fit_ratings, leaderboard, win_matrix
from llmlab.widgets.panel import Panel
from llmlab.widgets.render.labels import font_family

MIN_VOTES = 10


class Arena(Panel):
    """A votes slider; attributes `rows` (the leaderboard shown, best first) and `figure`."""

    def __init__(self, names: Sequence[str], winners: np.ndarray, losers: np.ndarray, votes: int):
        super().__init__()
        self.names, self.winners, self.losers = list(names), winners, losers
        self.votes = widgets.IntSlider(
            value=votes, min=MIN_VOTES, max=len(winners), step=MIN_VOTES,
            description=say("widgets.arena.votes"), continuous_update=False,
        )  # fmt: skip
        self.table = widgets.HTML()
        self.figure = Figure(figsize=(6.4, 0.5 + 0.45 * len(self.names)), layout="constrained")
        self.ax = self.figure.add_subplot()
        self.votes.observe(self.guard(self.update), names="value")
        self.arrange(self.votes, widgets.HBox([self.image, self.table]))
        self.update()

    def update(self, change: object = None) -> None:
        """Fit the ratings on the first `votes` votes and redraw the leaderboard."""
        n = self.votes.value
        wins = win_matrix(self.winners[:n], self.losers[:n], len(self.names))
        self.rows = leaderboard(self.names, fit_ratings(wins))
        rows = self.rows[::-1]  # best at the top of the chart
        family = font_family()
        ax = self.ax
        ax.clear()
        y = np.arange(len(rows))
        ax.errorbar([r["elo"] for r in rows], y, xerr=[r["ci95"] for r in rows], fmt="o",
                    color="tab:blue", capsize=4)  # fmt: skip
        ax.axvline(1000, color="grey", linewidth=0.8)
        ax.set_yticks(y, [r["name"] for r in rows], fontfamily=family)  # names, not tokens
        ax.set_xlabel(say("widgets.arena.elo"), fontfamily=family)
        ax.set_title(say("widgets.arena.title", n=n), fontfamily=family, fontsize=10)
        ax.grid(alpha=0.3, axis="x")
        self.table.value = "<br>".join(
            html.escape(say("widgets.arena.row", rank=k + 1, name=r["name"], elo=r["elo"],
                            ci=r["ci95"]))
            for k, r in enumerate(self.rows))  # fmt: skip
        self.show_figure()

    def fallback_html(self) -> str:
        return self.table.value


def arena_leaderboard(names: Sequence[str], winners: Any, losers: Any,
                      votes: int | None = None) -> Arena:  # fmt: skip
    """Bradley–Terry leaderboard of `names` from the first `votes` of the votes (all: None).

    Args:
        names: the P players; winners, losers: (N,) player indices, vote n: winners[n] beat
            losers[n] (`llmlab.preferences.simulate_votes` makes such lists).

    Example: w = arena_leaderboard(["a", "b"], [0, 0, 1] * 10, [1, 1, 0] * 10); w.votes.value = 10
    """
    if isinstance(names, str) or len(names) < 2:
        raise ValueError(say("widgets.arena.bad_names", got=repr(names)))
    winners, losers = np.asarray(winners), np.asarray(losers)
    P = len(names)
    ok = winners.ndim == 1 and winners.shape == losers.shape and len(winners) >= MIN_VOTES
    ok = ok and winners.dtype.kind in "iu" and losers.dtype.kind in "iu"
    ok = ok and min(winners.min(), losers.min()) >= 0 and max(winners.max(), losers.max()) < P
    if not ok:
        raise ValueError(say("widgets.arena.bad_votes", least=MIN_VOTES, players=P,
                             w=winners.shape, l=losers.shape))  # fmt: skip
    n = len(winners) if votes is None else int(votes)
    n = min(max(MIN_VOTES, n - n % MIN_VOTES or MIN_VOTES), len(winners))
    return Arena(names, winners, losers, n)
