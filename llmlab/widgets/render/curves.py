"""Loss curves of one or more training runs: train solid, validation dashed with dots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.widgets.render.labels import font_family

_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
Records = Sequence[Mapping[str, Any]]


def _column(records: Records, name: str) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(r["step"], r[name]) for r in records if r.get(name) is not None]
    if not pairs:
        return np.zeros(0), np.zeros(0)
    steps, values = zip(*pairs)
    return np.asarray(steps, float), np.asarray(values, float)


def curves_figure(runs: Mapping[str, Records] | None = None) -> Figure:
    """Train and validation loss against step for each run (a dict name -> records).

    A record is a dict with "step", "train_loss" and optionally "val_loss" (None or missing
    when not measured), as `llmlab.train.fit` makes them. Update with `update_curves`.

    Example: curves_figure({"run 1": [{"step": 10, "train_loss": 4.1, "val_loss": None}]})
    """
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlabel(say("widgets.render.step"), fontfamily=font_family())
    ax.set_ylabel(say("widgets.render.loss_axis"), fontfamily=font_family())
    ax.grid(alpha=0.3)
    update_curves(fig, runs or {})
    return fig


def update_curves(fig: Figure, runs: Mapping[str, Records]) -> None:
    """Put every run's latest records on the figure, adding lines for new runs."""
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.lines}
    added = False
    # a run keeps the colour it was first drawn in, whatever its place among the runs
    colours = {gid.rsplit("/", 1)[0]: line.get_color() for gid, line in lines.items() if gid}
    for name, records in runs.items():
        if name not in colours:
            colours[name] = _COLOURS[len(colours) % len(_COLOURS)]
        colour = colours[name]
        for column, style in (("train_loss", "-"), ("val_loss", "--o")):
            gid = f"{name}/{column}"
            if gid not in lines:
                kind = "train_line" if column == "train_loss" else "val_line"
                label = say(f"widgets.render.{kind}", name=name)
                (lines[gid],) = ax.plot([], [], style, color=colour, label=label, gid=gid,
                                        markersize=4)  # fmt: skip
                added = True
            lines[gid].set_data(*_column(records, column))
    if added:
        ax.legend(loc="upper right", prop={"size": 8, "family": font_family()})
    ax.relim()
    ax.autoscale_view()


def curve_data(fig: Figure) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each line's (steps, losses), by gid "name/train_loss" or "name/val_loss"."""
    return {line.get_gid(): (line.get_xdata(), line.get_ydata()) for line in line_list(fig)}


def line_list(fig: Figure) -> list:
    return [line for line in fig.axes[0].lines if line.get_gid()]
