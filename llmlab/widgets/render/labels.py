"""Token labels that matplotlib can actually draw.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: 床 would show as an empty box
and print a warning. `plot_label` keeps characters some installed font can draw and writes the
others as code points (床 -> U+5E8A). `cjk_font()` finds an installed font with Chinese glyphs,
if there is one (`fc-list :lang=zh` lists them), so labels can use it.
"""

from __future__ import annotations

import functools

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

_PROBE = "的床月"  # common Chinese characters a CJK font must have


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


@functools.cache
def _default_font_path() -> str:
    return font_manager.findfont(font_manager.FontProperties(), fallback_to_default=True)


@functools.cache
def cjk_font() -> font_manager.FontProperties | None:
    """FontProperties of an installed font that can draw Chinese, or None when there is none."""
    for entry in font_manager.fontManager.ttflist:
        if "lastresort" in entry.fname.lower().replace(
            " ", ""
        ):  # draws a placeholder box for every code point
            continue
        if all(ord(ch) in _charmap(entry.fname) for ch in _PROBE):
            return font_manager.FontProperties(fname=entry.fname)
    return None


def _drawable(ch: str) -> bool:
    if ord(ch) in _charmap(_default_font_path()):
        return True
    font = cjk_font()
    return font is not None and ord(ch) in _charmap(font.get_file())


def plot_label(text: str) -> str:
    """A label matplotlib can draw: spaces as ␣, control characters escaped, undrawable as U+XXXX.

    Example: plot_label("a b\\n") -> 'a␣b\\\\n'; plot_label("床") -> 'U+5E8A' when no CJK font
    is installed, '床' when one is.
    """
    out = []
    for ch in text:
        if ch == " ":
            out.append("␣")
        elif ch == "$":
            out.append(r"\$")  # not mathtext
        elif not ch.isprintable():
            out.append(repr(ch)[1:-1])
        elif _drawable(ch):
            out.append(ch)
        else:
            out.append(f"U+{ord(ch):04X}")
    return "".join(out) if out else "''"


def label_font() -> font_manager.FontProperties | None:
    """The font to pass as `fontproperties` for token labels (a CJK font if one exists)."""
    return cjk_font()
