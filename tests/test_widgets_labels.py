"""Renderers draw Chinese with the shipped font, Latin with the default one, labels apart.

The `colab` fixture hides every installed Chinese font from matplotlib, as on Colab, so these
tests prove the shipped font does the work.
"""

from __future__ import annotations

import itertools
import warnings

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import llmlab
from llmlab import fonts
from llmlab.widgets.render import labels
from llmlab.widgets.render.bars import bars_figure, update_bars
from llmlab.widgets.render.curves import curves_figure
from llmlab.widgets.render.heatmap import attention_figure
from llmlab.widgets.render.loss import loss_figure
from llmlab.widgets.render.placement import label_size, place_labels
from llmlab.widgets.render.scatter import embedding_figure, mark_neighbours
from llmlab.widgets.render.venn import venn_figure
from llmlab.widgets.temperature import temperature_explorer

POEM = "床前明月光，疑是地上霜。"


def _clear_caches() -> None:
    font_manager.fontManager._findfont_cached.cache_clear()
    labels.system_cjk_family.cache_clear()
    labels._default_font_path.cache_clear()


@pytest.fixture
def colab(monkeypatch):
    """matplotlib with no Chinese font installed, only the one llmlab ships."""
    labels.shipped_family()  # registered in the real font list, kept in the filtered one
    shipped = str(fonts.FONT)
    kept = [
        entry
        for entry in font_manager.fontManager.ttflist
        if entry.fname == shipped or ord("床") not in labels._charmap(entry.fname)
    ]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", kept)
    monkeypatch.setattr(labels, "_warned", False)
    _clear_caches()
    assert labels.system_cjk_family() is None, "the fixture must hide every system Chinese font"
    yield
    monkeypatch.undo()
    _clear_caches()


def _draw_strictly(fig) -> list[str]:
    """Draw `fig` with every warning an error (matplotlib warns "Glyph … missing from font");
    return the strings of all its texts."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(fig).draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _chinese_figures():
    chars = list(POEM)
    T = len(chars)
    weights = np.tril(np.ones((T, T))) / np.arange(1, T + 1)[:, None]
    probs = np.full(T, 1 / T)
    bars = bars_figure(chars, {"p": probs}, title="在 '床前' 之后")
    update_bars(bars, {"p": probs[::-1]}, title="下一个字", labels=chars[::-1])
    coords = np.stack([np.cos(np.arange(T)), np.sin(np.arange(T))], axis=1)
    scatter = embedding_figure(coords, chars, np.array([0.5, 0.3]), 4)
    mark_neighbours(scatter, coords, chars, 0, np.array([1, 2, 3, 4]))
    return {
        "bars": bars,
        "attention": attention_figure(weights, chars, title="注意力"),
        "loss": loss_figure(chars, probs, 3),
        "embedding map": scatter,
    }


def test_every_renderer_draws_chinese_characters_with_no_code_points_and_no_missing_glyphs(colab):
    for name, fig in _chinese_figures().items():
        texts = _draw_strictly(fig)
        shown = "".join(texts)
        assert "U+" not in shown, f"{name}: a Chinese character was drawn as a code point: {texts}"
        assert set("床前明月光") & set(shown), f"{name}: no Chinese character drawn: {texts}"


def test_the_embedding_map_title_names_the_chosen_character_itself(colab):
    fig = _chinese_figures()["embedding map"]
    assert fig.axes[0].get_title().startswith("床 and its 4 nearest neighbours")


def test_latin_labels_still_use_matplotlibs_default_font():
    fig = bars_figure(["a", "b"], {"p": np.array([0.5, 0.5])}, title="after 'th'")
    default = font_manager.findfont(font_manager.FontProperties())
    for text in [*fig.axes[0].get_xticklabels(), fig.axes[0].title]:
        family = text.get_fontfamily()
        assert family[: len(mpl.rcParams["font.family"])] == mpl.rcParams["font.family"], (
            f"the default family must come first, got {family}"
        )
        assert family.index(fonts.FAMILY) > 0, "the shipped font is only a fallback"
        found = font_manager.findfont(font_manager.FontProperties(family=family))
        assert found == default, f"Latin text must use {default}, got {found}"


def test_a_character_no_font_has_becomes_its_code_point_with_one_warning(colab):
    tangut = "\U00017000\U00017001"  # a script neither DejaVu Sans nor Noto Sans CJK covers
    with pytest.warns(UserWarning, match="fonts-noto-cjk") as caught:
        assert labels.plot_label(tangut[0]) == "U+17000"
        assert labels.plot_label(tangut[1] + "床") == "U+17001床"
    assert len(caught) == 1, f"the warning must come once, came {len(caught)} times"


def test_registering_the_shipped_font_leaves_rcparams_alone():
    before = {key: mpl.rcParams[key] for key in ("font.family", "font.sans-serif")}
    labels.font_family()
    assert {key: mpl.rcParams[key] for key in before} == before


# --- placement --------------------------------------------------------------------------------


def _boxes(anchors, offsets, sizes):
    from llmlab.widgets.render.placement import _box

    return [_box(a, o, s) for a, o, s in zip(np.asarray(anchors, float), offsets, sizes)]


def test_label_size_gives_wide_characters_a_full_em():
    assert label_size("东西", 10) == (20.0, 12.0)
    assert label_size("ab", 10) == (13.0, 12.0)


def test_place_labels_keeps_nine_crowded_labels_apart_when_there_is_room():
    rng = np.random.default_rng(0)
    anchors = 200 + rng.uniform(-3, 3, size=(9, 2))  # nine points within 6 points of each other
    sizes = [label_size(s, 12) for s in "东西南北中春秋月山"]
    offsets = place_labels(anchors, sizes, (0, 0, 400, 400))
    for (i, a), (j, b) in itertools.combinations(enumerate(_boxes(anchors, offsets, sizes)), 2):
        overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
        assert min(overlap) <= 0, f"labels {i} and {j} overlap: {a} and {b}"


def test_place_labels_rejects_a_size_list_of_the_wrong_length():
    with pytest.raises(ValueError, match="one size per anchor"):
        place_labels(np.zeros((2, 2)), [(1, 1)], (0, 0, 9, 9))


def test_marked_neighbours_on_the_embedding_map_do_not_cover_each_other(colab):
    chars = list("东西南北中春秋月山水")
    coords = np.array([[0, 0]] + [[0.01 * i, 0.005 * i] for i in range(1, 10)], float)
    coords = np.vstack([coords, [[1, 1], [-1, -1]]])  # the rest of the map, far away
    fig = embedding_figure(coords, [*chars, "a", "b"], np.array([0.5, 0.3]), 9)
    mark_neighbours(fig, coords, [*chars, "a", "b"], 0, np.arange(1, 10))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    marks = [t for t in fig.axes[0].texts if t.get_gid() == "mark" and t.get_text()]
    assert len(marks) == 10
    # Text's own extent: an Annotation's would include the line joining it to its point
    boxes = [Text.get_window_extent(t, canvas.get_renderer()) for t in marks]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), f"{marks[i].get_text()} and {marks[j].get_text()} overlap"


def test_chinese_axis_labels_titles_and_legends_draw_with_no_missing_glyphs(colab):
    """With set_language("zh") every renderer's own words (axis labels, legends, colour bar,
    titles) are Chinese and come from the shipped font."""
    llmlab.set_language("zh")
    try:
        records = [{"step": 10, "train_loss": 3.0, "val_loss": 3.2}]
        explorer = temperature_explorer()
        explorer.temperature.value = 0.7
        figures = {
            **_chinese_figures(),
            "curves": curves_figure({"第 1 次": records}),
            "venn": venn_figure(4, 5, 3, 2, ("网球", "足球")),
            "temperature explorer": explorer.figure,
        }
        for name, fig in figures.items():
            shown = "".join(_draw_strictly(fig))
            assert "U+" not in shown, f"{name}: a character was drawn as a code point: {shown}"
        words = {
            "bars": "概率",
            "attention": "注意力权重",
            "loss": "给正确词元的概率",
            "embedding map": "PCA 第 1 方向",
            "curves": "损失（每个词元的奈特数）",
            "venn": "网球",
            "temperature explorer": "熵",
        }
        for name, word in words.items():
            texts = "".join(_draw_strictly(figures[name]))
            assert word in texts, f"{name}: expected {word!r} among its texts, got {texts}"
    finally:
        llmlab.set_language("en")
