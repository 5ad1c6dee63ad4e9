"""Grading for the exercise notebooks: check a learner's function against llmlab.

In a notebook:

    from llmlab.grading import check, score
    check("stable_softmax", stable_softmax)   # ✅ or ❌ with one sentence and a hint
    score("03_sampling")                      # the last cell: how many tasks passed

Files, in reading order:
1. core.py    - tasks, a safe run of one check (time limit, no input()), results, scores.
2. expect.py  - calling the learner's function and comparing arrays, in sentences.
3. report.py  - ✅/❌ display with a hint, and the JSON the batch grader reads.
4. one module of checks per lesson: probability (01), tokens (02), sampling (03), loss (04),
   embeddings (05), attention (06), transformer (07), pretraining (08), generation (09),
   finetuning (10), preferences (11), efficiency (12),
   thinking and thinking_retrieval (13).
The batch grader is `python -m llmlab.grade` (llmlab/grade.py); its parts, in reading order:
5. sandbox.py   - a kernel process per notebook: scratch folder, own session, limits, own user.
6. kernel.py    - that kernel: runs the cells, calls the learner's functions on request.
7. wire.py      - what goes through the pipe: pickles in, plain data (JSON + npy) out.
8. remote.py    - the checkers run in the grader against a stand-in for the learner's function.
9. gradebook.py - the table, the JSON and the CSV gradebook.
Every sentence a learner or an instructor reads comes from the catalogue llmlab/messages/
(grading.py: verdicts, comparisons, score; tasks.py: titles and hints of 01-09; checks_*.py:
each lesson's inputs and planted mistakes, and from 10 on its titles and hints too; grader.py:
the batch grader), in the language set by llmlab.set_language ("en" by default, "zh" in the
Chinese notebooks).
"""

from __future__ import annotations

from llmlab.grading import (  # noqa: F401  (importing registers each lesson's tasks)
    attention,
    efficiency,
    embeddings,
    finetuning,
    generation,
    loss,
    preferences,
    pretraining,
    probability,
    sampling,
    thinking,
    thinking_retrieval,
    tokens,
    transformer,
)
from llmlab.grading.core import (
    RESULTS,
    TASKS,
    Mistake,
    Result,
    Score,
    lesson_score,
    lesson_tasks,
    run_check,
)
from llmlab.grading.report import MIME_CHECK, MIME_SCORE, show_result, show_score
from llmlab.i18n import say
from llmlab.progress import record_result


def check(task_id: str, fn: object = None, *, timeout: float | None = None) -> None:
    """Check the learner's `fn` for `task_id` and show ✅ or ❌; never raises."""
    if not isinstance(task_id, str):  # check(my_function): the task name is missing
        name = getattr(task_id, "__name__", "task")
        message = say("grading.core.name_first", name=name)
        result = Result(str(name), "", False, message, "", 0, 0.0)
    else:
        result = run_check(task_id, fn, timeout=timeout)
    show_result(result)
    record_result(result)  # a pass goes into the learner's course-wide progress file


def score(lesson: str | None = None) -> None:
    """Show how many of `lesson`'s tasks passed in this session (e.g. score("03_sampling")).

    Without a lesson, the lesson of the most recent check is used.
    """
    if lesson is None:
        recent = list(RESULTS.values())
        lesson = recent[-1].lesson if recent else ""
    show_score(lesson_score(lesson))


__all__ = [
    "MIME_CHECK",
    "MIME_SCORE",
    "RESULTS",
    "TASKS",
    "Mistake",
    "Result",
    "Score",
    "check",
    "lesson_score",
    "lesson_tasks",
    "run_check",
    "score",
]
