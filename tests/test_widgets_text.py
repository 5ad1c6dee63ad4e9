"""Widgets of lessons 01, 02 and 04 driven headlessly: next-token explorer, token viewer,
merge stepper, loss explorer."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from llmlab.loss import nll
from llmlab.probability import bigram_counts, conditional_distribution
from llmlab.tokenizer import BPETokenizer, CharTokenizer
from llmlab.widgets.loss import loss_explorer, prediction_with
from llmlab.widgets.next_token import next_token_explorer
from llmlab.widgets.render.bars import bar_heights
from llmlab.widgets.render.tokens import token_boxes_html, visible
from llmlab.widgets.tokens import merge_history, merge_stepper, token_rows, token_viewer

CORPUS = "the cat sat on the mat. the hat. 床前明月光，疑是地上霜。"


@pytest.fixture(scope="module")
def bpe():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BPETokenizer().train(CORPUS * 3, 280)


@pytest.fixture(scope="module")
def char_table():
    tok = CharTokenizer.from_text(CORPUS)
    probs = conditional_distribution(bigram_counts(np.array(tok.encode(CORPUS)), tok.vocab_size))
    return probs, tok


# --- next-token explorer ----------------------------------------------------------------------


def test_next_token_bars_are_the_bigram_row_of_the_last_character(char_table):
    probs, tok = char_table
    w = next_token_explorer(probs, tok, context="th")
    # after "h" the corpus has "e" 3 times (the, the, the) and "a" once (hat)
    row = probs[tok.encode("h")[0]]
    np.testing.assert_allclose(w.probs, row)
    assert w.top_ids[0] == tok.encode("e")[0] and w.probs[w.top_ids[0]] == 0.75
    heights = bar_heights(w.figure)["P(next | context)"]
    np.testing.assert_allclose(heights, row[w.top_ids])
    assert w.choice.value == tok.encode("e")[0], "the menu starts on the most likely token"


def test_append_adds_the_chosen_token_and_sample_adds_a_possible_one(char_table):
    probs, tok = char_table
    w = next_token_explorer(probs, tok, context="th")
    w.append.click()
    assert w.context.value == "the", "appending the choice after 'th' gives 'the'"
    w.sample.click()
    last = tok.encode(w.context.value[-1])[0]
    assert probs[tok.encode("e")[0], last] > 0, "a sampled token must have probability > 0"


def test_next_token_explorer_reports_unknown_characters_and_empty_context(char_table):
    probs, tok = char_table
    w = next_token_explorer(probs, tok, context="th")
    w.context.value = "the zebra"
    assert "'z'" in w.message_text and "not in the vocabulary" in w.message_text
    w.context.value = ""
    assert "empty" in w.message_text
    w.context.value = "ca"
    assert w.message_text == "" and w.probs[tok.encode("t")[0]] == 1.0, "works again"
    assert w.errors == []


def test_next_token_explorer_default_counts_shakespeare():
    w = next_token_explorer(context="q")
    assert w.choice.label.startswith("u "), "after 'q' in Shakespeare, 'u' is most likely"
    assert w.probs.sum() == pytest.approx(1.0)


def test_trigram_table_needs_two_characters(char_table):
    _, tok = char_table
    w = next_token_explorer(text=CORPUS, n=3, context="th")
    assert w.probs[tok.encode("e")[0]] == 1.0
    w.context.value = "t"
    assert "at least 2 tokens" in w.message_text


# --- token viewer -----------------------------------------------------------------------------


def test_token_rows_count_characters_bytes_and_bpe(bpe):
    rows = token_rows("a床", bpe)
    assert rows["characters"][1] == [97, 0x5E8A], "characters carry their code points"
    # 床 is 3 UTF-8 bytes: e5 ba 8a; all three share the character's colour group
    assert rows["bytes"][1] == [97, 0xE5, 0xBA, 0x8A]
    assert rows["bytes"][2] == [0, 1, 1, 1]
    assert bpe.decode(rows["BPE tokens"][1]) == "a床"


def test_token_viewer_shows_counts_for_chinese_text(bpe):
    w = token_viewer("床前明月光", bpe=bpe)
    assert w.counts["characters"] == 5 and w.counts["bytes"] == 15, "5 汉字 = 15 bytes"
    assert w.counts["BPE tokens"] == len(bpe.encode("床前明月光"))
    assert "床" in w.view.value, "Chinese text must appear as itself in the HTML"
    assert "15 bytes" in w.view.value


def test_token_viewer_follows_the_text_box_and_handles_empty_text(bpe):
    w = token_viewer("hi", bpe=bpe)
    w.text.value = "the cat"
    assert w.counts["characters"] == 7 and "␣" in w.view.value, "spaces are visible"
    w.text.value = ""
    assert "Type some text" in w.message_text and w.view.value == ""
    w.text.value = "ok"
    assert w.message_text == "" and w.counts["bytes"] == 2


def test_token_viewer_fallback_is_its_html(bpe):
    w = token_viewer("the mat", bpe=bpe)
    assert w._repr_mimebundle_()["text/html"] == w.view.value


def test_token_boxes_html_escapes_and_checks_lengths():
    out = token_boxes_html(["<b>", " \n"], [1, 2])
    assert "&lt;b&gt;" in out and "␣↵" in out
    assert visible("a b\t") == "a␣b→"
    with pytest.raises(ValueError, match="one id per piece"):
        token_boxes_html(["a"], [1, 2])


# --- merge stepper ----------------------------------------------------------------------------


def test_merge_history_matches_the_minbpe_example():
    # "aaabdaaabac": (a, a) x4 -> 256; (256, a) x2 -> 257; (257, b) x2 -> 258
    history = merge_history("aaabdaaabac", 3)
    assert [pair for _, pair, _ in history] == [(97, 97), (256, 97), (257, 98)]
    assert history[-1][0] == [258, 100, 258, 97, 99]


def test_merge_stepper_buttons_step_through_the_merges():
    w = merge_stepper("aaabdaaabac")
    assert w.ids == list(b"aaabdaaabac") and w.step.max == 3
    w.next.click()
    assert (
        w.ids == [256, 97, 98, 100, 256, 97, 98, 97, 99] and "(97, 97) → 256 'aa'" in w.view.value
    )
    w.next.click()
    w.next.click()
    w.next.click()  # past the end: stays on the last merge
    assert w.step.value == 3 and w.ids == [258, 100, 258, 97, 99]
    assert "5 tokens after 3 merges" in w.view.value
    w.previous.click()
    assert w.step.value == 2 and len(w.ids) == 7


def test_merge_stepper_new_text_and_bad_text():
    w = merge_stepper("aaabdaaabac")
    w.step.value = 3
    w.text.value = "abcd"
    assert "nothing to merge" in w.view.value and w.step.value == 0
    w.text.value = ""
    assert "Type a short text" in w.message_text
    w.text.value = "床床床"
    assert w.message_text == "" and w.step.max >= 1, "Chinese bytes repeat and can merge"


# --- loss explorer ----------------------------------------------------------------------------


def test_prediction_with_shares_the_rest_in_proportion():
    np.testing.assert_allclose(prediction_with([0.5, 0.25, 0.25], 0, 0.8), [0.8, 0.1, 0.1])


def test_loss_explorer_loss_is_minus_log_p_and_equals_the_library():
    w = loss_explorer()
    assert w.loss == pytest.approx(-np.log(0.4), rel=1e-5), "Playground at 0.40: −ln 0.4 ≈ 0.916"
    w.p.value = 0.9
    assert w.loss == pytest.approx(0.10536, rel=1e-4)
    logits = np.log(w.probs).astype(np.float32)
    assert w.loss == pytest.approx(float(nll(logits[None], np.array([2]))), rel=1e-6)
    assert "0.105" in w.readout.value
    heights = [bar.get_height() for bar in w.figure.axes[1].containers[0]]
    np.testing.assert_allclose(heights, w.probs)
    point = next(line for line in w.figure.axes[0].lines if line.get_gid() == "point")
    assert point.get_xdata()[0] == pytest.approx(0.9)


def test_loss_explorer_target_menu_moves_the_one_hot():
    w = loss_explorer()
    w.target.value = 0
    one_hot = [bar.get_height() for bar in w.figure.axes[1].containers[1]]
    assert one_hot == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert w.probs[0] == pytest.approx(0.4) and w.probs.sum() == pytest.approx(1.0)
    w.p.value = 1.0
    assert w.loss == 0.0 and "= 0.000" in w.figure.axes[0].get_title()


def test_token_viewer_draws_at_most_max_shown_characters_and_says_so(bpe):
    from llmlab.widgets.tokens import MAX_SHOWN

    text = CORPUS * (3 * MAX_SHOWN // len(CORPUS))
    w = token_viewer(text, bpe=bpe)
    short = token_viewer(text[:MAX_SHOWN], bpe=bpe)
    assert len(w.view.value) < 1.2 * len(short.view.value), "only MAX_SHOWN characters drawn"
    assert f"first {MAX_SHOWN:,} of {len(text):,} characters" in w.message_text
    assert w.counts["characters"] == len(text) and w.counts["bytes"] == len(text.encode())
    assert w.counts["BPE tokens"] == len(bpe.encode(text)), "counts are for the whole text"
