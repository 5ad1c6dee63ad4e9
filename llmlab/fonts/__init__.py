"""The Chinese font shipped with llmlab, so pictures draw 汉字 with no system font installed.

`FONT` is a subset of Noto Sans CJK SC Regular (SIL Open Font License 1.1, see `LICENSE`):
every character of the two course corpora, all of GB2312 and the CJK punctuation, 8,324
characters in 3.3 MB. (Eleven rare CJK Extension B characters in Tang titles and authors' names
are not in Noto Sans CJK SC at all.) `python -m llmlab.fonts.build` makes it again from Debian's
fonts-noto-cjk. Registering it with matplotlib is the renderers' job
(`llmlab.widgets.render.labels`); this package only says where the files are and which
characters the font must hold.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = HERE / "NotoSansCJKsc-Regular-subset.otf"
LICENSE = HERE / "LICENSE-OFL.txt"
SOURCE_FAMILY = "Noto Sans CJK SC"  # the face taken from the Noto Sans CJK collection
# the subset's own family name, so matplotlib never confuses it with an installed full font
FAMILY = "Noto Sans CJK SC llmlab"


def drawn(text: str) -> set[str]:
    """The characters of `text` a picture would draw: no whitespace or control characters.

    Example: drawn("床前\\n明月 光") -> {'床', '前', '明', '月', '光'}
    """
    return {ch for ch in text if ch.isprintable() and not ch.isspace()}


def gb2312() -> set[str]:
    """Every character of the GB2312 standard (6,763 汉字 plus symbols and full-width forms).

    A GB2312 character is two bytes, each in 0xA1..0xFE; Python's codec says which pairs exist.
    """
    found = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                found.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def cjk_punctuation() -> set[str]:
    """CJK symbols and punctuation (U+3000..U+303F) and full-width forms (U+FF01..U+FF5E)."""
    return {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}


def wanted(corpora: list[str]) -> set[str]:
    """The characters the shipped font must hold: the corpora's, GB2312's and CJK punctuation."""
    chars = gb2312() | cjk_punctuation()
    for text in corpora:
        chars |= drawn(text)
    return drawn("".join(sorted(chars)))
