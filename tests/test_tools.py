"""Tests for llmlab.tools: the calculator's own parser, call detection and the tool loop."""

import builtins
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmlab
import llmlab.tools as tools
from llmlab.tools import (
    CALL_CLOSE,
    CALL_OPEN,
    MAX_CHARS,
    Event,
    calculator,
    context,
    parse_call,
    run_with_tools,
)

ERROR = "calculator error"


@pytest.fixture(autouse=True)
def _english():
    llmlab.set_language("en")
    yield
    llmlab.set_language("en")


def test_worked_examples_follow_school_precedence():
    # 3 + (4*5) = 23; -(3-10)*2 = 7*2 = 14; 2*(3+4)-5 = 9; spaces are ignored.
    assert calculator("3+4*5") == "23", "* binds tighter than +"
    assert calculator("-(3-10)*2") == "14", "a leading minus negates the parenthesis"
    assert calculator(" 2 * (3 + 4) - 5 ") == "9", "spaces between tokens are allowed"
    assert calculator("10-3-2") == "5", "- is left-associative: (10-3)-2"
    assert calculator("007") == "7", "leading zeros are read as decimal"


def expressions(depth=3):
    """(text, value) pairs of random expressions, with the value computed from the tree."""
    numbers = st.integers(0, 10**6).map(lambda n: (str(n), n))
    if depth == 0:
        return numbers
    sub = expressions(depth - 1)

    def combine(a, op, b):
        value = {"+": a[1] + b[1], "-": a[1] - b[1], "*": a[1] * b[1]}[op]
        return f"({a[0]}){op}({b[0]})", value

    return st.one_of(
        numbers,
        st.builds(combine, sub, st.sampled_from("+-*"), sub),
        sub.map(lambda a: (f"-({a[0]})", -a[1])),
    )


@settings(max_examples=200)
@given(expressions())
def test_calculator_agrees_with_the_tree_it_was_written_from(case):
    text, value = case
    if len(text) <= MAX_CHARS and len(str(abs(value))) <= tools.MAX_DIGITS:
        assert calculator(text) == str(value), f"{text} should be {value}"
    else:
        assert calculator(text).startswith(ERROR), f"{text!r} is past the size limits"


@settings(max_examples=300)
@given(st.text(alphabet="0123456789+-*() _.a", max_size=80))
def test_any_text_gives_an_integer_or_a_sentence_and_never_raises(text):
    out = calculator(text)
    assert out.startswith(ERROR) or out.lstrip("-").isdigit(), f"{text!r} gave {out!r}"


@pytest.mark.parametrize(
    "text, why",
    [
        ("2**9", "expected a number"),
        ("1+", "found the end"),
        ("(1+2", "expected ')'"),
        ("1 2", "expected an operator"),
        ("", "empty"),
        ("   ", "empty"),
        ("1/2", "'/' at position 1 is not allowed"),
        ("1.5*2", "'.' at position 1 is not allowed"),
    ],
)
def test_malformed_expressions_get_a_sentence_saying_what_is_wrong(text, why):
    out = calculator(text)
    assert out.startswith(ERROR) and why in out, f"{text!r} gave {out!r}, expected {why!r}"


HOSTILE = [
    "__import__('sys').modules.__setitem__('llmlab_pwned', 1)",
    "().__class__.__bases__[0].__subclasses__()",
    "exec('import sys; sys.modules[\"llmlab_pwned\"] = 1')",
    "9**9**9**9",
    "2**100000000",
    "(" * 10_000 + "1" + ")" * 10_000,
    "-" * 5_000 + "1",
    "(" * 40 + "1" + ")" * 40,
    "9" * 31,
    "*".join(["99999999"] * 7),
    "lambda: 1",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:24])
def test_hostile_strings_never_run_and_are_answered_with_a_sentence(text, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the calculator must never call eval, exec or compile")

    start = time.perf_counter()
    with monkeypatch.context() as patch:
        for name in ("eval", "exec", "compile"):
            patch.setattr(builtins, name, refuse)
        out = calculator(text)
    assert out.startswith(ERROR), f"{text[:40]!r} must be refused, got {out!r}"
    assert "llmlab_pwned" not in sys.modules, "no code in the expression may have run"
    assert time.perf_counter() - start < 1.0, "refusing must be immediate, not a computation"


def test_deep_but_allowed_nesting_is_computed():
    text = "(" * tools.MAX_DEPTH + "6*7" + ")" * tools.MAX_DEPTH
    assert calculator(text) == "42", f"{tools.MAX_DEPTH} nested parentheses are allowed"
    too_deep = "(" + text + ")"
    assert "nested" in calculator(too_deep), "one more level must be refused"


def test_the_sentences_follow_the_language():
    llmlab.set_language("zh")
    assert calculator("1/2").startswith("计算器错误"), "in Chinese the sentence is Chinese"


def test_parse_call_finds_the_call_the_text_ends_with():
    assert parse_call(f"7*6={CALL_OPEN}7*6{CALL_CLOSE}") == "7*6"
    assert parse_call(f"7*6={CALL_OPEN}7*6") is None, "an open call is not complete"
    assert parse_call("7*6=42") is None, "no call, nothing to run"
    first = f"{CALL_OPEN}1+1{CALL_CLOSE}=2 and {CALL_OPEN}2+2{CALL_CLOSE}"
    assert parse_call(first) == "2+2", "the call that just closed, not an earlier one"


def test_parse_call_refuses_a_close_without_an_open():
    with pytest.raises(ValueError, match="never opened"):
        parse_call(f"1+1{CALL_CLOSE}")
    with pytest.raises(ValueError, match="never opened"):
        parse_call(f"{CALL_OPEN}1{CALL_CLOSE}=1 2{CALL_CLOSE}")


def scripted(pieces):
    """A fake model: writes `pieces` in order, then "" (finished); records what it was shown."""
    shown = []

    def step(text):
        shown.append(text)
        return pieces[len(shown) - 1] if len(shown) <= len(pieces) else ""

    return step, shown


def test_the_loop_runs_a_call_once_and_the_model_reads_its_result(monkeypatch):
    runs = []
    real = tools.calculator
    monkeypatch.setattr(tools, "calculator", lambda e: runs.append(e) or real(e))
    step, shown = scripted([CALL_OPEN, "12", "*", "12", CALL_CLOSE, " so", " done"])
    events = run_with_tools(step, "Q: 12*12? A: ", max_steps=20)
    assert runs == ["12*12"], "the call must run exactly once, however long the loop goes on"
    assert events[6] == Event("tool", "=144", "12*12"), "the result follows the closing marker"
    assert shown[5].endswith(f"{CALL_CLOSE}=144"), "the model's next step sees the result"
    assert context(events) == f"Q: 12*12? A: {CALL_OPEN}12*12{CALL_CLOSE}=144 so done"
    assert events[-1] == Event("stop", "", "end")


def test_a_piece_that_closes_a_call_and_goes_on_is_cut_so_the_model_cannot_forge_a_result():
    step, _ = scripted([f"{CALL_OPEN}2+2{CALL_CLOSE}=5 and more"])
    events = run_with_tools(step, "", max_steps=5)
    assert [e.kind for e in events] == ["prompt", "model", "tool", "stop"]
    assert context(events) == f"{CALL_OPEN}2+2{CALL_CLOSE}=4", "the forged '=5' is dropped"


def test_a_closing_marker_split_across_pieces_still_triggers_the_call():
    half = len(CALL_CLOSE) // 2
    step, _ = scripted([CALL_OPEN + "3*3", CALL_CLOSE[:half], CALL_CLOSE[half:]])
    events = run_with_tools(step, "", max_steps=5)
    assert events[4] == Event("tool", "=9", "3*3"), "the call closes when the marker completes"


def test_malformed_calls_in_the_loop_get_the_sentence_and_the_loop_goes_on():
    step, shown = scripted([f"{CALL_OPEN}2**8{CALL_CLOSE}", f"x{CALL_CLOSE}", "ok"])
    events = run_with_tools(step, "", max_steps=10)
    tool = [e for e in events if e.kind == "tool"]
    assert len(tool) == 2 and all(e.text.startswith("=" + ERROR) for e in tool), tool
    assert "never opened" in tool[1].text, "a stray closing marker is explained"
    assert events[-1].note == "end" and shown[-1].endswith("ok"), "the model carries on after"


def test_the_loop_stops_after_max_steps():
    events = run_with_tools(lambda text: "a", "", max_steps=3)
    assert context(events) == "aaa" and events[-1] == Event("stop", "", "max_steps")


def test_bad_arguments_are_refused_with_what_came():
    with pytest.raises(ValueError, match="got 0"):
        run_with_tools(lambda t: "", "", max_steps=0)
    with pytest.raises(TypeError, match="got int"):
        run_with_tools(lambda t: 3, "", max_steps=2)
    with pytest.raises(TypeError, match="got bytes"):
        calculator(b"1+1")


def test_greedy_step_gives_the_models_most_likely_next_token_as_text():
    import jax.numpy as jnp
    import numpy as np
    from flax import nnx

    from llmlab.model import GPT, GPTConfig
    from llmlab.tokenizer import CharTokenizer, add_tokens

    tok = add_tokens(CharTokenizer.from_text("0123456789+-*=\n"), "", tools.TOOL_TOKENS)
    model = GPT(GPTConfig.tiny(tok.vocab_size), rngs=nnx.Rngs(0))
    text = f"12*3={CALL_OPEN}12*3{CALL_CLOSE}=36"
    ids = tok.encode(text, allowed_special="all")
    assert ids[5] == tok.special_tokens[CALL_OPEN], "the markers are read as special tokens"
    want = tok.decode([int(np.argmax(np.asarray(model(jnp.asarray([ids], jnp.int32)))[0, -1]))])
    assert tools.greedy_step(model, tok)(text) == want, "the argmax token, decoded"
    assert tools.greedy_step(model, tok, stop=[want])(text) == "", "a stop token ends the loop"
    events = run_with_tools(tools.greedy_step(model, tok), "1+1=", max_steps=5)
    assert events[-1].kind == "stop" and context(events).startswith("1+1=")
    for bad in ([], list(range(model.config.block_size + 1))):
        with pytest.raises(ValueError, match=f"1 to block_size = 64 token ids, got {len(bad)}"):
            tools.next_token(model, bad)
