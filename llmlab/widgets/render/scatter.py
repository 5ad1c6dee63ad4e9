"""Token embeddings in 2-D: every token a dot, one token and its nearest neighbours marked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from llmlab.i18n import say
from llmlab.widgets.render.labels import font_family, plot_label
from llmlab.widgets.render.placement import label_size, place_labels

# points: the labels of the chosen token and its neighbours (not bold: the shipped Chinese
# font has one weight, and matplotlib would log a warning for every bold label)
_MARK_SIZE = 12


def pca_2d(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project rows onto their two main directions (PCA via SVD of the centred matrix).

    Shapes: vectors (V, C) -> (coords (V, 2), explained (2,) fraction of variance each).

    Example: pca_2d(np.array([[0.0, 0], [2, 0], [4, 0]]))[0][:, 0] -> ±[-2, 0, 2]
    """
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError(f"need vectors of shape (V, C) with V >= 2, got {x.shape}")
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    vt = np.pad(vt, ((0, max(0, 2 - len(vt))), (0, 0)))[:2]  # C = 1: a zero second axis
    variance = s**2
    explained = np.pad(variance / max(variance.sum(), 1e-30), (0, 2))[:2]
    return x @ vt.T, explained


def cosine_neighbours(vectors: np.ndarray, index: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k rows most similar to row `index` by cosine similarity, itself excluded.

    Shapes: vectors (V, C) -> (ids (k,), similarities (k,)), most similar first.

    Example: cosine_neighbours(np.array([[1.0, 0], [2, 0.1], [0, 1]]), 0, 1) -> ([1], [0.9988])
    """
    x = np.asarray(vectors, dtype=np.float64)
    unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    sims = unit @ unit[index]
    sims[index] = -np.inf
    order = np.argsort(-sims, kind="stable")[: min(k, len(x) - 1)]
    return order, sims[order]


def embedding_figure(
    coords: np.ndarray, labels: Sequence[str], explained: np.ndarray, k: int
) -> Figure:
    """Scatter of all tokens (labelled when there are few), ready to mark one and k neighbours.

    Shapes: coords (V, 2), labels (V,), explained (2,). Mark with `mark_neighbours`.
    """
    coords = np.asarray(coords, dtype=float)
    fig = Figure(figsize=(6.0, 4.6))
    ax = fig.add_axes((0.15, 0.11, 0.82, 0.8))
    ax.scatter(coords[:, 0], coords[:, 1], s=8, color="#9e9e9e")
    family = font_family()
    if len(labels) <= 100:
        for (x, y), label in zip(coords, labels):
            ax.annotate(plot_label(label), (x, y), xytext=(2, 2), textcoords="offset points",
                        fontsize=7, color="#777", fontfamily=family)  # fmt: skip
    ax.scatter([], [], s=60, color="#ff7f0e", gid="neighbours", zorder=3)
    ax.scatter([], [], s=120, color="#d62728", marker="*", gid="chosen", zorder=4)
    for _ in range(k + 1):
        ax.annotate("", (0, 0), xytext=(5, 4), textcoords="offset points", fontsize=_MARK_SIZE,
                    gid="mark", fontfamily=family, zorder=5,
                    arrowprops={"arrowstyle": "-", "lw": 0.6, "color": "#999", "shrinkA": 1,
                                "shrinkB": 4})  # fmt: skip
    ax.set_xlabel(say("widgets.render.pca_1", share=explained[0]), fontfamily=family)
    ax.set_ylabel(say("widgets.render.pca_2", share=explained[1]), fontfamily=family)
    return fig


def mark_neighbours(
    fig: Figure, coords: np.ndarray, labels: Sequence[str], index: int, neighbours: np.ndarray
) -> None:
    """Star the chosen token, ring its neighbours and write their labels where they do not
    overlap (`place_labels`; a thin line joins a label pushed away to its point)."""
    ax = fig.axes[0]
    by_gid = {c.get_gid(): c for c in ax.collections}
    by_gid["chosen"].set_offsets(coords[[index]])
    by_gid["neighbours"].set_offsets(coords[neighbours].reshape(-1, 2))
    marks = [t for t in ax.texts if t.get_gid() == "mark"]
    ids = [index, *neighbours.tolist()]
    for text, i in zip(marks, ids + [None] * len(marks)):
        if i is None:
            text.set_text("")
            continue
        text.xy = tuple(coords[i])
        text.set_text(plot_label(labels[i]))
        text.set_color("#d62728" if i == index else "#b35900")
    _spread(ax, [t for t in marks if t.get_text()])
    title = say(
        "widgets.render.neighbours_title", token=plot_label(labels[index]), k=len(neighbours)
    )
    ax.set_title(title, fontsize=10, fontfamily=font_family())


def _spread(ax, marks: list) -> None:
    """Move the mark labels apart (in points, where their sizes are known)."""
    ax.get_xlim(), ax.get_ylim()  # let autoscaling settle the limits before measuring
    to_points = 72 / ax.figure.dpi
    anchors = ax.transData.transform([t.xy for t in marks]) * to_points
    sizes = [label_size(t.get_text(), _MARK_SIZE) for t in marks]
    bounds = np.asarray(ax.bbox.extents) * to_points
    for text, (dx, dy) in zip(marks, place_labels(anchors, sizes, bounds)):
        text.xyann = (dx, dy)
        text.arrow_patch.set_visible(np.hypot(dx, dy) > 7)  # a line only to a label moved away
        text.set_horizontalalignment("left" if dx > 0 else "right" if dx < 0 else "center")
        text.set_verticalalignment("bottom" if dy > 0 else "top" if dy < 0 else "center")
