"""Tests for the addition data (llmlab.data.arithmetic), its evaluation (llmlab.arithmetic) and
the three shipped adders."""

import jax
import numpy as np
import pytest
from flax import nnx
from hypothesis import given
from hypothesis import strategies as st

from llmlab.arithmetic import accuracy_by_digits, complete, parse_answer
from llmlab.data.arithmetic import (
    FORMATS,
    Problem,
    arithmetic_tokenizer,
    encode_example,
    is_test,
    make_problems,
    scratch,
    scratch_steps,
    write,
)
from llmlab.tools import CALL_CLOSE, CALL_OPEN

numbers = st.integers(0, 9999)


def test_the_three_formats_of_95_plus_7_read_as_on_paper():
    p = Problem(95, 7)
    assert write(p, "direct") == "95+7=102\n"
    # 5+7 = 12: write 2, carry 1; 9+0+1 = 10: write 0, carry 1; the last carry leads: 102
    assert scratch(p) == "95+7=5+7+0=12,9+0+1=10,=102\n"
    assert write(p, "tool") == f"95+7={CALL_OPEN}95+7{CALL_CLOSE}=102\n"


@given(numbers, numbers, st.sampled_from(FORMATS))
def test_every_format_parses_back_to_the_sum(a, b, fmt):
    text = write(Problem(a, b), fmt)
    assert text.startswith(f"{a}+{b}="), "every line starts with the prompt"
    assert parse_answer(text) == a + b, f"{text!r} must read back as {a + b}"


@given(numbers, numbers)
def test_each_scratchpad_step_adds_one_column_and_the_carry_of_the_step_before(a, b):
    steps = scratch_steps(Problem(a, b))
    assert len(steps) == max(len(str(a)), len(str(b))), "one step per column of the longer number"
    carry = 0
    for k, step in enumerate(steps):
        assert len(step) == 8, f"every step has the same width, got {step!r}"
        x, y, c, s = int(step[0]), int(step[2]), int(step[4]), int(step[6:])
        assert (x, y) == (a // 10**k % 10, b // 10**k % 10), f"step {k} must read column {k}"
        assert c == carry, f"step {k} must take the carry {carry} of the step before"
        assert s == x + y + c, f"step {k} must write the sum of its digits: {step!r}"
        carry = s // 10
    # The answer is the steps' last digits read backwards, after the final carry if any.
    answer = ("1" if carry else "") + "".join(step[-1] for step in reversed(steps))
    assert int(answer) == a + b


def test_answers_that_cannot_be_read_count_as_none():
    assert parse_answer("12+345=357\n") == 357
    assert parse_answer("12+345=357\n999") == 357, "what comes after the newline is ignored"
    assert parse_answer("12+345=357") is None, "no newline: the model had not finished"
    assert parse_answer("12+345=\n") is None, "no digits after the last '='"
    assert parse_answer("12+345=3a7\n") is None
    assert parse_answer(f"1+2={CALL_OPEN}1+2{CALL_CLOSE}=calculator error: x\n") is None


def test_accuracy_by_digits_counts_exact_matches_per_length_of_the_longer_number():
    problems = [Problem(1, 2), Problem(3, 4), Problem(10, 5), Problem(5, 999)]
    answers = [3, 8, 15, None]  # 3 + 4 is not 8; None is an unreadable answer
    assert accuracy_by_digits(problems, answers) == {1: 0.5, 2: 1.0, 3: 0.0}
    with pytest.raises(ValueError, match="4 problems and 3 answers"):
        accuracy_by_digits(problems, answers[:3])


def test_train_and_test_splits_never_share_a_problem_and_repeat_for_a_seed():
    train = make_problems(3000, "train", seed=0)
    test = make_problems(300, "test", seed=0)
    assert not set(train) & set(test), "a test problem was also a training problem"
    assert all(is_test(p) for p in test) and not any(is_test(p) for p in train)
    assert make_problems(50, "train", seed=3) == make_problems(50, "train", seed=3)
    assert make_problems(50, "train", seed=3) != make_problems(50, "train", seed=4)
    counts = np.bincount([p.digits for p in train], minlength=5)[1:]
    assert counts.min() > 0.2 * len(train), f"each length 1-4 about a quarter, got {counts}"
    assert {p.digits for p in make_problems(40, "test", seed=0, digits=3)} == {3}


def test_bad_requests_are_refused_with_what_was_expected():
    with pytest.raises(ValueError, match=r"'train' or 'test'.*'val'"):
        make_problems(5, "val", seed=0)
    with pytest.raises(ValueError, match="unknown format 'cot'"):
        write(Problem(1, 2), "cot")
    with pytest.raises(ValueError, match="non-negative int, got -3"):
        write(Problem(-3, 2), "direct")


def test_the_refusals_speak_chinese_when_the_course_does():
    import llmlab

    llmlab.set_language("zh")
    try:
        with pytest.raises(ValueError, match=r"split 必须是 'train'（训练）或 'test'.*'val'"):
            make_problems(5, "val", seed=0)
        with pytest.raises(ValueError, match="每道题需要一个答案，但有 1 道题、0 个答案"):
            accuracy_by_digits([Problem(1, 2)], [])
    finally:
        llmlab.set_language("en")


def test_only_what_the_model_writes_is_learned():
    tok = arithmetic_tokenizer()
    ids, mask = encode_example(Problem(1, 2), "direct", tok)
    assert tok.decode(ids.tolist()) == "1+2=3\n"
    assert mask.tolist() == [0, 0, 0, 0, 1, 1], "the prompt 1+2= is given, not learned"
    ids, mask = encode_example(Problem(1, 2), "tool", tok)
    learned = "".join(tok.decode([i]) if m else "_" for i, m in zip(ids.tolist(), mask))
    # The call is the model's; "=3", pasted in by the program, is not; the newline is.
    assert learned == f"____{CALL_OPEN}1+2{CALL_CLOSE}__\n"


def test_batched_greedy_completion_writes_what_generate_writes_for_each_prompt():
    from llmlab.generate import generate
    from llmlab.model import GPT, GPTConfig

    tok = arithmetic_tokenizer()
    model = GPT(GPTConfig(tok.vocab_size, 24, 1, 2, 16), rngs=nnx.Rngs(3))  # random weights
    prompts = ["7+8=", "1234+56=", "0+0="]
    got = complete(model, tok, prompts, 10)
    for prompt, text in zip(prompts, got):
        ids = generate(model, tok.encode(prompt), 10, key=jax.random.key(0), temperature=0.0,
                       use_cache=False)  # fmt: skip
        want = prompt + tok.decode(ids)
        want = want[: want.find("\n", len(prompt)) + 1] if "\n" in want[len(prompt) :] else want
        assert text == want, "one batched greedy row must equal generate's greedy text"
    with pytest.raises(ValueError, match="block_size is 24"):
        complete(model, tok, prompts, 20)


def _held_out(per_length: int, seed: int) -> list[Problem]:
    return [p for d in range(1, 5) for p in make_problems(per_length, "test", seed=seed, digits=d)]


def test_shipped_adders_beat_a_floor_and_thinking_beats_answering_at_once():
    from llmlab.arithmetic import answers
    from llmlab.pretrained import load

    problems = _held_out(10, seed=11)
    acc = {}
    for fmt in ("direct", "scratch"):
        model, tok = load(f"add_{fmt}")
        acc[fmt] = accuracy_by_digits(problems, answers(model, tok, fmt, problems))
    # One-digit problems are few (8 distinct ones are held out), so the floors are on 2-3 digits.
    assert acc["direct"][1] >= 0.5, f"add_direct must add most one-digit numbers: {acc}"
    assert acc["scratch"][2] >= 0.6, f"add_scratch must add most two-digit numbers: {acc}"
    three = acc["scratch"][3] - acc["direct"][3]
    assert three >= 0.3, f"the scratchpad must beat the direct answer on 3 digits: {acc}"


def test_the_tool_adder_calls_the_calculator_once_and_answers_what_it_returned():
    from llmlab.arithmetic import answers, solve_with_tools
    from llmlab.pretrained import load
    from llmlab.tools import context

    model, tok = load("add_tool")
    trace = solve_with_tools(model, tok, "345+12=")
    tools = [e for e in trace if e.kind == "tool"]
    assert [(e.text, e.note) for e in tools] == [("=357", "345+12")], f"one call: {trace}"
    assert context(trace) == f"345+12={CALL_OPEN}345+12{CALL_CLOSE}=357\n"
    problems = _held_out(3, seed=12)
    got = accuracy_by_digits(problems, answers(model, tok, "tool", problems, run_tools=True))
    assert min(got.values()) >= 0.9, f"with its calls run, add_tool is almost always right: {got}"
