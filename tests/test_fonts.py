"""The Chinese font shipped in llmlab/fonts: what it covers, its licence, how it is rebuilt."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from llmlab import fonts
from llmlab.data import load_tang_poems, load_text


@pytest.fixture(scope="module")
def cmap() -> set[int]:
    return set(TTFont(fonts.FONT, lazy=True).getBestCmap())


def _missing(chars: set[str], cmap: set[int]) -> list[str]:
    return sorted(ch for ch in chars if ord(ch) not in cmap)


def test_the_shipped_font_covers_every_character_of_the_shakespeare_corpus(cmap):
    missing = _missing(fonts.drawn(load_text("shakespeare")), cmap)
    assert not missing, f"the shipped font lacks {len(missing)} Shakespeare characters: {missing}"


def test_the_shipped_font_covers_every_character_of_the_tang_poems(cmap):
    chars = fonts.drawn(load_text("tang"))
    assert len(chars) > 5000, f"expected thousands of distinct characters, got {len(chars)}"
    missing = _missing(chars, cmap)
    assert not missing, f"the shipped font lacks {len(missing)} Tang characters: {missing[:40]}"


def test_the_only_title_or_author_characters_missing_are_rare_ones_noto_does_not_have(cmap):
    # A few names use CJK Extension B characters (beyond U+FFFF) that Noto Sans CJK SC itself
    # lacks; everything else in the titles and authors must be there.
    poems = load_tang_poems()
    missing = _missing(fonts.drawn("".join(p.title + p.author for p in poems)), cmap)
    assert all(ord(ch) > 0xFFFF for ch in missing), f"common characters are missing: {missing}"
    assert len(missing) <= 11, f"expected at most the 11 known rare characters, got {missing}"


def test_the_shipped_font_covers_all_of_gb2312_and_the_cjk_punctuation(cmap):
    gb2312 = fonts.gb2312()
    assert len(gb2312) == 7445, f"GB2312 has 7,445 characters (6,763 汉字), got {len(gb2312)}"
    missing = _missing(fonts.drawn("".join(gb2312 | fonts.cjk_punctuation())), cmap)
    assert not missing, f"the shipped font lacks {len(missing)} characters: {missing[:40]}"


def test_the_shipped_font_is_a_few_megabytes_and_has_its_own_family_name():
    size = fonts.FONT.stat().st_size
    assert 1e6 < size < 5e6, f"expected a subset of a few MB, got {size / 1e6:.2f} MB"
    name = TTFont(fonts.FONT, lazy=True)["name"]
    assert name.getDebugName(1) == fonts.FAMILY, "matplotlib finds the font by this family name"


def test_the_licence_ships_beside_the_font_with_the_ofl_text_and_the_font_copyright():
    licence = fonts.LICENSE.read_text(encoding="utf-8")
    copyright_line = TTFont(fonts.FONT, lazy=True)["name"].getDebugName(0)
    assert copyright_line in licence, "the OFL requires the font's copyright notice"
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "PERMISSION & CONDITIONS" in licence
    assert "\n ." not in licence, "Debian's copyright-file indentation must be undone"


def test_drawn_keeps_what_a_picture_draws_and_drops_whitespace_and_control_characters():
    assert fonts.drawn("床前\n明月 光\t。") == set("床前明月光。")


SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.mark.skipif(not SOURCE.exists(), reason="needs Debian's fonts-noto-cjk")
def test_the_builder_gives_the_same_bytes_twice_and_renames_the_family(tmp_path):
    from llmlab.fonts.build import subset

    digests = []
    for attempt in range(2):
        font = subset(SOURCE, set("床前明月光，。abc"))
        path = tmp_path / f"subset{attempt}.otf"
        font.save(path)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1], "the same source must give byte-identical subsets"
    again = TTFont(tmp_path / "subset0.otf")
    assert set(map(ord, "床前明月光，。")) <= set(again.getBestCmap())
    assert again["name"].getDebugName(1) == fonts.FAMILY


def test_the_builder_reads_the_ofl_text_out_of_debians_copyright_format(tmp_path):
    from llmlab.fonts.build import licence_text

    debian = tmp_path / "copyright"
    debian.write_text(
        "Files: *\nCopyright: 2014, Adobe\nLicense: SIL-1.1\n\n"
        "License: SIL-1.1\n SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n .\n PREAMBLE\n",
        encoding="utf-8",
    )
    text = licence_text(TTFont(fonts.FONT, lazy=True), debian)
    assert "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n\nPREAMBLE\n" in text
    plain = tmp_path / "plain.txt"
    plain.write_text("some other licence\n", encoding="utf-8")
    with pytest.raises(ValueError, match="does not hold the SIL Open Font License"):
        licence_text(TTFont(fonts.FONT, lazy=True), plain)
