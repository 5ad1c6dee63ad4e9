"""Token boundaries as coloured HTML: every token a coloured box with its id underneath.

HTML rather than matplotlib: the boxes flow like text and wrap at the page's width, and the
browser (or GitHub showing a saved notebook) draws the characters with its own fonts. These
renderers return strings; a widget puts them in an `ipywidgets.HTML`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

_PALETTE = ("#ffd8a8", "#b2f2bb", "#a5d8ff", "#fcc2d7", "#d0bfff", "#ffec99", "#c3fae8")


def visible(text: str) -> str:
    """Make whitespace visible inside a token box: space ␣, newline ↵, tab →.

    Example: visible("a b\\n") -> 'a␣b↵'
    """
    return text.replace(" ", "␣").replace("\n", "↵").replace("\t", "→")


def token_boxes_html(
    pieces: Sequence[str], ids: Sequence[int], groups: Sequence[int] | None = None
) -> str:
    """One coloured box per token: its text (escaped) on top, its id below.

    Shapes: pieces (N,), ids (N,), groups (N,) optional colour group per token (default: each
    token its own colour, cycling). Bytes of one character can share a group, for example.

    Example: token_boxes_html(["he", "llo"], [256, 257]) -> two boxes labelled 256 and 257.
    """
    if len(pieces) != len(ids):
        raise ValueError(f"need one id per piece, got {len(pieces)} pieces and {len(ids)} ids")
    groups = range(len(pieces)) if groups is None else groups
    boxes = []
    for piece, token_id, group in zip(pieces, ids, groups):
        colour = _PALETTE[group % len(_PALETTE)]
        boxes.append(
            f'<span style="display:inline-block;background:{colour};margin:1px;padding:0 2px;'
            f'border-radius:3px;text-align:center;font-family:monospace,monospace">'
            f'<span style="white-space:pre">{html.escape(visible(piece))}</span><br>'
            f'<span style="font-size:9px;color:#444">{token_id}</span></span>'
        )
    return f'<div style="line-height:1.1;word-break:break-all">{"".join(boxes)}</div>'


def labelled_rows_html(rows: Sequence[tuple[str, str]]) -> str:
    """Stack (title, html) rows, each title in bold above its content."""
    return "".join(
        f'<div style="margin:4px 0"><b>{html.escape(title)}</b>{body}</div>' for title, body in rows
    )
