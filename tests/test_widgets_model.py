"""Widgets that need a model, driven headlessly with a tiny random GPT: attention heatmap,
embedding map, model view, parameter calculator, generation playground, device check,
and the temperature / next-token explorers in model mode."""

from __future__ import annotations

import json

import jax
import numpy as np
import pytest
from flax import nnx
from ipywidgets.widgets.widget import _remove_buffers

from llmlab.generate import generate
from llmlab.model import GPT, GPTConfig, count_params, param_count_formula
from llmlab.sampling import probabilities, softmax
from llmlab.tokenizer import CharTokenizer
from llmlab.widgets import (
    attention_heatmap,
    device_check,
    embedding_map,
    generation_playground,
    model_view,
    next_token_explorer,
    param_calculator,
    temperature_explorer,
)
from llmlab.widgets.attention import attention_weights
from llmlab.widgets.prompt import next_token_logits
from llmlab.widgets.render.bars import bar_heights
from llmlab.widgets.render.heatmap import attention_figure, shown_weights
from llmlab.widgets.render.scatter import cosine_neighbours, pca_2d

BLOCK = 16


@pytest.fixture(scope="module")
def tok():
    return CharTokenizer.from_text("abcdefghijklmnopqrstuvwxyz .:\n床前明月光")


@pytest.fixture(scope="module")
def model(tok):
    config = GPTConfig(tok.vocab_size, block_size=BLOCK, n_layer=2, n_head=2, n_embd=16)
    return GPT(config, rngs=nnx.Rngs(0))


@pytest.fixture(scope="module")
def reference(model, tok):
    """The unpadded forward pass on "to be or": (logits (1, 8, V), [weights (1, H, 8, 8)] * L)."""
    forward = nnx.jit(lambda m, idx: m(idx, return_attention=True))
    return forward(model, np.array([tok.encode("to be or")], np.int32))


# --- prompt helpers ---------------------------------------------------------------------------


def test_padded_logits_equal_the_unpadded_forward_pass(model, tok, reference):
    logits, _ = reference
    got = next_token_logits(model, tok.encode("to be or"))
    np.testing.assert_allclose(got, logits[0, -1], rtol=1e-5, atol=1e-5)


# --- attention heatmap ------------------------------------------------------------------------


def test_heatmap_renderer_masks_the_future():
    weights = np.tril(np.ones((3, 3))) / np.array([[1.0], [2.0], [3.0]])
    shown = shown_weights(attention_figure(weights, ["a", "b", "c"]))
    assert shown.mask.tolist() == [[False, True, True], [False, False, True], [False] * 3]
    np.testing.assert_allclose(shown.data, weights)


def test_attention_heatmap_shows_the_chosen_layer_and_head(model, tok, reference):
    w = attention_heatmap(model, tok, "to be or")
    _, expected = reference
    assert w.weights.shape == (2, 2, 8, 8)
    np.testing.assert_allclose(shown_weights(w.figure).data, expected[0][0, 0], atol=1e-5)
    w.layer.value, w.head.value = 1, 1
    np.testing.assert_allclose(shown_weights(w.figure).data, expected[1][0, 1], atol=1e-5)
    assert np.all(np.asarray(expected[1][0, 1])[np.triu_indices(8, 1)] < 1e-6), "causal"
    assert "layer 1, head 1" in w.figure.axes[0].get_title()


def test_attention_heatmap_new_text_reuses_the_compiled_forward_pass(model, tok):
    w = attention_heatmap(model, tok, "ab")
    compiled = attention_weights._cache_size() if hasattr(attention_weights, "_cache_size") else 0
    w.text.value = "a longer text"
    assert w.weights.shape[-1] == len("a longer text")
    assert [t.get_text() for t in w.figure.axes[0].get_xticklabels()][:3] == ["a", "␣", "l"]
    if hasattr(attention_weights, "_cache_size"):
        assert attention_weights._cache_size() == compiled, "padding keeps one shape"


def test_attention_heatmap_bad_inputs(model, tok):
    w = attention_heatmap(model, tok, "ab")
    w.text.value = "ABC"
    assert "not in the vocabulary" in w.message_text
    w.text.value = ""
    assert "empty" in w.message_text
    w.text.value = "x" * (BLOCK + 5)
    assert f"sees only {BLOCK}" in w.message_text and w.weights.shape[-1] == BLOCK
    w.text.value = "床前明月光"
    assert w.message_text == "" and w.weights.shape[-1] == 5
    assert w.errors == []


# --- embedding map ----------------------------------------------------------------------------


def test_pca_2d_finds_the_main_direction():
    coords, explained = pca_2d(np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]]))
    np.testing.assert_allclose(np.abs(coords[:, 0]), [2.0, 0.0, 2.0], atol=1e-12)
    np.testing.assert_allclose(explained, [1.0, 0.0], atol=1e-12)


def test_cosine_neighbours_ranks_by_angle_not_length():
    vectors = np.array([[1.0, 0.0], [10.0, 1.0], [0.0, 1.0], [-1.0, 0.0]])
    ids, sims = cosine_neighbours(vectors, 0, 2)
    assert ids.tolist() == [1, 2], "same direction first, however long; opposite last"
    assert sims[0] == pytest.approx(10 / np.sqrt(101))


def test_embedding_map_marks_the_neighbours_of_the_chosen_token(model, tok):
    w = embedding_map(model, tok, token="a", k=3)
    table = np.asarray(model.wte.embedding[...])
    ids, _ = cosine_neighbours(table, tok.encode("a")[0], 3)
    assert w.neighbours.tolist() == ids.tolist()
    offsets = {c.get_gid(): c.get_offsets() for c in w.figure.axes[0].collections}
    np.testing.assert_allclose(offsets["chosen"], w.coords[[tok.encode("a")[0]]])
    w.token.value = tok.encode("b")[0]
    w.k.value = 5
    assert len(w.neighbours) == 5 and tok.encode("b")[0] not in w.neighbours.tolist()
    assert "nearest to 'b'" in w.table.value


def test_embedding_map_on_plain_arrays_and_bad_token():
    w = embedding_map(embeddings=np.eye(4), labels=["w", "x", "y", "z"], token="y", k=2)
    assert w.token.value == 2
    with pytest.raises(ValueError, match="not one of the labels"):
        embedding_map(embeddings=np.eye(4), labels=["w", "x", "y", "z"], token="q")


# --- model view and parameter calculator -----------------------------------------------------


def test_model_view_table_totals_count_params(model):
    w = model_view(model)
    assert f"{count_params(model):,}" in w.table.value
    assert "wte.embedding" in w.table.value and "blocks.1" in w.table.value
    assert w._repr_mimebundle_()["text/html"] == w.table.value


def test_model_view_tree_tab_is_drawn_when_opened(model, capsys):
    w = model_view(model)
    assert not w.tree_drawn, "the tree is drawn lazily: treescope output is large"
    w.tabs.selected_index = 1
    assert w.tree_drawn and w.errors == []


def test_param_calculator_presets_give_the_published_sizes():
    w = param_calculator()
    assert w.count == 124_439_808, "GPT-2 small"
    w.preset.value = "GPT-1 (2018, 117M)"
    assert 116e6 < w.count < 118e6
    w.preset.value = "GPT-2 XL (2019, 1.5B)"
    assert 1.5e9 < w.count < 1.6e9
    w.preset.value = "GPT-3 (2020, 175B)"
    assert 174e9 < w.count < 176e9 and "175B" in w.readout.value
    assert bar_heights(w.figure)["parameters"][0] == w.count


def test_param_calculator_matches_a_real_model_and_rejects_bad_shapes(model):
    w = param_calculator("llmlab tiny (65 chars)", model=model)
    c = model.config
    w.vocab_size.value, w.block_size.value = c.vocab_size, c.block_size
    w.n_layer.value, w.n_embd.value, w.n_head.value = c.n_layer, c.n_embd, c.n_head
    assert w.count == count_params(model) == param_count_formula(c)
    w.n_head.value = 3  # 16 channels do not split into 3 heads
    assert "divisible" in w.message_text and w.count == count_params(model)
    w.n_head.value = 4
    assert w.message_text == ""


# --- generation playground --------------------------------------------------------------------


def test_playground_streams_exactly_what_generate_returns(model, tok):
    w = generation_playground(model, tok, "to be", length=12)
    w.seed.value, w.temperature.value, w.top_k.value = 3, 1.0, 5
    text = w.generate()
    expected = generate(model, tok.encode("to be"), 12, key=jax.random.key(3), top_k=5)
    assert w.new_ids == expected and text == tok.decode(expected)
    assert w.updates == 12, "one redraw per token: the text streams in"
    assert text.replace("\n", "") in w.output.value.replace("\n", "")


def test_playground_button_and_greedy_is_seed_independent(model, tok):
    w = generation_playground(model, tok, "ab", length=8)
    w.temperature.value = 0.0
    w.button.click()
    first = w.text
    w.seed.value = 99
    w.button.click()
    assert w.text == first and len(w.new_ids) == 8, "T = 0 gives the same text for every seed"


def test_playground_bad_prompts_give_one_line(model, tok):
    w = generation_playground(model, tok, "", length=4)
    w.button.click()
    assert "empty" in w.message_text
    w.prompt.value = "XYZ"
    w.button.click()
    assert "'X'" in w.message_text
    w.prompt.value = "a" * (BLOCK + 3)
    w.button.click()
    assert f"sees only {BLOCK}" in w.message_text and len(w.new_ids) == 4
    assert w.errors == []


# --- model mode of the explorers --------------------------------------------------------------


def test_temperature_explorer_on_a_model_uses_its_next_token_logits(model, tok):
    w = temperature_explorer(model=model, tokenizer=tok, prompt="to b", max_bars=5)
    logits = next_token_logits(model, tok.encode("to b"))
    w.temperature.value = 0.5
    np.testing.assert_allclose(w.probs, probabilities(logits, 0.5), atol=1e-6)
    w.prompt.value = "QQ"
    assert "not in the vocabulary" in w.message_text
    w.prompt.value = "ab"
    logits = next_token_logits(model, tok.encode("ab"))
    np.testing.assert_allclose(w.logits, logits)
    top5 = np.argsort(-logits, kind="stable")[:5]
    before = bar_heights(w.figure)["T = 1"]
    np.testing.assert_allclose(before[:5], np.asarray(probabilities(logits))[top5], atol=1e-6)
    assert before.sum() == pytest.approx(1.0, abs=1e-5), "5 bars plus '(other)' hold all mass"
    names = [t.get_text() for t in w.figure.axes[0].get_xticklabels()]
    assert names[-1] == "(other)" and len(names) == 6


def test_next_token_explorer_on_a_model(model, tok):
    w = next_token_explorer(model=model, tokenizer=tok, context="to b")
    np.testing.assert_allclose(
        w.probs, softmax(next_token_logits(model, tok.encode("to b"))), atol=1e-6
    )
    w.append.click()
    assert len(w.context.value) == 5


# --- device check -----------------------------------------------------------------------------


def test_device_check_lists_devices_and_versions():
    page = device_check().data
    assert jax.default_backend() in page and "jax" in page and "Python" in page


def test_model_widgets_state_serialises_to_json_for_the_browser(model, tok):
    def descendants(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from descendants(child)

    made = [
        attention_heatmap(model, tok, "to be"),
        embedding_map(model, tok),
        model_view(model),
        generation_playground(model, tok, "ab", length=2),
        next_token_explorer(model=model, tokenizer=tok, context="ab"),
    ]
    for top in made:
        for widget in descendants(top):
            state, _, _ = _remove_buffers(widget.get_state())
            json.dumps(state)  # what the kernel sends to the browser must be JSON


def test_embedding_map_of_nan_embeddings_names_the_broken_rows():
    table = np.ones((5, 3))
    table[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"1 of 5 embedding rows hold NaN .*row 2"):
        embedding_map(embeddings=table)


def test_a_seed_out_of_range_is_a_message_not_a_bug_report(model, tok):
    w = generation_playground(model, tok, "to be", length=3)
    w.seed.value = 2**40
    w.button.click()
    assert "seed must be a whole number" in w.message_text and w.errors == []
