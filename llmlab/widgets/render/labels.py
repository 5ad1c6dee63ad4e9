"""Token labels that matplotlib can draw, Chinese included, with no font installed.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: 床 would be an empty box and a
"Glyph missing" warning. llmlab ships a Chinese font (`llmlab.fonts`, a subset of Noto Sans CJK
SC). Renderers pass `fontfamily=font_family()` to every text that may hold tokens: the default
family first, then the shipped font, then an installed Chinese font if there is one. matplotlib
(3.6 and later) takes each glyph from the first font in that list that has it, so Latin text
looks as before and 汉字 come from the shipped font.

What changes globally: the first call adds the shipped font to matplotlib's font list
(`font_manager.fontManager.addfont`), once. rcParams are left alone, so a learner's own plots
keep matplotlib's defaults.

A character no font can draw is written as its code point (U+XXXX) by `plot_label`, with one
warning saying how to install a font that has it.
"""

from __future__ import annotations

import functools
import warnings

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from llmlab import fonts

_PROBE = "的床月"  # common Chinese characters every Chinese font has
_warned = False  # the "no font has this character" warning is given once per session


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
def shipped_family() -> str:
    """Register llmlab's Chinese font with matplotlib (the first call only); return its family."""
    font_manager.fontManager.addfont(str(fonts.FONT))
    return fonts.FAMILY


@functools.cache
def system_cjk_family() -> str | None:
    """The family name of an installed font that can draw Chinese, or None when there is none."""
    for entry in font_manager.fontManager.ttflist:
        if entry.fname == str(fonts.FONT):
            continue
        if "lastresort" in entry.fname.lower().replace(" ", ""):
            continue  # draws a placeholder box for every code point
        if all(ord(ch) in _charmap(entry.fname) for ch in _PROBE):
            return entry.name
    return None


def font_family() -> list[str]:
    """The families to pass as `fontfamily=` for text holding tokens, in fallback order.

    Example: font_family() -> ['sans-serif', 'Noto Sans CJK SC llmlab'] (plus an installed
    Chinese font's family when there is one).
    """
    family = mpl.rcParams["font.family"]
    families = [family] if isinstance(family, str) else list(family)
    extra = [shipped_family(), system_cjk_family()]
    return families + [name for name in extra if name is not None and name not in families]


def _drawable(ch: str) -> bool:
    if ord(ch) in _charmap(_default_font_path()) or ord(ch) in _charmap(str(fonts.FONT)):
        return True
    system = system_cjk_family()
    if system is None:
        return False
    path = font_manager.findfont(font_manager.FontProperties(family=system))
    return ord(ch) in _charmap(path)


def _warn_undrawable(ch: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f"no font here can draw {ch!r} (U+{ord(ch):04X}), so pictures show it as its code "
            "point. Install a font that has it (Debian/Ubuntu: apt-get install fonts-noto-cjk) "
            "and restart the kernel. This warning is shown once.",
            stacklevel=3,
        )


def plot_label(text: str) -> str:
    """A label matplotlib can draw: spaces as ␣, control characters escaped, undrawable as U+XXXX.

    Draw it with `fontfamily=font_family()` so that Chinese characters find their font.

    Example: plot_label("a b\\n") -> 'a␣b\\\\n'; plot_label("床") -> '床' (the shipped font has
    it); plot_label("\\U0001F600") -> 'U+1F600' with a warning when no installed font has 😀.
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
            _warn_undrawable(ch)
            out.append(f"U+{ord(ch):04X}")
    return "".join(out) if out else "''"
