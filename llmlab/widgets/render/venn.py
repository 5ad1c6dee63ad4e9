"""A two-set Venn diagram with a count in each of the four regions."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from llmlab.widgets.render.labels import font_family

_REGIONS = ("only_a", "only_b", "both", "neither")


def venn_figure(
    only_a: int, only_b: int, both: int, neither: int, names: tuple[str, str] = ("A", "B")
) -> Figure:
    """Draw sets A and B inside a box of everyone, each region labelled with its count.

    Update in place with `update_venn(fig, ...)`; the texts carry gids "only_a", "only_b",
    "both", "neither".

    Example: venn_figure(4, 5, 3, 2, ("tennis", "football")) -> the 14-people example.
    """
    fig = Figure(figsize=(4.2, 2.8))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(Rectangle((0.2, 0.2), 9.6, 6.1, fill=False, lw=1.2, color="#444"))
    ax.add_patch(Circle((3.9, 3.1), 2.3, alpha=0.35, color="#1f77b4"))
    ax.add_patch(Circle((6.1, 3.1), 2.3, alpha=0.35, color="#ff7f0e"))
    family = font_family()  # set names may be Chinese (网球, 足球)
    ax.text(2.2, 5.7, names[0], ha="center", fontsize=11, color="#1f4e79", fontfamily=family)
    ax.text(7.8, 5.7, names[1], ha="center", fontsize=11, color="#a64d00", fontfamily=family)
    places = {"only_a": (2.8, 3.1), "only_b": (7.2, 3.1), "both": (5.0, 3.1), "neither": (9.0, 0.7)}
    for name, (x, y) in places.items():
        ax.text(x, y, "", ha="center", va="center", fontsize=16, gid=name)
    update_venn(fig, only_a, only_b, both, neither)
    return fig


def update_venn(fig: Figure, only_a: int, only_b: int, both: int, neither: int) -> None:
    """Change the four counts shown by a figure from `venn_figure`."""
    values = dict(zip(_REGIONS, (only_a, only_b, both, neither)))
    for text in fig.axes[0].texts:
        if text.get_gid() in values:
            text.set_text(str(values[text.get_gid()]))


def venn_counts(fig: Figure) -> dict[str, int]:
    """Read the four counts back from the figure (for tests and checks)."""
    return {t.get_gid(): int(t.get_text()) for t in fig.axes[0].texts if t.get_gid() in _REGIONS}
