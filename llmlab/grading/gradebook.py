"""The batch grader's outputs: a score table, JSON and a CSV gradebook for a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from llmlab.grading.core import TASKS
from llmlab.i18n import say


@dataclass
class NotebookGrade:
    """The tasks of one notebook, each {"passed": bool, "message": str} (and "flag": str when
    it calls llmlab's own answer), its lesson, and why it stopped."""

    path: str
    lesson: str = ""
    tasks: dict[str, dict] = field(default_factory=dict)
    reason: str | None = None  # None when every cell ran
    seconds: float = 0.0
    language: str = "en"  # the language of its messages

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tasks.values() if t["passed"])


def table(grades: list[NotebookGrade]) -> str:
    lines = []
    for grade in grades:
        total = len(grade.tasks)
        seconds = f"{grade.seconds:.0f}"
        lines.append(
            say("grader.table_notebook", path=grade.path, passed=grade.passed, total=total,
                seconds=seconds)
        )  # fmt: skip
        if grade.reason:
            lines.append(say("grader.table_stopped", reason=grade.reason))
        for task_id, result in grade.tasks.items():
            mark = "✅" if result["passed"] else "❌"
            lines.append(f"  {mark} {task_id}: {result['message']}")
            if result.get("flag"):
                lines.append(f"     ⚠ {result['flag']}")
    passed = sum(g.passed for g in grades)
    total = sum(len(g.tasks) for g in grades)
    lines.append(say("grader.table_total", passed=passed, total=total))
    return "\n".join(lines)


def to_json(grades: list[NotebookGrade]) -> str:
    return json.dumps({g.path: g.tasks for g in grades}, ensure_ascii=False, indent=1)


def to_csv(grades: list[NotebookGrade]) -> str:
    """One row per notebook: file, lesson, pass/fail per task, total (tasks passed), percent,
    reasons.

    The task columns are every task of the lessons in the batch, in course order; a task that
    is not in a notebook's lesson is left empty. The last column gives, for each failed task,
    "task: reason", and "task: flagged: ..." for a pass that calls llmlab's own answer.
    """
    lessons = {g.lesson for g in grades}
    columns = [t for t, task in TASKS.items() if task.lesson in lessons]
    columns += [t for g in grades for t in g.tasks if t not in columns]  # e.g. "notebook"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "lesson", *columns, "total", "percent", "reasons"])
    for grade in grades:
        marks = [
            ("pass" if grade.tasks[t]["passed"] else "fail") if t in grade.tasks else ""
            for t in columns
        ]
        total = len(grade.tasks)
        percent = f"{100 * grade.passed / total:.0f}" if total else "0"
        reasons = [f"{t}: {r['message']}" for t, r in grade.tasks.items() if not r["passed"]]
        reasons += [f"{t}: flagged: {r['flag']}" for t, r in grade.tasks.items() if r.get("flag")]
        row = [grade.path, grade.lesson, *marks, grade.passed, percent, " | ".join(reasons)]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: object) -> object:
    """A text a spreadsheet will not run as a formula (a file named "=..." stays text)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
