"""Lesson 13's widgets, driven headlessly: set a control, check what the learner sees changed.

The tool-call trace runs the shipped adder `add_tool` (loaded once for the module); the
retrieval explorer runs on a small slice of the Tang poems.
"""

from __future__ import annotations

import html
import re

import pytest

import llmlab
from llmlab.arithmetic import complete, longest_answer, solve_with_tools
from llmlab.data.arithmetic import MAX_DIGITS, Problem, is_test
from llmlab.pretrained import load
from llmlab.tokenizer import CharTokenizer
from llmlab.tools import Event, context
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


def test_bad_arguments_say_what_was_expected(adder):
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
