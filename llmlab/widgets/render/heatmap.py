"""Attention weights as a heatmap, with the causal mask drawn as a hatched grey triangle."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from llmlab.i18n import say
from llmlab.widgets.render.labels import font_family, plot_label


def _masked(weights: np.ndarray) -> np.ma.MaskedArray:
    T = weights.shape[0]
    future = np.triu(np.ones((T, T), bool), k=1)  # s > t: hidden by the causal mask
    return np.ma.masked_array(weights, mask=future)


def _future_corners(T: int) -> list[tuple[float, float]]:
    return [(-0.5, -0.5), (T - 0.5, -0.5), (T - 0.5, T - 0.5)]


def attention_figure(weights: np.ndarray, labels: Sequence[str], title: str = "") -> Figure:
    """Heatmap of one head's weights: row t = the token looking, column s = the token seen.

    Shapes: weights (T, T), rows summing to 1; labels (T,). Cells above the diagonal (the
    future) are masked: grey and hatched, whatever their value. Update with `update_attention`
    (also for a new text of another length: the figure is reused, not redrawn from scratch).

    Example: attention_figure(np.tril(np.ones((3, 3))) / [[1], [2], [3]], ["a", "b", "c"])
    """
    fig = Figure(figsize=(6.4, 5.4))
    ax = fig.add_axes((0.16, 0.2, 0.66, 0.72))
    colorbar_ax = fig.add_axes((0.86, 0.2, 0.03, 0.72))
    cmap = colormaps["Blues"].with_extremes(bad="#d9d9d9")
    image = ax.imshow(np.zeros((1, 1)), cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.add_patch(
        Polygon(_future_corners(1), closed=True, fill=False, hatch="//", edgecolor="#999", lw=0)
    )
    family = font_family()
    ax.set_xlabel(say("widgets.render.key_axis"), fontfamily=family)
    ax.set_ylabel(say("widgets.render.query_axis"), fontfamily=family)
    colorbar = fig.colorbar(image, cax=colorbar_ax)
    colorbar.set_label(say("widgets.render.attention_weight"), fontfamily=family)
    update_attention(fig, weights, title=title, labels=labels)
    return fig


def update_attention(
    fig: Figure,
    weights: np.ndarray,
    title: str | None = None,
    labels: Sequence[str] | None = None,
) -> None:
    """Show new weights in a figure from `attention_figure`; pass labels when T changes."""
    ax = fig.axes[0]
    image = ax.images[0]
    weights = np.asarray(weights, dtype=float)
    T = weights.shape[0]
    if weights.shape != (T, T) or (labels is not None and len(labels) != T):
        n = "?" if labels is None else len(labels)
        raise ValueError(f"weights must have shape (T, T) for T = {n} labels, got {weights.shape}")
    if labels is None and weights.shape != image.get_array().shape:
        raise ValueError(f"weights changed shape to {weights.shape}: pass the new labels too")
    image.set_data(_masked(weights))
    if labels is not None:
        image.set_extent((-0.5, T - 0.5, T - 0.5, -0.5))
        ax.patches[0].set_xy(_future_corners(T))
        names = [plot_label(s) for s in labels]
        size = 8 if T <= 32 else 6
        family = font_family()
        ax.set_xticks(range(T), names, rotation=90, fontsize=size, fontfamily=family)
        ax.set_yticks(range(T), names, fontsize=size, fontfamily=family)
        ax.set_xlim(-0.5, T - 0.5)
        ax.set_ylim(T - 0.5, -0.5)
    if title is not None:
        ax.set_title(title, fontsize=10, fontfamily=font_family())


def shown_weights(fig: Figure) -> np.ma.MaskedArray:
    """The masked weights a figure shows (for tests and checks)."""
    return fig.axes[0].images[0].get_array()
