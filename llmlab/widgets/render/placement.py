"""Where to put labels beside points so that they do not sit on each other.

Nearest neighbours are close on a map by design, so labels written at a fixed offset pile up.
`place_labels` tries offsets around each point, nearest first, and keeps the first where the
label's box touches no box already placed and no marked point: a greedy search, good enough for
the ten or so labels of a neighbour map. Everything is in points (1/72 inch), y upwards.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

_DIRECTIONS = ((1, 1), (1, 0), (0, 1), (-1, 1), (-1, 0), (1, -1), (0, -1), (-1, -1))
_RADII = (6.0, 12.0, 22.0, 34.0, 48.0)  # the first clears the point's own marker
_MARK_RADIUS = 5.0  # half the size of a marker: a label must not cover another point


def label_size(text: str, fontsize: float) -> tuple[float, float]:
    """Approximate (width, height) in points of `text` drawn at `fontsize`.

    Wide characters (汉字, full-width punctuation) take a full em, others about 0.65 em.

    Example: label_size("东西", 10) -> (20.0, 12.0); label_size("ab", 10) -> (13.0, 12.0)
    """
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.65 for ch in text)
    return ems * fontsize, 1.2 * fontsize


def _box(anchor: np.ndarray, offset: tuple[float, float], size: tuple[float, float]) -> np.ndarray:
    """(x0, y0, x1, y1) of a label whose near corner (or edge middle) is at anchor + offset."""
    (dx, dy), (w, h) = offset, size
    x = anchor[0] + dx - (w if dx < 0 else w / 2 if dx == 0 else 0)
    y = anchor[1] + dy - (h if dy < 0 else h / 2 if dy == 0 else 0)
    return np.array([x, y, x + w, y + h])


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0.0) * max(height, 0.0)


def place_labels(
    anchors: np.ndarray, sizes: Sequence[tuple[float, float]], bounds: Sequence[float]
) -> list[tuple[float, float]]:
    """An offset (dx, dy) in points for each label, so that labels overlap as little as possible.

    Shapes: anchors (N, 2) points in points; sizes (N,) of (width, height); bounds (x0, y0, x1,
    y1), the area labels must stay in. Labels are placed in order: put the most important first.
    The box grows away from its point: dx > 0 puts the label's left edge at anchor + dx.

    Example: place_labels(np.zeros((2, 2)), [(10, 10), (10, 10)], (-99, -99, 99, 99))
    -> [(6.0, 0.0), (0.0, 6.0)]: right of the point, then above it, clear of the first.
    """
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    if len(sizes) != len(anchors):
        raise ValueError(f"need one size per anchor ({len(anchors)}), got {len(sizes)}")
    marks = [
        np.array([x - _MARK_RADIUS, y - _MARK_RADIUS, x + _MARK_RADIUS, y + _MARK_RADIUS])
        for x, y in anchors
    ]
    placed: list[np.ndarray] = []
    offsets = []
    for i, (anchor, size) in enumerate(zip(anchors, sizes)):
        best, best_cost = None, np.inf
        for radius in _RADII:
            for ux, uy in _DIRECTIONS:
                norm = np.hypot(ux, uy)
                offset = (round(float(radius * ux / norm), 2), round(float(radius * uy / norm), 2))
                box = _box(anchor, offset, size)
                others = placed + [m for j, m in enumerate(marks) if j != i]
                cost = sum(_overlap(box, other) for other in others)
                area = (box[2] - box[0]) * (box[3] - box[1])
                inside = _overlap(box, np.asarray(bounds, dtype=float))
                cost += 10 * (area - inside)  # leaving the axes is worse than touching a label
                cost += radius * 1e-3  # of equal boxes, the nearest
                if cost < best_cost:
                    best, best_cost = offset, cost
            if best_cost < 1.0:  # nothing touched: no need to look further out
                break
        placed.append(_box(anchor, best, size))
        offsets.append(best)
    return offsets
