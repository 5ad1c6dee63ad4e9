"""Bar charts of distributions over tokens: one or more series side by side.

Draw once with `bars_figure`, then change only the bar heights with `update_bars` — much
faster than drawing a new chart at every slider step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.widgets.render.labels import font_family, plot_label

_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")


def bars_figure(
    labels: Sequence[str],
    series: Mapping[str, np.ndarray],
    *,
    title: str = "",
    ylabel: str | None = None,
    ylim: float | None = 1.0,
    figsize: tuple[float, float] = (6.0, 3.0),
    words: bool = False,
) -> Figure:
    """Grouped bars: one group per label, one coloured bar per series.

    Shapes: labels (V,); each series (V,). ylabel None: "probability" in the learner's
    language (`llmlab.set_language`). ylim None lets the y axis follow the data. Labels
    are tokens (spaces shown as ␣, see `plot_label`) unless words=True (plain text).

    Example: bars_figure(["a", "b"], {"p": np.array([0.25, 0.75])}) -> 2 bars.
    """
    names = list(series)
    if not names:
        raise ValueError("bars_figure needs at least one series, got none")
    n = len(labels)
    for name in names:
        if np.shape(series[name]) != (n,):
            raise ValueError(
                f"series {name!r} must have one value per label, shape ({n},), "
                f"got {np.shape(series[name])}"
            )
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / len(names)
    x = np.arange(n)
    for i, name in enumerate(names):
        ax.bar(
            x + (i - (len(names) - 1) / 2) * width,
            np.asarray(series[name], dtype=float),
            width,
            label=name,
            color=_COLOURS[i % len(_COLOURS)],
        )
    shown = list(labels) if words else [plot_label(s) for s in labels]
    ax.set_xticks(x, shown, fontfamily=font_family())
    if n > 12 and max(len(plot_label(s)) for s in labels) > 2:
        ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    family = font_family()
    ax.set_ylabel(say("widgets.render.probability") if ylabel is None else ylabel,
                  fontfamily=family)  # fmt: skip
    if ylim is not None:
        ax.set_ylim(0, ylim)
    if len(names) > 1:
        ax.legend(loc="upper right", prop={"size": 8, "family": family})
    ax.set_title(title, fontsize=10, fontfamily=family)
    return fig


def update_bars(
    fig: Figure,
    series: Mapping[str, np.ndarray],
    *,
    title: str | None = None,
    labels: Sequence[str] | None = None,
) -> None:
    """Set new heights (and optionally the title and the labels) on a `bars_figure`.

    Series are matched by name; the set of names and the number of bars must not change.
    """
    ax = fig.axes[0]
    if labels is not None:
        shown = [plot_label(s) for s in labels]
        ax.set_xticks(ax.get_xticks(), shown, fontfamily=font_family())
    containers = {c.get_label(): c for c in ax.containers}
    for name, values in series.items():
        bars = containers[name]
        values = np.asarray(values, dtype=float)
        if values.shape != (len(bars),):
            raise ValueError(f"series {name!r} needs shape ({len(bars)},), got {values.shape}")
        for bar, height in zip(bars, values):
            bar.set_height(height)
    if ax.get_autoscaley_on():  # ylim=None: follow the data
        ax.relim()
        ax.autoscale_view()
    if title is not None:
        ax.set_title(title, fontsize=10, fontfamily=font_family())


def bar_heights(fig: Figure) -> dict[str, np.ndarray]:
    """The heights of every series in a bars figure, by name (for tests and checks)."""
    return {
        c.get_label(): np.array([bar.get_height() for bar in c]) for c in fig.axes[0].containers
    }
