"""Widgets driven headlessly: set slider values, read back the numbers and the figure data.

Covers the Panel machinery (messages, errors, static fallback), the renderers, the Venn
explorer and the temperature explorer.
"""

from __future__ import annotations

import base64
import json
from fractions import Fraction

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from llmlab.sampling import entropy, probabilities
from llmlab.widgets.loss import loss_explorer
from llmlab.widgets.model_view import param_calculator
from llmlab.widgets.panel import BadInput, Panel, figure_png
from llmlab.widgets.render.bars import bar_heights, bars_figure, update_bars
from llmlab.widgets.render.labels import plot_label
from llmlab.widgets.render.venn import venn_counts, venn_figure
from llmlab.widgets.temperature import BOY_PROBS, BOY_WORDS, explore, temperature_explorer
from llmlab.widgets.tokens import merge_stepper
from llmlab.widgets.training import training_dashboard
from llmlab.widgets.venn import venn_explorer

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- renderers -------------------------------------------------------------------------------


def test_bars_figure_holds_the_given_heights_and_update_changes_them():
    fig = bars_figure(["a", "b", "c"], {"p": np.array([0.2, 0.3, 0.5]), "q": np.zeros(3)})
    np.testing.assert_allclose(bar_heights(fig)["p"], [0.2, 0.3, 0.5])
    update_bars(fig, {"q": np.array([1.0, 0.0, 0.0])}, title="new")
    np.testing.assert_allclose(bar_heights(fig)["q"], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(bar_heights(fig)["p"], [0.2, 0.3, 0.5], err_msg="p must not move")
    assert fig.axes[0].get_title() == "new"


def test_bars_figure_rejects_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="one value per label"):
        bars_figure(["a", "b"], {"p": np.ones(3)})


def test_venn_figure_shows_the_four_counts():
    assert venn_counts(venn_figure(4, 5, 3, 2)) == {
        "only_a": 4,
        "only_b": 5,
        "both": 3,
        "neither": 2,
    }


def test_figure_png_gives_png_bytes():
    assert figure_png(venn_figure(1, 1, 1, 1)).startswith(PNG_MAGIC)


def test_plot_label_escapes_what_matplotlib_cannot_draw():
    assert plot_label("a b") == "a␣b", "a space must be visible as ␣"
    assert plot_label("\n") == "\\n", "a newline must be shown as \\n"
    assert plot_label("床") == "床", "the shipped font draws Chinese: no code point any more"


# --- panel: messages, errors, fallback ---------------------------------------------------------


class _Counter(Panel):
    def __init__(self):
        super().__init__()
        self.slider = widgets.IntSlider(value=0, min=-5, max=5)
        self.slider.observe(self.guard(self._changed), names="value")
        self.button = widgets.Button(description="boom")
        self.button.on_click(self.guard(self._boom))
        self.arrange(self.slider, self.button)

    def _changed(self, change):
        if change["new"] < 0:
            raise BadInput("negative counts make no sense\nsecond line is dropped")
        if change["new"] == 5:
            raise ZeroDivisionError("a real bug")

    def _boom(self, button):
        raise KeyError("bug in a button")


def test_bad_input_shows_one_line_and_the_widget_keeps_working():
    w = _Counter()
    w.slider.value = -1
    assert w.message_text == "negative counts make no sense", "only the first line is shown"
    w.slider.value = 2
    assert w.message_text == "", "the message must clear once the input is good again"
    assert w.errors == []


def test_a_bug_in_a_callback_is_shown_in_the_widget_and_raised_to_the_caller():
    w = _Counter()
    with pytest.raises(ZeroDivisionError):
        w.slider.value = 5  # from code (a cell, a test): the cell fails
    assert "ZeroDivisionError: a real bug" in w.error.value, "the traceback must be on screen"
    assert isinstance(w.errors[-1], ZeroDivisionError)


def test_a_bug_in_a_button_callback_is_shown_in_the_widget():
    # ipywidgets' button dispatcher logs the re-raised error; the widget must still show it.
    w = _Counter()
    w.button.click()
    assert "KeyError" in w.error.value and isinstance(w.errors[-1], KeyError)


# Widgets that build themselves with no arguments (no model or corpus to pass in).
WIDGETS_WITHOUT_A_MODEL = [
    venn_explorer, temperature_explorer, loss_explorer, merge_stepper, param_calculator,
    training_dashboard,
]  # fmt: skip


def test_static_fallback_is_a_png_of_the_current_state():
    w = venn_explorer()
    bundle = w._repr_mimebundle_()
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(PNG_MAGIC) and png == w.image.value
    assert "3/8" in bundle["text/html"], "the HTML fallback must carry the probability table"
    w.both.value = 4
    assert base64.b64decode(w._repr_mimebundle_()["image/png"]) == w.image.value


@pytest.mark.parametrize("make", WIDGETS_WITHOUT_A_MODEL, ids=lambda f: f.__name__)
def test_every_widget_displays_its_view_plus_a_static_fallback(make, monkeypatch):
    w = make()
    shown = []
    monkeypatch.setattr(
        "llmlab.widgets.panel.display", lambda data, raw, **kw: shown.append((data, raw))
    )
    w._ipython_display_()  # what IPython calls for the last expression of a cell
    ((bundle, raw),) = shown
    assert raw is True and "text/plain" in bundle
    if w.comm is not None:
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    assert "image/png" in bundle or "text/html" in bundle, "a static page needs a picture"
    if w.figure is not None:
        assert base64.b64decode(bundle["image/png"]) == bytes(w.image.value)


class _Handle:
    """Stands in for IPython's DisplayHandle: records what the saved output is replaced by."""

    def __init__(self):
        self.updates = []

    def update(self, data, raw=False):
        self.updates.append(data)


def test_refresh_fallback_replaces_the_saved_picture_with_the_current_state(monkeypatch):
    w = venn_explorer()
    handle = _Handle()
    monkeypatch.setattr("llmlab.widgets.panel.display", lambda data, raw, display_id: handle)
    w._ipython_display_()
    w.both.value = 6  # the state moves on after the widget was displayed
    w.refresh_fallback()
    (bundle,) = handle.updates
    assert base64.b64decode(bundle["image/png"]) == bytes(w.image.value)
    assert "6/11" in bundle["text/html"], "the refreshed fallback must show P(A∣B) = 6/11"


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


@pytest.mark.parametrize("make", WIDGETS_WITHOUT_A_MODEL, ids=lambda f: f.__name__)
def test_every_widget_state_serialises_to_json_for_the_browser(make):
    # What the kernel sends to the front end; a Python object in a trait would fail here
    # (headless tests never send, so this is the check that the browser can receive it).
    for widget in _descendants(make()):
        state, _, _ = _remove_buffers(widget.get_state())
        json.dumps(state)


# --- Venn explorer ----------------------------------------------------------------------------


def test_venn_explorer_starts_on_the_tennis_football_example():
    w = venn_explorer()
    # 14 people: 4 only tennis, 5 only football, 3 both, 2 neither. P(A|B) = 3 / (5 + 3).
    assert w.probabilities.p_a_given_b == Fraction(3, 8)
    assert "3/8" in w.table.value and "0.375" in w.table.value
    assert "7/14 = 1/2" in w.table.value, "P(A) = 7/14 must be shown reduced too"
    assert venn_counts(w.figure) == {"only_a": 4, "only_b": 5, "both": 3, "neither": 2}


def test_moving_a_venn_slider_changes_the_fraction_and_the_picture():
    w = venn_explorer()
    before = w.image.value
    w.both.value = 4  # now 9 like football, 4 of them tennis too
    assert w.probabilities.p_a_given_b == Fraction(4, 9)
    assert "4/9" in w.table.value and "0.444" in w.table.value
    assert venn_counts(w.figure)["both"] == 4 and w.image.value != before


def test_venn_explorer_with_everybody_removed_says_so_and_recovers():
    w = venn_explorer(1, 0, 0, 0)
    w.only_a.value = 0
    assert "at least one person" in w.message_text
    w.neither.value = 3
    assert w.message_text == "" and w.probabilities.p_a == 0
    assert "undefined" in w.table.value, "P(A|B) with nobody in B must read 'undefined'"


# --- temperature explorer ---------------------------------------------------------------------


def test_temperature_explorer_starts_on_the_boy_example_at_temperature_one():
    w = temperature_explorer()
    heights = bar_heights(w.figure)
    np.testing.assert_allclose(heights["T = 1"], BOY_PROBS, rtol=1e-5)
    np.testing.assert_allclose(heights["after"], BOY_PROBS, rtol=1e-5)
    assert w.counts.sum() == w.num_samples.value == 200
    assert [t.get_text() for t in w.figure.axes[0].get_xticklabels()] == list(BOY_WORDS)


@pytest.mark.parametrize("temperature", [0.0, 0.3, 1.7])
def test_temperature_explorer_bars_equal_llmlab_probabilities(temperature):
    w = temperature_explorer()
    w.temperature.value = temperature
    expected = np.asarray(probabilities(np.log(np.array(BOY_PROBS, np.float32)), temperature))
    np.testing.assert_allclose(bar_heights(w.figure)["after"], expected, atol=1e-6)
    assert w.entropy == pytest.approx(float(entropy(expected)), abs=1e-5)
    np.testing.assert_allclose(bar_heights(w.figure)["samples"], w.counts / 200)


def test_temperature_zero_draws_only_the_most_likely_word():
    w = temperature_explorer()
    w.temperature.value = 0.0
    assert w.counts.tolist() == [0, 0, 200, 0, 0], "greedy: every sample is Playground"
    assert w.entropy == pytest.approx(0.0, abs=1e-6)


def test_top_k_and_top_p_controls_filter_like_the_library():
    w = temperature_explorer()
    logits = np.log(np.array(BOY_PROBS, np.float32))
    w.top_k.value = 2  # Playground 0.40 and School 0.30 survive: 4/7 and 3/7
    np.testing.assert_allclose(w.probs, [0, 0, 4 / 7, 0, 3 / 7], rtol=1e-5)
    assert set(np.nonzero(w.counts)[0]) <= {2, 4}, "samples only from the kept tokens"
    w.top_k.value = 5
    w.top_p.value = 0.6  # 0.40 < 0.6, 0.40 + 0.30 >= 0.6: the same two
    np.testing.assert_allclose(w.probs, probabilities(logits, 1.0, top_p=0.6), atol=1e-6)


def test_sample_histogram_follows_seed_and_count():
    w = temperature_explorer()
    first = w.counts.copy()
    w.seed.value = 1
    assert not np.array_equal(first, w.counts), "a new seed must draw new samples"
    w.seed.value = 0
    np.testing.assert_array_equal(first, w.counts, err_msg="same seed, same samples")
    w.num_samples.value = 1000
    assert w.counts.sum() == 1000


def test_temperature_controls_never_recompile():
    w = temperature_explorer()
    compiled = explore._cache_size()
    for t, k, p, n, seed in [(0.0, 1, 0.1, 5, 3), (2.5, 3, 0.9, 1999, 4), (1.0, 5, 1.0, 200, 0)]:
        w.temperature.value, w.top_k.value, w.top_p.value = t, k, p
        w.num_samples.value, w.seed.value = n, seed
    assert explore._cache_size() == compiled, "a value change must not trigger a new compilation"


def test_temperature_explorer_on_custom_logits_and_an_other_bar():
    logits = np.arange(20, dtype=np.float32)
    w = temperature_explorer(logits, [f"t{i}" for i in range(20)], max_bars=4)
    heights = bar_heights(w.figure)["after"]
    assert len(heights) == 5, "4 most likely tokens plus one '(other)' bar"
    np.testing.assert_allclose(
        heights[:4], np.asarray(probabilities(logits))[[19, 18, 17, 16]], rtol=1e-5
    )
    assert heights.sum() == pytest.approx(1.0, abs=1e-5)


def test_temperature_explorer_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="one label per logit"):
        temperature_explorer(np.zeros(3), ["a", "b"])


def test_temperature_explorer_seed_out_of_range_is_a_message_not_a_bug_report():
    w = temperature_explorer()
    w.seed.value = 2**40
    assert "seed must be a whole number" in w.message_text and w.errors == []
