"""The loss picture: -log p as a curve with the current point, beside the predicted bars."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.widgets.render.labels import font_family, plot_label


def loss_figure(labels: Sequence[str], probs: np.ndarray, target: int) -> Figure:
    """Left: loss = -ln p for p in (0, 1] and the point at the target's p. Right: the predicted
    distribution (bars) against the one-hot target (outlined bars).

    Shapes: labels (V,), probs (V,), target an index into them. Update with `update_loss`.

    Example: loss_figure(["a", "b"], np.array([0.25, 0.75]), 1) -> point at (0.75, 0.288)
    """
    probs = np.asarray(probs, dtype=float)
    if probs.shape != (len(labels),):
        raise ValueError(f"probs must have shape ({len(labels)},), got {probs.shape}")
    fig = Figure(figsize=(8.0, 3.0), layout="constrained")
    curve, bars = fig.subplots(1, 2, width_ratios=(1, 1.3))
    p = np.linspace(0.01, 1.0, 200)
    curve.plot(p, -np.log(p), color="#555")
    curve.plot([], [], "o", color="#d62728", markersize=8, gid="point")
    family = font_family()
    curve.set_xlabel(say("widgets.render.p_axis"), fontfamily=family)
    curve.set_ylabel("loss = −ln p")
    curve.set_xlim(0, 1.02)
    curve.set_ylim(0, 4.8)
    x = np.arange(len(labels))
    bars.bar(x, probs, 0.6, color="#1f77b4", label=say("widgets.render.predicted"))
    bars.bar(x, np.zeros(len(labels)), 0.6, fill=False, edgecolor="#d62728", lw=2,
             label=say("widgets.render.target"))  # fmt: skip
    bars.set_xticks(x, [plot_label(s) for s in labels], fontfamily=family)
    bars.set_ylim(0, 1.05)
    bars.legend(loc="upper right", prop={"size": 8, "family": family})
    update_loss(fig, probs, target)
    return fig


def update_loss(fig: Figure, probs: np.ndarray, target: int) -> None:
    """Move the point and the bars of a `loss_figure` to a new prediction and target."""
    curve, bars = fig.axes
    probs = np.asarray(probs, dtype=float)
    p = float(probs[target])
    (point,) = [line for line in curve.lines if line.get_gid() == "point"]
    loss = 0.0 - np.log(p)  # 0.0 - 0.0 is +0.0, where -log(1) would print as -0.000
    point.set_data([p], [loss])
    curve.set_title(f"p = {p:.2f} → loss = −ln {p:.2f} = {loss:.3f}", fontsize=10)
    predicted, one_hot = bars.containers
    for i, (bar, target_bar) in enumerate(zip(predicted, one_hot)):
        bar.set_height(probs[i])
        target_bar.set_height(1.0 if i == target else 0.0)
