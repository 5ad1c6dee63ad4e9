# ruff: noqa: E501  (the table of mistakes reads best one per line)
"""The checks of lesson 13 (llmlab/grading/thinking.py and thinking_retrieval.py).

Its planted mistakes (MISTAKES, run by test_grading_mistakes.py with the other lessons'), right
answers written differently from the notebook's solutions, the loop that uses eval, and the
check's own stand-ins: the scripted model and the mistaken tool loops it compares with.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import nbformat
import numpy as np
import pytest

import llmlab.grading as grading
from llmlab import tools
from llmlab.grading.thinking import ECHO, Script, _tool_cases, tool_loop

# --- wrong answers, one mistake each --------------------------------------------------------


def choice_logprob_with(
    logits, ids, start, *, shift=1, first=None, rows=jax.nn.log_softmax, reduce=jnp.sum
):
    lp = rows(logits)
    first = start if first is None else first
    return reduce(jnp.stack([lp[j - shift, ids[j]] for j in range(first, ids.shape[0])]))


def naive_log_softmax(logits):
    e = jnp.exp(logits)  # overflows once a logit passes ~88 in float32
    return jnp.log(e / e.sum(-1, keepdims=True))


def best_choice_with(token_logprobs, per_token, *, score=None, pick=np.argmax):
    score = score or (lambda lp: lp.mean() if per_token else lp.sum())
    return int(pick(np.array([score(lp) for lp in token_logprobs])))


def last_argmax(scores):
    return len(scores) - 1 - int(np.argmax(scores[::-1]))


def run_tools_with(**switches):
    return lambda step_fn, prompt, max_steps: tool_loop(step_fn, prompt, max_steps, **switches)


def run_tools_with_eval(step_fn, prompt, max_steps):
    # The mistake the check exists for. Its expressions are harmless, so running one is safe.
    def evaluate(expr):
        try:
            return str(eval(expr, {"__builtins__": {"len": len}}))
        except Exception:
            return tools.calculator(expr)

    return tool_loop(step_fn, prompt, max_steps, run=evaluate)


def run_tools_one_step_too_many(step_fn, prompt, max_steps):
    return tool_loop(step_fn, prompt, max_steps + 1)


def run_tools_with_the_prompt_only(step_fn, prompt, max_steps):
    # Hands the model the prompt every time, never the text written since.
    text = tool_loop(lambda _: "", prompt, 1)
    for _ in range(max_steps):
        piece = step_fn(prompt)
        if not piece:
            break
        text = tool_loop(Script([piece]), text, 1)
    return text


def bag_with(text, vocabulary, *, norm=np.linalg.norm, count=str.count):
    counts = np.array([count(text, c) for c in vocabulary], np.float64)
    with np.errstate(invalid="ignore"):  # 0 / 0 for a text with none of the characters
        return counts / norm(counts)


def bag_counted_once(text, vocabulary):
    return bag_with(text, vocabulary, count=lambda t, c: float(c in t))


def top_k_with(
    query,
    matrix,
    k,
    *,
    zero_norm=1.0,
    cosine=True,
    order=lambda s: np.argsort(-s, kind="stable"),
    check_query=True,
):
    query, matrix = np.asarray(query, np.float64), np.asarray(matrix, np.float64)
    if check_query and not np.linalg.norm(query) > 0:
        raise ValueError("the query is all zeros")
    scores = matrix @ query
    if cosine:
        norms = np.linalg.norm(matrix, axis=1)
        with np.errstate(invalid="ignore"):
            scores = scores / (np.where(norms > 0, norms, zero_norm) * np.linalg.norm(query))
    return order(scores)[:k]


def ties_last(scores):
    return len(scores) - 1 - np.argsort(-scores[::-1], kind="stable")


def top_k_dividing_by_zero(query, matrix, k):
    if not np.linalg.norm(query) > 0:
        raise ZeroDivisionError("float division by zero")
    return top_k_with(query, matrix, k)


MISTAKES = [
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, shift=0), "row j predicts the NEXT token"),
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, first=1), "over the whole sequence"),
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, first=s + 1), "left out the choice's first token"),
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, rows=lambda x: x), "summed raw logits"),
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, rows=jax.nn.softmax), "summed probabilities"),
    ("choice_logprob", lambda lg, ids, s: jnp.exp(choice_logprob_with(lg, ids, s)), "returned the probability itself"),
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, reduce=jnp.mean), "took the mean"),
    ("choice_logprob", lambda lg, ids, s: choice_logprob_with(lg, ids, s, rows=naive_log_softmax), "overflows"),
    ("best_choice", lambda lps, per: best_choice_with(lps, False), "per_token = True asks for the best mean"),
    ("best_choice", lambda lps, per: best_choice_with(lps, True), "per_token = False asks for the best total"),
    ("best_choice", lambda lps, per: best_choice_with(lps, per, pick=np.argmin), "least likely choice"),
    ("best_choice", lambda lps, per: best_choice_with(lps, per, pick=last_argmax), "on a tie return the first"),
    ("best_choice", lambda lps, per: float(max(lp.sum() for lp in lps)), "one int index"),
    ("run_tools", run_tools_with_eval, "that is eval"),
    ("run_tools", run_tools_with(cut=False), "kept what the model wrote after <|/calc|>"),
    ("run_tools", run_tools_with(across=False), "split over two pieces"),
    ("run_tools", run_tools_with(append=False), "did not append"),
    ("run_tools", run_tools_one_step_too_many, "max_steps"),
    ("run_tools", run_tools_with_the_prompt_only, "differs from the right one"),
    ("run_tools", lambda step_fn, prompt, n: tools.run_with_tools(step_fn, prompt, n), "return the final context"),
    ("bag_of_chars", lambda t, v: bag_with(t, v, norm=lambda c: 1.0), "returned the counts"),
    ("bag_of_chars", lambda t, v: bag_with(t, v, norm=np.sum), "divided the counts by their sum"),
    ("bag_of_chars", bag_counted_once, "counted each character once"),
    ("bag_of_chars", lambda t, v: bag_with(t, v, norm=lambda c: max(len(t), 1)), "the text's length"),
    ("bag_of_chars", lambda t, v: np.nan_to_num(bag_with(t, v)) if t else bag_with(t, v), "has NaN"),
    ("top_k_similar", lambda q, m, k: top_k_with(q, m, k, order=np.argsort), "least similar rows first"),
    ("top_k_similar", lambda q, m, k: top_k_with(q, m, k, cosine=False), "dot product"),
    ("top_k_similar", lambda q, m, k: top_k_with(q, m, k, zero_norm=0.0), "as if its score were NaN"),
    ("top_k_similar", lambda q, m, k: top_k_with(q, m, k, order=ties_last), "equal rows came in the wrong order"),
    ("top_k_similar", lambda q, m, k: top_k_with(q, m, len(m)), "returned every row"),
    ("top_k_similar", lambda q, m, k: top_k_with(q, m, k, check_query=False), "raise ValueError, as llmlab.retrieval does"),
    ("top_k_similar", top_k_dividing_by_zero, "raised ZeroDivisionError"),
]  # fmt: skip


# --- right answers written another way pass -------------------------------------------------


def test_right_answers_written_another_way_pass_on_many_draws():
    def choice_logprob(logits, ids, start):  # a loop, in float64
        lp = np.asarray(logits, np.float64)
        lp = lp - lp.max(-1, keepdims=True)
        lp = lp - np.log(np.exp(lp).sum(-1, keepdims=True))
        return sum(lp[j - 1, int(ids[j])] for j in range(start, len(ids)))

    def best_choice(token_logprobs, per_token):  # max() keeps the first of equals too
        scores = [float(np.mean(lp) if per_token else np.sum(lp)) for lp in token_logprobs]
        return max(range(len(scores)), key=lambda i: (scores[i], -i))

    def bag_of_chars(text, vocabulary):  # jax, and 1e-12 in place of the zero test
        counts = jnp.array([sum(ch == c for ch in text) for c in vocabulary], jnp.float32)
        return counts / jnp.maximum(jnp.linalg.norm(counts), 1e-12)

    def top_k_similar(query, matrix, k):  # unit vectors first, then lax.top_k
        if float(jnp.linalg.norm(query)) == 0:
            raise ValueError("zero query")
        rows = matrix / jnp.maximum(jnp.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        return jax.lax.top_k(rows @ (query / jnp.linalg.norm(query)), k)[1]

    answers = {
        "choice_logprob": choice_logprob,
        "best_choice": best_choice,
        "run_tools": lambda step_fn, prompt, n: tools.context(
            tools.run_with_tools(step_fn, prompt, n)
        ),
        "bag_of_chars": bag_of_chars,
        "top_k_similar": top_k_similar,
    }
    assert set(answers) == set(grading.lesson_tasks("13_thinking"))
    for task_id, fn in answers.items():
        for seed in range(30):
            result = grading.run_check(task_id, fn, seed=seed)
            assert result.passed, f"{task_id} failed a right answer (seed {seed}): {result.message}"


# --- the tool loop's stand-ins ----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_the_check_s_tool_loop_with_no_mistake_switched_on_is_run_with_tools(seed):
    for prompt, pieces, max_steps in _tool_cases(np.random.default_rng(seed)):
        want = tools.context(tools.run_with_tools(Script(pieces), prompt, max_steps))
        assert tool_loop(Script(pieces), prompt, max_steps) == want, (
            f"the stand-in loop must equal the library's on {pieces}"
        )


def test_every_mistaken_loop_differs_from_the_right_one_on_some_case():
    # Otherwise the check could not tell that mistake from a right answer.
    cases = _tool_cases(np.random.default_rng(0))
    for switches in [{"cut": False}, {"across": False}, {"append": False}]:
        assert any(
            tool_loop(Script(p), prompt, n, **switches) != tool_loop(Script(p), prompt, n)
            for prompt, p, n in cases
        ), f"no case shows the mistake {switches}"


def test_the_scripted_model_echoes_the_last_result_and_ends_with_empty_pieces():
    model = Script(["<|calc|>", ECHO])
    assert model("anything") == "<|calc|>"
    assert model("3*4=<|calc|>3*4<|/calc|>=12") == " so 12", "ECHO repeats what follows the last ="
    assert model("more") == "" and model("more") == "", "a finished script writes nothing"


def test_the_scripted_model_goes_through_a_pickle_fresh_as_the_batch_grader_sends_it():
    model = Script(["a", "b"])
    model("x")
    copy = pickle.loads(pickle.dumps(Script(["a", "b"])))
    assert copy("x") == "a" and model("x") == "b", "each copy counts its own calls"


def test_the_expressions_that_expose_eval_are_refused_by_the_calculator():
    for expr, python in {"2**10": "1024", "len('abc')*7": "21"}.items():
        answer = tools.calculator(expr)
        assert answer != python and answer.startswith("calculator error"), (
            f"{expr} must be refused, or a loop using eval could not be told apart: {answer}"
        )


# --- through the batch grader: the learner's loop runs in its sandboxed kernel ----------------

EVAL_LOOP = """def run_tools(step_fn, prompt, max_steps):
    text = prompt
    for _ in range(max_steps):
        piece = step_fn(text)
        if piece == "":
            break
        end = (text + piece).find(CALL_CLOSE, max(len(text) - len(CALL_CLOSE) + 1, 0))
        if end < 0:
            text += piece
            continue
        text = (text + piece)[: end + len(CALL_CLOSE)]
        try:
            result = str(eval(parse_call(text)))
        except Exception as error:
            result = str(error)
        text += "=" + result
    return text
"""


@pytest.mark.slow
def test_the_batch_grader_names_a_loop_that_runs_the_model_s_text_with_eval(tmp_path):
    root = Path(__file__).resolve().parents[1]
    nb = nbformat.read(root / "exercises" / "solutions" / "13_thinking.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("def run_tools("))
    cell.source = EVAL_LOOP
    path = tmp_path / "13_thinking.ipynb"
    nbformat.write(nb, path)
    out = subprocess.run(
        [sys.executable, "-m", "llmlab.grade", str(path), "--json", "--seed", "0"],
        capture_output=True, text=True, cwd=root, timeout=600,
    )  # fmt: skip
    tasks = json.loads(out.stdout)[str(path)]
    assert not tasks["run_tools"]["passed"]
    assert "that is eval" in tasks["run_tools"]["message"], tasks["run_tools"]["message"]
    others = {t: r["message"] for t, r in tasks.items() if t != "run_tools" and not r["passed"]}
    assert not others, f"the other solutions still pass: {others}"
