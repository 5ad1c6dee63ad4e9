"""Lesson 13's widgets, driven headlessly: set a control, check what the learner sees changed.

The tool-call trace runs the shipped adder `add_tool` (loaded once for the module); the
retrieval explorer runs on a small slice of the Tang poems.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

import llmlab
from llmlab.arithmetic import complete, longest_answer, solve_with_tools
from llmlab.data import load_tang_poems
from llmlab.data.arithmetic import MAX_DIGITS, Problem, is_test
from llmlab.data.instructions import lines
from llmlab.pretrained import load
from llmlab.retrieval import bag_of_chars, char_vocabulary, rank_of, top_k
from llmlab.tokenizer import CharTokenizer
from llmlab.tools import Event, context
from llmlab.widgets.retrieval import highlight, retrieval_explorer
from llmlab.widgets.tool_trace import (
    COLOURS,
    tool_trace,
    trace_html,
    trace_text,
    trace_without_tools,
)

HAND_MADE = [  # a trace written by hand: the model calls 2+2, the program pastes =4
    Event("prompt", "Q:"),
    Event("model", "<|calc|>"),
    Event("model", "2+2"),
    Event("model", "<|/calc|>"),
    Event("tool", "=4", "2+2"),
    Event("model", "\n"),
    Event("stop", "", "end"),
]


@pytest.fixture(autouse=True)
def _english_around_each_test():
    llmlab.set_language("en")
    yield
    llmlab.set_language("en")


@pytest.fixture(scope="module")
def adder():
    return load("add_tool")


def _plain(view: str) -> str:
    """What a trace view reads as: the text of its <pre>, tags dropped, ↵ back to a newline."""
    pre = re.search(r"<pre[^>]*>(.*)</pre>", view, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", pre)).replace("↵", "\n")


def _spans(view: str) -> list[tuple[str, str]]:
    """(colour, text) of every coloured piece of a trace view."""
    found = re.findall(r'<span style="color:(#[0-9a-f]+)[^"]*">([^<]*)</span>', view)
    return [(colour, html.unescape(text)) for colour, text in found]


# --- tool-call trace ----------------------------------------------------------------------------


def test_with_the_calculator_on_the_trace_is_solve_with_tools_and_the_answer_is_right(adder):
    model, tok = adder
    w = tool_trace(model, tok, 345, 12)
    assert w.events == solve_with_tools(model, tok, "345+12="), (
        "with the calculator on, the trace must be llmlab.arithmetic.solve_with_tools"
    )
    assert w.answer == 357 and "answer 357, true 357. Right." in w.result.value
    assert w.step.value == w.step.max == len(w.events) - 1, "a new trace opens at its last step"
    assert (COLOURS["tool"], "=357") in _spans(w.view.value), "the pasted result must be green"
    assert w.errors == [] and w.message_text == ""


def test_switching_the_calculator_off_changes_the_answer_of_a_three_digit_problem(adder):
    model, tok = adder
    w = tool_trace(model, tok, 345, 12)
    w.run_tools.value = False
    room = longest_answer("tool", MAX_DIGITS, tok)
    assert context(w.events) == complete(model, tok, ["345+12="], room)[0], (
        "with the calculator off, the trace must be the model's own greedy continuation"
    )
    assert [e for e in w.events if e.kind == "tool"] == [], "no result is pasted in when off"
    assert w.answer != 357, "the adder was never trained to write the result itself"
    assert "Wrong." in w.result.value and "true 357" in w.result.value
    assert w.events == trace_without_tools(model, tok, "345+12=")
    w.run_tools.value = True
    assert w.answer == 357, "switching the calculator back on must give the right answer again"


def test_the_step_slider_shows_the_context_so_far_and_says_what_each_step_is(adder):
    model, tok = adder
    w = tool_trace(model, tok, 7, 5)
    sentences = []
    for step in range(len(w.events)):
        w.step.value = step
        assert _plain(w.view.value) == context(w.events[: step + 1]), (
            f"at step {step} the view must show the context up to and with that event"
        )
        sentences.append(html.unescape(w.explanation.value))
    kinds = [e.kind for e in w.events]
    assert sentences[0].startswith("Step 0: the prompt '7+5='")
    tool_step = kinds.index("tool")
    assert sentences[tool_step].startswith(f"Step {tool_step}: the program, not the model, runs")
    assert "7+5" in sentences[tool_step] and "'=12'" in sentences[tool_step]
    assert "closed, the program takes over" in sentences[tool_step - 1]
    assert "part of the expression" in sentences[2], "a digit inside the call is the expression"
    assert sentences[-1] == f"Step {len(kinds) - 1}: the loop ends, the model has finished."
    assert len(set(sentences)) == len(sentences), "every step must get its own sentence"


@pytest.mark.parametrize(
    "bad, words",
    [("", "Type a number into a"), ("x1", "whole number"), ("-3", "whole number"),
     ("12345", "has 5 digits"), ("１２", "whole number")],
)  # fmt: skip
def test_bad_numbers_are_one_sentence_and_the_last_trace_stays(adder, bad, words):
    model, tok = adder
    w = tool_trace(model, tok, 345, 12)
    events = w.events
    w.a.value = bad
    assert words in w.message_text, f"{bad!r} must be refused with a sentence: {w.message_text!r}"
    assert w.errors == [], "bad input is a message, not a bug report"
    assert w.events == events, "a refused number must leave the last trace on screen"
    w.a.value = "45"
    assert w.message_text == "" and w.answer == 57, "a good number clears the message"


def test_the_random_button_draws_held_out_problems_of_the_chosen_length(adder):
    model, tok = adder
    w = tool_trace(model, tok, seed=3)
    twin = tool_trace(model, tok, seed=3)
    for digits in range(1, MAX_DIGITS + 1):
        w.digits.value = twin.digits.value = digits
        w.random.click()
        twin.random.click()
        p = w.problem
        assert p.digits == digits and is_test(p), f"{p} must be a held-out {digits}-digit problem"
        assert (w.a.value, w.b.value) == (str(p.a), str(p.b)), "the boxes must show the problem"
        assert w.events == solve_with_tools(model, tok, p.prompt), "the new problem is solved"
        assert twin.problem == p, "the same seed must draw the same problems"
    w.random.click()
    assert w.problem != p, "each press draws a new problem"


def test_a_page_without_widgets_shows_the_trace_and_the_answer(adder):
    model, tok = adder
    w = tool_trace(model, tok, 7, 5)
    w.step.value = 2
    page = w._repr_mimebundle_()["text/html"]
    assert _plain(page) == context(w.events[:3]), "the static copy shows the chosen step"
    assert "answer 12, true 12. Right." in page and html.escape("'7'") in page


def test_the_trace_refuses_bad_arguments_with_what_it_expected(adder):
    model, tok = adder
    with pytest.raises(TypeError, match="needs an llmlab GPT"):
        tool_trace("not a model", tok)
    with pytest.raises(ValueError, match="has 5 digits"):
        tool_trace(model, tok, 12345, 1)
    with pytest.raises(ValueError, match="must know the calculator's markers"):
        tool_trace(model, CharTokenizer.from_text("0123456789+=\n"))


def test_trace_html_colours_each_piece_by_who_wrote_it():
    view = trace_html(HAND_MADE)
    assert _spans(view) == [
        (COLOURS["prompt"], "Q:"),
        (COLOURS["call"], "<|calc|>"),
        (COLOURS["call"], "2+2"),
        (COLOURS["call"], "<|/calc|>"),
        (COLOURS["tool"], "=4"),
        (COLOURS["model"], "↵"),
    ], "prompt grey, the call blue from marker to marker, the pasted result green"
    assert _plain(trace_html(HAND_MADE, 2)) == "Q:<|calc|>2+2", "step 2: the context so far"
    assert "background:#fff3b0" in trace_html(HAND_MADE, 2).split("2+2")[0].rsplit("<span", 1)[1]
    with pytest.raises(ValueError, match="between 0 and 6, got 7"):
        trace_html(HAND_MADE, 7)
    with pytest.raises(TypeError, match=r"a non-empty list of llmlab\.tools\.Event"):
        trace_html([])


def test_trace_text_numbers_each_event_with_its_kind_text_and_note():
    lines = trace_text(HAND_MADE).splitlines()
    assert lines[0] == " 0 prompt 'Q:'" and lines[4] == " 4 tool   '=4'   2+2"
    assert lines[-1] == " 6 stop   ''   end" and len(lines) == len(HAND_MADE)


def test_the_trace_in_chinese_names_its_controls_and_refuses_in_chinese(adder):
    model, tok = adder
    llmlab.set_language("zh")
    w = tool_trace(model, tok, 7, 5)
    assert (w.run_tools.description, w.random.description) == ("运行计算器", "随机出题")
    assert "答对了" in w.result.value and "循环结束" in w.explanation.value
    w.b.value = "abc"
    assert w.message_text == "b 必须是只用数字 0-9 写成的整数，收到的是 'abc'。"
    assert Problem(7, 5) == w.problem, "the refused box leaves the last problem"


# --- retrieval explorer -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    """200 poems (静夜思 among them) and two methods: the poems' characters and the names'."""
    poems = load_tang_poems()[1400:1600]
    texts = [p.poem for p in poems]
    names = [p.author + p.title for p in poems]
    vocab = char_vocabulary(texts + names)
    matrices = {"poem": bag_of_chars(texts, vocab), "name": bag_of_chars(names, vocab)}
    embed = lambda q: bag_of_chars([q], vocab)[0]  # noqa: E731
    return poems, matrices, {"poem": embed, "name": embed}


def _shown_rows(output: str) -> list[str]:
    return re.findall(r"<tr><td>\d+</td>.*?</tr>", output)


def test_a_line_of_a_poem_finds_its_poem_first_with_bags_of_characters(library):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders, query="床前明月光")
    assert poems[w.results.indices[0]].title == "静夜思", "床前明月光 is the line of 静夜思"
    for row in (0, 57, 123, 199):
        w.query.value = lines(poems[row].poem)[0]
        assert w.results.indices[0] == row, f"the first line of poem {row} must find it first"
        assert rank_of(embedders["poem"](w.query.value), matrices["poem"], row) == 1


def test_the_ranking_is_the_library_top_k(library):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders, k=10)
    for query in ("春风", "明月", "白云千里", "江南"):
        w.query.value = query
        oracle = top_k(embedders["poem"](query), matrices["poem"], 10)
        np.testing.assert_allclose(
            w.results.scores, oracle.scores, atol=1e-6,
            err_msg=f"the widget's scores for {query!r} must be top_k's, in order",
        )  # fmt: skip
        distinct = np.flatnonzero(np.diff(oracle.scores) < -1e-5)  # ranks before a clear gap
        if len(distinct):
            head = distinct[-1] + 1
            assert set(w.results.indices[:head]) == set(oracle.indices[:head]), query


def test_k_sets_how_many_poems_are_shown(library):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders, k=5)
    assert len(_shown_rows(w.output.value)) == 5
    w.k.value = 3
    assert len(w.results.indices) == 3 and len(_shown_rows(w.output.value)) == 3, (
        "k = 3 must show three poems"
    )
    assert w.k.max == 10, "k goes from 1 to 10"


def test_the_method_menu_switches_the_embedding(library):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders, query="李白", k=3)
    assert list(w.method.options) == ["poem", "name"], "the methods in the caller's order"
    by_poem = list(w.results.indices)
    w.method.value = "name"
    assert all(poems[r].author == "李白" for r in w.results.indices), (
        "by name, the query 李白 must find 李白's poems first"
    )
    assert list(w.results.indices) != by_poem, "another method must rank differently"


def test_shared_characters_are_marked_and_punctuation_is_not(library):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders, query="床前明月光，", k=1)
    assert "<mark>床</mark><mark>前</mark>看<mark>月</mark><mark>光</mark>，" in w.output.value
    assert "<mark>，</mark>" not in w.output.value, "punctuation is never a shared character"
    assert highlight("a<b", "<") == "a<mark>&lt;</mark>b", "the text is escaped as HTML"


@pytest.mark.parametrize(
    "query, words",
    [("   ", "Type a query"), ("abc", "No character of 'abc'"), ("😀", "points nowhere")],
)
def test_an_empty_or_unknown_query_is_one_sentence_and_the_last_poems_stay(library, query, words):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders)
    shown = w.output.value
    w.query.value = query
    assert words in w.message_text, f"{query!r} must be refused with a sentence"
    assert w.errors == [] and w.output.value == shown
    w.query.value = "明月"
    assert w.message_text == "" and "明月" in w.output.value


def test_an_embedder_that_refuses_the_query_is_a_sentence(library):
    poems, matrices, _ = library

    def picky(query):
        raise ValueError(f"text 0 is {len(query)} tokens; the model reads 1 to 2 (block_size)")

    w = retrieval_explorer(
        poems, {"model": matrices["poem"]}, {"model": picky}, query="春", run=False
    )
    w.query.value = "床前明月光"
    assert w.message_text.startswith("model cannot embed '床前明月光': text 0 is 5 tokens")
    assert w.errors == []


def test_a_page_without_widgets_shows_the_poems(library):
    poems, matrices, embedders = library
    w = retrieval_explorer(poems, matrices, embedders, k=2)
    page = w._repr_mimebundle_()["text/html"]
    assert len(_shown_rows(page)) == 2 and "静夜思" in page


def test_the_explorer_refuses_bad_arguments_with_what_it_expected(library):
    poems, matrices, embedders = library
    with pytest.raises(ValueError, match="N = 200 rows, one per poem, got shape"):
        retrieval_explorer(poems, {"poem": matrices["poem"][:10]}, {"poem": embedders["poem"]})
    with pytest.raises(ValueError, match="must name the same methods"):
        retrieval_explorer(poems, matrices, {"poem": embedders["poem"]})
    with pytest.raises(ValueError, match="between 1 and 10, got 11"):
        retrieval_explorer(poems, matrices, embedders, k=11)
    with pytest.raises(TypeError, match="non-empty list of poems"):
        retrieval_explorer(["床前明月光"], matrices, embedders)


def test_without_matrices_it_uses_bags_of_the_poems_characters(library):
    poems = library[0]
    w = retrieval_explorer(poems[:50], query=lines(poems[7].poem)[0], k=2)
    assert list(w.method.options) == ["bag of characters"]
    assert w.results.indices[0] == 7


def test_the_explorer_in_chinese_names_its_controls_and_refuses_in_chinese(library):
    llmlab.set_language("zh")
    w = retrieval_explorer(library[0][:50])
    assert (w.query.description, w.method.description) == ("查询", "方法")
    assert list(w.method.options) == ["字袋"] and "<th>余弦</th>" in w.output.value
    w.query.value = ""
    assert w.message_text == "请输入查询：一句诗、几个字或一个名字都可以。"
