"""Tools for a language model: a calculator the model calls with special tokens.

A tool call is the text `<|calc|>EXPR<|/calc|>`; both markers are special tokens (add them
with `llmlab.tokenizer.extend.add_tokens(tokenizer, text, TOOL_TOKENS)`), so no digit or
sign the model writes can be mistaken for one. The program, not the model, evaluates EXPR
and appends `=RESULT` right after the closing marker; the model then carries on:

    3+4*5=<|calc|>3+4*5<|/calc|>=23 ...
                                ^^^ written by the program, never by the model

RESULT is the integer in decimal (a leading "-" if negative) or, when EXPR cannot be
computed, a sentence saying why (from the catalogue, starting "calculator error:"). The
calculator reads EXPR with its own tiny parser: integers, + - * and parentheses, nothing
else, so a model (or a prompt written by someone else) can never make it run code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from llmlab.i18n import say

CALL_OPEN = "<|calc|>"
CALL_CLOSE = "<|/calc|>"
RESULT_PREFIX = "="
TOOL_TOKENS = (CALL_OPEN, CALL_CLOSE)

MAX_CHARS = 64  # longest expression the calculator reads
MAX_DEPTH = 16  # most nested parentheses and signs
MAX_DIGITS = 30  # largest number, in digits, it keeps (inputs and intermediate results)


class _Reject(Exception):
    """Why an expression cannot be computed: the sentence to hand back."""


class _Parser:
    """Recursive descent over `expr := term (('+'|'-') term)*`, `term := factor ('*' factor)*`,
    `factor := ('+'|'-') factor | '(' expr ')' | digits`."""

    def __init__(self, text: str):
        self.text, self.pos, self.depth = text, 0, 0

    def _peek(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _fail(self, expected: str) -> _Reject:
        found = repr(self.text[self.pos]) if self.pos < len(self.text) else say("tools.the_end")
        return _Reject(say("tools.unexpected", expected=say(expected), pos=self.pos, found=found))

    @staticmethod
    def _small(value: int) -> int:
        if len(str(abs(value))) > MAX_DIGITS:
            raise _Reject(say("tools.too_big", limit=MAX_DIGITS))
        return value

    def parse(self) -> int:
        value = self.expr()
        if self._peek():
            raise self._fail("tools.what_operator")
        return value

    def expr(self) -> int:
        value = self.term()
        while self._peek() in ("+", "-"):
            op = self.text[self.pos]
            self.pos += 1
            right = self.term()
            value = self._small(value + right if op == "+" else value - right)
        return value

    def term(self) -> int:
        value = self.factor()
        while self._peek() == "*":
            self.pos += 1
            value = self._small(value * self.factor())
        return value

    def factor(self) -> int:
        c = self._peek()
        if c in ("+", "-", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Reject(say("tools.too_deep", limit=MAX_DEPTH))
            self.pos += 1
            if c == "(":
                value = self.expr()
                if self._peek() != ")":
                    raise self._fail("tools.what_close")
                self.pos += 1
            else:
                value = self.factor() if c == "+" else -self.factor()
            self.depth -= 1
            return value
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in "0123456789":
            self.pos += 1
        if self.pos == start:
            raise self._fail("tools.what_number")
        return self._small(int(self.text[start : self.pos]))


def calculator(expr: str) -> str:
    """The value of an integer expression with + - * and parentheses, as text.

    Anything else (another character, a syntax error, more than MAX_CHARS characters, more
    than MAX_DEPTH nested parentheses or signs, a number past MAX_DIGITS digits) gives back
    a sentence saying what is wrong instead; nothing in `expr` is ever run as code.

    Example: calculator("3+4*5") -> "23";  calculator("2**9") -> "calculator error: ..."
    """
    if not isinstance(expr, str):
        raise TypeError(f"the expression must be a str, got {type(expr).__name__}")
    if len(expr) > MAX_CHARS:
        return say("tools.too_long", length=len(expr), limit=MAX_CHARS)
    for pos, char in enumerate(expr):
        if char not in "0123456789+-*() ":
            return say("tools.bad_char", char=char, pos=pos)
    if not expr.strip():
        return say("tools.empty")
    try:
        return str(_Parser(expr).parse())
    except _Reject as why:
        return str(why)


def parse_call(text: str) -> str | None:
    """The expression of the call that `text` ends with, or None if it ends with no call.

    A call is complete once CALL_CLOSE is written; its expression is what follows the last
    CALL_OPEN before it. A CALL_CLOSE with no CALL_OPEN since the previous call raises
    ValueError with the sentence to hand back as the result.

    Example: parse_call("7*6=<|calc|>7*6<|/calc|>") -> "7*6";  parse_call("7*6=") -> None
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.endswith(CALL_CLOSE):
        return None
    body = text[: -len(CALL_CLOSE)]
    start = body.rfind(CALL_OPEN)
    if start < 0 or CALL_CLOSE in body[start:]:
        raise ValueError(say("tools.no_open", open=CALL_OPEN, close=CALL_CLOSE))
    return body[start + len(CALL_OPEN) :]


class Event(NamedTuple):
    """One step of a tool-using generation, for a widget to show.

    kind: "prompt" (the text given), "model" (a piece the model wrote), "tool" (what the
    program appended after a call), or "stop" (the loop ended). text: what this event added
    to the context, so "".join(e.text for e in events) is the whole context. note: for
    "tool" the expression that ran, for "stop" why the loop ended ("end" or "max_steps").
    """

    kind: str
    text: str
    note: str = ""


def context(events: list[Event]) -> str:
    """The whole text of a trace: the prompt, the model's words and the tool's results."""
    return "".join(e.text for e in events)


def run_with_tools(step_fn: Callable[[str], str], prompt: str, max_steps: int) -> list[Event]:
    """Generate with a calculator: whenever a call closes, run it once and append its result.

    Args:
        step_fn: the context so far -> the next piece of text the model writes (usually one
            token); "" means the model has finished. A piece that closes a call and goes on
            is cut right after CALL_CLOSE: the program takes over there, so the model can
            never write a result itself.
        prompt: the text to start from.
        max_steps: the most calls of step_fn (int >= 1).

    Returns:
        The trace, a list of Events: the prompt, then the model's pieces with a "tool" event
        (text "=RESULT") after each closed call, then one "stop" event.

    Example: a model writing "<|calc|>", "2+2", "<|/calc|>", then "" ->
        [prompt "Q:", model "<|calc|>", model "2+2", model "<|/calc|>", tool "=4" (note "2+2"),
         stop "" (note "end")]
    """
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a str, got {type(prompt).__name__}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps must be an int >= 1, got {max_steps!r}")
    events = [Event("prompt", prompt)]
    text = prompt
    for _ in range(max_steps):
        piece = step_fn(text)
        if not isinstance(piece, str):
            raise TypeError(f"step_fn must return a str, got {type(piece).__name__}")
        if not piece:
            events.append(Event("stop", "", "end"))
            return events
        # Look for a closing marker that this piece completes (it may straddle two pieces).
        seen = max(len(text) - len(CALL_CLOSE) + 1, 0)
        close = (text + piece).find(CALL_CLOSE, seen)
        if close >= 0:
            piece = (text + piece)[len(text) : close + len(CALL_CLOSE)]
        events.append(Event("model", piece))
        text += piece
        if close >= 0:
            try:
                expr = parse_call(text)
                result = calculator(expr)
            except ValueError as why:
                expr, result = "", str(why)
            events.append(Event("tool", RESULT_PREFIX + result, expr))
            text += RESULT_PREFIX + result
    events.append(Event("stop", "", "max_steps"))
    return events


def greedy_step(model: Any, tokenizer: Any, stop: Iterable[str] = ()) -> Callable[[str], str]:
    """A step_fn for `run_with_tools` from a language model: its most likely next token.

    The context is encoded with its special tokens (the tool markers among them) and cut to
    the model's last block_size tokens; the argmax token is returned as text, or "" when it
    is one of `stop` (e.g. "<|end|>" or "\\n"), which ends the loop.

    Example: run_with_tools(greedy_step(model, tok, stop=["\\n"]), "12*34=", 20)
    """
    stop = set(stop)
    block_size = model.config.block_size

    def step(text: str) -> str:
        ids = tokenizer.encode(text, allowed_special="all")[-block_size:]
        piece = tokenizer.decode([int(next_token(model, ids))])
        return "" if piece in stop else piece

    return step


@nnx.jit
def _argmax_after(model: Any, window: jax.Array, length: jax.Array) -> jax.Array:
    """The argmax token after the first `length` tokens of window (1, T)."""
    return jnp.argmax(model(window)[0, length - 1])


def next_token(model: Any, ids: Sequence[int]) -> int:
    """The model's most likely token after `ids` (1 to block_size token ids).

    The ids are padded to the model's block_size, so every call has the same shape and is
    compiled once; the causal mask keeps the padding from changing the prediction.
    """
    T = model.config.block_size
    if not 1 <= len(ids) <= T:
        raise ValueError(f"expected 1 to block_size = {T} token ids, got {len(ids)}")
    window = np.zeros((1, T), np.int32)
    window[0, : len(ids)] = ids
    return int(_argmax_after(model, jnp.asarray(window), len(ids)))
