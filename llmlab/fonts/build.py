"""Make the shipped Chinese font again: a subset of Noto Sans CJK SC Regular.

    python -m llmlab.fonts.build            # from Debian's fonts-noto-cjk (apt-get install)
    python -m llmlab.fonts.build --source NotoSansCJKsc-Regular.otf --copyright copyright.txt

The subset keeps every character of the course corpora (llmlab/data), all of GB2312 and the
CJK punctuation; Latin text is left to matplotlib's default font. The same source font gives
the same bytes every time: the timestamp is the source's own, not the time of the build.
Writes `llmlab/fonts/NotoSansCJKsc-Regular-subset.otf` and `LICENSE-OFL.txt` beside it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from llmlab.fonts import FAMILY, FONT, LICENSE, SOURCE_FAMILY, wanted

DEBIAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")


def corpora() -> list[str]:
    """The raw text of every corpus file shipped in llmlab/data (poems, titles and authors)."""
    from llmlab.data import CORPORA

    data = Path(__file__).resolve().parent.parent / "data"
    return [(data / name).read_text(encoding="utf-8") for name in CORPORA.values()]


def open_source_font(path: Path):
    """The Noto Sans CJK SC face of `path`: an .otf, or the face of that name in a .ttc."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() != ".ttc":
        return TTFont(path, recalcTimestamp=False)
    faces = TTCollection(path, recalcTimestamp=False).fonts
    for face in faces:
        if face["name"].getDebugName(1) == SOURCE_FAMILY:
            return face
    names = [face["name"].getDebugName(1) for face in faces]
    raise ValueError(f"{path} has no {SOURCE_FAMILY!r} face; it has {names}")


def subset(path: Path, chars: set[str]):
    """A TTFont with only the glyphs of `chars` (vertical and hinting data dropped)."""
    from fontTools import subset as ft_subset

    font = open_source_font(path)
    options = ft_subset.Options()
    options.name_IDs = ["*"]  # keep the copyright, licence and version strings
    options.hinting = False  # matplotlib draws unhinted CFF fine; hints are a third of the size
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]  # vertical writing: not drawn
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(map(ord, chars)))
    subsetter.subset(font)
    font.recalcTimestamp = False  # keep head.modified from the source: reproducible bytes
    rename(font)
    return font


def rename(font) -> None:
    """Give the subset its own family name (`FAMILY`): with the source's name, matplotlib could
    pick an installed full Noto Sans CJK SC instead, or ours instead of it, at random."""
    name = font["name"]
    postscript = FAMILY.replace(" ", "")
    for name_id, value in ((1, FAMILY), (3, f"{postscript}-Regular"), (4, FAMILY),
                           (6, f"{postscript}-Regular")):  # fmt: skip
        name.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English: as the source
    for name_id in (16, 17):  # typographic family/subfamily would override ID 1
        name.removeNames(nameID=name_id)
    font["CFF "].cff.fontNames = [f"{postscript}-Regular"]


def licence_text(font, copyright_file: Path) -> str:
    """The font's copyright line followed by the SIL Open Font License text of `copyright_file`.

    `copyright_file` is Debian's machine-readable copyright (the licence after "License:
    SIL-1.1", one space of indent, "." for blank lines) or a plain OFL text.
    """
    text = copyright_file.read_text(encoding="utf-8")
    marker = "\nLicense: SIL-1.1\n"
    if marker in text:  # Debian format: the last such paragraph holds the full text
        body = text.rsplit(marker, 1)[1].split("\n\n", 1)[0]
        lines = [line[1:] if line.startswith(" ") else line for line in body.splitlines()]
        text = "\n".join("" if line == "." else line for line in lines) + "\n"
    if "SIL OPEN FONT LICENSE Version 1.1" not in text:
        raise ValueError(f"{copyright_file} does not hold the SIL Open Font License 1.1 text")
    name = font["name"]
    notice = name.getDebugName(0)
    version = name.getDebugName(5)
    return (
        f"{FONT.name} ({FAMILY}): a subset of {SOURCE_FAMILY} Regular\n({version}), "
        f"made by llmlab/fonts/build.py from https://github.com/notofonts/noto-cjk.\n\n"
        f"{notice}\n\nThis Font Software is licensed under the SIL Open Font License, "
        f"Version 1.1.\n\n{text}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEBIAN_FONT, help="Noto Sans CJK .ttc/.otf")
    parser.add_argument("--copyright", type=Path, default=DEBIAN_COPYRIGHT, help="its OFL text")
    parser.add_argument("--out", type=Path, default=FONT, help="where to write the subset")
    args = parser.parse_args(argv)
    for path in (args.source, args.copyright):
        if not path.exists():
            hint = "apt-get install fonts-noto-cjk, or pass its path"
            print(f"{path} not found: {hint}", file=sys.stderr)
            return 1
    chars = wanted(corpora())
    font = subset(args.source, chars)
    font.save(args.out)
    licence = args.out.parent / LICENSE.name
    licence.write_text(licence_text(font, args.copyright), encoding="utf-8")
    size = args.out.stat().st_size
    covered = {ch for ch in chars if ord(ch) in font.getBestCmap()}
    print(f"{args.out}: {len(covered):,} characters, {size / 1e6:.2f} MB; licence in {licence}")
    if covered != chars:  # a few rare names in the Tang titles (CJK Extension B)
        lacking = "".join(sorted(chars - covered))
        print(f"the source font lacks {len(chars) - len(covered)} of them: {lacking}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
