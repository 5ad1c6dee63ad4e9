"""Tests for the lesson-11 widgets: the DPO probability shift and the arena leaderboard.

Each widget is driven like a learner would (set a control's value) and checked against the
numbers it was given or against `llmlab.preferences`.
"""

import base64

import jax
import numpy as np
import pytest

import llmlab
from llmlab.preferences import ELO_SCALE, fit_ratings, simulate_votes, win_matrix
from llmlab.widgets.arena import arena_leaderboard
from llmlab.widgets.dpo_shift import FIELDS, dpo_shift


def make_runs(steps=6):
    """Three runs whose every field is a different, recognisable ramp per β."""
    return {beta: {f: np.linspace(0, 1, steps) * (k + 1) * beta - 30 * (f == "rejected")
                   for k, f in enumerate(FIELDS)}
            for beta in (0.01, 0.1, 1.0)}  # fmt: skip


def line(fig, gid):
    return next(ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == gid)


def test_dpo_shift_starts_on_the_middle_beta_and_draws_its_curves():
    runs = make_runs()
    w = dpo_shift(runs)
    assert w.beta.value == 0.1, "the slider starts on the middle β"
    for field in FIELDS:
        np.testing.assert_allclose(
            line(w.figure, field).get_ydata(),
            runs[0.1][field],
            err_msg=f"the {field} line must show the run of β = 0.1",
        )


def test_moving_the_beta_slider_redraws_every_curve_and_the_picture():
    runs = make_runs()
    w = dpo_shift(runs)
    png_before, readout_before = w.image.value, w.readout.value
    w.beta.value = 0.01
    for field in FIELDS:
        np.testing.assert_allclose(
            line(w.figure, field).get_ydata(),
            runs[0.01][field],
            err_msg=f"after moving β, the {field} line must be β = 0.01's",
        )
    assert w.run is w.runs[0.01]
    assert w.image.value != png_before, "the picture sent to the browser must change"
    assert "β = 0.01" in w.readout.value and w.readout.value != readout_before
    lo, hi = w.figure.axes[0].get_ylim()
    assert lo <= runs[0.01]["rejected"].min() and hi >= runs[0.01]["chosen"].max(), (
        "the left axis must rescale to show both answers' log-probabilities"
    )


def test_dpo_shift_readout_states_the_first_and_last_values_of_the_run():
    runs = {0.5: {"chosen": [-27.3, -26.9], "rejected": [-27.8, -33.4], "drift": [0, 1.45],
                  "train_acc": [0.27, 0.93], "held_acc": [0.0, 0.51]}}  # fmt: skip
    w = dpo_shift(runs)
    text = w.readout.value
    for part in ("-27.3 → -26.9", "-27.8 → -33.4", "1.45", "93%", "51%", "after 2 steps"):
        assert part in text, f"the readout must say {part!r}: {text}"


def test_runs_measured_every_few_steps_are_drawn_at_those_steps():
    runs = make_runs(4)
    for run in runs.values():
        run["step"] = [0, 3, 6, 9]
    w = dpo_shift(runs)
    np.testing.assert_array_equal(line(w.figure, "chosen").get_xdata(), [0, 3, 6, 9])
    assert "after 9 steps" in w.readout.value, w.readout.value


def test_dpo_shift_speaks_chinese_when_the_language_is_set():
    llmlab.set_language("zh")
    try:
        w = dpo_shift(make_runs())
    finally:
        llmlab.set_language("en")
    assert "步之后" in w.readout.value and "漂移" in w.readout.value
    assert "DPO 步数" == w.figure.axes[0].get_xlabel()


@pytest.mark.parametrize(
    "runs",
    [{}, None, {0.1: {"chosen": [1, 2]}}, {0.1: {f: [1, 2] for f in FIELDS} | {"drift": [1]}},
     {0.1: {f: [1, 2] for f in FIELDS}, 1.0: {f: [1, 2, 3] for f in FIELDS}}],
)  # fmt: skip
def test_dpo_shift_refuses_runs_with_missing_or_unequal_fields_in_a_sentence(runs):
    with pytest.raises(ValueError, match="run"):
        dpo_shift(runs)


def votes(n=400, key=0):
    return simulate_votes(jax.random.key(key), np.array([1.0, 0.0, -1.0]), n)


def test_arena_shows_the_library_leaderboard_of_the_first_n_votes():
    winners, losers = votes()
    w = arena_leaderboard(["a", "b", "c"], winners, losers, votes=100)
    fitted = fit_ratings(win_matrix(winners[:100], losers[:100], 3))
    best = int(np.argmax(fitted.rating))
    assert w.rows[0]["name"] == "abc"[best]
    assert w.rows[0]["elo"] == pytest.approx(1000 + ELO_SCALE * fitted.rating[best])
    assert w.rows[0]["ci95"] == pytest.approx(1.96 * ELO_SCALE * fitted.stderr[best])


def test_more_votes_on_the_slider_tighten_every_error_bar_and_redraw():
    winners, losers = votes()
    w = arena_leaderboard(["a", "b", "c"], winners, losers, votes=40)
    wide = {r["name"]: r["ci95"] for r in w.rows}
    png, table = w.image.value, w.table.value
    w.votes.value = 400
    narrow = {r["name"]: r["ci95"] for r in w.rows}
    for name in wide:
        assert narrow[name] < wide[name] / 2, (
            f"ten times the votes must shrink {name}'s interval to under half: "
            f"{wide[name]:.0f} -> {narrow[name]:.0f}"
        )
    assert w.image.value != png and w.table.value != table, "the chart and table must redraw"
    caps = [c for c in w.ax.collections]
    assert caps, "the error bars are drawn"


def test_arena_labels_show_player_names_as_written():
    winners, losers = votes()
    w = arena_leaderboard(["chat T=0.3", "base", "c"], winners, losers)
    labels = [t.get_text() for t in w.ax.get_yticklabels()]
    assert "chat T=0.3" in labels, f"a name's spaces must stay spaces, not token marks: {labels}"


def test_arena_static_fallback_holds_the_picture_and_the_table():
    winners, losers = votes()
    w = arena_leaderboard(["a", "b", "c"], winners, losers)
    bundle = w.fallback_bundle()
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert "1. a" in bundle["text/html"], "a is the strongest player and leads the table"


@pytest.mark.parametrize(
    "names, winners, losers",
    [(["a"], [0] * 10, [0] * 10), (["a", "b"], [0, 1], [1, 0]),
     (["a", "b"], [0] * 10, [2] * 10), (["a", "b"], [0] * 10, [1] * 9)],
)  # fmt: skip
def test_arena_refuses_bad_players_or_votes_in_a_sentence(names, winners, losers):
    with pytest.raises(ValueError, match=r"at least|player"):
        arena_leaderboard(names, winners, losers)
