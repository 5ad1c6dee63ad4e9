"""Tool-call trace (lesson 13): the adder writes a calculator call, the program answers it.

    from llmlab.pretrained import load
    from llmlab.widgets import tool_trace
    adder, tok = load("add_tool")
    tool_trace(adder, tok)                            # 345+12, the calculator on
    tool_trace(adder, tok, a=1234, b=5678, run_tools=False)

Type the two numbers (or draw a random held-out problem), switch the calculator on or off and
walk through the trace with the step slider: the context so far, coloured by who wrote it,
a sentence on the current step, and the final answer against the true one. With the
calculator on, the trace is `llmlab.arithmetic.solve_with_tools`; off, it is the model's own
greedy continuation (`llmlab.arithmetic.complete`), where nobody pastes a result in and the
model, never trained to write one, has to guess. `trace_html` and `trace_text` draw a trace
without any widget.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from llmlab.arithmetic import complete, longest_answer, parse_answer, solve_with_tools
from llmlab.data.arithmetic import MAX_DIGITS, STOP, Problem, make_problems
from llmlab.i18n import say
from llmlab.tools import CALL_CLOSE, CALL_OPEN, Event, context
from llmlab.widgets.panel import BadInput, Panel

COLOURS = {"prompt": "#777", "model": "#000", "call": "#1f5fbf", "tool": "#1a7f37"}
_MARKERS = re.compile(f"({re.escape(CALL_OPEN)}|{re.escape(CALL_CLOSE)})")


def trace_without_tools(model: Any, tokenizer: Any, prompt: str) -> list[Event]:
    """The model's own greedy continuation of `prompt` as a trace: calls are never run.

    The same text as `complete(model, tokenizer, [prompt], room)` with the room of the
    longest tool-format answer, one "model" event per token, then a "stop" event ("end" after
    the newline, "max_steps" when the room ran out).

    Example: trace_without_tools(adder, tok, "345+12=") -> [prompt "345+12=", model
        "<|calc|>", model "3", ..., model "<|/calc|>", model "1", model "\\n", stop (note "end")]
    """
    room = longest_answer("tool", MAX_DIGITS, tokenizer)
    room = min(room, model.config.block_size - len(tokenizer.encode(prompt)))
    text = complete(model, tokenizer, [prompt], room)[0]
    ids = tokenizer.encode(text[len(prompt) :], allowed_special="all")
    pieces = [Event("model", tokenizer.decode([i])) for i in ids]
    return [Event("prompt", prompt), *pieces,
            Event("stop", "", "end" if text.endswith(STOP) else "max_steps")]  # fmt: skip


def _check_trace(events: Any, step: Any) -> int:
    if not isinstance(events, list) or not events or not all(isinstance(e, Event) for e in events):
        raise TypeError(say("tool_trace.bad_events", got=type(events).__name__))
    last = len(events) - 1
    step = last if step is None else step
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= last:
        raise ValueError(say("tool_trace.bad_step", last=last, value=repr(step)))
    return step


def trace_html(events: list[Event], step: int | None = None) -> str:
    """The context after event `step` (default: the last) as HTML, coloured by who wrote it.

    The prompt is grey, the model's words black, its calls (markers included) blue and the
    results the program pasted in green; the piece event `step` added has a yellow background.

    Example: trace_html(solve_with_tools(adder, tok, "7+5=")) -> '<pre ...>7+5=<span ...'
    """
    step = _check_trace(events, step)
    spans, in_call = [], False
    for n, event in enumerate(events[: step + 1]):
        mark = ";background:#fff3b0" if n == step and event.text else ""
        pieces = [event.text] if event.kind != "model" else _MARKERS.split(event.text)
        for piece in pieces:
            if not piece:
                continue
            kind = event.kind
            if kind == "model" and (in_call or piece == CALL_OPEN):
                kind = "call"
            if event.kind == "model" and piece in (CALL_OPEN, CALL_CLOSE):
                in_call = piece == CALL_OPEN
            shown = html.escape(piece).replace(STOP, "↵")
            weight = ";font-weight:bold" if kind == "tool" else ""
            spans.append(f'<span style="color:{COLOURS[kind]}{weight}{mark}">{shown}</span>')
    return (
        '<pre style="white-space:pre-wrap;font-size:14px">' + "".join(spans) + "</pre>"
        f'<small style="color:#555">{html.escape(say("tool_trace.legend"))}</small>'
    )


def trace_text(events: list[Event]) -> str:
    """A trace as plain text, one numbered line per event: kind, the text added, its note.

    Example: trace_text(solve_with_tools(adder, tok, "7+5=")) ->
        " 0 prompt '7+5='\\n 1 model  '<|calc|>'\\n ...\\n 6 tool   '=12'   7+5\\n ..."
    """
    _check_trace(events, None)
    rows = [f"{n:>2} {e.kind:<6} {e.text!r}" + (f"   {e.note}" if e.note else "")
            for n, e in enumerate(events)]  # fmt: skip
    return "\n".join(rows)


def explain(events: list[Event], step: int, run_tools: bool = True) -> str:
    """One sentence on what event `step` of the trace is (from the catalogue)."""
    step = _check_trace(events, step)
    event = events[step]
    text = repr(event.text)
    if event.kind == "prompt":
        return say("tool_trace.prompt", step=step, text=text)
    if event.kind == "tool":
        return say("tool_trace.tool", step=step, expr=event.note, text=text)
    if event.kind == "stop":
        key = "tool_trace.stop_end" if event.note == "end" else "tool_trace.stop_full"
        return say(key, step=step)
    if event.text.endswith(CALL_CLOSE):
        return say("tool_trace.close" if run_tools else "tool_trace.close_unrun", step=step,
                   text=text)  # fmt: skip
    if event.text == CALL_OPEN:
        return say("tool_trace.open", step=step, text=text)
    if event.text == STOP:
        return say("tool_trace.newline", step=step)
    written = context(events[1:step])  # the model's words (and results) before this one
    inside = written.rfind(CALL_OPEN) > written.rfind(CALL_CLOSE)
    return say("tool_trace.expression" if inside else "tool_trace.piece", step=step, text=text)


def _number(name: str, value: str) -> int:
    """A number box's text as an int of 1 to MAX_DIGITS digits, or BadInput saying why not."""
    text = value.strip()
    if not text:
        raise BadInput(say("tool_trace.empty", name=name))
    if not re.fullmatch("[0-9]+", text):
        raise BadInput(say("tool_trace.not_a_number", name=name, value=repr(text)))
    if len(text.lstrip("0") or "0") > MAX_DIGITS:
        raise BadInput(say("tool_trace.too_many_digits", name=name, value=repr(text),
                           digits=len(text.lstrip("0")), limit=MAX_DIGITS))  # fmt: skip
    return int(text)


class ToolTrace(Panel):
    """Two number boxes, a random-problem button, the calculator switch and a step slider.

    Attributes: a, b (Text), digits (IntSlider, for the random problem), random (Button),
    run_tools (ToggleButton), step (IntSlider over the events), view (HTML: the context so
    far), explanation (HTML: the current step), result (HTML: the answer against the truth),
    problem (Problem), events (the trace), answer (int, or None when none can be read).
    """

    def __init__(self, model: Any, tokenizer: Any, problem: Problem, run_tools: bool, seed: int):
        super().__init__()
        self.model, self.tokenizer, self.seed, self.draws = model, tokenizer, seed, 0
        self.a = widgets.Text(value=str(problem.a), description="a", continuous_update=False)
        self.b = widgets.Text(value=str(problem.b), description="b", continuous_update=False)
        self.digits = widgets.IntSlider(value=3, min=1, max=MAX_DIGITS,
                                        description=say("tool_trace.digits"))  # fmt: skip
        self.random = widgets.Button(description=say("tool_trace.random"))
        self.run_tools = widgets.ToggleButton(value=run_tools,
                                              description=say("tool_trace.run_tools"))  # fmt: skip
        self.step = widgets.IntSlider(value=0, min=0, max=0, description=say("tool_trace.step"))
        self.view, self.explanation, self.result = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.problem, self.events, self.answer = problem, [Event("prompt", "")], None
        self._drawing = False  # the random button sets both boxes, then solves once
        for control in (self.a, self.b, self.run_tools):
            control.observe(self.guard(lambda _: self._drawing or self.solve()), names="value")
        self.step.observe(self.guard(lambda _: self._show()), names="value")
        self.random.on_click(self.guard(lambda _: self.draw()))
        self.arrange(
            widgets.HBox([self.a, self.b]),
            widgets.HBox([self.digits, self.random, self.run_tools]),
            self.step, self.view, self.explanation, self.result,
        )  # fmt: skip

    def solve(self) -> list[Event]:
        """Run the adder on the boxes' problem, the calculator on or off; show the last step."""
        self.problem = Problem(_number("a", self.a.value), _number("b", self.b.value))
        prompt = self.problem.prompt
        if self.run_tools.value:
            self.events = solve_with_tools(self.model, self.tokenizer, prompt)
        else:
            self.events = trace_without_tools(self.model, self.tokenizer, prompt)
        self.answer = parse_answer(context(self.events))
        truth = self.problem.a + self.problem.b
        key = ("tool_trace.unreadable" if self.answer is None else
               "tool_trace.right" if self.answer == truth else "tool_trace.wrong")  # fmt: skip
        self.result.value = "<b>" + html.escape(say(key, problem=f"{prompt[:-1]}", truth=truth,
                                                    answer=self.answer)) + "</b>"  # fmt: skip
        last = len(self.events) - 1
        self.step.max = last
        self.step.value = last
        self._show()
        return self.events

    def draw(self) -> Problem:
        """A random held-out problem with `digits` digits (a new one each press), solved."""
        self.draws += 1
        problem = make_problems(1, "test", seed=self.seed + self.draws, digits=self.digits.value)[0]
        self._drawing = True
        try:
            self.a.value, self.b.value = str(problem.a), str(problem.b)
        finally:
            self._drawing = False
        self.solve()
        return self.problem

    def _show(self) -> None:
        step = min(self.step.value, len(self.events) - 1)
        self.view.value = trace_html(self.events, step)
        sentence = explain(self.events, step, self.run_tools.value)
        self.explanation.value = html.escape(sentence)

    def fallback_html(self) -> str:
        return self.view.value + self.explanation.value + "<br>" + self.result.value


def tool_trace(model: Any, tokenizer: Any, a: int = 345, b: int = 12, *,
               run_tools: bool = True, seed: int = 0) -> ToolTrace:  # fmt: skip
    """The adder's tool-call trace for a + b, step by step; the controls re-run it.

    Args:
        model, tokenizer: the shipped tool-calling adder, `llmlab.pretrained.load("add_tool")`.
        a, b: the starting problem (1 to MAX_DIGITS digits each).
        run_tools: start with the calculator on (the program runs each call) or off.
        seed: where the "random problem" button's draws start (same seed, same problems).

    Example: w = tool_trace(adder, tok, 345, 12); w.answer -> 357; w.run_tools.value = False
    """
    if not hasattr(model, "config"):
        raise TypeError(say("tool_trace.not_a_gpt", kind=type(model).__name__))
    try:
        tokenizer.encode(CALL_OPEN + CALL_CLOSE, allowed_special="all")
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(say("tool_trace.no_markers", markers=f"{CALL_OPEN} {CALL_CLOSE}",
                             reason=exc)) from None  # fmt: skip
    problem = Problem(_number("a", str(a)), _number("b", str(b)))  # BadInput is a ValueError
    widget = ToolTrace(model, tokenizer, problem, run_tools, seed)
    widget.guard(widget.solve)()
    return widget
