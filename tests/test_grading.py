"""The check framework never raises into a notebook and says, in one sentence, what went wrong."""

from __future__ import annotations

import builtins
import threading
import time

import jax.numpy as jnp
import numpy as np
import pytest

import llmlab.grading as grading
from llmlab.grading import core, report
from llmlab.grading.core import CheckTimeout, time_limit


def good_softmax(logits):
    z = logits - logits.max(-1, keepdims=True)
    e = jnp.exp(z)
    return e / e.sum(-1, keepdims=True)


def test_every_lesson_from_01_to_13_has_three_to_six_tasks():
    lessons = {task.lesson for task in grading.TASKS.values()}
    assert lessons == {
        "01_probability",
        "02_tokens",
        "03_sampling",
        "04_loss",
        "05_embeddings",
        "06_attention",
        "07_transformer",
        "08_pretraining",
        "09_generation",
        "10_finetuning",
        "11_preferences",
        "12_efficiency",
        "13_thinking",
    }, "every exercise notebook needs its checks"
    for lesson in lessons:
        assert 3 <= len(grading.lesson_tasks(lesson)) <= 6, f"{lesson} should have 3-6 tasks"


def test_a_correct_function_passes_and_is_recorded():
    result = grading.run_check("stable_softmax", good_softmax)
    assert result.passed, result.message
    assert grading.RESULTS["stable_softmax"] is result, "the score cell reads RESULTS"


def test_inputs_are_fresh_on_every_run():
    seeds = {grading.run_check("perplexity", jnp.exp).seed for _ in range(3)}
    assert len(seeds) == 3, "each run must draw new inputs (a fresh seed from os.urandom)"


def test_a_seed_replays_the_inputs_of_an_earlier_result():
    seen = []

    def spy(ids, vocab_size):
        seen.append((tuple(ids), vocab_size))
        return np.zeros((vocab_size, vocab_size))

    first = grading.run_check("count_bigrams", spy)
    replay = grading.run_check("count_bigrams", spy, seed=first.seed)
    assert replay.seed == first.seed and replay.message == first.message
    assert seen[0] == seen[1], "the same seed must give the same inputs"


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_a_bad_seed_gets_a_sentence_not_a_checker_bug(seed):
    result = grading.run_check("count_bigrams", lambda ids, V: None, seed=seed)
    assert not result.passed and "seed must be a non-negative int" in result.message


def test_not_implemented_says_not_done_yet():
    def stub(logits):
        raise NotImplementedError("stable_softmax")

    result = grading.run_check("stable_softmax", stub)
    assert not result.passed
    assert result.message.startswith("not done yet: replace the `raise NotImplementedError`")


def test_an_exception_is_named_with_the_inputs_that_caused_it():
    def broken(logits):
        return jnp.dot(logits, jnp.ones(1000))

    result = grading.run_check("stable_softmax", broken)
    assert not result.passed
    assert "raised TypeError" in result.message and "shape" in result.message, result.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda logits: None, "returned None"),
        (lambda logits: logits[..., :1], "of shape"),
        (lambda logits: "0.5", "not an array"),
        (lambda logits: logits * jnp.nan, "NaN"),
    ],
)
def test_wrong_kinds_of_answers_are_named(answer, words):
    result = grading.run_check("stable_softmax", answer)
    assert not result.passed and words in result.message, result.message


def test_exit_inside_the_learners_function_does_not_stop_the_notebook():
    def quits(logits):
        raise SystemExit(1)

    result = grading.run_check("stable_softmax", quits)
    assert not result.passed and "SystemExit" in result.message


def test_something_that_is_not_a_function_is_refused_politely():
    result = grading.run_check("stable_softmax", 3)
    assert not result.passed and "expected a function" in result.message


def test_check_without_a_task_name_explains_how_to_call_it(capsys):
    grading.check(good_softmax)
    assert 'check("good_softmax", good_softmax)' in capsys.readouterr().out


def test_an_unknown_task_lists_the_real_ones():
    result = grading.run_check("no_such_task", good_softmax)
    assert not result.passed and "stable_softmax" in result.message


def test_input_is_refused_instead_of_waiting_for_a_person():
    saved = builtins.input

    def asks(logits):
        input("temperature? ")
        return good_softmax(logits)

    result = grading.run_check("stable_softmax", asks)
    assert not result.passed and "called input()" in result.message, result.message
    assert builtins.input is saved, "input() must be restored after the check"


def test_an_endless_loop_is_stopped_by_the_signal_timer():
    def forever(logits):
        while True:
            pass

    start = time.monotonic()
    result = grading.run_check("stable_softmax", forever, timeout=0.5)
    assert time.monotonic() - start < 5, "the check must stop soon after its time limit"
    assert not result.passed and "did not finish within 0.5 s" in result.message


def test_an_endless_loop_is_stopped_by_the_trace_fallback_where_there_is_no_signal():
    def forever(logits):
        n = 0
        while True:
            n += 1

    result = grading.run_check("stable_softmax", forever, timeout=0.5, use_signal=False)
    assert not result.passed and "did not finish" in result.message


def test_the_trace_fallback_also_works_off_the_main_thread():
    outcome = []

    def forever():
        while True:
            pass

    def worker():
        # The trace watches the functions called inside the block, as run_check calls the
        # learner's function.
        with pytest.raises(CheckTimeout), time_limit(0.3) as how:
            outcome.append(how)
            forever()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5)
    assert outcome == ["trace"], "off the main thread SIGALRM is unavailable: trace is used"
    assert not thread.is_alive()


def test_a_learners_except_exception_cannot_swallow_the_time_limit():
    def stubborn(logits):
        while True:
            try:
                while True:
                    pass
            except Exception:
                pass

    result = grading.run_check("stable_softmax", stubborn, timeout=0.5)
    assert "did not finish" in result.message


def test_a_bug_in_a_checker_is_reported_not_raised(monkeypatch):
    def broken_checker(fn, rng):
        raise KeyError("oops")

    task = core.TASKS["perplexity"]
    monkeypatch.setitem(
        core.TASKS, "perplexity", core.Task(**{**vars(task), "checker": broken_checker})
    )
    result = grading.run_check("perplexity", jnp.exp)
    assert not result.passed and "checker itself failed" in result.message


def test_a_result_shows_a_mark_a_sentence_and_an_openable_hint():
    result = grading.run_check("stable_softmax", lambda logits: jnp.exp(logits))
    html, text = report.result_html(result), report.result_text(result)
    assert "❌" in html and "<details><summary>Hint</summary>" in html
    assert text.startswith("❌ stable_softmax: ") and "Hint:" in text
    assert "Traceback" not in text


def test_check_prints_plain_text_outside_a_notebook(capsys):
    grading.check("stable_softmax", good_softmax)
    assert capsys.readouterr().out.startswith("✅ stable_softmax")


def test_the_score_counts_passed_tasks_of_the_lesson(capsys):
    grading.RESULTS.clear()
    grading.check("stable_softmax", good_softmax)
    grading.check("top_k_filter", lambda logits, k: logits)
    score = grading.lesson_score("03_sampling")
    assert (score.passed, score.total) == (1, 4)
    grading.score("03_sampling")
    out = capsys.readouterr().out
    assert "Score for 03_sampling: 1/4 tasks passed" in out and "not checked yet" in out


def test_the_marker_for_the_batch_grader_is_plain_json():
    result = grading.run_check("stable_softmax", good_softmax)
    assert result.to_json() == {
        "task": "stable_softmax",
        "lesson": "03_sampling",
        "passed": True,
        "message": result.message,
    }


ODD_ANSWERS = {
    "None": lambda *args: None,
    "a string": lambda *args: "42",
    "NaN": lambda *args: float("nan"),
    "a ragged list": lambda *args: [[1, 2], [3]],
    "a dict": lambda *args: {"a": 1},
    "an empty tuple": lambda *args: (),
    "a ValueError": lambda *args: int("x"),
    "three zeros": lambda *args: jnp.zeros(3),
    "a pair of arrays": lambda *args: (jnp.zeros(2), jnp.zeros(2)),
    "three Nones": lambda *args: (None, None, None),
    "a pair of functions": lambda *args: (len, len),
    "a scalar": lambda *args: jnp.float32(0.5),
    "a pair of scalars": lambda *args: (1, 2),
}


@pytest.mark.parametrize("task_id", sorted(grading.TASKS))
def test_odd_answers_fail_with_a_sentence_for_every_task_never_a_checker_crash(task_id):
    for what, answer in ODD_ANSWERS.items():
        result = grading.run_check(task_id, answer)
        assert not result.passed, f"{task_id}: {what} passed"
        assert "checker itself failed" not in result.message, f"{task_id}, {what}: {result.message}"


def test_every_task_names_its_function_and_references_that_exist():
    import importlib

    for task in grading.TASKS.values():
        assert task.function.isidentifier(), f"{task.id}: the batch grader calls it by name"
        for dotted in task.references:
            module, attr = dotted.rsplit(".", 1)
            assert callable(getattr(importlib.import_module(module), attr, None)), (
                f"{task.id}: its reference {dotted} does not exist, so it would never be flagged"
            )
