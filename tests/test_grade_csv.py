"""The CSV gradebook of `python -m llmlab.grade --csv`: one row per notebook, read back by any
spreadsheet (here: Python's csv module), with the reason of every failure in the last column."""

from __future__ import annotations

import csv
import io

from llmlab.grading import lesson_tasks
from llmlab.grading.gradebook import NotebookGrade, to_csv

PASS = {"passed": True, "message": "passed: your function agrees with llmlab."}


def fail(message: str) -> dict:
    return {"passed": False, "message": message}


def rows(grades: list[NotebookGrade]) -> list[dict]:
    return list(csv.DictReader(io.StringIO(to_csv(grades))))


def test_each_notebook_is_one_row_with_every_task_total_percent_and_reasons():
    tasks = lesson_tasks("03_sampling")
    alice = NotebookGrade("subs/alice.ipynb", "03_sampling", dict.fromkeys(tasks, PASS))
    bob = NotebookGrade("subs/bob.ipynb", "03_sampling", dict.fromkeys(tasks, PASS))
    bob.tasks = {**bob.tasks, "top_k_filter": fail('you kept 2 tokens, "not" 1, k = 1.')}
    table = rows([alice, bob])
    assert list(table[0]) == ["file", "lesson", *tasks, "total", "percent", "reasons"]
    assert [r["file"] for r in table] == ["subs/alice.ipynb", "subs/bob.ipynb"]
    assert (table[0]["total"], table[0]["percent"], table[0]["reasons"]) == ("4", "100", "")
    assert [table[1][t] for t in tasks] == ["pass", "pass", "fail", "pass"]
    assert (table[1]["total"], table[1]["percent"]) == ("3", "75")
    assert table[1]["reasons"] == 'top_k_filter: you kept 2 tokens, "not" 1, k = 1.', (
        "quotes and commas in a reason survive the CSV"
    )


def test_a_batch_of_two_lessons_leaves_the_other_lessons_tasks_empty():
    one = NotebookGrade(
        "a.ipynb", "01_probability", dict.fromkeys(lesson_tasks("01_probability"), PASS)
    )
    two = NotebookGrade("b.ipynb", "04_loss", dict.fromkeys(lesson_tasks("04_loss"), PASS))
    table = rows([one, two])
    assert all(table[0][t] == "" for t in lesson_tasks("04_loss"))
    assert all(table[1][t] == "pass" for t in lesson_tasks("04_loss"))


def test_a_flagged_pass_is_named_in_the_reasons_and_a_formula_stays_text():
    grade = NotebookGrade(
        "=HYPERLINK(1).ipynb",
        "04_loss",
        {"perplexity": {**PASS, "flag": "calls llmlab.loss.perplexity"}},
    )
    table = rows([grade])
    assert table[0]["perplexity"] == "pass" and "flagged: calls llmlab" in table[0]["reasons"]
    assert table[0]["file"] == "'=HYPERLINK(1).ipynb", "a spreadsheet must not run a file name"
